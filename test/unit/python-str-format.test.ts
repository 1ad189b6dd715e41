/**
 * `str.format` of the program's own texts: layer names made in a loop (`'encoder_conv_{}'.format(i)`)
 * are the names Keras gives the layers, so findings and refusals name them as the code does; a
 * field nanguard cannot fill leaves the text unknown, never a wrong one.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';

const source = (format: string) => `import tensorflow as tf
inputs = tf.keras.Input(shape=(8,))
x = inputs
for layerno in range(2):
    x = tf.keras.layers.Dense(8, name=${format})(x)
model = tf.keras.Model(inputs, x)
model.compile(optimizer='adam', loss='mse')
`;

const layerNames = async (format: string) => (await analyzeFile('train.py', source(format), NO_FILES)).models[0]?.layers.map((l) => l.name);

it("'encoder_conv_{}'.format(layerno), '{0}_{1}', '{kind}_{n}' and '{{' give the names Keras gives", async () => {
  assert.deepEqual(await layerNames("'encoder_conv_{}'.format(layerno)"), ['input_layer', 'encoder_conv_0', 'encoder_conv_1']);
  assert.deepEqual(await layerNames("'{1}_{0}'.format(layerno, 'dec')"), ['input_layer', 'dec_0', 'dec_1']);
  assert.deepEqual(await layerNames("'{kind}_{n}'.format(kind='enc', n=layerno)"), ['input_layer', 'enc_0', 'enc_1']);
  assert.deepEqual(await layerNames("'d{{{}}}'.format(layerno)"), ['input_layer', 'd{0}', 'd{1}']);
});

it("a field with a format spec, or of a value nanguard does not know, leaves Keras's own names", async () => {
  assert.deepEqual(await layerNames("'enc_{:02d}'.format(layerno)"), ['input_layer', 'dense', 'dense_1']);
  assert.deepEqual(await layerNames("'enc_{}'.format(unknown_name)"), ['input_layer', 'dense', 'dense_1']);
});
