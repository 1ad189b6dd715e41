# Re-creation of https://stackoverflow.com/questions/52441877 ("How does binary cross entropy loss
# work on autoencoders?"): a vanilla dense autoencoder with a softmax output layer and
# binary_crossentropy, trained on MNIST as loaded (0-255). The answer: use sigmoid, and divide
# the pixels by 255 first.
from keras.layers import Input, Dense
from keras.models import Model
from keras.datasets import mnist

iLayer = Input ((784,))
layer1 = Dense(128, activation='relu' ) (iLayer)
layer2 = Dense(64, activation='relu') (layer1)
layer3 = Dense(28, activation ='relu') (layer2)
layer4 = Dense(64, activation='relu') (layer3)
layer5 = Dense(128, activation='relu' ) (layer4)
layer6 = Dense(784, activation='softmax' ) (layer5)
model = Model (iLayer, layer6)
model.compile(loss='binary_crossentropy', optimizer='adam')

(trainX, trainY), (testX, testY) =  mnist.load_data()
print ("shape of the trainX", trainX.shape)
trainX = trainX.reshape(trainX.shape[0], trainX.shape[1]* trainX.shape[2])
print ("shape of the trainX", trainX.shape)
model.fit (trainX, trainX, epochs=5, batch_size=100)
