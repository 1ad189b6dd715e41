# Re-creation of the Cross Validated question 418955 ("Why is deep neural net with linear activation
# diverges?", read at https://wiki.hoelee.com/content/stats.stackexchange.com_en_all_2022-05/questions/418955/why-is-deep-neural-net-with-linear-activation-diverges):
# two Dense(1) layers without activation, trained with 'sgd' and MSE to fit y = x ** 2 + 3 for
# x = 0..99 from standardized x; the loss diverges. The asker's update: "this particular behavior is
# caused by not scaled target variable", and learning occurs only with a very small learning rate.
# The code is the asker's.
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense
x = np.arange(100)[:, np.newaxis]
f = lambda x: x ** 2 + 3
y = f(x)
x_normed = (x - x.mean()) / x.std()
km = Sequential()
km.add(Dense(1, activation=None))
km.add(Dense(1, activation=None))
km.compile('sgd', loss='mse')
km.fit(x_normed, y, epochs=300)
