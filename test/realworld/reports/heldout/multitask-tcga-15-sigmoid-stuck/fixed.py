# Fixed re-creation of https://github.com/MollyZhang/Multi-task-TCGA-learning/issues/15 ("Use sigmoid as
# activation function in Autoencoder"): a dense autoencoder over gene-expression features with
# sigmoid (and tanh) hidden layers gets stuck; "Leaky Relu converges faster than Sigmoid and Tanh
# and doesn't get stuck at 0".
import numpy as np
from keras.models import Model
from keras.layers import Input, Dense

rng = np.random.default_rng(15)
X = np.log2(1 + rng.gamma(0.6, 40, size=(3000, 2000))).astype('float32')
X = X / X.max()

inp = Input(shape=(2000,))
h = Dense(1000, activation='leaky_relu')(inp)
h = Dense(500, activation='leaky_relu')(h)
h = Dense(100, activation='leaky_relu')(h)
code = Dense(50, activation='leaky_relu')(h)
h = Dense(100, activation='leaky_relu')(code)
h = Dense(500, activation='leaky_relu')(h)
h = Dense(1000, activation='leaky_relu')(h)
out = Dense(2000, activation='sigmoid')(h)

autoencoder = Model(inp, out)
autoencoder.compile(optimizer='sgd', loss='mse')
autoencoder.fit(X, X, epochs=10, batch_size=64)
