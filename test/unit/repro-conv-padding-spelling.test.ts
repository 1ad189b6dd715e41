// `padding="SAME"`, as TensorFlow's own ops spell it and as the TensorFlow CVAE tutorial's decoder
// writes it: Keras 3's convolutions lower-case it; tfjs-layers took only lower case, and the model
// failed to build ("could not be built in TensorFlow.js").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

test('a decoder of Conv2DTranspose(padding="SAME") builds with Keras\'s shapes and trains', async () => {
  const model = await fittedModelOf(`
import numpy as np
import tensorflow as tf
z = np.random.rand(64, 2).astype("float32")
x = np.random.rand(64, 14, 14, 1).astype("float32")
decoder = tf.keras.Sequential([
    tf.keras.layers.InputLayer(input_shape=(2,)),
    tf.keras.layers.Dense(units=7*7*4, activation=tf.nn.relu),
    tf.keras.layers.Reshape(target_shape=(7, 7, 4)),
    tf.keras.layers.Conv2DTranspose(filters=8, kernel_size=3, strides=(2, 2), padding="SAME", activation='relu'),
    tf.keras.layers.Conv2D(filters=1, kernel_size=3, padding="Same"),
])
decoder.compile(optimizer="adam", loss="mse")
decoder.fit(z, x, epochs=2)
`);
  const summary = await trainOnCpu(planned(model));
  // Keras 3: Dense 2*196+196, Conv2DTranspose 3*3*4*8+8, Conv2D 3*3*8*1+1; the output (14, 14, 1) as the targets'.
  assert.equal(summary.model.parameters, 2 * 196 + 196 + (3 * 3 * 4 * 8 + 8) + (3 * 3 * 8 + 1));
  assert.equal(summary.history.loss.length, 2);
  assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
});
