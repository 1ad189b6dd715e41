/**
 * ReduceLROnPlateau, as Keras 3 runs it after each epoch: the learning rate times `factor` once
 * the monitored loss has not improved by `min_delta` for `patience` epochs, then `cooldown` epochs
 * of rest, never under `min_lr`. It was "not reproduced"; a run that plateaus then trains on at
 * the rate Keras would have.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

// With min_delta=10 no epoch after the first counts as an improvement, whatever the data: Keras
// 3.15 logs the learning rates 0.01, 0.01, 0.005, 0.0025, 0.002, 0.002, 0.002, 0.002 over 8 epochs
// (reduced after epochs 1, 2 and 3, the last time to min_lr).
const PLATEAU = `
import numpy as np
import keras
x = np.random.rand(64, 8).astype('float32')
m = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation='relu'), keras.layers.Dense(8)])
m.compile(optimizer=keras.optimizers.Adam(0.01), loss='mse')
cb = keras.callbacks.ReduceLROnPlateau(monitor='loss', factor=0.5, patience=1, min_delta=10, cooldown=1, min_lr=0.002)
h = m.fit(x, x, epochs=8, batch_size=16, callbacks=[cb], verbose=0)
`;


describe('ReduceLROnPlateau', () => {
  it("is planned with Keras's defaults for what the code leaves out", async () => {
    const plan = planned(await fittedModelOf(PLATEAU.replace("monitor='loss', factor=0.5, patience=1, min_delta=10, cooldown=1, min_lr=0.002", "monitor='loss'")));
    assert.deepEqual(plan.fit.reduceLrOnPlateau, { monitor: 'loss', factor: 0.1, patience: 10, minDelta: 1e-4, cooldown: 0, minLr: 0 });
    assert.ok(!plan.notes.some((n) => n.text.includes('ReduceLROnPlateau')));
  });

  it('on a metric other than a loss it is named as not reproduced', async () => {
    const plan = planned(await fittedModelOf(PLATEAU.replace("monitor='loss'", "monitor='val_mae'")));
    assert.equal(plan.fit.reduceLrOnPlateau, undefined);
    assert.ok(plan.notes.some((n) => n.kind === 'not-reproduced' && n.text.includes('ReduceLROnPlateau')));
  });

  it("sets the rates Keras sets, at the epochs Keras does, and the training follows them", async () => {
    const withCallback = await trainOnCpu(planned(await fittedModelOf(PLATEAU)));
    assert.ok(withCallback.notes.includes('ReduceLROnPlateau set the learning rate to 0.005 after epoch 1, then 0.0025 after epoch 2, then 0.002 after epoch 3.'), withCallback.notes.join('\n'));
    const without = await trainOnCpu(planned(await fittedModelOf(PLATEAU.replace(', callbacks=[cb]', ''))));
    const a = withCallback.history.loss as number[];
    const b = without.history.loss as number[];
    // The same run up to the first reduction, another one after it.
    assert.deepEqual(a.slice(0, 2), b.slice(0, 2));
    assert.notDeepEqual(a.slice(2), b.slice(2));
  });

  it('EarlyStopping counts an improvement as Keras does: lower than the best by more than min_delta', async () => {
    // Keras 3.15 with EarlyStopping(monitor='loss', min_delta=10, patience=2) on this program: 3 epochs.
    const source = PLATEAU.replace(/cb = keras\.callbacks\.ReduceLROnPlateau\(.*\)/, "cb = keras.callbacks.EarlyStopping(monitor='loss', min_delta=10, patience=2)");
    const summary = await trainOnCpu(planned(await fittedModelOf(source)));
    assert.equal(summary.history.loss.length, 3);
    assert.equal(summary.stopped, 'early-stopping');
  });
});
