# Re-creation of keras-team/keras issue 9097, "NaN loss when using euclidean distance for siamese
# network (due to K.sqrt)" (https://github.com/keras-team/keras/issues/9097). The poster's distance:
#     def euclidean_distance(vects):
#         x, y = vects
#         return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))
# "But it turns out nan loss when two inputs are the same ... when I add small dummy bias into it,
# the network can work": K.sqrt(K.sum(...) + 0.01). A reply: the derivative of sqrt is infinite at
# 0, so a pair whose two embeddings coincide sends NaN through backprop. The issue shows only the
# distance; the rest is the Keras siamese MNIST example it comes from (contrastive loss, RMSprop,
# a shared base network of three Dense(128, relu)), with two things of ours: the base network
# without the example's Dropout layers (with dropout the two branches of an identical pair see
# different masks and never coincide), and the pairs drawn at random within a class, so that
# some pairs hold the same image twice, "two inputs are the same" as in the poster's data.
# Keras 3 names: keras.ops for the backend functions, Input(shape=...), epochs.
import random
import numpy as np
from keras.datasets import mnist
from keras.models import Model, Sequential
from keras.layers import Dense, Input, Lambda
from keras.optimizers import RMSprop
from keras import ops as K


def euclidean_distance(vects):
    x, y = vects
    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))


def contrastive_loss(y_true, y_pred):
    margin = 1
    return K.mean(y_true * K.square(y_pred) + (1 - y_true) * K.square(K.maximum(margin - y_pred, 0)))


def create_pairs(x, digit_indices):
    '''Positive pairs: two images drawn at random from one class; negative pairs: two classes.'''
    pairs = []
    labels = []
    n = min([len(digit_indices[d]) for d in range(10)])
    for d in range(10):
        for i in range(n):
            z1, z2 = random.choice(digit_indices[d]), random.choice(digit_indices[d])
            pairs += [[x[z1], x[z2]]]
            inc = random.randrange(1, 10)
            dn = (d + inc) % 10
            z1, z2 = digit_indices[d][i], digit_indices[dn][i]
            pairs += [[x[z1], x[z2]]]
            labels += [1, 0]
    return np.array(pairs), np.array(labels).astype('float32')


def create_base_network(input_dim):
    seq = Sequential()
    seq.add(Input(shape=(input_dim,)))
    seq.add(Dense(128, activation='relu'))
    seq.add(Dense(128, activation='relu'))
    seq.add(Dense(128, activation='relu'))
    return seq


random.seed(1337)
(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(-1, 784).astype('float32') / 255
X_test = X_test.reshape(-1, 784).astype('float32') / 255
input_dim = 784
nb_epoch = 20

digit_indices = [np.where(y_train == i)[0] for i in range(10)]
tr_pairs, tr_y = create_pairs(X_train, digit_indices)
digit_indices = [np.where(y_test == i)[0] for i in range(10)]
te_pairs, te_y = create_pairs(X_test, digit_indices)

base_network = create_base_network(input_dim)
input_a = Input(shape=(input_dim,))
input_b = Input(shape=(input_dim,))
processed_a = base_network(input_a)
processed_b = base_network(input_b)
distance = Lambda(euclidean_distance, output_shape=(1,))([processed_a, processed_b])
model = Model([input_a, input_b], distance)

rms = RMSprop()
model.compile(loss=contrastive_loss, optimizer=rms)
model.fit([tr_pairs[:, 0], tr_pairs[:, 1]], tr_y,
          validation_data=([te_pairs[:, 0], te_pairs[:, 1]], te_y),
          batch_size=128, epochs=nb_epoch)
