# The fix for keras-team/keras issue 11786 (https://github.com/keras-team/keras/issues/11786), ours:
# labels shifted to 0-6 (y - 1), the range sparse_categorical_crossentropy expects for 7 outputs.
import numpy as np
import keras
import matplotlib.pyplot as plt
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dropout, Dense

data = np.load('images.npz')
x_train, y_train, x_test, y_test = data['x_train'], data['y_train'], data['x_test'], data['y_test']
y_train = y_train - 1
y_test = y_test - 1
x_train = x_train.astype('float32') / 255
x_test = x_test.astype('float32') / 255
batch_size = 32
epochs = 10

model = Sequential()
model.add(Conv2D(kernel_size=(3,3),filters=8,input_shape=(256, 256, 3),activation="relu",padding="valid"))
model.add(Conv2D(kernel_size=(3,3),filters=8,activation="relu",padding="same"))
model.add(MaxPooling2D(pool_size=(2,2),strides=(2,2)))
model.add(Flatten())
model.add(Dropout(0.6))
model.add(Dense(100,activation="relu"))
model.add(Dense(7,activation='softmax'))
model.summary()

model.compile(loss=keras.losses.sparse_categorical_crossentropy,
              optimizer=keras.optimizers.Adam(learning_rate=0.001),
              metrics=['accuracy'])

X = model.fit(x_train, y_train,
          batch_size=batch_size,
          epochs=epochs,
          verbose=1,
          validation_data=(x_test, y_test))

plt.plot(X.history['loss'])
plt.plot(X.history['val_loss'])
plt.title('model loss')
plt.ylabel('loss')
plt.xlabel('epoch')
plt.legend(['train', 'validation'], loc='upper left')
plt.show()
