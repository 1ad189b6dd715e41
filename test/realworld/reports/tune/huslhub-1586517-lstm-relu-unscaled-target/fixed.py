# Fixed re-creation of https://huslhub.com/questions/1586517 ("Is data normalization needed for a
# Keras/LSTM network?"): an LSTM(200, activation='relu') on two standardized inputs predicting
# Y = 1001..10001 left unscaled; the answer: normalize Y too (Y = sc.fit_transform(Y.reshape(-1,1))).
import numpy as np
from numpy import array
from keras.models import Sequential
from keras.layers import LSTM, Dense
from sklearn.preprocessing import StandardScaler

#input data
X1 = np.array([1,2,3,4,5,6,7,8,9,10])
X2 = np.array([1000,2000,3000,4000,5000,6000,7000,8000,9000,10000])

#output data
Y=np.array([1001,2001,3001,4001,5001,6001,7001,8001,9001,10001])

X = np.column_stack((X1, X2))

#transformation
sc = StandardScaler()
X_fin = sc.fit_transform(X)

#merging
X_inp = array(X_fin).reshape(10, 1, 2)

#network model

model = Sequential()
model.add(LSTM(200, activation='relu', input_shape=(1,2)))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
Y = sc.fit_transform(Y.reshape(-1,1))
model.fit(X_inp, Y, epochs=300,verbose=1)
