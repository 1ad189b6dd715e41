# The fix of keras-team/keras issue 10847 (ours; the thread's point is that these settings must
# explode): the kernels left at Keras's default glorot_uniform initializer instead of Constant(1.0)
# and SGD at 0.001, so that 150528 inputs in [0, 1] do not add up to activations of order 1e5 and 1e7.
# Re-creation of keras-team/keras issue 10847, "Why doesn't Keras learn large gradient values?"
# (https://github.com/keras-team/keras/issues/10847): three Dense layers (512 relu, 512 relu,
# 2 softmax), categorical_crossentropy, SGD, 128 random "images" of 224 * 224 * 3 values in [0, 1]
# with random labels, batch_size=32, epochs=4.
import keras
from keras.models import Sequential
from keras.layers import Dense
import numpy as np

num_classes = 2

model = Sequential()
# the fix: default initializers, a smaller rate
model.add(Dense(512, activation='relu'))
model.add(Dense(512, activation='relu'))
model.add(Dense(2, activation='softmax'))

model.compile(loss='categorical_crossentropy',
              optimizer=keras.optimizers.SGD(learning_rate=0.001, momentum=0.0))

np.random.seed(10)
images = np.random.random([128, 224 * 224 * 3])
labels = np.random.random([128, 2])

model.fit(images, labels, batch_size=32, epochs=4)
