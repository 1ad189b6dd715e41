# Re-creation of https://github.com/tensorflow/tensorflow/issues/38796 ("A high learning rate may
# cause a nan or an inf loss with tf.keras.optimizers.SGD"): VGG16 features, a 1x1 Conv2D on top,
# the per-position MSE between them added with add_loss, SGD(learning_rate=1e-3), a batch of
# ones; nan or inf loss, less often with a lower learning rate. (weights=None here: the ImageNet
# weights need a download.)
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model, layers
from tensorflow.keras.layers import *


class MSELoss(layers.Layer):
    def call(self, inputs):
        a, b = inputs
        l = tf.keras.losses.MSE(a, b)
        self.add_loss(tf.reduce_mean(l))
        return l


vgg = tf.keras.applications.VGG16(include_top=False, weights=None, input_shape=(150, 200, 3))
o = Conv2D(512, [1, 1])(vgg.output)
l = MSELoss()([vgg.output, o])
m = Model(vgg.input, l)
m.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=1e-3))
m.fit(np.ones([2, 150, 200, 3]), epochs=10)
