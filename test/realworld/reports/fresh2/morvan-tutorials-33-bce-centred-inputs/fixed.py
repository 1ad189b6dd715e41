# Fixed re-creation of a comment on https://github.com/MorvanZhou/tutorials/issues/33 ("自编码器不能收敛？",
# an autoencoder that does not converge): "I divided the input by 255 and subtracted 0.5 to
# normalize it to -0.5..0.5, then trained with binary_crossentropy and the loss is negative". A
# reply in the thread: the decoder's output is usually a sigmoid in [0, 1], so the inputs are best
# normalized to [0, 1] as well, with cross entropy and a small learning rate. The commenter's model
# is not given; this is the repository's own Keras autoencoder (kerasTUT/9-Autoencoder_example.py,
# which centres the pixels the same way and ends in tanh) with the loss changed to
# binary_crossentropy as the comment says. Keras 3 names Model's `input`/`output` `inputs`/`outputs`.
import numpy as np
np.random.seed(1337)  # for reproducibility

from keras.datasets import mnist
from keras.models import Model
from keras.layers import Dense, Input
import matplotlib.pyplot as plt

# download the mnist to the path '~/.keras/datasets/' if it is the first time to be called
# X shape (60,000 28x28), y shape (10,000, )
(x_train, _), (x_test, y_test) = mnist.load_data()

# data pre-processing
# the fix (the reply): inputs in [0, 1] and a sigmoid output for the cross entropy
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = x_train.reshape((x_train.shape[0], -1))
x_test = x_test.reshape((x_test.shape[0], -1))
print(x_train.shape)
print(x_test.shape)

# in order to plot in a 2D figure
encoding_dim = 2

# this is our input placeholder
input_img = Input(shape=(784,))

# encoder layers
encoded = Dense(128, activation='relu')(input_img)
encoded = Dense(64, activation='relu')(encoded)
encoded = Dense(10, activation='relu')(encoded)
encoder_output = Dense(encoding_dim)(encoded)

# decoder layers
decoded = Dense(10, activation='relu')(encoder_output)
decoded = Dense(64, activation='relu')(decoded)
decoded = Dense(128, activation='relu')(decoded)
decoded = Dense(784, activation='sigmoid')(decoded)

# construct the autoencoder model
autoencoder = Model(inputs=input_img, outputs=decoded)

# construct the encoder model for plotting
encoder = Model(inputs=input_img, outputs=encoder_output)

# compile autoencoder
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')

# training
autoencoder.fit(x_train, x_train,
                epochs=20,
                batch_size=256,
                shuffle=True)

# plotting
encoded_imgs = encoder.predict(x_test)
plt.scatter(encoded_imgs[:, 0], encoded_imgs[:, 1], c=y_test)
plt.colorbar()
plt.show()
