# Re-creation of Data Science Stack Exchange question 38604, "Too low accuracy on MNIST dataset
# using a neural network" (https://datascience.stackexchange.com/questions/38604/too-low-accuracy-on-mnist-dataset-using-a-neural-network):
# one hidden Dense(64, relu) layer and a single sigmoid output unit on MNIST, binary cross-entropy,
# adam: "Why is it that the loss doesn't change at all after any epoch?", "loss: -55.0284 - acc:
# 0.1141" every epoch. The poster's code, complete in the question: the 0-255 pixels are only
# reshaped to 784 columns, and the targets are the digit labels 0-9 themselves, which a binary
# cross-entropy cannot take (it goes negative) and a single sigmoid unit cannot reach.
# Keras 3 names (the Sequential and Dense imports the question leaves out).
input_nodes = 784
hl1_nodes = 64
output_nodes = 1

from keras.models import Sequential
from keras.layers import Dense
from keras.datasets import mnist
(X_train, y_train), (X_test, y_test) = mnist.load_data()

X_train_reshaped = X_train.reshape(X_train.shape[0],784)

model = Sequential()
model.add(Dense(hl1_nodes, activation='relu', input_shape=(input_nodes,)))
model.add(Dense(output_nodes, activation = 'sigmoid'))

model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])

history = model.fit(x=X_train_reshaped, y=y_train, validation_split=0.33, verbose=1,epochs=10)
