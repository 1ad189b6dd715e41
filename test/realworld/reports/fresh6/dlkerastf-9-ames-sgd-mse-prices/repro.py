# Re-creation of rstudio-conf-2020/dl-keras-tf issue 9, "train/valid loss = NAN when loss =
# "mean_squared_error" due to exploding values"
# (https://github.com/rstudio-conf-2020/dl-keras-tf/issues/9), raised during the workshop's Ames
# mini-project (materials/03-recipe/02-mini-project-ames.Rmd). The code, in R:
# compile(optimizer_sgd(lr = 0.1), loss = "mean_squared_error", metrics = "mae") and
# fit(x_train, y_train, batch_size = 16, validation_split = 0.2) on the notebook's first model
# (layer_dense(128, relu) on the 188 baked features, then layer_dense(1)): "loss: nan - mae: nan"
# from the first epoch. The issue's reason: "the range of the predicted value (sales price) which
# reaches ~ 755000. When the error gets squared, the sum explodes! That's why msle was recommended
# in the instructions". The same calls in the Python Keras API (keras for R is a wrapper of it;
# fit's default of 10 epochs written out); the baked training data are a stand-in written by
# make_data.py (ames_baked_train.csv), with Sale_Price in dollars as the recipe leaves it.
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Input
from keras.optimizers import SGD

baked_train = pd.read_csv("ames_baked_train.csv")
x_train = baked_train.drop(columns="Sale_Price").values
y_train = baked_train["Sale_Price"].values

n_feat = x_train.shape[1]
model = Sequential()
model.add(Input(shape=(n_feat,)))
model.add(Dense(units=128, activation="relu"))
model.add(Dense(units=1))

model.compile(
    optimizer=SGD(learning_rate=0.1),
    loss="mean_squared_error",
    metrics=["mae"]
)

history = model.fit(
    x_train,
    y_train,
    batch_size=16,
    epochs=10,
    validation_split=0.2
)
