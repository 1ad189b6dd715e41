# The fix of fionn-mac/Manhattan-LSTM issue 4, "y is not scaled during training in MaLSTM keras
# (Sick)" (https://github.com/fionn-mac/Manhattan-LSTM/issues/4), as the issue states it: the SICK
# relatedness scores (1 to 5) are scaled into [0, 1], the range of the model's exp(-L1) output, as
# the MaLSTM paper does, before training; nothing else is changed.
import os
from sys import exit

from time import time
import datetime
import argparse
from math import exp
from re import sub
import itertools

import tensorflow as tf

import keras
import keras.backend as K
from keras import ops
from keras.models import Model
from keras.layers import Activation
from keras.layers import Embedding, Input
from keras.layers import LSTM, Lambda, concatenate
from keras import regularizers
from keras.preprocessing.sequence import pad_sequences

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split as split_data

import matplotlib
matplotlib.use('Agg')
from matplotlib import pyplot as plt

STOPWORDS = {'a', 'an', 'the', 'is', 'in', 'on', 'of', 'and', 'to', 'near'}


class Data(object):
    def __init__(self, data_name, data_file, train_ratio=0.8, max_len=None):
        self.data_file = data_file
        self.train_ratio = train_ratio
        self.max_len = max_len
        self.vocab_size = 1
        self.score_col = 'relatedness_score'
        self.sequence_cols = ['sentence_A', 'sentence_B']
        self.vocab = set('PAD')
        self.word_to_id = {'PAD': 0}
        self.run()

    def text_to_word_list(self, text):
        text = str(text).lower()
        text = sub(r"[^A-Za-z0-9^,!.\/'+-=]", " ", text)
        return text.split()

    def load_data(self):
        data_df = pd.read_csv(self.data_file, sep='\t')
        data_df[self.sequence_cols] = data_df[self.sequence_cols].astype(object)
        for index, row in data_df.iterrows():
            for sequence in self.sequence_cols:
                s2n = []
                for word in self.text_to_word_list(row[sequence]):
                    if word in STOPWORDS:
                        continue
                    if word not in self.vocab:
                        self.vocab.add(word)
                        self.word_to_id[word] = self.vocab_size
                        s2n.append(self.vocab_size)
                        self.vocab_size += 1
                    else:
                        s2n.append(self.word_to_id[word])
                data_df.at[index, sequence] = s2n
        return data_df

    def run(self):
        data_df = self.load_data()
        X = data_df[self.sequence_cols]
        Y = data_df[self.score_col]
        self.x_train, self.x_val, self.y_train, self.y_val = split_data(X, Y, train_size=self.train_ratio)
        self.x_train = [self.x_train[column] for column in self.sequence_cols]
        self.x_val = [self.x_val[column] for column in self.sequence_cols]
        self.y_train = self.y_train.values
        self.y_val = self.y_val.values
        # scale the relatedness scores from [1, 5] into [0, 1]
        self.y_train = (self.y_train - 1.) / 4.
        self.y_val = (self.y_val - 1.) / 4.
        for dataset, side in itertools.product([self.x_train, self.x_val], [0, 1]):
            dataset[side] = pad_sequences(list(dataset[side]), maxlen=self.max_len)


class Get_Embedding(object):
    def __init__(self, file_path, word_index):
        self.embedding_size = 300
        self.embedding_matrix = self.create_embed_matrix(file_path, word_index)

    def create_embed_matrix(self, file_path, word_index):
        word2vec = np.load(file_path)
        vectors = dict(zip(word2vec['words'], word2vec['vectors']))
        embedding_matrix = np.zeros((len(word_index) + 1, self.embedding_size))
        for word, i in word_index.items():
            if word not in vectors:
                continue
            embedding_matrix[i] = vectors[word]
        return embedding_matrix


def exponent_neg_manhattan_distance(x, hidden_size=50):
    ''' Helper function for the similarity estimate of the LSTMs outputs '''
    return ops.exp(-ops.sum(ops.abs(x[:, :hidden_size] - x[:, hidden_size:]), axis=1, keepdims=True))


parser = argparse.ArgumentParser()
parser.add_argument("-df", "--data_file", type=str, default="SICK.tsv")
parser.add_argument("-e", "--embd_file", type=str, default="vectors.npz")
parser.add_argument("-tr", "--training_ratio", type=float, default=0.8)
parser.add_argument("-l", "--max_len", type=int, default=20)
parser.add_argument("-z", "--hidden_size", type=int, default=50)
parser.add_argument("-b", "--batch_size", type=int, default=32)
parser.add_argument("-n", "--num_iters", type=int, default=7)
parser.add_argument("-lr", "--learning_rate", type=float, default=1.0)
args = parser.parse_args([])

print('Reading Data.')
data = Data('sick', args.data_file, args.training_ratio, args.max_len)

x_train = data.x_train
y_train = data.y_train
x_test = data.x_val
y_test = data.y_val
vocab_size = data.vocab_size
max_len = data.max_len

print('Building Embedding Matrix')
embedding = Get_Embedding(args.embd_file, data.word_to_id)
embedding_size = embedding.embedding_matrix.shape[1]

print('Building model.')

seq_1 = Input(shape=(max_len,), dtype='int32', name='sequence1')
seq_2 = Input(shape=(max_len,), dtype='int32', name='sequence2')

embed_layer = Embedding(output_dim=embedding_size, input_dim=vocab_size+1, trainable=False)
embed_layer.build((None,))
embed_layer.set_weights([embedding.embedding_matrix])

input_1 = embed_layer(seq_1)
input_2 = embed_layer(seq_2)

l1 = LSTM(units=args.hidden_size)

l1_out = l1(input_1)
l2_out = l1(input_2)

concats = concatenate([l1_out, l2_out], axis=-1)

main_output = Lambda(exponent_neg_manhattan_distance, output_shape=(1,))(concats)

model = Model(inputs=[seq_1, seq_2], outputs=[main_output])

opt = keras.optimizers.Adadelta(learning_rate=args.learning_rate, clipnorm=1.25)

model.compile(optimizer=opt, loss='mean_squared_error', metrics=['accuracy'])
model.summary()

training_start_time = time()

history = model.fit(x_train, y_train, validation_data=(x_test, y_test),
                    epochs=args.num_iters, batch_size=args.batch_size, verbose=1)

print("Training time finished.\n{} epochs in {}".format(args.num_iters, datetime.timedelta(seconds=time()-training_start_time)))

plt.figure(1)
plt.plot(history.history['accuracy'])
plt.plot(history.history['val_accuracy'])
plt.title('Model Accuracy')
plt.figure(2)
plt.plot(history.history['loss'])
plt.plot(history.history['val_loss'])
plt.title('Model Loss')
plt.show()
