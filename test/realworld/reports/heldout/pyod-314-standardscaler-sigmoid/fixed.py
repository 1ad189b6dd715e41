# Fixed re-creation of https://github.com/yzhao062/pyod/issues/314 ("autoencoder StandardScaler and
# sigmoid as output layer / inconsistency in values size"): the detector standardizes the input
# with StandardScaler, but the autoencoder's output layer is sigmoid, so it cannot reproduce the
# negative half of the data; the maintainers suggest output_activation='relu' or MinMaxScaler.
import numpy as np
from sklearn.preprocessing import StandardScaler, MinMaxScaler
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.regularizers import l2

rng = np.random.default_rng(314)
X_train = rng.normal(10, 3, size=(5000, 20))

scaler_ = MinMaxScaler()
X_norm = scaler_.fit_transform(X_train)

hidden_neurons = [64, 32, 32, 64]
n_features_ = X_norm.shape[1]
model = Sequential()
model.add(Dense(n_features_, activation='relu', input_shape=(n_features_,), kernel_regularizer=l2(0.1)))
model.add(Dropout(0.2))
for hidden in hidden_neurons:
    model.add(Dense(hidden, activation='relu', kernel_regularizer=l2(0.1)))
    model.add(Dropout(0.2))
model.add(Dense(n_features_, activation='sigmoid', kernel_regularizer=l2(0.1)))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X_norm, X_norm, epochs=20, batch_size=32, shuffle=True, validation_split=0.1)
