/**
 * Workspace data files: chunked reading through the host, per-column statistics of CSV, .npy and
 * JSON files, sampling beyond the read cap, and the transforms that move statistics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCell, jsonStats, readDataFileStats, statsAfterTransforms, type DataFileStats } from '../../src/core/data/index';
import type { AnalysisHost } from '../../src/core/host';
import type { FeatureStats, SourceLocation } from '../../src/core/ir';

/** A host over in-memory files that records every range it is asked for. */
function memoryHost(files: Record<string, Uint8Array>, withBytes = true): AnalysisHost & { reads: { offset: number; length: number }[] } {
  const reads: { offset: number; length: number }[] = [];
  const host: AnalysisHost & { reads: typeof reads } = {
    reads,
    readText: async (p) => (files[p] ? { path: p, text: new TextDecoder().decode(files[p]) } : undefined),
  };
  if (withBytes) {
    host.readBytes = async (p, _from, range) => {
      const f = files[p];
      if (!f) return undefined;
      reads.push(range);
      return { path: p, bytes: f.slice(range.offset, range.offset + range.length), size: f.length };
    };
  }
  return host;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A version 1.0 .npy file, written by hand: magic, header padded to 64 bytes, little-endian values. */
function npy(dtype: '<f4' | '<f8' | '|u1', shape: number[], values: number[]): Uint8Array {
  const header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const size = dtype === '<f4' ? 4 : dtype === '<f8' ? 8 : 1;
  const out = new Uint8Array(10 + padded.length + values.length * size);
  out.set([0x93, ...utf8('NUMPY'), 1, 0, padded.length & 0xff, padded.length >> 8]);
  out.set(utf8(padded), 10);
  const view = new DataView(out.buffer, 10 + padded.length);
  values.forEach((v, i) => (dtype === '<f4' ? view.setFloat32(i * 4, v, true) : dtype === '<f8' ? view.setFloat64(i * 8, v, true) : view.setUint8(i, v)));
  return out;
}

async function stats(host: AnalysisHost, path: string, options = {}): Promise<DataFileStats> {
  const r = await readDataFileStats(host, path, 'train.py', options);
  assert.ok(r && !('problem' in r), JSON.stringify(r));
  return r;
}

test('cells are classified as pandas reads them', () => {
  assert.deepEqual(classifyCell(' 1.5e3 '), { kind: 'number', value: 1500 });
  assert.deepEqual(classifyCell(''), { kind: 'empty' });
  assert.deepEqual(classifyCell('NA'), { kind: 'nan' });
  assert.deepEqual(classifyCell('-inf'), { kind: 'number', value: -Infinity });
  assert.deepEqual(classifyCell('2024-01-01'), { kind: 'text' });
});

test('CSV: header names, empty cells, NaN tokens, quoted fields with commas and newlines, constant and text columns', async () => {
  const csv = 'id,"pressure, kPa",temp,status,note\n1,101.5,20,7,"a, b"\n2,,21,7,"multi\nline"\n3,NaN,inf,7,x\n4,99.5,23,7,y\n';
  const s = await stats(memoryHost({ 'd.csv': utf8(csv) }), 'd.csv', { chunk: 7 });
  assert.equal(s.rows, 4);
  assert.equal(s.sampled, false);
  assert.deepEqual(s.columns.map((c) => c.name), ['id', 'pressure, kPa', 'temp', 'status', 'note']);
  const [, pressure, temp, status, note] = s.columns;
  assert.equal(pressure.emptyCount, 1);
  assert.equal(pressure.nanCount, 2);
  assert.equal(pressure.count, 2);
  assert.equal(pressure.mean, 100.5);
  assert.equal(temp.infCount, 1);
  assert.equal(status.constant, true);
  assert.equal(status.std, 0);
  assert.equal(note.numeric, false);
  assert.match(s.note, /read all 4 rows of d\.csv/);
});

test('CSV: a cell that runs on for megabytes (a hole or binary data read as text) is cut short, and the rows around it still count', async () => {
  // 20 MB without a delimiter or a newline, then 30,000 delimiters in one row, between good rows.
  const csv = 'a,b\n1,2\n' + '\0'.repeat(20_000_000) + '\n' + ','.repeat(30_000) + '\n3,4\n';
  const heapBefore = process.memoryUsage().heapUsed;
  const s = await stats(memoryHost({ 'holey.csv': utf8(csv) }), 'holey.csv', { cap: 64 * 1024 * 1024 });
  // Kept whole, the long cell would be a 20-million-character string built one character at a time.
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 200 * 1024 * 1024, 'no string of the whole cell');
  assert.equal(s.rows, 4);
  assert.deepEqual(s.problems, ['2 rows have a different number of cells than the header']);
  assert.equal(s.columns[0].count, 2);
  assert.equal(s.columns[0].max, 3);
  assert.equal(s.columns[1].max, 4);
});

test('CSV beyond the cap: the start is read, then evenly spaced chunks; the result says it is sampled', async () => {
  const rows = ['a,b'];
  for (let i = 0; i < 20000; i++) rows.push(`${i},${i % 7 === 0 ? '' : i * 2}`);
  const file = utf8(rows.join('\n') + '\n');
  const host = memoryHost({ 'big.csv': file });
  const s = await stats(host, 'big.csv', { cap: 64 * 1024, chunk: 4096 });
  assert.equal(s.sampled, true);
  assert.ok(s.bytesRead < file.length && s.bytesRead <= 64 * 1024 + 8 * 4096, `read ${s.bytesRead} of ${file.length}`);
  assert.ok(Math.max(...host.reads.map((r) => r.offset)) > file.length / 2, 'samples reach the second half of the file');
  assert.ok(host.reads.every((r) => r.length <= 4096), 'never more than one chunk at a time');
  assert.match(s.note, /above the 0\.1 MB read cap: statistics come from [\d,]+ rows/);
  assert.ok(s.columns[0].max > 15000, 'the sample includes late rows');
  assert.ok(s.columns[1].emptyCount > 0);
});

