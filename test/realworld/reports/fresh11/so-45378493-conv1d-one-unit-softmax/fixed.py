# The fix of the Stack Overflow question "Why does a binary Keras CNN always predict 1?"
# (https://stackoverflow.com/questions/45378493), the answer's: a sigmoid output for the single
# unit under binary_crossentropy, in place of the softmax that always gives 1.
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
model.add(Activation('sigmoid'))

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
