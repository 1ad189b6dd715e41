# Re-creation of https://github.com/keras-team/keras/issues/2392 ("loss and acc don't change during
# each epoch"): Convolution1D(16, 10, init='uniform', relu), MaxPooling1D(2), Convolution1D(32, 8,
# init='uniform', relu), MaxPooling1D(2), Flatten, Dense(hidden_dims), Dropout(0.25), relu,
# Dense(1), sigmoid, binary_crossentropy, Adagrad(lr=1.0, rho=0.95, epsilon=1e-06), batch_size=128:
# "loss: 5.7178 - acc: 0.6446", then 5.7257 and 0.6448 every epoch. 5.7 is what the cross-entropy
# of a sigmoid pinned at 1 comes to when 35.5% of the labels are 0 (-log(1e-7) * 0.355): the first
# steps of Adagrad at a learning rate of 1.0 saturate the output. The thread gives neither the data
# (89,595 samples) nor input_dim, input_length and hidden_dims; ours: 8,960 random sequences of
# length 200 with 4 channels, 64% positives that depend on the first channel, hidden_dims = 250
# (the keras imdb_cnn example this code follows). Keras 3 names; Adagrad takes no rho.
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
model.compile(loss='binary_crossentropy', optimizer=Adagrad(learning_rate=1.0, epsilon=1e-06), metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=128, epochs=100, verbose=1, callbacks=[], validation_split=0.0, validation_data=None, shuffle=True, class_weight=None, sample_weight=None)