test('a slow read stops at the time budget and reports a sample', async () => {
  const file = utf8('a\n' + '1\n'.repeat(50000));
  const host = memoryHost({ 'slow.csv': file });
  const slow: AnalysisHost = { readText: host.readText, readBytes: async (p, f, r) => (await new Promise((res) => setTimeout(res, 20)), host.readBytes!(p, f, r)) };
  const s = await stats(slow, 'slow.csv', { chunk: 1024, timeBudgetMs: 60 });
  assert.equal(s.sampled, true);
  assert.match(s.note, /reading stopped after 0\.06 s/);
});

test('.npy: float32 columns with NaN and infinity, uint8 images folded per pixel', async () => {
  const host = memoryHost({
    'x.npy': npy('<f4', [3, 2], [1, 10, NaN, 20, 3, Infinity]),
    'img.npy': npy('|u1', [2, 2, 2], [0, 255, 7, 7, 0, 128, 7, 7]),
  });
  const x = await stats(host, 'x.npy');
  assert.deepEqual(x.shape, [3, 2]);
  assert.equal(x.dtype, '<f4');
  assert.deepEqual(x.columns.map((c) => [c.count, c.nanCount, c.infCount, c.min, c.max]), [[2, 1, 0, 1, 3], [2, 0, 1, 10, 20]]);
  const img = await stats(host, 'img.npy');
  assert.equal(img.columns.length, 4);
  assert.equal(img.columns[1].max, 255);
  assert.equal(img.columns[2].constant, true);
});

test('.npy beyond the cap samples whole rows at row boundaries', async () => {
  const values = Array.from({ length: 4000 * 4 }, (_, i) => (i % 4 === 3 ? 5 : i));
  const s = await stats(memoryHost({ 'big.npy': npy('<f8', [4000, 4], values) }), 'big.npy', { cap: 32 * 1024, chunk: 2048 });
  assert.equal(s.sampled, true);
  assert.equal(s.columns[3].constant, true, 'column 3 stays aligned across samples');
  assert.ok(s.columns[0].max > 12000, `late rows sampled (max ${s.columns[0].max})`);
});

test('JSON: rows, records, columns; bare NaN as Python writes it; problems instead of throwing', async () => {
  assert.deepEqual((jsonStats('[[1, 2], [3, NaN]]') as { columns: { nanCount: number }[] }).columns.map((c) => c.nanCount), [0, 1]);
  assert.deepEqual((jsonStats('[{"a": 1, "b": null}, {"a": 2, "b": 4}]') as { columns: { name?: string }[] }).columns.map((c) => c.name), ['a', 'b']);
  assert.equal((jsonStats('{"a": [1, 1, 1]}') as { columns: { constant: boolean }[] }).columns[0].constant, true);
  assert.equal(jsonStats('{oops'), 'not valid JSON');
  const r = await readDataFileStats(memoryHost({ 'bad.npy': utf8('hello') }), 'bad.npy', 'train.py');
  assert.deepEqual(r, { problem: 'bad.npy: too short to be a .npy file' });
  assert.equal(await readDataFileStats(memoryHost({}), 'missing.csv', 'train.py'), undefined);
});

test('a host without readBytes still gets CSV statistics through readText', async () => {
  const s = await stats(memoryHost({ 'd.csv': utf8('a,b\n1,\n2,3\n') }, false), 'd.csv');
  assert.equal(s.columns[1].emptyCount, 1);
});

const here: SourceLocation = { path: 't.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
const col = (min: number, max: number, mean: number, std: number, nanCount = 0): FeatureStats => ({ count: 10, min, max, mean, std, nanCount, infCount: 0 });

test('statistics move through standardisation; a constant column divided by its std becomes all NaN; an epsilon keeps it 0', () => {
  const source = [col(0, 10, 5, 2), col(7, 7, 7, 0)];
  const standardise = (epsilon: boolean) => statsAfterTransforms(source, [{ kind: 'subtract', what: 'mean', location: here }, { kind: 'divide', by: 'std', epsilon, location: here }])!;
  const plain = standardise(false);
  assert.deepEqual([plain[0].min, plain[0].max, plain[0].mean, plain[0].std], [-2.5, 2.5, 0, 1]);
  assert.equal(plain[1].nanCount, 10);
  assert.equal(plain[1].count, 0);
  assert.equal(standardise(true)[1].max, 0);
  const minmax = statsAfterTransforms(source, [{ kind: 'scaler', scaler: 'MinMaxScaler', location: here }])!;
  assert.deepEqual([minmax[0].min, minmax[0].max], [0, 1]);
  assert.equal(statsAfterTransforms(source, [{ kind: 'log', fn: 'log', guarded: false, location: here }]), undefined, 'a log is not followed');
  assert.equal(statsAfterTransforms([col(0, 1, 0.5, 0.3, 4)], [{ kind: 'fillna', location: here }])![0].nanCount, 0);
});
