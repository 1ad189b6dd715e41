// A batch whose layer outputs do not fit the reproduction's memory runs as micro-batches whose
// gradients are summed before the one optimizer step: the same step as the whole batch's, where
// every term of the loss is a mean over the samples. Where a term may not be, the plan refuses as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { timeLimitText } from '../../src/repro/summary';
import { runReproduction } from '../../src/repro/engine/train';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const CONV_AUTOENCODER = `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(96, 16, 16, 1).astype("float32")
inp = keras.Input(shape=(16, 16, 1))
h = layers.Conv2D(8, 3, padding="same", activation="relu", kernel_regularizer=keras.regularizers.l2(1e-3))(inp)
h = layers.MaxPooling2D(2)(h)
h = layers.Conv2D(4, 3, padding="same", activation="relu", activity_regularizer=keras.regularizers.l1(1e-4))(h)
h = layers.UpSampling2D(2)(h)
out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
autoencoder = keras.Model(inp, out)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x, x, epochs=3, batch_size=32, validation_split=0.25)
`;

/** A worker memory limit (MB) under which a batch of 32 of the conv autoencoder does not fit, but a few samples do. */
const SMALL_MEMORY = { maxWorkerMemoryMb: 2 };

describe('micro-batches for batches over the memory limit', () => {
  it('splits the batch evenly, says so, and trains the same steps as the whole batch', async () => {
    const model = await fittedModelOf(CONV_AUTOENCODER);
    const split = planned(model, { caps: SMALL_MEMORY });
    const microBatch = split.fit.microBatch;
    assert.ok(microBatch !== undefined && microBatch > 1 && microBatch < 32, `micro-batch ${microBatch}`);
    // Even parts: 32 in passes of at most k is ceil(32 / passes).
    assert.equal(microBatch, Math.ceil(32 / Math.ceil(32 / microBatch)));
    const note = split.notes.find((n) => n.kind === 'computed');
    assert.match(note?.text ?? '', new RegExp(`micro-batches of ${microBatch} samples whose gradients are summed`));
    assert.doesNotMatch(note?.text ?? '', /BatchNormalization/);

    const whole = planned(model);
    assert.equal(whole.fit.microBatch, undefined);
    const [a, b] = [await trainOnCpu(split), await trainOnCpu(whole)];
    assert.equal(a.history.loss.length, 3);
    // The same steps up to float32 summation order: the kernel regularizer (a constant of the batch) and
    // the activity regularizer (divided by the batch size) add up to the whole batch's over the shares.
    a.history.loss.forEach((loss, i) => assert.ok(Math.abs(fromWire(loss) - fromWire(b.history.loss[i])) < 1e-5 * fromWire(b.history.loss[i]), `epoch ${i}: ${loss} vs ${b.history.loss[i]}`));
    a.history.val_loss.forEach((loss, i) => assert.ok(Math.abs(fromWire(loss) - fromWire(b.history.val_loss[i])) < 1e-5 * fromWire(b.history.val_loss[i]), `validation ${i}`));
    assert.ok(a.notes.some((n) => n.includes('micro-batches')));
  });

  it('names BatchNormalization, which normalizes each micro-batch by its own statistics', async () => {
    const model = await fittedModelOf(CONV_AUTOENCODER.replace('h = layers.MaxPooling2D(2)(h)', 'h = layers.BatchNormalization()(h)\nh = layers.MaxPooling2D(2)(h)'));
    const plan = planned(model, { caps: SMALL_MEMORY });
    assert.match(plan.notes.find((n) => n.kind === 'computed')?.text ?? '', /BatchNormalization normalizes each micro-batch by its own statistics/);
    const summary = await trainOnCpu(plan);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it('splits a batch with an added loss that is a batch mean, with the same steps as the whole batch', async () => {
    const model = await fittedModelOf(
      CONV_AUTOENCODER.replace('autoencoder = keras.Model(inp, out)', 'autoencoder = keras.Model(inp, out)\nautoencoder.add_loss(1e-3 * keras.ops.mean(keras.ops.square(out - inp)))'),
    );
    const split = planned(model, { caps: SMALL_MEMORY });
    assert.ok(split.fit.microBatch !== undefined && split.compile.addedLosses?.length === 1, `micro-batch ${split.fit.microBatch}`);
    const [a, b] = [await trainOnCpu(split), await trainOnCpu(planned(model))];
    a.history.loss.forEach((loss, i) => assert.ok(Math.abs(fromWire(loss) - fromWire(b.history.loss[i])) < 1e-5 * fromWire(b.history.loss[i]), `epoch ${i}: ${loss} vs ${b.history.loss[i]}`));
  });

  it('refuses where an added term sums over the batch, saying why it is not split', async () => {
    const model = await fittedModelOf(
      CONV_AUTOENCODER.replace('autoencoder = keras.Model(inp, out)', 'autoencoder = keras.Model(inp, out)\nautoencoder.add_loss(1e-3 * keras.ops.sum(keras.ops.square(out - inp)))'),
    );
    const result = buildPlan(model, { caps: SMALL_MEMORY });
    assert.ok('refused' in result, 'refused');
    assert.match(result.refused, /the batch is not split into smaller passes because a term added to the loss \(add_loss\) is not a mean over the samples/);
  });

  it('splits a custom loss of per-sample values (Keras averages it)', async () => {
    const model = await fittedModelOf(
      CONV_AUTOENCODER.replace(
        'autoencoder.compile(optimizer="adam", loss="binary_crossentropy")',
        'def per_sample(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)\nautoencoder.compile(optimizer="adam", loss=per_sample)',
      ),
    );
    assert.ok(planned(model, { caps: SMALL_MEMORY }).fit.microBatch !== undefined);
  });

  it('refuses as before where a term of the loss may be a sum over the batch (a custom loss), saying why it is not split', async () => {
    const model = await fittedModelOf(
      CONV_AUTOENCODER.replace(
        'autoencoder.compile(optimizer="adam", loss="binary_crossentropy")',
        'def summed(y_true, y_pred):\n    return keras.ops.sum(keras.ops.square(y_true - y_pred))\nautoencoder.compile(optimizer="adam", loss=summed)',
      ),
    );
    const result = buildPlan(model, { caps: SMALL_MEMORY });
    assert.ok('refused' in result, 'refused');
    assert.match(result.refused, /a batch of 32 needs about .* MB .* the batch is not split into smaller passes because the custom loss is not a mean over the samples \(a sum, maximum or nonlinear function over the batch\)/);
  });

  it('refuses where BatchNormalization after a Dense layer would see micro-batches of a few values', async () => {
    const model = await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 50000).astype("float32")
m = keras.Sequential([keras.Input((50000,)), layers.Dense(16, activation="relu"), layers.BatchNormalization(), layers.Dense(50000)])
m.compile("adam", "mse")
m.fit(x, x, batch_size=64)
`);
    const result = buildPlan(model, { caps: { maxWorkerMemoryMb: 110 } });
    assert.ok('refused' in result, 'refused');
    assert.match(result.refused, /not split into micro-batches of \d+ because layer batch_normalization \(BatchNormalization, line 6\) would compute its statistics over \d+ values? of each, not the batch's 64/);
  });

  it('stops a first batch that would outlast the limit after its first micro-batches, with their pace', async () => {
    const model = await fittedModelOf(CONV_AUTOENCODER.replace(/16, 16, 1/g, '48, 48, 1').replace('Conv2D(8, 3', 'Conv2D(16, 3').replace('Conv2D(4, 3', 'Conv2D(16, 3'));
    const plan = planned(model, { caps: { maxWorkerMemoryMb: 12 } });
    assert.ok((plan.fit.microBatch ?? 32) < 8, `micro-batch ${plan.fit.microBatch}`);
    const started = performance.now();
    // A third of a second a sample on the CPU backend: a batch of 32 is far past a deadline 3 s away.
    const summary = await runReproduction(plan, 'cpu', { emit: () => undefined, cancelled: () => false }, started, { deadline: started + 3000 });
    assert.ok(performance.now() - started < 6000, 'stopped early');
    assert.deepEqual([summary.epochsRun, summary.stopped, summary.slowBatch?.batchSize], [0, 'wall-time', 32]);
    assert.ok(summary.slowBatch!.estimatedMs > 3000 && summary.slowBatch!.samplesDone < 32, JSON.stringify(summary.slowBatch));
    // What the command line and the panel say instead of a verdict.
    assert.match(timeLimitText(summary, 'raise --max-seconds'), /^one batch of 32 would take about [\d.]+ s here at the pace of its first (\d+ )?samples? \([\d.]+ s\), so no epoch ends within the time limit \(raise --max-seconds/);
  });

  it('refuses when even one sample does not fit', async () => {
    const model = await fittedModelOf(CONV_AUTOENCODER.replace(/16, 16, 1/g, '128, 128, 1'));
    const result = buildPlan(model, { caps: { maxWorkerMemoryMb: 4 } });
    assert.ok('refused' in result, 'refused');
    assert.match(result.refused, /the run needs about|even one sample at a time would not fit/);
  });
});

describe("the weights' memory", () => {
  // 10 million weights (a Dense layer over 20,000 inputs): plain SGD keeps no copy of them, Adam two.
  const source = (optimizer: string) => `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(128, 20000).astype("float32")
m = keras.Sequential([keras.Input((20000,)), layers.Dense(512, activation="relu"), layers.Dense(2, activation="softmax")])
m.compile(optimizer=${optimizer}, loss="categorical_crossentropy")
m.fit(x, np.random.rand(128, 2), batch_size=32)
`;

  it("counts the copies the optimizer keeps, against the worker's memory apart from the data", async () => {
    const caps = { maxWorkerMemoryMb: 160 };
    const sgd = buildPlan(await fittedModelOf(source('keras.optimizers.SGD(learning_rate=0.1)')), { caps });
    assert.ok('plan' in sgd, 'refused' in sgd ? sgd.refused : '');
    const adam = buildPlan(await fittedModelOf(source('"adam"')), { caps });
    assert.ok('refused' in adam, 'refused');
    assert.match(adam.refused, /^m's 10,241,538 parameters need about 196 MB \(the weights, their gradients, the update and Adam's 2 copies of them, 4 bytes a value\), over the worker memory limit of 160 MB \(maxWorkerMemoryMb\)$/);
    const momentum = buildPlan(await fittedModelOf(source('keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)')), { caps: { maxWorkerMemoryMb: 150 } });
    assert.ok('refused' in momentum && /SGD's 1 copy of them/.test(momentum.refused), JSON.stringify(momentum));
  });
});
