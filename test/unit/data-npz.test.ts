/**
 * Arrays of an `.npz` archive (`np.savez`, then `np.load(path)['x_train']`): shaped, counted and
 * replayed as the `.npy` files they are (keras-team/keras#5028's MFCC features: a sigmoid output
 * under targets of -41 to 29 stalls, as in Keras). A compressed archive (savez_compressed) is
 * inflated; a name the archive lacks is said in a sentence. The fixtures were written by NumPy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS } from '../../src/core/index';
import { npzMemberBytes } from '../../src/core/data/npz';
import { npyRows } from '../../src/core/data/npy';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan, materializeData } from '../../src/repro/plan';

const ROOT = resolve(__dirname, '..', '..');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
const PROGRAM = (file: string, member: string) => `import numpy as np
from keras.layers import Input, Dense
from keras.models import Model

d = np.load('${file}')
X = d['${member}']
inputs = Input(shape=(X.shape[1],))
model = Model(inputs, Dense(X.shape[1])(Dense(3, activation='relu')(inputs)))
model.compile(optimizer='adam', loss='mse')
model.fit(X, X, epochs=2, batch_size=32)
`;

async function checked(file: string, member: string) {
  const path = 'test/fixtures/data-rules/npz_program.py';
  const result = await checkFile(path, PROGRAM(file, member), host, DEFAULT_SETTINGS);
  const model = pickModel(result.analysis.models);
  if (typeof model === 'string') assert.fail(model);
  return { ...result, model, planned: buildPlan(model, { seed: 0, workspaceRoot: ROOT }) };
}

describe('an array of an .npz archive', () => {
  it("is shaped by its .npy header, and its NaN cells and scale are found", async () => {
    const { model, findings } = await checked('recordings.npz', 'x_train');
    assert.deepEqual([model.data.train?.shape, model.inputShape], [[200, 6], [6]]);
    assert.match(findings.find((f) => f.rule === 'NAN104')?.message ?? '', /has 1 NaN value out of 200 rows of .*recordings\.npz/);
    assert.ok(findings.some((f) => f.rule === 'NAN101'), findings.map((f) => f.rule).join(', '));
    assert.match(model.data.train?.dataFile?.note ?? '', /^read all 200 samples of the array 'x_train' of .*recordings\.npz/);
  });

  it("is trained on as NumPy reads it", async () => {
    const { planned } = await checked('recordings.npz', 'x_train');
    if ('refused' in planned) assert.fail(planned.refused);
    assert.equal(planned.plan.data.x.kind, 'file');
    const { x } = materializeData(planned.plan);
    const fromNumpy = npyRows(npzMemberBytes(readFileSync(resolve(ROOT, 'test/fixtures/data-rules/recordings.npz')), 'recordings.npz', 'x_train') as Uint8Array) as number[][];
    assert.equal(x.length, 200);
    assert.ok(Number.isNaN(x[10][2]) && Number.isNaN(fromNumpy[150][4]));
    assert.deepEqual(x[0], fromNumpy[0]);
  });

  it('reads a compressed archive (savez_compressed) as the same arrays, inflated', async () => {
    const compressed = await checked('recordings_compressed.npz', 'x_train');
    assert.deepEqual(compressed.model.data.train?.shape, [200, 6]);
    if ('refused' in compressed.planned) assert.fail(compressed.planned.refused);
    assert.equal(compressed.planned.plan.data.x.kind, 'file');
    const stored = npyRows(npzMemberBytes(readFileSync(resolve(ROOT, 'test/fixtures/data-rules/recordings.npz')), 'recordings.npz', 'x_train') as Uint8Array) as number[][];
    const inflated = npyRows(npzMemberBytes(readFileSync(resolve(ROOT, 'test/fixtures/data-rules/recordings_compressed.npz')), 'recordings_compressed.npz', 'x_train') as Uint8Array) as number[][];
    assert.equal(inflated.length, 200);
    assert.deepEqual(inflated[0], stored[0]);
    const { x } = materializeData(compressed.planned.plan);
    assert.deepEqual(x[199], stored[199]);
  });

  it('says why it is not read: a name it does not hold, a damaged compressed array', async () => {
    assert.equal(npzMemberBytes(readFileSync(resolve(ROOT, 'test/fixtures/data-rules/recordings.npz')), 'recordings.npz', 'z'), "recordings.npz holds no array 'z' (it holds 'x_train', 'y_train')");
    const damaged = Uint8Array.from(readFileSync(resolve(ROOT, 'test/fixtures/data-rules/recordings_compressed.npz')));
    // Deflate data overwritten past the first local header: the array cannot be inflated.
    damaged.fill(0xff, 80, 400);
    assert.match(String(npzMemberBytes(damaged, 'damaged.npz', 'x_train')), /damaged\.npz: the array 'x_train' could not be inflated/);
  });
});
