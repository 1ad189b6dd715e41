# Fixed re-creation of https://github.com/keras-team/keras/issues/11832 ("Infinity loss when training
# EDSR-SuperRes model with float16"): an EDSR-style residual conv network trained with
# K.set_floatx('float16'); the loss goes down for about 10 mini-batches, then up to inf and nan.
# Solved in the thread by K.set_epsilon(1e-4).
import numpy as np
from keras import backend as K
from keras.layers import Input, Conv2D, Add, Lambda, UpSampling2D
from keras.models import Model
from keras.optimizers import Adam

K.set_floatx('float16')
K.set_epsilon(1e-4)


def res_block(x, filters=64):
    y = Conv2D(filters, 3, padding='same', activation='relu')(x)
    y = Conv2D(filters, 3, padding='same')(y)
    y = Lambda(lambda t: t * 0.1)(y)
    return Add()([x, y])


lr_in = Input(shape=(24, 24, 3))
x = Conv2D(64, 3, padding='same')(lr_in)
skip = x
for _ in range(8):
    x = res_block(x)
x = Conv2D(64, 3, padding='same')(x)
x = Add()([x, skip])
x = UpSampling2D(2)(x)
sr_out = Conv2D(3, 3, padding='same')(x)

model = Model(lr_in, sr_out)
model.compile(optimizer=Adam(learning_rate=1e-4, epsilon=1e-4), loss='mae')

hr = np.random.randint(0, 256, (256, 48, 48, 3)).astype('float16')
lr = hr[:, ::2, ::2, :]
model.fit(lr, hr, batch_size=16, epochs=5)
