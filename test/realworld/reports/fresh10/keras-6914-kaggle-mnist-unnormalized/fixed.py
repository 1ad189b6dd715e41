# The re-creation of keras-team/keras issue 6914, "MNIST not learning"
# (https://github.com/keras-team/keras/issues/6914): Keras's examples/mnist_mlp.py ("98.40%") run on
# Kaggle's digit-recognizer train.csv "doesn't go past 30% accuracy"; the reporter's own answer: "It
# turns out I didn't normalized the input" (x_train /= 255, x_test /= 255). The kernel itself is not
# in the issue: this file is mnist_mlp.py with its data read from the Kaggle CSV with pandas, fixed
# as the reporter did, with the division by 255; train.csv is written by make_data.py.
import keras
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.optimizers import RMSprop

batch_size = 128
num_classes = 10
epochs = 20

# the data, from Kaggle's train.csv: a label column, then 784 pixel columns
train = pd.read_csv('train.csv')
y = train['label'].values
x = train.drop('label', axis=1).values
n_test = len(x) // 10
x_train, x_test = x[n_test:], x[:n_test]
y_train, y_test = y[n_test:], y[:n_test]

x_train = x_train.astype('float32')
x_test = x_test.astype('float32')
x_train /= 255
x_test /= 255
print(x_train.shape[0], 'train samples')
print(x_test.shape[0], 'test samples')

# convert class vectors to binary class matrices
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Dense(512, activation='relu', input_shape=(784,)))
model.add(Dropout(0.2))
model.add(Dense(512, activation='relu'))
model.add(Dropout(0.2))
model.add(Dense(num_classes, activation='softmax'))

model.summary()

model.compile(loss='categorical_crossentropy',
              optimizer=RMSprop(),
              metrics=['accuracy'])

history = model.fit(x_train, y_train,
                    batch_size=batch_size,
                    epochs=epochs,
                    verbose=1,
                    validation_data=(x_test, y_test))
score = model.evaluate(x_test, y_test, verbose=0)
print('Test loss:', score[0])
print('Test accuracy:', score[1])
