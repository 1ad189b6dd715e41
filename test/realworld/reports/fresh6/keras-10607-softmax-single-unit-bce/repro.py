# Re-creation of keras-team/keras issue 10607, "Why the predict_proba() doesn't work"
# (https://github.com/keras-team/keras/issues/10607). The poster's code, complete in the thread:
# 34 stock technical indicators, a binary up/down trend label, Dense 512/200/200/128 relu and a
# last Dense(1, activation='softmax'), rmsprop, binary cross-entropy, 2 epochs of 50: predict_proba
# gives "[[0.] [0.] [0.] ...". The reply: "the correct activation to use for the final layer in
# binary classification is `sigmoid`". A softmax over one unit is 1 whatever its input, so
# nothing the network computes reaches the output or the loss. The indicators are not in the
# thread: make_data.py writes them (x_train.npy, y_train.npy, x_test.npy).
# Keras 3 names: model.predict for predict_proba.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

x_train = np.load("x_train.npy")
y_train = np.load("y_train.npy")
x_test = np.load("x_test.npy")

model = Sequential()
model.add(Dense(512, activation='relu', input_dim=34))
model.add(Dense(200, activation='relu'))
model.add(Dense(200, activation='relu'))
model.add(Dense(128, activation='relu'))
model.add(Dense(1, activation='softmax'))
model.compile(optimizer='rmsprop',
              loss='binary_crossentropy',
              metrics=['binary_accuracy'])

model.fit(x_train, y_train, epochs=2, batch_size=50, verbose=0)
print(model.predict(x_test, batch_size=50))
