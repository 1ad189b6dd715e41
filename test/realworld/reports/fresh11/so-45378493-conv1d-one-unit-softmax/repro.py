# Re-creation of the Stack Overflow question "Why does a binary Keras CNN always predict 1?"
# (https://stackoverflow.com/questions/45378493): a binary classifier on about 6000 windows of
# (10, 4) standardized prices, two Conv1D blocks (BatchNormalization, LeakyReLU, Dropout), Dense(64)
# and a Dense(1) with Activation('softmax'), compiled with adam and binary_crossentropy and fitted
# for 100 epochs at batch 128 with ReduceLROnPlateau: the confusion matrix is [[0 362] [0 608]],
# every prediction 1; the answer: "You have a dense layer with one neuron with Softmax activation",
# whose output is always 1. The re-creation is the question's code with its Keras 1 arguments in
# their Keras 3 spelling (Conv1D filters/kernel_size/padding, epochs, monitor 'val_accuracy'); the
# data are not in the question: prices.npz (make_data.py) holds stand-in windows of a random-walk
# series standardized as the printed row looks, labelled by the window's direction, and the
# predictions are rounded for the confusion matrix.
import numpy as np
from keras.models import Sequential
from keras.layers import Conv1D, BatchNormalization, LeakyReLU, Dropout, Flatten, Dense, Activation
from keras.callbacks import ReduceLROnPlateau
from sklearn.metrics import confusion_matrix

data = np.load('prices.npz')
X_train, y_train, X_test, y_test = data['X_train'], data['y_train'], data['X_test'], data['y_test']

print(X_train[0])
print(y_train[0])

model = Sequential()
model.add(Conv1D(input_shape = (10, 4),
                        filters=16,
                        kernel_size=4,
                        padding='same'))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dropout(0.2))

model.add(Conv1D(filters=8,
                        kernel_size=4,
                        padding='same'))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dropout(0.2))

model.add(Flatten())

model.add(Dense(64))
model.add(BatchNormalization())
model.add(LeakyReLU())

model.add(Dense(1))
model.add(Activation('softmax'))

reduce_lr    = ReduceLROnPlateau(monitor='val_accuracy', factor=0.9, patience=30, min_lr=0.000001, verbose=0)

model.compile(optimizer='adam',
              loss='binary_crossentropy',
              metrics=['accuracy'])

history = model.fit(X_train, y_train,
          epochs = 100,
          batch_size = 128,
          verbose=0,
          validation_data=(X_test, y_test),
          callbacks=[reduce_lr],
          shuffle=True)

y_pred = model.predict(X_test)

print(confusion_matrix(y_test, np.round(y_pred)))
