# Re-creation of the blog note "Loss and Accuracy Get Stuck in Keras"
# (https://chenzhang.org/notes/developer/loss-and-accuracy-get-stuck-in-keras/): training "a
# prediction model using Keras, the loss and accuracy sometimes get stuck", its log showing "loss:
# 1.9105 - acc: 0.5378" in every one of 10 epochs; among the fixes it lists, "Adjusting Learning
# Rate ... For example, increase learning from 0.00001 to 0.1" with
# SGD(lr=0.1, decay=1e-6, momentum=0.9, nesterov=True) and categorical_crossentropy, and
# BatchNormalization after a Dense(20, relu) layer. The note gives neither the model that got stuck
# nor its data, so both are filled in from its own snippets: Dense(20, relu) layers and a softmax
# output under categorical_crossentropy, the SGD of its fix at the stuck rate of 0.00001, 10 epochs,
# on train.npz (make_data.py: 20 features, 8 unbalanced classes). Keras 3's SGD has no decay
# argument, so decay=1e-6 is left out; lr is learning_rate. The cause, as the note states it: a
# learning rate (1e-5) too small for the weights to move.
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

sgd = optimizers.SGD(learning_rate=0.00001, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy',
                optimizer=sgd,
                metrics=['accuracy'])
model.fit(X_train, y_train, epochs=10, batch_size=32, verbose=1)
