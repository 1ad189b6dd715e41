# Re-creation of https://github.com/keras-team/keras/issues/9582 (comments: "The loss always
# outputs nan, while the metric computation seems fine" after keras.backend.set_floatx('float16')):
# a basic conv encoder with BatchNormalization for classification, categorical_crossentropy,
# optimizer='adam'. A commenter: "have you changed the epsilon in your keras.json, too ... 1e-3
# worked for me."
import numpy as np
import keras
from keras.datasets import mnist
from keras.layers import Input, Conv2D, BatchNormalization, MaxPooling2D, Flatten, Dense
from keras.models import Model

keras.backend.set_floatx('float16')

(x_train, y_train), _ = mnist.load_data()
x_train = (x_train.astype('float16') / 255.)[..., None]
y_train = keras.utils.to_categorical(y_train, 10).astype('float16')

input_layer = Input(shape=(28, 28, 1))
x = Conv2D(32, 3, padding='same', activation='relu')(input_layer)
x = BatchNormalization(axis=3)(x)
x = MaxPooling2D()(x)
x = Conv2D(64, 3, padding='same', activation='relu')(x)
x = BatchNormalization(axis=3)(x)
x = MaxPooling2D()(x)
x = Flatten()(x)
out = Dense(10, activation='softmax')(x)

model = Model(input_layer, out)
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=64, epochs=5)
