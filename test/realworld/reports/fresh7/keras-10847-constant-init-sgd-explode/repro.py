# Re-creation of keras-team/keras issue 10847, "Why doesn't Keras learn large gradient values?"
# (https://github.com/keras-team/keras/issues/10847): three Dense layers (512 relu, 512 relu,
# 2 softmax) whose kernels all start at Constant(1.0), categorical_crossentropy, SGD(lr=0.1),
# 128 random "images" of 224 * 224 * 3 values in [0, 1] with random labels, batch_size=32,
# epochs=4. The reporter: "The example above is a typical one what would cause gradient
# explosion. We set all initial weights to be a large value and also using a large learning rate,
# so in theory ... the weights will become larger and larger and soon reach to float(inf)", while
# their Keras printed loss 5.7850, then 7.5418 and on. lr is learning_rate in Keras 3; the code is
# otherwise the issue's.
import keras
from keras.models import Sequential
from keras.layers import Dense
import numpy as np

num_classes = 2

model = Sequential()
model.add(Dense(512, activation='relu',
  kernel_initializer=keras.initializers.Constant(1.0),
  bias_initializer='zeros'))
model.add(Dense(512, activation='relu',
  kernel_initializer=keras.initializers.Constant(1.0),
  bias_initializer='zeros'))
model.add(Dense(2, activation='softmax',
  kernel_initializer=keras.initializers.Constant(1.0),
  bias_initializer='zeros'))

model.compile(loss='categorical_crossentropy',
              optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.0))

np.random.seed(10)
images = np.random.random([128, 224 * 224 * 3])
labels = np.random.random([128, 2])

model.fit(images, labels, batch_size=32, epochs=4)
