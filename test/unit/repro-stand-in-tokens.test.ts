// Stand-ins for a text model whose data file is not in the workspace (Stack Overflow 55322991's
// stacked relu LSTMs, re-created in fresh7): token indices for the Embedding it starts with, and
// class labels for its sparse cross-entropy, whose output is reached through `return_state`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { materializeData } from '../../src/repro/plan';
import { fittedModelOf, planned } from './repro-plans';

const PROGRAM = `
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

data = np.loadtxt("texts.csv", delimiter=",", dtype=int)
labels, tokens = data[:, 0], data[:, 1:]

inputs = keras.Input(shape=(30,), dtype="int32")
embedding_layer = layers.Embedding(500, 8, mask_zero=True)(inputs)
seq_1, h_1, c_1 = layers.LSTM(6, activation=tf.nn.relu, return_sequences=True, return_state=True)(embedding_layer)
_, h_2, c_2 = layers.LSTM(4, activation=tf.nn.relu, return_state=True)(seq_1)
states = layers.Concatenate(axis=1)([h_1, h_2])
logits = layers.Dense(5, activation="softmax")(states)
model = keras.Model(inputs, logits)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tokens, labels, batch_size=32, epochs=2)
`;

test('a text model without its data: random tokens of its vocabulary in, random labels of its 5 classes out', async () => {
  const plan = planned(await fittedModelOf(PROGRAM));
  const x = plan.data.x;
  const y = plan.data.y;
  assert.equal(x.kind, 'synthetic');
  assert.equal(y.kind, 'synthetic');
  if (x.kind !== 'synthetic' || y.kind !== 'synthetic') return;
  assert.deepEqual(x.labels, { classes: 500, oneHot: false });
  // The states' widths (6 + 4) reach the Dense head: its 5 classes are known, and each sample has one label.
  assert.deepEqual(y.labels, { classes: 5, oneHot: false });
  assert.deepEqual(y.shape.slice(1), [1]);
  const data = materializeData(plan);
  assert.equal(data.x[0].length, 30);
  assert.ok(data.x.flat().every((v) => Number.isInteger(v) && v >= 0 && v < 500));
  assert.ok(new Set(data.x.flat()).size > 100, 'tokens spread over the vocabulary');
  assert.ok(data.y.every((row) => row.length === 1 && Number.isInteger(row[0]) && row[0] >= 0 && row[0] < 5));
  assert.match(plan.notes.map((n) => n.text).join('\n'), /random token indices \(0 to 499, the vocabulary of the Embedding the model starts with\)/);
});
