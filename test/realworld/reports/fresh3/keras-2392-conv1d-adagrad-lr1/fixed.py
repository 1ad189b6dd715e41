# keras-team/keras#2392 (see repro.py) with a fix: Adagrad at a learning rate of 0.01 (Keras's
# default then) instead of 1.0. The fix is ours; no reply in the thread was read.
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Convolution1D, MaxPooling1D, Flatten, Dense, Dropout, Activation
from keras.optimizers import Adagrad

rng = np.random.default_rng(2392)
input_length, input_dim, hidden_dims = 200, 4, 250
X_train = rng.normal(size=(8960, input_length, input_dim)).astype('float32')
score = X_train[:, :, 0].mean(axis=1)
Y_train = (score > np.quantile(score, 0.36)).astype('float32')

model = Sequential()
model.add(Input(shape=(input_length, input_dim)))
model.add(Convolution1D(filters=16, kernel_size=10, kernel_initializer='uniform', padding='valid', activation='relu', strides=1))
model.add(MaxPooling1D(pool_size=2))
model.add(Convolution1D(filters=32, kernel_size=8, kernel_initializer='uniform', padding='valid', activation='relu', strides=1))
model.add(MaxPooling1D(pool_size=2))
model.add(Flatten())
model.add(Dense(hidden_dims))
model.add(Dropout(0.25))
model.add(Activation('relu'))
model.add(Dense(1))
model.add(Activation('sigmoid'))
model.compile(loss='binary_crossentropy', optimizer=Adagrad(learning_rate=0.01, epsilon=1e-06), metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=128, epochs=100, verbose=1, callbacks=[], validation_split=0.0, validation_data=None, shuffle=True, class_weight=None, sample_weight=None)
