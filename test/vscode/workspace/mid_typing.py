import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense

# Already scaled to [0, 1]: a healthy autoencoder.
X_train = np.random.rand(256, 8)
X_val = np.random.rand(64, 8)

input_layer = Input(shape=(8,))
encoder = Dense(4, activation='relu')(input_layer)
decoder = Dense(8, activation='linear')(encoder)

autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(X_train, X_train, epochs=10, batch_size=32, validation_data=(X_val, X_val))
