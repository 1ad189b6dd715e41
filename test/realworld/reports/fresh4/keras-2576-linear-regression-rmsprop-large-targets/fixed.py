# keras-team/keras#2576 (see repro.py) with the target standardized before the fit (its mean
# and standard deviation kept to scale the predictions back), so that the weights RMSprop has to
# reach are of order one (the fix is ours; no reply in the thread was read).
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
y_mean, y_std = data_reg[1].mean(), data_reg[1].std()
y_scaled = (data_reg[1] - y_mean) / y_std
model.fit(data_reg[0], y_scaled, epochs=10, batch_size=16)
predictions = model.predict(data_reg[0]) * y_std + y_mean
