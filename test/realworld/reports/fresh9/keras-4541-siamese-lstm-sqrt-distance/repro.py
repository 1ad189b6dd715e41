# Re-creation of keras-team/keras issue 4541, "Weights are almost Nan, accuracy and loss are still
# 0.5" (https://github.com/keras-team/keras/issues/4541): a siamese network whose shared branch is
# Embedding(100000, 32) -> Dropout(0.1) -> LSTM(64) -> Dropout(0.1) -> Dense(128, relu), under the
# contrastive loss and RMSprop(lr=0.00001): "after training, the loss and accuracy were 0.5, and I
# checked the weights, the results were terrible: array([[ nan, nan, nan, ...". The rest of the
# model is the one of the Keras example the issue follows (examples/mnist_siamese_graph.py at the
# time): the two branch outputs meet in a Lambda layer that returns
# K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True)), and the gradient of sqrt at a distance of
# 0 is infinite. Pull request 6223, which names this issue, fixes the example: "Take max of
# squared distance and K.epsilon() because some data points will throw nans for euclidean
# distance". The data are not in the issue: pairs.npz (written by make_data.py) holds question
# pairs of which a third are duplicates. K is tensorflow.keras.backend (Keras 3's keras.backend
# has dropped these functions); lr is learning_rate and nb_epoch epochs (Keras 3); input=/output=
# are inputs=/outputs=.
import numpy as np
from tensorflow.keras import backend as K
from keras.models import Sequential, Model
from keras.layers import Input, Embedding, Dropout, LSTM, Dense, Lambda
from keras.optimizers import RMSprop


def euclidean_distance(vects):
    x, y = vects
    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))


def eucl_dist_output_shape(shapes):
    shape1, shape2 = shapes
    return (shape1[0], 1)


def contrastive_loss(y_true, y_pred):
    '''Contrastive loss from Hadsell-et-al.'06
    http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf
    '''
    margin = 1
    return K.mean(y_true * K.square(y_pred) + (1 - y_true) * K.square(K.maximum(margin - y_pred, 0)))


data = np.load('pairs.npz')
x1, x2, y = data['x1'], data['x2'], data['y']
input_dim = x1.shape[1]

seq = Sequential()
seq.add(Embedding(100000, 32))
seq.add(Dropout(0.1))
seq.add(LSTM(64))
seq.add(Dropout(0.1))
seq.add(Dense(128, activation='relu'))

input_a = Input(shape=(input_dim,))
input_b = Input(shape=(input_dim,))
processed_a = seq(input_a)
processed_b = seq(input_b)
distance = Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([processed_a, processed_b])
model = Model(inputs=[input_a, input_b], outputs=distance)

rms = RMSprop(learning_rate=0.00001)
model.compile(loss=contrastive_loss, optimizer=rms)
model.fit([x1, x2], y, batch_size=128, epochs=1)
