// A plan the caps refuse is refused before any data file is read: the reads of the real file
// system are counted (statSync, readFileSync, realpathSync on the data file), so a planner that
// loads a large CSV first and checks the caps afterwards fails here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it, mock } from 'node:test';
import type { DataSpec, ModelSpec } from '../../src/core/ir';
import { buildPlan } from '../../src/repro/plan';
import { seedExample1 } from '../fixtures/repro/specs';

const here = { path: 'train.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };

/** A workspace with `data.csv` (2 features) and a counter of every file-system call that touches it. */
function countingWorkspace(): { root: string; reads: () => number; cleanup: () => void } {
  const root = fs.realpathSync(mkdtempSync(join(tmpdir(), 'nanguard-caps-')));
  writeFileSync(join(root, 'data.csv'), 'a,b\n1,1000\n2,2000\n3,3000\n');
  let reads = 0;
  const touchesData = (p: unknown) => String(p).endsWith('data.csv');
  for (const name of ['statSync', 'readFileSync', 'realpathSync', 'openSync'] as const) {
    const original = fs[name] as (...args: unknown[]) => unknown;
    mock.method(fs, name, (...args: unknown[]) => {
      if (touchesData(args[0])) reads++;
      return original.apply(fs, args);
    });
  }
  return { root, reads: () => reads, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function fileData(name: string, rows?: number): DataSpec {
  return { name, source: { kind: 'file', loader: 'pd.read_csv', path: 'data.csv', location: here }, transforms: [], shape: rows === undefined ? undefined : [rows, 2] };
}

function modelReading(data: DataSpec, epochs: number): ModelSpec {
  const model = seedExample1();
  model.path = 'train.py';
  model.data = { train: data, target: data };
  model.fit = { ...model.fit!, epochs: { value: epochs, origin: { kind: 'literal', location: here } }, validation: { kind: 'none' } };
  return model;
}

describe('the reproduction caps are checked before data files are read', () => {
  afterEach(() => mock.restoreAll());

  it('the counting workspace sees the read of a plan within the caps (the counter works)', () => {
    const ws = countingWorkspace();
    try {
      const planned = buildPlan(modelReading(fileData('X'), 5), { workspaceRoot: ws.root });
      assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
      assert.equal(planned.plan.data.x.kind, 'file');
      assert.ok(ws.reads() > 0, 'the data file was read');
    } finally {
      ws.cleanup();
    }
  });

  it('epochs=10**12 is refused without reading the data file', () => {
    const ws = countingWorkspace();
    try {
      const planned = buildPlan(modelReading(fileData('X'), 10 ** 12), { workspaceRoot: ws.root });
      assert.ok('refused' in planned);
      assert.match(planned.refused, /1000000000000 epochs is over the limit of 2000 \(maxEpochs\)/);
      assert.equal(ws.reads(), 0, 'the data file was read before the refusal');
    } finally {
      ws.cleanup();
    }
  });

  it('epochs that are not a whole number are refused without reading the data file', () => {
    const ws = countingWorkspace();
    try {
      const planned = buildPlan(modelReading(fileData('X'), 0.5), { workspaceRoot: ws.root });
      assert.ok('refused' in planned);
      assert.match(planned.refused, /epochs must be a positive whole number/);
      assert.equal(ws.reads(), 0);
    } finally {
      ws.cleanup();
    }
  });

  it('a sample count the analysis knows to be over the cap is refused without reading the data file', () => {
    const ws = countingWorkspace();
    try {
      const planned = buildPlan(modelReading(fileData('X', 5_000_000), 5), { workspaceRoot: ws.root });
      assert.ok('refused' in planned);
      assert.match(planned.refused, /5000000 samples is over the limit of 200000 \(maxSamples\)/);
      assert.equal(ws.reads(), 0);
    } finally {
      ws.cleanup();
    }
  });

  it('a plan the user asked to shorten still reads its data and is shortened', () => {
    const ws = countingWorkspace();
    try {
      const planned = buildPlan(modelReading(fileData('X'), 10 ** 12), { workspaceRoot: ws.root, shorten: true });
      assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
      assert.equal(planned.plan.fit.epochs, 2000);
      assert.ok(planned.plan.notes.some((n) => n.kind === 'shortened' && /Shortened to 2000 epochs/.test(n.text)));
      assert.ok(ws.reads() > 0);
    } finally {
      ws.cleanup();
    }
  });
});
