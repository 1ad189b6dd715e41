# Re-creation of https://github.com/keras-team/keras/issues/11057 ("Custom activation function not
# training"): the ELU rebuilt as a custom activation, K.switch(K.greater(x, 0), x, K.exp(x) - 1),
# in a Dense(128) network on MNIST: "the rebuild ELU function doesn't train at all. The loss is at
# zero after the first epoch and the accuracy doesn't improve." The poster's "Full code" loads
# MNIST, flattens it to 784 columns and one-hot encodes the labels; the pixels stay 0-255 (no
# division by 255). The code as we read it stops after the first Activation(custom_activation);
# the rest (Dropout, Dense(10) with softmax, SGD, categorical cross-entropy, 10 epochs of 128) is
# ours, from the imports it names (Dropout, SGD). With 0-255 pixels the first Dense gives values of
# hundreds, exp overflows in the branch K.switch does not select, and its gradient (0 * inf) is NaN.
# Fixed (ours; no reply was read): the pixels divided by 255 before the fit.
# Keras 3 names: keras.ops for the backend functions, keras.utils.get_custom_objects.
from keras.datasets import mnist

(x_train, y_train), (x_test, y_test) = mnist.load_data()

x_train = x_train.reshape(x_train.shape[0], 28*28)
x_test = x_test.reshape(x_test.shape[0], 28*28)
x_train = x_train.astype('float32') / 255
x_test = x_test.astype('float32') / 255

from keras.utils import to_categorical

y_train = to_categorical(y_train)
y_test = to_categorical(y_test)

from keras import Sequential
from keras.layers import Dense, Activation, Dropout
from keras.optimizers import SGD
from keras import ops as K
from keras.utils import get_custom_objects

def custom_activation(x):
    cond = K.greater(x, 0)
    return K.where(cond, x, K.exp(x) - 1)

get_custom_objects().update({'custom_activation': Activation(custom_activation)})

model = Sequential([
    Dense(128, input_shape=x_train.shape[1:]),
    Activation(custom_activation),
    Dropout(0.2),
    Dense(10),
    Activation('softmax'),
])

model.compile(optimizer=SGD(), loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_data=(x_test, y_test))
