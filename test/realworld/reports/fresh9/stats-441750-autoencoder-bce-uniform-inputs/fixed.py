# The fix of Cross Validated question 441750 (the answer's: the same model on the same data with a
# loss that is zero when the reconstruction equals the input): mean squared error in place of
# binary cross-entropy.
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

autoencoder.compile(optimizer='adam', loss='mean_squared_error')
history = autoencoder.fit(x_rand, x_rand, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=2)
