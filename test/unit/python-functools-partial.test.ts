/**
 * `functools.partial` (MIT's Introduction to Deep Learning, Géron's book): layer classes given their
 * common arguments once (`Conv2D = functools.partial(tf.keras.layers.Conv2D, padding='same',
 * activation='relu')`), and functions given some arguments before a map.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';

const LAYERS = `
import functools
import tensorflow as tf

def make_encoder(n_outputs=1, n_filters=12):
    Conv2D = functools.partial(tf.keras.layers.Conv2D, padding='same', activation='relu')
    Dense = functools.partial(tf.keras.layers.Dense, activation='relu')
    return tf.keras.Sequential([
        tf.keras.Input(shape=(64, 64, 3)),
        Conv2D(filters=1 * n_filters, kernel_size=5, strides=2),
        tf.keras.layers.BatchNormalization(),
        Conv2D(filters=2 * n_filters, kernel_size=3, strides=2, activation='tanh'),
        tf.keras.layers.Flatten(),
        Dense(512),
        Dense(n_outputs, activation=None),
    ])

model = make_encoder()
model.compile(optimizer='adam', loss='mse')
model.fit(tf.random.normal((64, 64, 64, 3)), tf.random.normal((64, 1)), epochs=1)
`;

describe('functools.partial', () => {
  it('of layer classes: each layer with the arguments given once, those of the call taking precedence', async () => {
    const model = pickModel((await analyzeFile('partial.py', LAYERS, NO_FILES)).models);
    if (typeof model === 'string') assert.fail(model);
    const layers = model.layers.filter((l) => l.className === 'Conv2D' || l.className === 'Dense');
    assert.deepEqual(
      layers.map((l) => [l.className, l.config.filters ?? l.config.units, l.config.padding ?? null, l.config.activation]),
      [
        ['Conv2D', 12, 'same', 'relu'],
        ['Conv2D', 24, 'same', 'tanh'],
        ['Dense', 512, null, 'relu'],
        ['Dense', 1, null, null],
      ],
    );
  });
});
