# Re-creation of Cross Validated question 441750, "Why can't this autoencoder reach zero loss?"
# (https://stats.stackexchange.com/questions/441750/why-cant-this-autoencoder-reach-zero-loss): a
# dense autoencoder of relu layers as wide as its input and a sigmoid output, under
# binary_crossentropy and Adam, fed uniform random inputs (x_rand = numpy.random.rand(30000,
# 100)) as input and target: "why the loss didn't converge to zero after 500 iterations". The
# answer: "This autoencoder can't reach 0 loss because there is a poor match between the inputs
# and the loss function. Training the same model on the same data with a different loss function
# ... achieves zero loss very quickly" (a cross-entropy against targets strictly between 0 and 1
# has a floor above zero, the targets' own entropy). EPOCHS and BATCH_SIZE are not given: 500
# epochs (the question's "500 iterations") and batches of 256; the random array is seeded.
import numpy
from keras.layers import Input, Dense
from keras.models import Model

numpy.random.seed(441750)
EPOCHS = 500
BATCH_SIZE = 256

x_rand = numpy.random.rand(30000, 100)
# this is the size of our encoded representations
encoding_dim = 100

inputs = Input(shape=x_rand.shape[1:])

encoded = Dense(100, activation='relu')(inputs)
encoded = Dense(100, activation='relu')(encoded)

encoded = Dense(encoding_dim, activation='relu')(encoded)

decoded = Dense(100, activation='relu')(encoded)
decoded = Dense(100, activation='relu')(decoded)
decoded = Dense(x_rand.shape[-1], activation='sigmoid')(decoded)

# this model maps an input to its reconstruction
autoencoder = Model(inputs, decoded)

autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
history = autoencoder.fit(x_rand, x_rand, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=2)
