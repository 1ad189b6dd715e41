# The fix of keras-team/keras issue 10663 (https://github.com/keras-team/keras/issues/10663), ours:
# the decoder's GRU gives a hidden sequence and a TimeDistributed softmax over the four bases is the
# reconstruction, under categorical_crossentropy, the loss that matches one-hot targets.
import os
import numpy as np
from keras.layers import Input, GRU, Dropout, RepeatVector, TimeDistributed, Dense
from keras.models import Model


def create_lstm_autoencoder(input_dim, timesteps, latent_dim):
    inputs = Input(shape=(timesteps, input_dim,))
    encoded = GRU(30, return_sequences=True)(inputs)
    encoded = Dropout(0.1)(encoded)
    encoded = GRU(latent_dim)(encoded)

    decoded = RepeatVector(timesteps)(encoded)
    decoded = GRU(30, return_sequences=True)(decoded)
    decoded = TimeDistributed(Dense(input_dim, activation='softmax'))(decoded)

    sequence_autoencoder = Model(inputs, decoded)
    encoder = Model(inputs, encoded)

    autoencoder = Model(inputs, decoded)
    autoencoder.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['acc'])
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
