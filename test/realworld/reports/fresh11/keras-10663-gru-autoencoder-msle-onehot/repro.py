# Re-creation of keras-team/keras issue 10663, "Keras autoencoder performing very very bad"
# (https://github.com/keras-team/keras/issues/10663): a GRU sequence autoencoder for biological
# sequences (miRNA/mRNA), GRU(30) with Dropout(0.1), GRU(latent_dim), RepeatVector(timesteps) and a
# GRU(input_dim, return_sequences=True) decoder whose tanh output is the reconstruction, compiled
# with 'adam' and loss='msle': "whatever I do I am getting bad results ... I tried changing every
# parameter, optimizer, learning rate, metrics, layer etc but nothing works". The re-creation is the
# issue's create_lstm_autoencoder and its fit call; the sizes and the data are not in the issue:
# mirna.npz (make_data.py) holds stand-in one-hot miRNA sequences (25 steps of A, C, G, U), the
# latent size is 10, and the fit runs 50 epochs at batch 32; the weights file the issue loads when
# it exists is not used. The cause, a tanh reconstruction under a mean squared logarithmic error,
# which clips negative outputs to a constant so that their gradient is zero, on one-hot targets, is
# our reading (no reply was read).
import os
import numpy as np
from keras.layers import Input, GRU, Dropout, RepeatVector
from keras.models import Model


def create_lstm_autoencoder(input_dim, timesteps, latent_dim):
    inputs = Input(shape=(timesteps, input_dim,))
    encoded = GRU(30, return_sequences=True)(inputs)
    encoded = Dropout(0.1)(encoded)
    encoded = GRU(latent_dim)(encoded)

    decoded = RepeatVector(timesteps)(encoded)
    decoded = GRU(input_dim, return_sequences=True)(decoded)

    sequence_autoencoder = Model(inputs, decoded)
    encoder = Model(inputs, encoded)

    autoencoder = Model(inputs, decoded)
    autoencoder.compile(optimizer='adam', loss='msle', metrics=['acc'])
    return autoencoder, encoder, sequence_autoencoder


miRNA_train = np.load('mirna.npz')['miRNA_train']
miRNA_timesteps, miRNA_input_dim = miRNA_train.shape[1], miRNA_train.shape[2]
autoencoder_latent_dim = 10
autoencoder_epochs = 50
autoencoder_batch_size = 32

#Creating encodings#

print("creating miRNA encodings...")
miRNA_autoencoder, miRNA_encoder, miRNA_decoder = create_lstm_autoencoder(miRNA_input_dim, miRNA_timesteps, autoencoder_latent_dim)
miRNA_autoencoder.fit(miRNA_train, miRNA_train, epochs=autoencoder_epochs, batch_size=autoencoder_batch_size, verbose=1)
miRNA_encodings = miRNA_encoder.predict(miRNA_train)
print(miRNA_encodings.shape)
