# Re-creation of erwtokritos/keras-glove issue 2, "NaN loss when there are 0s in cooccurrence
# matrix" (https://github.com/erwtokritos/keras-glove/issues/2): "0s in co-occurrence matrix make
# y_true = 0 which makes K.Log(y_true) = Inf. It results in the loss and gradients to become NaN
# and in turn makes the embedding layer full of NaNs and the model becomes untrainable right
# after the first epoch." The maintainer: the package keeps only the pairs with a non-zero count,
# and the weighting f(X_ij) is 0 for X_ij = 0; the poster: "I was using only a part of your
# implementation; I had the full co-occurrence matrix built elsewhere which stored the 0s as
# well." The model and loss are the package's keras_glove/models.py of that time (Embedding
# vectors and biases, Dot, Add, the GloVe loss with K.log(y_true), Adam), trained as its
# orchestrator trains it (vector size 30, window 5, batches of 512, 5 epochs). The weight f(0)
# is 0, but 0 * (y_pred - log 0)**2 is 0 * inf, NaN. The corpus and the full matrix are ours:
# 600 generated sentences over 150 words, the distance-weighted counts of the package's
# bigram_count, and every (i, j) pair of the vocabulary, zeros included, as the poster had them.
# This is the maintainer's answer: only the pairs with a non-zero count are trained on.
# Keras 3 names: keras.ops for the backend module (power for pow); the sentences are made as
# word ids (Keras 3 has no keras.preprocessing.text.Tokenizer); Embedding without input_length.
from collections import defaultdict

import numpy as np
from keras.layers import Input, Embedding, Dot, Reshape, Add
from keras.models import Model
from keras.optimizers import Adam
from keras import ops as K

CENTRAL_EMBEDDINGS = 'central_embeddings'
CONTEXT_EMBEDDINGS = 'context_embeddings'
CENTRAL_BIASES = 'central_biases'
CONTEXT_BIASES = 'context_biases'

X_MAX = 100
a = 3.0 / 4.0


def glove_model(vocab_size=10, vector_dim=3):
    """
    A Keras implementation of the GloVe architecture
    :param vocab_size: The number of distinct words
    :param vector_dim: The vector dimension of each word
    :return:
    """
    input_target = Input((1,), name='central_word_id')
    input_context = Input((1,), name='context_word_id')

    central_embedding = Embedding(vocab_size, vector_dim, name=CENTRAL_EMBEDDINGS)
    central_bias = Embedding(vocab_size, 1, name=CENTRAL_BIASES)

    context_embedding = Embedding(vocab_size, vector_dim, name=CONTEXT_EMBEDDINGS)
    context_bias = Embedding(vocab_size, 1, name=CONTEXT_BIASES)

    vector_target = central_embedding(input_target)
    vector_context = context_embedding(input_context)

    bias_target = central_bias(input_target)
    bias_context = context_bias(input_context)

    dot_product = Dot(axes=-1)([vector_target, vector_context])
    dot_product = Reshape((1, ))(dot_product)
    bias_target = Reshape((1,))(bias_target)
    bias_context = Reshape((1,))(bias_context)

    prediction = Add()([dot_product, bias_target, bias_context])

    model = Model(inputs=[input_target, input_context], outputs=prediction)
    model.compile(loss=custom_loss, optimizer=Adam())

    return model


def custom_loss(y_true, y_pred):
    """
    This is GloVe's loss function
    :param y_true: The actual values, in our case the 'observed' X_ij co-occurrence values
    :param y_pred: The predicted (log-)co-occurrences from the model
    :return: The loss associated with this batch
    """
    return K.sum(K.power(K.clip(y_true / X_MAX, 0.0, 1.0), a) * K.square(y_pred - K.log(y_true)), axis=-1)


def bigram_count(token_list, window_size, cache):
    sentence_size = len(token_list)

    for central_index, central_word_id in enumerate(token_list):
        for distance in range(1, window_size + 1):
            if central_index + distance < sentence_size:
                first_id, second_id = sorted([central_word_id, token_list[central_index + distance]])
                cache[first_id][second_id] += 1.0 / distance


# a corpus of generated sentences; word ids 1..vocab (0 is kept free, as Keras's Tokenizer does)
rng = np.random.default_rng(2)
vocab = 150
popularity = 1.0 / np.arange(1, vocab + 1)
popularity /= popularity.sum()
seqs = [list(rng.choice(np.arange(1, vocab + 1), size=rng.integers(6, 15), p=popularity))
        for _ in range(600)]

cache = defaultdict(lambda: defaultdict(int))
for seq in seqs:
    bigram_count(token_list=seq, cache=cache, window_size=5)

# the full co-occurrence matrix, zeros included
cooc = np.zeros((vocab + 1, vocab + 1), dtype='float32')
for i in cache:
    for j in cache[i]:
        cooc[i, j] = cooc[j, i] = cache[i][j]
first_indices, second_indices = np.meshgrid(np.arange(1, vocab + 1), np.arange(1, vocab + 1), indexing='ij')
first_indices, second_indices = first_indices.ravel(), second_indices.ravel()
frequencies = cooc[first_indices, second_indices]
# only the pairs that co-occur, as the package's cache_to_pairs gives them
keep = frequencies > 0
first_indices, second_indices, frequencies = first_indices[keep], second_indices[keep], frequencies[keep]

model = glove_model(vocab + 1, vector_dim=30)
model.fit([first_indices, second_indices], frequencies, epochs=5, batch_size=512)
