# Re-creation of https://github.com/keras-team/keras/issues/12646 ("Simple autoencoder keeping
# constant tensor as predict in keras"): 137 documents as zero-padded (469, 200) word2vec
# sequences in [-1, 1]; a GRU(120, activation='sigmoid') encoder, Dense(20) neck, RepeatVector,
# GRU decoder and a tanh TimeDistributed Dense; the loss starts very low and becomes constant,
# and every document gets the same prediction.
import numpy as np
from keras.layers import Input, GRU, Dense, RepeatVector, TimeDistributed
from keras.models import Model

rng = np.random.default_rng(12646)
docs = np.zeros((137, 469, 200), dtype='float32')
for i in range(137):
    n_words = rng.integers(20, 120)
    docs[i, :n_words] = np.tanh(rng.normal(0, 0.3, (n_words, 200)))
x_train, x_test = docs[:110], docs[110:]

input = Input(shape=(469,200))

encoder = GRU(120,activation='sigmoid',dropout=0.2)(input)

neck = Dense(20)(encoder)

decoder1 = RepeatVector(469)(neck)

decoder1 = GRU(120,return_sequences=True,activation='sigmoid',dropout=0.2)(decoder1)

decoder1 = TimeDistributed(Dense(200,activation='tanh'))(decoder1)

model = Model(inputs=input, outputs=decoder1)

model.compile(optimizer='adam', loss='mse')

history = model.fit(x_train, x_train,validation_data=(x_test,x_test) ,epochs=10, batch_size=8)
