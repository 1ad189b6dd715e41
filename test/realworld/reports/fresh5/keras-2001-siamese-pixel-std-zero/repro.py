# Re-creation of keras-team/keras issue 2001, "Train mnist_siamese_graph.py with `train_on_batch`
# returns nan loss" (https://github.com/keras-team/keras/issues/2001). The poster replaced the
# example's g.fit(...) with a mini-batch loop of train_on_batch calls (the loop below, as posted)
# and kept getting nan; then: "the loss becomes NaN if I preprocess the data using zero-mean unit
# variance. Dividing by the std() produces the error." The rest of the program is the
# mnist_siamese_graph.py example of that time (create_pairs, a shared base network of three
# Dense(128, relu) with Dropout(0.1), the euclidean distance and the contrastive loss, RMSprop),
# in the functional API that replaced Keras 0.3's Graph model. The standardization is ours in
# its form: per pixel, mean and std over the training images, the reading under which dividing
# by std() gives NaN (MNIST's border pixels are 0 in every image, so their std is 0 and 0/0 is
# NaN); the gist with the poster's full program was not read.
# Keras 3 names: keras.ops for the backend functions, Input(shape=...); the loop's
# train_on_batch is written as fit on the same batch (one epoch), so the run records it, and
# nsamples is the number of training pairs rather than a fixed 60000 (the pairs of the full MNIST
# number more than that, those of a smaller set fewer).
import random
import numpy as np
from keras.datasets import mnist
from keras.models import Model, Sequential
from keras.layers import Dense, Dropout, Input, Lambda
from keras.optimizers import RMSprop
from keras import ops as K


def euclidean_distance(inputs):
    x, y = inputs
    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))


def contrastive_loss(y, d):
    margin = 1
    return K.mean(y * K.square(d) + (1 - y) * K.square(K.maximum(margin - d, 0)))


def create_pairs(x, digit_indices):
    pairs = []
    labels = []
    n = min([len(digit_indices[d]) for d in range(10)]) - 1
    for d in range(10):
        for i in range(n):
            z1, z2 = digit_indices[d][i], digit_indices[d][i + 1]
            pairs += [[x[z1], x[z2]]]
            inc = random.randrange(1, 10)
            dn = (d + inc) % 10
            z1, z2 = digit_indices[d][i], digit_indices[dn][i]
            pairs += [[x[z1], x[z2]]]
            labels += [1, 0]
    return np.array(pairs), np.array(labels)


def create_base_network(input_dim):
    seq = Sequential()
    seq.add(Input(shape=(input_dim,)))
    seq.add(Dense(128, activation='relu'))
    seq.add(Dropout(0.1))
    seq.add(Dense(128, activation='relu'))
    seq.add(Dropout(0.1))
    seq.add(Dense(128, activation='relu'))
    return seq


random.seed(1337)
(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(-1, 784)
X_test = X_test.reshape(-1, 784)
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')
# zero-mean unit variance
mean = X_train.mean(axis=0)
std = X_train.std(axis=0)
X_train = (X_train - mean) / std
X_test = (X_test - mean) / std
input_dim = 784

digit_indices = [np.where(y_train == i)[0] for i in range(10)]
tr_pairs, tr_y = create_pairs(X_train, digit_indices)
digit_indices = [np.where(y_test == i)[0] for i in range(10)]
te_pairs, te_y = create_pairs(X_test, digit_indices)

base_network = create_base_network(input_dim)
input_a = Input(shape=(input_dim,), name='input_a')
input_b = Input(shape=(input_dim,), name='input_b')
processed_a = base_network(input_a)
processed_b = base_network(input_b)
distance = Lambda(euclidean_distance, output_shape=(1,))([processed_a, processed_b])
g = Model([input_a, input_b], distance)

rms = RMSprop()
g.compile(loss=contrastive_loss, optimizer=rms)

batch_size = 128
epochs = 10
nsamples = len(tr_pairs)
x = np.zeros((batch_size, 784))
y = np.zeros((batch_size, 784))
l = np.zeros((batch_size, 1))

for epoch in range(epochs):
    shuf = np.random.permutation(nsamples)
    nbatches = int(nsamples / batch_size)
    for k in range(nbatches):
        sh = shuf[k * batch_size:k * batch_size + batch_size]
        for s in range(batch_size):
            x[s] = tr_pairs[sh[s], 0]
            y[s] = tr_pairs[sh[s], 1]
            l[s] = tr_y[sh[s]]
        # train here
        tt = g.fit([x, y], l, batch_size=batch_size, epochs=1)
        print(tt.history['loss'][0])
