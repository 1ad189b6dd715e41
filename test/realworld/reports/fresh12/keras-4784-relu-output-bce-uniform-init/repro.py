# Re-creation of keras-team/keras issue 4784, "Accuracy not changing across the epochs"
# (https://github.com/keras-team/keras/issues/4784): a 106-feature binary classifier read with
# numpy.loadtxt("Train.txt", delimiter="\t"), Dense(64, relu), Dense(32, tanh), Dense(12, relu),
# Dense(8, sigmoid) and a Dense(1, relu) output, every layer init='uniform', compiled with
# binary_crossentropy and SGD(lr=0.0001, momentum=0.4), 100 epochs at batch 300: the accuracy does
# not change from epoch to epoch. The re-creation is the code; its data are not in the
# issue, so Train.txt (make_data.py) is a stand-in in the layout it reads (106 columns and a 0/1
# label). Keras 1's init='uniform' (U(-0.05, 0.05)) is kernel_initializer=RandomUniform(-0.05, 0.05),
# nb_epoch is epochs and lr is learning_rate; the lines after evaluate that save model.json and the
# weights are left out (they write files beside the script). The cause, our reading (no reply was
# read): a relu output under binary_crossentropy (a rectified value, not a probability, that can
# sit at 0 with no gradient), small uniform weights through five layers and a learning rate of
# 1e-4, so the updates barely move the loss.
from keras import regularizers
from keras.layers import Input, Dense, Activation, Dropout
from keras.models import Model, Sequential
from keras.optimizers import SGD
from keras.initializers import RandomUniform
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
model.add(Dense(64, input_dim=106, kernel_initializer=RandomUniform(-0.05, 0.05), activation='relu'))
model.add(Dense(32, kernel_initializer=RandomUniform(-0.05, 0.05), activation='tanh'))
model.add(Dense(12, kernel_initializer=RandomUniform(-0.05, 0.05), activation='relu'))
model.add(Dense(8, kernel_initializer=RandomUniform(-0.05, 0.05), activation='sigmoid'))
model.add(Dense(1, kernel_initializer=RandomUniform(-0.05, 0.05), activation='relu'))
# Compile model
optimizer = SGD(learning_rate=0.0001, momentum=0.4)
model.compile(loss='binary_crossentropy', optimizer=optimizer, metrics=['accuracy'])

# Fit the model
model.fit(X, Y, epochs=100, batch_size=300, verbose=1)

# evaluate the model
scores = model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1]*100))
