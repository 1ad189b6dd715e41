// What the run's data is made of where the code's own is only partly seen: columns the code
// renames (`df.columns = [...]`) still read from the file by its own header, and stand-in inputs
// of a model whose first layer scales pixels (`Lambda(lambda x: x / 127.5 - 1.0)`) are pixels.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import { buildPlan, materializeData } from '../../src/repro/plan';
import { fittedModelOf, planned } from './repro-plans';

describe('data partly seen', () => {
  it("columns renamed by `df.columns = [...]` are read from the file by its own header (keras-team/keras 11860's driving log)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-rename-'));
    const rows = Array.from({ length: 40 }, (_, i) => [`images/${String(i).padStart(5, '0')}.png`, (0.3 + i / 100).toFixed(3), ((i % 9) / 10 - 0.4).toFixed(3)].join(','));
    writeFileSync(join(root, 'seyir.csv'), ['FileName,Speed,Angle', ...rows].join('\n'));
    const analysis = await analyzeFile('train.py', `
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense
df = pd.read_csv('seyir.csv')
df.columns = ['image_name', 'speed', 'angle']
X = df[['speed']].values
y = df.angle.values
model = Sequential([Dense(8, activation='relu', input_shape=(1,)), Dense(1)])
model.compile(loss='mse', optimizer='adam')
model.fit(X, y, epochs=2)
`, createFileSystemHost({ cwd: root, workspaceRoot: root }));
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model);
    const result = buildPlan(model, { workspaceRoot: root });
    if ('refused' in result) assert.fail(result.refused);
    assert.equal(result.plan.data.provenance.train, 'file');
    const data = materializeData(result.plan);
    assert.deepEqual(data.x.slice(0, 3).map((r) => r[0]), [0.3, 0.31, 0.32]);
    assert.deepEqual(data.y.slice(0, 3).map((r) => Number(r[0].toFixed(3))), [-0.4, -0.3, -0.2]);
  });

  it('stand-in inputs of a model whose first layer scales pixels (x / 127.5 - 1) are drawn from 0 to 255, and said so', async () => {
    const model = await fittedModelOf(`
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, Lambda
X = np.array([get_matrix(f) for f in names])
y = np.array(angles)
model = Sequential()
model.add(Lambda(lambda x: x / 127.5 - 1.0, input_shape=(12, 16, 3)))
model.add(Conv2D(4, (3, 3), strides=(2, 2), activation='relu'))
model.add(Flatten())
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
model.fit(X, y, epochs=2, batch_size=32)
`);
    const plan = planned(model);
    assert.ok(plan.notes.some((n) => /values are drawn uniformly from \[0, 255\], the pixels the model's first layer \(lambda\) scales/.test(n.text)), plan.notes.map((n) => n.text).join('\n'));
    const x = materializeData(plan).x.flat();
    const [low, high] = x.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
    assert.ok(high > 200 && low >= 0, `${low} to ${high}`);
  });
});
