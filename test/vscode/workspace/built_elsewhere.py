import numpy as np
from models import build_autoencoder

X = np.random.uniform(0, 1, size=(1000, 32))
autoencoder = build_autoencoder(input_dim=32, latent_dim=4)
autoencoder.fit(X, X, epochs=50, batch_size=64, validation_split=0.1)
