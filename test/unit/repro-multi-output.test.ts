/**
 * Models with several outputs compiled with a loss per output (a list or a dict, with
 * `loss_weights`): the analysis reads a loss, weight and target per output, and the
 * reproduction trains on Keras's weighted sum. The epoch losses are Keras's own
 * (test/fixtures/keras-oracle/multi_output.json, written by make_multi_output.py with real
 * Keras from the same initial weights, without shuffling).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { runReproduction } from '../../src/repro/engine/train';
import type { KerasModelJson } from '../../src/repro/kerasJson';
import { buildPlan, DEFAULT_CAPS, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';

interface Case {
  topology: KerasModelJson;
  losses: Record<'recon' | 'cls', 'mse' | 'binary_crossentropy' | 'categorical_crossentropy'>;
  weights: Record<'recon' | 'cls', number>;
  history: number[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras-oracle', 'multi_output.json'), 'utf8')) as { x: number[][]; labels: number[][]; cases: Record<string, Case> };

function planFor(c: Case): ReproPlan {
  const x = { kind: 'literal' as const, values: fixture.x, transforms: [] };
  const outputs = (['recon', 'cls'] as const).map((name) => ({
    name,
    loss: c.losses[name],
    weight: c.weights[name],
    y: name === 'recon' ? { kind: 'same-as-x' as const } : { kind: 'literal' as const, values: fixture.labels, transforms: [] },
    valY: null,
  }));
  return {
    version: 1,
    name: 'two_outputs',
    source: 'two_outputs.py',
    kerasJson: c.topology,
    inputShape: [6],
    compile: { optimizer: { className: 'SGD', config: { learning_rate: 0.5, momentum: 0, nesterov: false, clipnorm: null, clipvalue: null, global_clipnorm: null } }, loss: outputs[0].loss },
    fit: { epochs: 4, batchSize: 16, shuffle: false, validationSplit: null, earlyStopping: null },
    data: { x, y: outputs[0].y, valX: null, valY: null, provenance: { train: 'literal', validation: 'none' } },
    seed: 0,
    caps: DEFAULT_CAPS,
    estimatedParameters: 0,
    notes: [],
    outputs,
  };
}

describe('a loss per output, as Keras sums them', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`gives Keras's epoch losses (loss as a ${name})`, async () => {
      const summary = await runReproduction(planFor(c), 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
      const losses = summary.history.loss.map(fromWire);
      assert.equal(losses.length, c.history.length);
      losses.forEach((loss, i) => assert.ok(Math.abs(loss - c.history[i]) / c.history[i] < 1e-5, `epoch ${i}: ${loss} where Keras had ${c.history[i]}`));
    });
  }
});

describe('the analysis reads a loss, weight and target per output', () => {
  const PROGRAM = (compile: string, fit = 'model.fit(x, [x, labels], epochs=2, batch_size=32, validation_data=(x, [x, labels]))') => `
import numpy as np
import keras
from keras import layers
x = np.random.rand(128, 20).astype('float32')
labels = np.random.rand(128, 3).astype('float32')
inp = keras.Input(shape=(20,))
code = layers.Dense(4, activation='relu', name='code')(inp)
recon = layers.Dense(20, activation='sigmoid', name='recon')(code)
cls = layers.Dense(3, activation='softmax', name='cls')(code)
model = keras.Model(inp, [recon, cls])
${compile}
${fit}
`;

  async function plan(source: string): Promise<ReturnType<typeof buildPlan>> {
    const analysis = await analyzeFile('train.py', source, NO_FILES);
    return buildPlan(analysis.models[0]);
  }

  it('a list with loss_weights', async () => {
    const r = await plan(PROGRAM("model.compile(optimizer='adam', loss=['mse', 'categorical_crossentropy'], loss_weights=[1.0, 0.5])"));
    if ('refused' in r) assert.fail(r.refused);
    assert.deepEqual(r.plan.outputs?.map((o) => [o.name, o.loss, o.weight, o.y.kind, o.valY?.kind]), [['recon', 'mse', 1, 'same-as-x', 'same-as-x'], ['cls', 'categorical_crossentropy', 0.5, 'random', 'random']]);
    assert.deepEqual(r.plan.kerasJson.config.output_layers, [['recon', 0, 0], ['cls', 0, 0]]);
    const summary = await runReproduction(r.plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    assert.equal(summary.history.loss.length, 2);
    assert.equal(summary.history.val_loss.length, 2);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });

  it('a dict by output name, its weights by name', async () => {
    const r = await plan(PROGRAM("model.compile(optimizer='adam', loss={'cls': 'categorical_crossentropy', 'recon': 'mse'}, loss_weights={'cls': 0.2})"));
    if ('refused' in r) assert.fail(r.refused);
    assert.deepEqual(r.plan.outputs?.map((o) => [o.name, o.loss, o.weight]), [['recon', 'mse', 1], ['cls', 'categorical_crossentropy', 0.2]]);
  });

  it("a list of one loss on a model of one output is that model's loss, as in Keras", async () => {
    const single = (loss: string) => `
import numpy as np
import keras
x = np.random.rand(128, 20).astype('float32')
bce = keras.losses.BinaryCrossentropy(from_logits=True)
def bce_of_logits(y_true, y_pred):
    return bce(y_true, y_pred)
inp = keras.Input(shape=(20,))
model = keras.Model(inp, keras.layers.Dense(20, name='logits')(keras.layers.Dense(4, activation='relu')(inp)))
model.compile(optimizer='adam', loss=${loss})
model.fit(x, x, epochs=2, batch_size=32)
`;
    for (const loss of ['[bce_of_logits]', '[keras.losses.MeanSquaredError()]']) {
      const r = await plan(single(loss));
      if ('refused' in r) assert.fail(`${loss}: ${r.refused}`);
      assert.equal(r.plan.compile.loss, loss === '[bce_of_logits]' ? 'custom' : 'mse', loss);
      assert.equal(r.plan.outputs, undefined, loss);
      const summary = await runReproduction(r.plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
      assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), loss);
    }
    const two = await plan(single("['mse', 'mse']"));
    assert.ok('refused' in two, 'two losses for one output');
    // A dict of one loss keyed by the output layer (Keras 3.15 trains it), at weight 1: that loss; another key or weight is refused.
    for (const loss of ["{'logits': 'mse'}", "{'logits': 'mse'}, loss_weights={'logits': 1.0}"]) {
      const keyed = await plan(single(loss));
      if ('refused' in keyed) assert.fail(`${loss}: ${keyed.refused}`);
      assert.equal(keyed.plan.compile.loss, 'mse', loss);
    }
    assert.ok('refused' in (await plan(single("{'recon': 'mse'}"))), 'a key that is not the output');
    assert.ok('refused' in (await plan(single("{'logits': 'mse'}, loss_weights={'logits': 0.5}"))), 'a weight nanguard does not apply to a single loss');
  });

  it('refuses when the losses do not match the outputs, or a target per output is not found', async () => {
    const three = await plan(PROGRAM("model.compile(optimizer='adam', loss=['mse', 'mse', 'mse'])"));
    assert.ok('refused' in three);
    assert.match(three.refused, /the model has 2 outputs \(recon, cls\) but is compiled with 3 losses/);
    const oneTarget = await plan(PROGRAM("model.compile(optimizer='adam', loss=['mse', 'mse'])", 'model.fit(x, y_all, epochs=2)'));
    assert.ok('refused' in oneTarget);
    assert.match(oneTarget.refused, /one target for each/);
  });
});
