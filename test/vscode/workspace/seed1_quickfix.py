import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense

# Unscaled data - leading to potential NaN values
X_train = np.array([[1, 1000], [2, 2000], [3, 3000]])
X_val = np.array([[4, 4000], [5, 5000]])

input_dim = X_train.shape[1]
encoding_dim = 1

input_layer = Input(shape=(input_dim,))
encoder = Dense(encoding_dim, activation='sigmoid')(input_layer)
decoder = Dense(input_dim, activation='sigmoid')(encoder)

autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(X_train, X_train, epochs=100, validation_data=(X_val, X_val))
