# Re-creation of keras-team/keras issue 11786, "Why I'm getting nan loss in my model?"
# (https://github.com/keras-team/keras/issues/11786): "I have 7 categories of labels and I am passing
# 7 in last Dense Layer ... I used sparse_categorical_crossentropy loss function, but loss becomes
# nan"; with categorical_crossentropy or MSE the targets' shape (1,) is refused, and with one output
# unit the loss is computed. The re-creation is the model, compile and fit (two 3x3 Conv2D
# with 8 filters, MaxPooling2D, Flatten, Dropout(0.6), Dense(100, relu), Dense(7, softmax),
# Adam(lr=0.001)); batch_size and epochs are not in the issue (32 and 10 here), and the data are the
# stand-ins make_data.py writes (256x256 RGB images, labels 1 to 7). lr is learning_rate, and the
# loss curves plotted after the fit are left as the issue has them (the runner's plotting is a
# no-op). The cause, our reading (no reply names one): the labels run from 1 to 7 while
# sparse_categorical_crossentropy with 7 outputs expects 0 to 6, so the label 7 has no output; on a
# GPU the lookup returns NaN, on a CPU TensorFlow raises.
import numpy as np
import keras
import matplotlib.pyplot as plt
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dropout, Dense

data = np.load('images.npz')
x_train, y_train, x_test, y_test = data['x_train'], data['y_train'], data['x_test'], data['y_test']
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
