# The fix for the Cross Validated question "Learning a simple sequence with RNN (Keras)"
# (https://stats.stackexchange.com/questions/329619), ours: each sample is the window of the last
# three inputs (so the value two steps back is in it), scaled to [0, 1] by dividing by 100, with the
# target scaled the same way; the rest is the question's model.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense

x = np.random.randint(0, 100, size=2000)
df = pd.DataFrame({'X': x})
df['Y'] = df['X'].shift(2)
df = df.dropna()

windows = np.array([x[i - 2:i + 1] for i in range(2, len(x))]) / 100.0
xtrain = np.reshape(windows, (windows.shape[0], 3, 1))
model = Sequential()
model.add(SimpleRNN(2, input_shape=(None, 1)))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
model.fit(x=xtrain, y=df['Y'].values / 100.0, epochs=200, batch_size=5)
