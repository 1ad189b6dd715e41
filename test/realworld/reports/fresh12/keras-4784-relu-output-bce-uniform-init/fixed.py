# The fix for keras-team/keras issue 4784 (https://github.com/keras-team/keras/issues/4784), ours:
# a sigmoid output, the probability binary_crossentropy expects, the default (glorot_uniform)
# initializers in place of init='uniform', and Adam at its default rate in place of SGD(lr=0.0001).
from keras import regularizers
from keras.layers import Input, Dense, Activation, Dropout
from keras.models import Model, Sequential
from keras.optimizers import Adam
import numpy
import pandas
from sklearn import preprocessing
from keras.models import Sequential
from keras.layers import Dense

dataset = numpy.loadtxt("Train.txt", delimiter="\t")

# split into input (X) and output (Y) variables
X = dataset[:,0:106]
Y = dataset[:,106]

model = Sequential()
model.add(Dense(64, input_dim=106, activation='relu'))
model.add(Dense(32, activation='tanh'))
model.add(Dense(12, activation='relu'))
model.add(Dense(8, activation='sigmoid'))
model.add(Dense(1, activation='sigmoid'))
# Compile model
optimizer = Adam()
model.compile(loss='binary_crossentropy', optimizer=optimizer, metrics=['accuracy'])

# Fit the model
model.fit(X, Y, epochs=100, batch_size=300, verbose=1)

# evaluate the model
scores = model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1]*100))
