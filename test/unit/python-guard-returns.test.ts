/**
 * Guard clauses whose condition the analysis cannot decide (`if model.count_params() > limit:
 * return None, model.count_params()`) do not end the function: it goes on, as it does when the
 * guard does not fire, so the model built after or returned at the end is still seen. A return
 * of a model, a tensor or data in such a branch still ends it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';

// In the style of a weather-radar search project's trainer: the size guard and the options of argparse's __dict__.
const GUARDED = `import argparse
import tensorflow as tf

def create_model(nlayers=4, poolsize=4):
    input_img = tf.keras.Input(shape=(64, 64, 1))
    x = input_img
    for layerno in range(nlayers):
        x = tf.keras.layers.Conv2D(2**(layerno + 2), poolsize, padding='same')(x)
    decoded = tf.keras.layers.Conv2D(1, 3, padding='same')(x)
    autoencoder = tf.keras.Model(input_img, decoded, name='autoencoder')
    autoencoder.compile(optimizer='adam', loss='mse')
    if autoencoder.count_params() > 1000*1000:
        print("too large")
        return None, autoencoder.count_params()
    return autoencoder, 64

def run_job(opts):
    autoencoder, error = create_model(opts['num_layers'], opts['pool_size'])
    if autoencoder:
        autoencoder.fit(ds, epochs=opts['num_checkpoints'])

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--num_layers', default=3, type=int)
    parser.add_argument('--pool_size', default=4, type=int)
    parser.add_argument('--num_checkpoints', default=3, type=int)
    options = parser.parse_args().__dict__
    run_job(options)
`;

describe('guard clauses of undecided conditions', () => {
  it("a size guard's `return None, n` does not hide the model the function returns after it; argparse's __dict__ gives the defaults", async () => {
    const analysis = await analyzeFile('train_autoencoder.py', GUARDED, NO_FILES);
    const model = analysis.models.find((m) => m.name === 'autoencoder');
    assert.ok(model?.fit, 'the autoencoder is fitted');
    assert.equal(model.fit.epochs?.value, 3);
    assert.deepEqual(model.layers.filter((l) => l.className === 'Conv2D').map((l) => l.config.filters), [4, 8, 16, 1]);
    assert.deepEqual(model.layers.filter((l) => l.className === 'Conv2D').map((l) => l.config.kernel_size).slice(0, 3), [4, 4, 4], 'the pool_size option, 4');
  });

  it('an undecided branch that returns a model still returns it', async () => {
    const source = `import tensorflow as tf
import sys

def build():
    inputs = tf.keras.Input(shape=(8,))
    if len(sys.argv) > 2:
        small = tf.keras.Model(inputs, tf.keras.layers.Dense(8)(inputs), name='small')
        small.compile(optimizer='adam', loss='mse')
        return small
    big = tf.keras.Model(inputs, tf.keras.layers.Dense(8)(tf.keras.layers.Dense(64)(inputs)), name='big')
    big.compile(optimizer='adam', loss='mse')
    return big

model = build()
model.fit(x, x, epochs=2)
`;
    const analysis = await analyzeFile('train.py', source, NO_FILES);
    assert.equal(analysis.models.find((m) => m.fit)?.name, 'small');
  });
});
