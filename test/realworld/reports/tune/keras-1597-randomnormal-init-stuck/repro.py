# Re-creation of a comment by Ahmed-Araby in https://github.com/keras-team/keras/issues/1597
# ("acc and val_acc don't change?"): the model was stuck when the Dense layers used
# winit = RandomNormal(mean=0.0, stddev=0.1) as weight initializer, and it worked when that was
# removed and the default settings were used.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input
from keras.initializers import RandomNormal
from keras.datasets import mnist

winit = RandomNormal(mean=0.0, stddev=0.1)

(x_train, y_train), _ = mnist.load_data()
x_train = x_train.reshape(len(x_train), 784).astype('float32') / 255.

model = Sequential()
model.add(Input(shape=(784,)))
model.add(Dense(512, activation='sigmoid', kernel_initializer=winit))
model.add(Dense(256, activation='sigmoid', kernel_initializer=winit))
model.add(Dense(128, activation='sigmoid', kernel_initializer=winit))
model.add(Dense(256, activation='sigmoid', kernel_initializer=winit))
model.add(Dense(512, activation='sigmoid', kernel_initializer=winit))
model.add(Dense(784, activation='sigmoid', kernel_initializer=winit))
model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x_train, x_train, epochs=10, batch_size=128)
