/**
 * The analysis's statistics and the reproduction's values come from one reader: on the same
 * file they agree on every cell, NaN spellings pandas knows (`#N/A`, `<NA>`, `1.#IND`, ...),
 * quoted cells, a byte-order mark and whitespace-separated text included, and on every .npy value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { readDataFileStats, type DataFileStats } from '../../src/core/data/index';
import { loadWorkspaceData } from '../../src/repro/files';

function workspace(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-agree-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
}

async function bothReads(root: string, name: string): Promise<{ stats: DataFileStats; values: number[][] }> {
  const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
  const stats = await readDataFileStats(host, name, 'train.py');
  assert.ok(stats && !('problem' in stats), `statistics of ${name}: ${JSON.stringify(stats)}`);
  const loaded = loadWorkspaceData(root, 'train.py', name);
  assert.ok('values' in loaded, `values of ${name}: ${JSON.stringify(loaded)}`);
  return { stats, values: loaded.values };
}

/** Each numeric column of the statistics against the same column of the values. */
function assertAgree(stats: DataFileStats, values: number[][]): void {
  const numeric = stats.columns.filter((c) => c.numeric);
  assert.equal(values.length, stats.rows);
  assert.equal(values[0]?.length, numeric.length);
  numeric.forEach((c, j) => {
    const column = values.map((r) => r[j]);
    const finite = column.filter(Number.isFinite);
    assert.equal(column.filter(Number.isNaN).length, c.nanCount, `NaN count of column ${c.name ?? j}`);
    assert.equal(column.filter((v) => !Number.isNaN(v) && !Number.isFinite(v)).length, c.infCount, `Inf count of column ${c.name ?? j}`);
    assert.equal(finite.length, c.count);
    assert.equal(Math.min(...finite), c.min);
    assert.equal(Math.max(...finite), c.max);
  });
}

test('a CSV with the NaN spellings pandas reads: lint and reproduction agree cell by cell', async () => {
  const csv = ['\ufeffa,b,"c"', '1,#N/A,2', '<NA>,3,"4"', '1.#IND,-inf,NULL', 'NaN,,7', '5,n/a,None', ''].join('\r\n');
  const root = workspace({ 'd.csv': csv });
  try {
    const { stats, values } = await bothReads(root, 'd.csv');
    assertAgree(stats, values);
    assert.deepEqual(values, [
      [1, NaN, 2],
      [NaN, 3, 4],
      [NaN, -Infinity, NaN],
      [NaN, NaN, 7],
      [5, NaN, NaN],
    ]);
    assert.deepEqual(stats.columns.map((c) => c.nanCount), [3, 3, 2]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('whitespace-separated text (np.loadtxt): one column per field for both', async () => {
  const root = workspace({ 'd.txt': '  1  2.5 3\n4\t5  nan\n' });
  try {
    const { stats, values } = await bothReads(root, 'd.txt');
    assertAgree(stats, values);
    assert.deepEqual(values, [
      [1, 2.5, 3],
      [4, 5, NaN],
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a float32 .npy: the same values for both', async () => {
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }";
  const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const bytes = new Uint8Array(10 + padded.length + 6 * 4);
  bytes.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, padded.length & 0xff, padded.length >> 8]);
  bytes.set(new TextEncoder().encode(padded), 10);
  const view = new DataView(bytes.buffer, 10 + padded.length);
  [0.5, NaN, 2, Infinity, -3, 7].forEach((v, i) => view.setFloat32(i * 4, v, true));
  const root = workspace({ 'x.npy': bytes });
  try {
    const { stats, values } = await bothReads(root, 'x.npy');
    assertAgree(stats, values);
    assert.deepEqual(values, [
      [0.5, NaN],
      [2, Infinity],
      [-3, 7],
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a JSON data file: records, an object of columns and rows under a key read the same in both, bare NaN and null included', async () => {
  const root = workspace({
    'records.json': '[{"a": 1, "b": NaN}, {"a": 2.5, "b": null}, {"a": "3", "b": 4}]',
    'columns.json': '{"a": [1, 2, 3], "b": [4, "Infinity", 6]}',
    'nested.json': '{"x": [[1, 2], [3, 4], [5, NaN]]}',
  });
  try {
    for (const name of ['records.json', 'columns.json', 'nested.json']) {
      const { stats, values } = await bothReads(root, name);
      assertAgree(stats, values);
    }
    const { values } = await bothReads(root, 'columns.json');
    assert.deepEqual(values, [[1, 4], [2, Infinity], [3, 6]], 'an object of columns is read by column, not as its first array');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
