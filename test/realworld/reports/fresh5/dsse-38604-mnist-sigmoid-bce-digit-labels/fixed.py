# Fixed version of Data Science Stack Exchange question 38604 (see repro.py): ten softmax output
# units trained on the one-hot labels with categorical cross-entropy, and the pixels divided by
# 255 (ours; the answers were not read). Keras 3 names.
input_nodes = 784
hl1_nodes = 64
output_nodes = 10

from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical
from keras.datasets import mnist
(X_train, y_train), (X_test, y_test) = mnist.load_data()

X_train_reshaped = X_train.reshape(X_train.shape[0],784) / 255.0

model = Sequential()
model.add(Dense(hl1_nodes, activation='relu', input_shape=(input_nodes,)))
model.add(Dense(output_nodes, activation = 'softmax'))

model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])

history = model.fit(x=X_train_reshaped, y=to_categorical(y_train, 10), validation_split=0.33, verbose=1,epochs=10)
