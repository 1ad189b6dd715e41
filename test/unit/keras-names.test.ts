import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultEpsilon, defaultLearningRate, isAdaptiveOptimizer, lossName, normalizeOptimizerName, optimizerDefaults, REPRODUCED_LOSSES, REPRODUCED_OPTIMIZERS } from '../../src/core/keras/names';
import { lossPlan, optimizerPlan } from '../../src/repro/plan';

test('one name for a loss however code writes it', () => {
  for (const written of ['mse', 'MSE', 'mean_squared_error', 'MeanSquaredError', 'meansquarederror']) assert.equal(lossName(written), 'mse', written);
  for (const written of ['bce', 'binary_crossentropy', 'BinaryCrossentropy']) assert.equal(lossName(written), 'binary_crossentropy', written);
  assert.equal(lossName('kld'), 'kl_divergence');
  assert.equal(lossName('my_loss'), undefined);
});

test('optimizer defaults come from one table: the analysis and the reproduction agree', () => {
  assert.equal(normalizeOptimizerName('Custom>adam'), 'Adam');
  assert.equal(defaultLearningRate('SGD'), 0.01);
  assert.equal(defaultLearningRate('LossScaleOptimizer'), undefined, 'a wrapper has no learning rate of its own');
  assert.deepEqual(optimizerDefaults('rmsprop'), { className: 'RMSprop', learningRate: 0.001, epsilon: 1e-7 });
  assert.equal(defaultEpsilon('SGD'), undefined);
  assert.ok(isAdaptiveOptimizer('Adam') && !isAdaptiveOptimizer('SGD'));
  for (const name of REPRODUCED_OPTIMIZERS) {
    const planned = optimizerPlan({ className: name } as Parameters<typeof optimizerPlan>[0]);
    assert.ok(!('refused' in planned));
    assert.equal(planned.config.learning_rate, defaultLearningRate(name));
  }
});

test('lossPlan: a reproduced loss, or a refusal that names the supported ones', () => {
  assert.deepEqual(lossPlan(undefined), { loss: 'mse' });
  assert.deepEqual(lossPlan('keras.losses.MeanSquaredError'.toLowerCase()), { loss: 'mse' });
  assert.deepEqual(lossPlan('BinaryCrossentropy'), { loss: 'binary_crossentropy' });
  assert.deepEqual(lossPlan('kld'), { loss: 'kl_divergence' });
  const refused = lossPlan('cosine_similarity');
  assert.ok('refused' in refused && refused.refused.includes(REPRODUCED_LOSSES.join(', ')));
  const custom = lossPlan('custom', 'rmsle');
  assert.ok('refused' in custom && custom.refused.startsWith('the custom loss rmsle cannot be reproduced'));
});
