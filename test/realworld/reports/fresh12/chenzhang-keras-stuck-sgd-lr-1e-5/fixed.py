# The fix from the blog note "Loss and Accuracy Get Stuck in Keras"
# (https://chenzhang.org/notes/developer/loss-and-accuracy-get-stuck-in-keras/): "increase learning
# from 0.00001 to 0.1", SGD(lr=0.1, momentum=0.9, nesterov=True) (decay=1e-6 left out, as in repro.py).
import numpy as np
from keras import optimizers
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical

data = np.load('train.npz')
X_train = data['x']
y_train = to_categorical(data['y'])

model = Sequential()
model.add(Dense(20, activation='relu', input_dim=X_train.shape[1]))
model.add(Dense(20, activation='relu'))
model.add(Dense(y_train.shape[1], activation='softmax'))

sgd = optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy',
                optimizer=sgd,
                metrics=['accuracy'])
model.fit(X_train, y_train, epochs=10, batch_size=32, verbose=1)
