# Re-creation of rstudio/keras issue 1280 (the R interface to Keras), "Poisson Loss"
# (https://github.com/rstudio/keras3/issues/1280): a keras_model_sequential() "with dense layers,
# which for loss = 'mse' works just fine" fitted to claim counts (train$ClaimNb) under
# loss = 'Poisson' with optimizer_rmsprop(), batch_size = 512, epochs = 30, validation_split = 0.2
# and an early-stopping callback: "the errors obtained in each consecutive epoch increase instead of
# decreasing", and the Poisson loss is not displayed; the maintainer's reply: "taking log(0)
# results in a NaN in tensorflow, which of course leads to everything breaking. The target has many
# 0 values". The re-creation is the issue's compile and fit calls in Python with the same
# arguments; model5 is not in the issue: it is filled in as two relu Dense layers and a Dense(1)
# output, which has no activation (linear) as in R's layer_dense by default; the early-stopping
# callback is filled in on val_loss with a patience of 5; train.csv (make_data.py) is a stand-in for
# the freMTPL2 claims table, its features left unscaled as in the as.matrix().
import pandas as pd
import keras
from keras import layers

train = pd.read_csv('train.csv')

model5 = keras.Sequential([
    keras.Input(shape=(train.shape[1] - 1,)),
    layers.Dense(64, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(1),
])

model5.compile(
    loss='poisson',
    optimizer=keras.optimizers.RMSprop(),
    metrics=['mean_absolute_error', 'mean_squared_error'],
)

early_stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=5)

history = model5.fit(
    train.drop(columns=['ClaimNb']).to_numpy(),
    train['ClaimNb'].to_numpy(),
    callbacks=[early_stop],
    epochs=30,
    batch_size=512,
    validation_split=0.2,
    shuffle=True,
)
