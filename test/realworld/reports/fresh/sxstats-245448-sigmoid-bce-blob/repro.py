# Re-creation of https://stats.stackexchange.com/questions/245448 ("Loss function for
# autoencoders"): an MNIST autoencoder X-e1-e2-d1-Y with 784-100-50-100-784 units and sigmoid on
# every layer, inputs in [0, 1]. With cross entropy as the loss "the output was always a blob" and
# the weights from X to e1 converged to zero; with mean squared error it reconstructs. A comment
# points at the saturating sigmoids. (The asker wrote it in TensorFlow; the layer stack is theirs,
# the optimizer, not given, is Adam here.)
import numpy as np
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Dense

(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.reshape(-1, 784).astype('float32') / 255.
x_test = x_test.reshape(-1, 784).astype('float32') / 255.

model = Sequential()
model.add(Dense(100, activation='sigmoid', input_shape=(784,)))  # e1
model.add(Dense(50, activation='sigmoid'))                       # e2
model.add(Dense(100, activation='sigmoid'))                      # d1
model.add(Dense(784, activation='sigmoid'))                      # Y
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(x_train, x_train, epochs=20, batch_size=128, validation_data=(x_test, x_test))
