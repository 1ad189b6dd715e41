# The fix of keras-team/keras issue 4541 (pull request 6223's, which names the issue): the squared
# distance is kept at K.epsilon() or above before its square root, so that its gradient stays
# finite when the two branches agree.
import numpy as np
from tensorflow.keras import backend as K
from keras.models import Sequential, Model
from keras.layers import Input, Embedding, Dropout, LSTM, Dense, Lambda
from keras.optimizers import RMSprop


def euclidean_distance(vects):
    x, y = vects
    return K.sqrt(K.maximum(K.sum(K.square(x - y), axis=1, keepdims=True), K.epsilon()))


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
