# The fix of keras-team/keras issue 3753 (ours; no reply was read): the 0-255 pixel values of the
# patches and of the target scaled to [0, 1], as for any network input.
# Re-creation of keras-team/keras issue 3753, "Hard time to train keras model for regression"
# (https://github.com/keras-team/keras/issues/3753): "I have an image and I take some 4 by 4 patches
# and make them into a vector of length 16 and target is i value"; Dense(16) relu, Dense(8) relu,
# Dense(1) relu, rmsprop, mse, batch_size=1024, nb_epoch=500: "when the training starts, the loss
# is not changing significantly and accuracy is around 10%" (loss 262.8, 207.4, 202.4, ... 194.2
# over nine epochs). The thread went stale without a reply that was read; the pixel values go in
# and come out unscaled (0-255). The patches are written by make_data.py (red_patches.npz);
# nb_epoch is epochs in Keras 3, the model is not saved.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation, Input

data = np.load("red_patches.npz")
X_train_red, Y_train_red = data["X_train_red"], data["Y_train_red"]
X_test_red, Y_test_red = data["X_test_red"], data["Y_test_red"]
# the fix: pixel values scaled to [0, 1] in and out
X_train_red, Y_train_red = X_train_red / 255.0, Y_train_red / 255.0
X_test_red, Y_test_red = X_test_red / 255.0, Y_test_red / 255.0
red_rows = X_train_red.shape[1]

batch_size = 1024
nb_epoch = 500
modelRed = Sequential()

modelRed.add(Input(shape=(red_rows,)))
modelRed.add(Dense(16))
modelRed.add(Activation('relu'))

modelRed.add(Dense(8))
modelRed.add(Activation('relu'))

modelRed.add(Dense(1))
modelRed.add(Activation('relu'))

modelRed.compile(optimizer='rmsprop', loss='mse', metrics=["accuracy"])

modelRed.fit(X_train_red, Y_train_red, batch_size=batch_size, epochs=nb_epoch, validation_data=(X_test_red, Y_test_red), verbose=1)
scoreRed = modelRed.evaluate(X_test_red, Y_test_red, batch_size=batch_size)
print(scoreRed)
