# The fix of rstudio/keras issue 1280, "Poisson Loss" (https://github.com/rstudio/keras3/issues/1280),
# the standard one for a Poisson loss (the reply points at the log of the zero counts): an
# output that cannot reach zero or below, activation='softplus' on the Dense(1), so that the loss's
# log(y_pred) is always defined.
import pandas as pd
import keras
from keras import layers

train = pd.read_csv('train.csv')

model5 = keras.Sequential([
    keras.Input(shape=(train.shape[1] - 1,)),
    layers.Dense(64, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(1, activation='softplus'),
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
