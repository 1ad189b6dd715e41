# Re-creation of https://stackoverflow.com/questions/44601367 ("Keras autoencoder simple example
# has a strange output"): 3 features [1, 2, 3], a 3-unit relu code, a sigmoid output, adadelta
# and mse; the reconstruction sticks near [0.80, 0.89, 0.91] whatever the epochs.
from keras.layers import Input, Dense
from keras.models import Model
import numpy as np
# this is the size of our encoded representations
encoding_dim = 3
x_train=np.array([[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3]])
inp= Input(shape=(3,))
encoded = Dense(encoding_dim, activation='relu')(inp)
decoded = Dense(3, activation='sigmoid')(encoded)
# this model maps an input to its reconstruction
autoencoder = Model(inp, decoded)
autoencoder.compile(optimizer='adadelta', loss='mse')
autoencoder.fit(x_train, x_train,
epochs=100,
batch_size=4)
print(autoencoder.predict(x_train))
