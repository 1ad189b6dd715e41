# Re-creation of https://github.com/keras-team/keras/issues/13203 ("K.sqrt cause loss is nan in
# CPU, GPU is correct"): a Lambda(lambda x: keras.backend.sqrt(x)) right after a relu Dense layer;
# the loss is nan on the CPU, and correct when the sqrt line is removed.
import numpy as np
import keras as keras
from keras.layers import Dense
from keras.models import Model
from keras.optimizers import Adam
from keras import ops


def get_test_mode():
    input = keras.Input(shape=(10, 10), dtype='float32', name='raw_image_left')
    test = keras.layers.Dense(units=64, activation='relu', name='middle', )(input)
    test = keras.layers.Flatten()(test)
    # Comments this line will be correct, which is only incorrect in CPU
    test = keras.layers.Lambda(lambda x: ops.sqrt(x), name='error_point')(test)
    output = keras.layers.Dense(units=1, activation='sigmoid', name='output')(test)
    model = Model(inputs=input, outputs=output)
    model.compile(optimizer=Adam(learning_rate=0.001), loss='binary_crossentropy')
    return model


model = get_test_mode()
x = np.random.randn(1000, 10, 10)
y = np.random.randint(0, 2, (1000, 1))
model.fit(x, y, epochs=5, batch_size=32)
