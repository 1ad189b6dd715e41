# The fix of keras-team/keras issue 7659 (ours; no reply was read): the raw columns standardised
# before the network sees them.
# Re-creation of keras-team/keras issue 7659, "model.fit() with some datasets showed no progress
# while training" (https://github.com/keras-team/keras/issues/7659): the MLP of a tutorial on the
# Pima Indians diabetes file, trained on its first 100 rows (90 to train, 10 to validate), Dense(12)
# relu, Dense(8) relu, Dense(1) sigmoid, binary_crossentropy, adam, epochs=150, batch_size=10: "with
# some data sets the training just does not show any progress". No reply was read; the eight
# columns go in raw (glucose near 120, insulin up to 846). The file is written by make_data.py
# (pima-indians-diabetes.csv), a stand-in with the real file's columns and ranges.
from keras.models import Sequential
from keras.layers import Dense, Input
#from sklearn.model_selection import train_test_split
import numpy
# fix random seed for reproducibility
seed = 7
numpy.random.seed(seed)
# load pima indians dataset
dataset = numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",")
# split into input (X) and output (Y) variables
X = dataset[:100,0:8]
Y = dataset[:100,8]
# split into 90% for train and 10% for test without shuffling the dataset
#X_train, X_test, y_train, y_test = train_test_split(X, Y, test_size=0.33, random_state=seed)
X_train=X[0:90,:]
y_train=Y[0:90]
X_test=X[90:,:]
y_test=Y[90:]
# the fix: each column standardised with the training rows' mean and standard deviation
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
X_train = (X_train - mean) / std
X_test = (X_test - mean) / std
# create model
model = Sequential()
model.add(Input(shape=(8,)))
model.add(Dense(12, activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# Compile model
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
# Fit the model
model.fit(X_train, y_train, validation_data=(X_test,y_test), epochs=150, batch_size=10)
