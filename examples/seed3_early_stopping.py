import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.callbacks import EarlyStopping

#Hyperparameter Tuning to prevent NaNs
X_train = np.random.rand(100, 10)
X_val = np.random.rand(20,10)

input_dim = X_train.shape[1]
encoding_dim = 5

input_layer = Input(shape=(input_dim,))
encoder = Dense(encoding_dim, activation='relu')(input_layer)
decoder = Dense(input_dim, activation='linear')(encoder)

autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
early_stopping = EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True) #Early Stopping to prevent overfitting and potential NaNs
autoencoder.fit(X_train, X_train, epochs=500, validation_data=(X_val, X_val), callbacks=[early_stopping]) #Increased Epochs but uses early stopping
