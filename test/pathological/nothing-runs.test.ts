// nanguard reads code and data; it never runs the user's Python or loads pickles. A workspace
// whose script, pickle and object array would each leave a marker file if executed or
// unpickled is checked and reproduced for real; no marker may appear.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import { buildPlan } from '../../src/repro/plan';
import { runReproduceCommand } from '../../src/cli/reproduce';
import { loadWorkspaceData } from '../../src/repro/files';
import { bundledWorker } from '../fixtures/repro/worker-bundle';
import { makeWorkspace } from '../unit/cli-workspace';
import { runCliGuarded, TEST_TIMEOUT_MS } from './guard';
import { shown, Table } from './record';

const table = new Table('nothing-runs');
const cleanups: (() => void)[] = [];
after(() => {
  table.save();
  for (const c of cleanups) c();
});

/** Protocol-0 pickle that calls os.system on load: what a malicious `.pkl` holds. */
function evilPickle(marker: string): string {
  return `cos\nsystem\n(S'touch ${marker}'\ntR.`;
}

/** A `.npy` of dtype object (`np.save` of a list of objects): its body is a pickle. */
function objectNpy(marker: string): Uint8Array {
  let header = "{'descr': '|O', 'fortran_order': False, 'shape': (3,), }";
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8], 0);
  head.set(Buffer.from(header, 'latin1'), 10);
  return Buffer.concat([head, Buffer.from(evilPickle(marker), 'latin1')]);
}

const MARKERS = ['pwned.txt', 'pwned-system.txt', 'pwned-pickle.txt', 'pwned-npy.txt', 'pwned-import.txt'];

function workspaceWithSideEffects(): string {
  const script = `import os
import pickle
import numpy as np
from tensorflow import keras
import helpers  # helpers.py writes a marker when imported

open("pwned.txt", "w").write("this script was executed")
os.system("touch pwned-system.txt")
labels = pickle.load(open("labels.pkl", "rb"))
X = np.load("objects.npy", allow_pickle=True)
X_train = np.random.rand(64, 4)

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation="relu"), keras.layers.Dense(4)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=2, validation_data=(X_train, X_train))
`;
  const ws = makeWorkspace({
    'train.py': script,
    'helpers.py': 'open("pwned-import.txt", "w").write("imported")\n',
    'labels.pkl': evilPickle('pwned-pickle.txt'),
    'objects.npy': objectNpy('pwned-npy.txt'),
  });
  cleanups.push(ws.cleanup);
  return ws.root;
}

function markersIn(root: string): string[] {
  return readdirSync(root).filter((f) => MARKERS.includes(f));
}

describe('nothing runs that should not', () => {
  it('nanguard check never executes the workspace code nor unpickles its data', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = workspaceWithSideEffects();
    const r = await runCliGuarded(['check', '.'], root);
    table.add('script with side effects, a pickle and an object .npy (`nanguard check .`)', shown(r.stdout, r.stderr), r.ms);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /\(2 files checked\)/);
    assert.deepEqual(markersIn(root), []);
  });

  it('the reproduction never loads pickles: .pkl and object .npy become stand-ins with a reason', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = workspaceWithSideEffects();
    assert.deepEqual(loadWorkspaceData(root, 'train.py', 'labels.pkl'), { problem: 'labels.pkl: only .npy, .npz, .csv, .txt and .json files are read' });
    assert.deepEqual(loadWorkspaceData(root, 'train.py', 'objects.npy'), { problem: 'objects.npy: .npy dtype |O is not supported (big-endian, complex, object or structured)' });

    const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
    const { readFileSync } = await import('node:fs');
    const model = (await analyzeFile('train.py', readFileSync(join(root, 'train.py'), 'utf8'), host)).models[0];
    const planned = buildPlan(model, { workspaceRoot: root, epochs: 2 });
    assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
    assert.match(planned.plan.notes.map((n) => n.text).join(' '), /objects\.npy: \.npy dtype \|O is not supported \(big-endian, complex, object or structured\); a stand-in/);
    assert.deepEqual(markersIn(root), []);
  });

  it('nanguard reproduce trains the model without running the script or unpickling', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = workspaceWithSideEffects();
    const workerPath = await bundledWorker();
    const r = await table.time('script with side effects (`nanguard reproduce train.py`, 2 epochs)', async () => {
      let out = '';
      let err = '';
      const code = await runReproduceCommand({ file: 'train.py', workerPath, backend: 'cpu', epochs: 2 }, { cwd: root, stdout: (s) => (out += s), stderr: (s) => (err += s) });
      return { code, out, err, seen: shown(out, err) };
    });
    assert.equal(r.err, '');
    assert.match(r.out, /verdict: /);
    assert.match(r.out, /objects\.npy: \.npy dtype \|O is not supported/);
    assert.deepEqual(markersIn(root), []);
    assert.equal(existsSync(join(root, 'pwned.txt')), false);
  });
});
