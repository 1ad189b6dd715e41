/**
 * The optimizers step as Keras 3's do: each case of test/fixtures/keras-oracle/optimizers.json
 * (written by make_optimizers.py with real Keras) steps variables of a few shapes with a fixed
 * sequence of gradients; the reproduction's optimizer, given the same, holds the same values
 * after every step (to 1e-5 relative). The LossScaleOptimizer cases include a step whose scaled
 * gradients overflow, which Keras skips.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { defaultLearningRate, REPRODUCED_OPTIMIZERS } from '../../src/core/keras/names';
import { selectBackend } from '../../src/repro/engine/backend';
import { createOptimizer, type LossScale, type OptimizerConfig } from '../../src/repro/engine/optimizers';
import { FlatLayout } from '../../src/repro/engine/optimizersFlat';
import { tf } from '../../src/repro/engine/tf';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, optimizerPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';

interface Case {
  className: string;
  config: OptimizerConfig;
  lossScale?: LossScale;
  history: number[][][];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras-oracle', 'optimizers.json'), 'utf8')) as {
  shapes: number[][];
  initial: number[][];
  grads: number[][][];
  hugeStep: number;
  huge: number[][];
  cases: Case[];
};

/**
 * How close each step must be, relative. Ftrl subtracts two powers of its accumulator and divides
 * by the learning rate: TensorFlow's float32 pow is an ulp off a correctly rounded one (checked in
 * NumPy against tf.pow), and that difference over lr = 0.001 leaves 1e-5 to 4e-5 after a few steps.
 */
const TOLERANCE: Record<string, number> = { Ftrl: 1e-4 };

function gap(ours: Float32Array, keras: number[]): number {
  let worst = 0;
  keras.forEach((v, i) => (worst = Math.max(worst, Math.abs(ours[i] - v) / Math.max(1e-3, Math.abs(v)))));
  return worst;
}

describe('optimizers against real Keras', () => {
  for (const c of fixture.cases) {
    const label = `${c.lossScale ? `LossScaleOptimizer(${c.className}, growth ${c.lossScale.growthSteps})` : c.className} ${JSON.stringify(c.config)}`;
    it(label, async () => {
      await selectBackend('cpu', 0);
      const variables = fixture.shapes.map((shape, i) => tf.variable(tf.tensor(fixture.initial[i], shape)));
      const layout = FlatLayout.of(variables);
      // The plan's config: Keras's defaults with the case's settings written over them.
      const learningRate = typeof c.config.learning_rate === 'number' ? c.config.learning_rate : defaultLearningRate(c.className)!;
      const planned = optimizerPlan({ className: c.className, learningRate: { value: learningRate, origin: { kind: 'default', note: '' } }, config: c.config as Record<string, number | boolean> });
      if ('refused' in planned) assert.fail(planned.refused);
      const config = { ...planned.config, ...c.config };
      const optimizer = createOptimizer(planned.className, config, variables, undefined, c.lossScale);
      c.history.forEach((expected, step) => {
        const grads = c.lossScale && step === fixture.hugeStep ? fixture.huge : fixture.grads[step];
        optimizer.applyFlat(variables, Float32Array.from(grads.flat()));
        const values = layout.read(variables);
        const parts = fixture.shapes.map((_, i) => values.slice(layout.offsets[i], layout.offsets[i] + layout.sizes[i]));
        parts.forEach((part, i) => assert.ok(gap(part, expected[i]) < (TOLERANCE[c.className] ?? 1e-5), `${label}: variable ${i} after step ${step + 1} differs from Keras's by ${gap(part, expected[i])}`));
      });
      optimizer.dispose();
      tf.dispose(variables);
    });
  }

  it('covers every optimizer Keras 3 has', () => {
    const tested = new Set(fixture.cases.map((c) => c.className));
    for (const name of ['Ftrl', 'Lamb', 'Adafactor']) assert.ok(tested.has(name) && (REPRODUCED_OPTIMIZERS as readonly string[]).includes(name), name);
    assert.ok(fixture.cases.some((c) => c.lossScale));
  });
});

describe('the optimizers as programs write them', () => {
  it('reads a LossScaleOptimizer around another optimizer, and Keras 3\'s other optimizers by name', async () => {
    const analysis = await analyzeFile('train.py', `
import numpy as np
import keras
from keras import layers
x = np.random.rand(128, 10).astype('float32')
model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(4, activation='relu'), layers.Dense(10)])
opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam(learning_rate=0.01), dynamic_growth_steps=100)
model.compile(optimizer=opt, loss='mse')
model.fit(x, x, epochs=2, batch_size=32)
other = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(4, activation='relu'), layers.Dense(10)])
other.compile(optimizer='adafactor', loss='mse')
other.fit(x, x, epochs=2)
`, NO_FILES);
    const plans = analysis.models.map((m) => buildPlan(m));
    const [scaled, adafactor] = plans.map((r) => ('refused' in r ? assert.fail(r.refused) : r.plan));
    assert.equal(scaled.compile.optimizer.className, 'Adam');
    assert.equal(scaled.compile.optimizer.config.learning_rate, 0.01);
    assert.deepEqual(scaled.compile.optimizer.lossScale, { initialScale: 2 ** 15, growthSteps: 100 });
    assert.equal(adafactor.compile.optimizer.className, 'Adafactor');
    assert.equal(adafactor.compile.optimizer.config.relative_step, true);
    for (const plan of [scaled, adafactor]) {
      const summary = await runReproduction(plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
      const losses = summary.history.loss.map(fromWire);
      assert.ok(losses.every(Number.isFinite) && losses[1] < losses[0], `${plan.compile.optimizer.className}: the loss falls: ${losses.join(', ')}`);
    }
  });
});
