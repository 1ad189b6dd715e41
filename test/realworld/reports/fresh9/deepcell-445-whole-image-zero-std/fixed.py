# The fix of vanvalenlab/deepcell-tf issue 445 (pull request 446's, "Add K.epsilon to denominator
# in whole_image normalization"): K.epsilon() added to the standard deviation in the denominator.
import numpy as np
import keras
from keras import backend as K
from keras import ops
from keras.layers import Layer, Input, Conv2D, BatchNormalization, Activation
from keras.models import Model
from keras.optimizers import SGD
from keras.utils import to_categorical


class ImageNormalization2D(Layer):
    def __init__(self, norm_method='std', filter_size=61, data_format=None, **kwargs):
        self.valid_modes = {'std', 'max', None, 'whole_image'}
        if norm_method not in self.valid_modes:
            raise ValueError('Invalid `norm_method`: "{}". '
                             'Use one of {}.'.format(
                                 norm_method, self.valid_modes))
        if 'trainable' not in kwargs:
            kwargs['trainable'] = False
        super(ImageNormalization2D, self).__init__(**kwargs)
        self.filter_size = filter_size
        self.norm_method = norm_method
        self.data_format = data_format or K.image_data_format()
        if self.data_format == 'channels_first':
            self.channel_axis = 1
        else:
            self.channel_axis = 3  # hardcoded for 2D data

    def call(self, inputs):
        if not self.norm_method:
            outputs = inputs

        elif self.norm_method == 'whole_image':
            axes = [2, 3] if self.channel_axis == 1 else [1, 2]
            outputs = inputs - ops.mean(inputs, axis=axes, keepdims=True)
            outputs = outputs / (ops.std(inputs, axis=axes, keepdims=True) + K.epsilon())

        elif self.norm_method == 'max':
            outputs = inputs / ops.max(inputs)

        else:
            raise NotImplementedError('"{}" is not a valid norm_method'.format(
                self.norm_method))

        return outputs


def bn_feature_net_2D(input_shape=(64, 64, 1), n_features=3, n_conv_filters=32,
                      norm_method='whole_image'):
    img = Input(shape=input_shape)
    x = ImageNormalization2D(norm_method=norm_method, filter_size=61)(img)
    for _ in range(4):
        x = Conv2D(n_conv_filters, (3, 3), padding='same', kernel_initializer='he_normal')(x)
        x = BatchNormalization(axis=-1)(x)
        x = Activation('relu')(x)
    x = Conv2D(n_features, (1, 1), kernel_initializer='he_normal')(x)
    x = Activation('softmax')(x)
    return Model(inputs=img, outputs=x)


training_data = np.load('train.npz')
X_train = training_data['X'].astype(K.floatx())
y_train = to_categorical(training_data['y'][..., 0], 3)

model = bn_feature_net_2D(input_shape=X_train.shape[1:], norm_method='whole_image')
optimizer = SGD(learning_rate=0.01, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=optimizer, metrics=['accuracy'])
model.fit(X_train, y_train, batch_size=16, epochs=10, validation_split=0.1)
