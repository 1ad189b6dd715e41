# Re-creation of https://github.com/keras-team/keras/issues/2841 ("Questions about this
# convolutional autoencoder"): a conv autoencoder on 100 CIFAR10 images with a sigmoid output and
# binary_crossentropy; the loss goes negative (-10, then -49 on validation) and never converges.
# The pixels were fed as loaded, 0-255.
import numpy as np
from keras.datasets import cifar10
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D
from keras.models import Model

(X_train, _), (X_test, _) = cifar10.load_data()
x_train = X_train[:100].astype('float32')
x_test = X_test[:20].astype('float32')

input_img = Input(shape=(32, 32, 3))
x = Conv2D(64, (3, 3), activation='relu', padding='same')(input_img)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(32, (3, 3), activation='relu', padding='same')(x)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(16, (3, 3), activation='relu', padding='same')(x)
encoded = MaxPooling2D((2, 2), padding='same')(x)

x = Conv2D(16, (3, 3), activation='relu', padding='same')(encoded)
x = UpSampling2D((2, 2))(x)
x = Conv2D(32, (3, 3), activation='relu', padding='same')(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(64, (3, 3), activation='relu', padding='same')(x)
x = UpSampling2D((2, 2))(x)
decoded = Conv2D(3, (3, 3), activation='sigmoid', padding='same')(x)

autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adadelta', loss='binary_crossentropy', metrics=['accuracy'])

autoencoder.fit(x_train, x_train, epochs=20, batch_size=20,
                shuffle=True, verbose=1, validation_data=(x_test, x_test))
