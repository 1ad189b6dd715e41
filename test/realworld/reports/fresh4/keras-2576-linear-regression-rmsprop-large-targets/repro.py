# Re-creation of https://github.com/keras-team/keras/issues/2576 ("Keras no hidden layer != simple
# linear regression ??"): a single Dense(1) on sklearn's make_regression data (10,000 samples, 100
# informative features, noise=100), loss mse, rmsprop, 10 epochs of batches of 16, compared with
# sklearn's LinearRegression: "It is obvious that Keras result has the incorrect scale from -70 to
# 70, while the original Y scale is from -2000 to 2000." The targets are left in the thousands;
# RMSprop moves each weight by about its learning rate (0.001) a step, too little to reach weights
# of tens in 10 epochs, so the loss stays near the targets' variance. The poster's code, with
# Keras 3 names (epochs for nb_epoch, an Input layer for input_dim) and the old
# sklearn.cross_validation import dropped; the plots are left out.
from sklearn import datasets
data_reg = datasets.make_regression(n_samples=10000, n_features=100, n_informative=100,
                                    n_targets=1, noise=100, random_state=0)

from sklearn import linear_model
lm_lr = linear_model.LinearRegression()
lm_lr.fit(data_reg[0], data_reg[1])

from keras.models import Sequential
from keras.layers import Input, Dense, Activation
model = Sequential()
model.add(Input(shape=(100,)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="rmsprop")
model.fit(data_reg[0], data_reg[1], epochs=10, batch_size=16)
