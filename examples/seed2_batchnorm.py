import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense, BatchNormalization

# Improved architecture to mitigate vanishing gradients
X_train = np.random.rand(100, 10) #Example data
X_val = np.random.rand(20,10)

input_dim = X_train.shape[1]
encoding_dim = 5

input_layer = Input(shape=(input_dim,))
encoder = Dense(10, activation='relu')(input_layer)
encoder = BatchNormalization()(encoder) #Adding Batch Normalization
encoder = Dense(encoding_dim, activation='relu')(encoder)
decoder = Dense(10, activation='relu')(encoder)
decoder = BatchNormalization()(decoder) #Adding Batch Normalization
decoder = Dense(input_dim, activation='linear')(decoder)

autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(X_train, X_train, epochs=100, validation_data=(X_val, X_val))
