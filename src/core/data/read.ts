/**
 * Reads a workspace data file (`.csv`, `.tsv`, `.txt`, `.npy`, `.json`) through the analysis
 * host in chunks and returns per-column statistics. Up to DATA_READ_CAP bytes are read from
 * the start; beyond it, evenly spaced chunks are sampled and the result says so. Between
 * chunks the reader yields to the event loop, and it stops after a time budget, so an editor
 * never freezes on a large file. Never throws: problems come back as text.
 */
import { groupThousands } from '../numberFormat';
import type { AnalysisHost } from '../host';
import { scaleDisparity, type ColumnSummary } from './columns';
import { CsvStatsReader } from './csv';
import { jsonStats } from './json';
import { NpyStatsReader, parseNpyHeader, type NpyHeader } from './npy';
import { NPZ_TAIL_BYTES, npzDataOffset, npzDirectoryRange, npzMember, npzMemberData, npzMembers } from './npz';

export const DATA_READ_CAP = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Chunks sampled beyond the cap, spread evenly over the rest of the file. */
const SAMPLE_CHUNKS = 8;
/** Wall-clock budget for one file; what was read by then is reported as a sample. */
const TIME_BUDGET_MS = 4000;

export type DataFormat = 'csv' | 'npy' | 'json' | 'npz';

export interface DataFileStats {
  /** The file as the host names it. */
  path: string;
  /** An .npz archive's array is read as the .npy file it is. */
  format: Exclude<DataFormat, 'npz'>;
  columns: ColumnSummary[];
  /** Data rows read (samples for `.npy`). */
  rows: number;
  /** The file's size in bytes, and how much of it was read. */
  size: number;
  bytesRead: number;
  /** True when only part of the file was read: statistics are then from a sample. */
  sampled: boolean;
  /** One sentence on how the statistics were obtained, for messages and hovers. */
  note: string;
  /** `.npy`: the array's shape and dtype. */
  shape?: number[];
  dtype?: string;
  /** Largest over smallest column magnitude (1 with fewer than two numeric columns). */
  scaleRatio: number;
  /** Things the user should know about the file (ragged rows, unsupported dtype, ...). */
  problems: string[];
}

export interface ReadOptions {
  cap?: number;
  chunk?: number;
  timeBudgetMs?: number;
  /** An `.npz` archive: the array to read (`data['x_train']`). */
  member?: string;
}

/** The key an `.npz` archive's array is asked for by (shapes, statistics): `data.npz::x_train`. */
export function npzMemberKey(path: string, member: string): string {
  return `${path}::${member}`;
}

/** An archive's path and array from a key of {@link npzMemberKey}, or undefined for a plain path. */
export function npzMemberOfKey(key: string): { path: string; member: string } | undefined {
  const at = key.lastIndexOf('::');
  if (at < 0 || dataFormatOf(key.slice(0, at)) !== 'npz') return undefined;
  return { path: key.slice(0, at), member: key.slice(at + 2) };
}

export function dataFormatOf(path: string): DataFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.json')) return 'json';
  if (/\.(csv|tsv|txt|dat)$/.test(lower)) return 'csv';
  return undefined;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function count(n: number): string {
  return groupThousands(n);
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

interface ChunkSource {
  read(offset: number, length: number): Promise<{ bytes: Uint8Array; size: number; path: string } | undefined>;
}

/** Statistics of a data file, or a problem sentence; undefined when the host cannot read it at all. */
export async function readDataFileStats(host: AnalysisHost, relativePath: string, fromPath: string, options: ReadOptions = {}): Promise<DataFileStats | { problem: string } | undefined> {
  try {
    const format = dataFormatOf(relativePath);
    if (!format) return { problem: `${relativePath}: not a data format nanguard reads (.csv, .npy, .json)` };
    const readBytes = host.readBytes?.bind(host);
    if (!readBytes) return await fromText(host, relativePath, fromPath, format);
    const source: ChunkSource = { read: (offset, length) => readBytes(relativePath, fromPath, { offset, length }) };
    const opts = { cap: options.cap ?? DATA_READ_CAP, chunk: options.chunk ?? CHUNK, timeBudgetMs: options.timeBudgetMs ?? TIME_BUDGET_MS };
    if (format === 'npz') {
      if (options.member === undefined) return { problem: `${relativePath}: an .npz archive, whose arrays nanguard reads by name (data['x'])` };
      const member = await npzMemberSource(source, relativePath, options.member, opts.cap);
      if ('problem' in member) return member;
      const stats = await readNpy(member.source, opts);
      // The archive's array, named: "read all 2,000 samples of the array 'x_train' of data.npz (...)".
      return stats && !('problem' in stats) ? { ...stats, size: member.archiveSize, note: stats.note.replace(` of ${stats.path} `, ` of the array '${options.member}' of ${stats.path} `) } : stats;
    }
    if (format === 'npy') return await readNpy(source, opts);
    if (format === 'json') return await readJson(source, opts);
    return await readCsv(source, opts);
  } catch (error) {
    return { problem: `${relativePath}: could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

type Opts = Required<Omit<ReadOptions, 'member'>>;

async function fromText(host: AnalysisHost, relativePath: string, fromPath: string, format: DataFormat): Promise<DataFileStats | { problem: string } | undefined> {
  if (format === 'npy' || format === 'npz') return { problem: `${relativePath}: this editor cannot read binary files for nanguard yet` };
  const got = await host.readText(relativePath, fromPath);
  if (!got) return undefined;
  const size = got.text.length;
  if (format === 'json') return jsonResult(got.path, got.text, size);
  const csv = new CsvStatsReader();
  for (let i = 0; i < got.text.length; i += CHUNK) {
    csv.push(got.text.slice(i, i + CHUNK));
    await yieldToEventLoop();
  }
  csv.end();
  return csvResult(got.path, csv, size, size, false, '');
}

function jsonResult(path: string, text: string, size: number): DataFileStats | { problem: string } {
  const got = jsonStats(text);
  if (typeof got === 'string') return { problem: `${path}: ${got}` };
  return {
    path,
    format: 'json',
    columns: got.columns,
    rows: got.rows,
    size,
    bytesRead: size,
    sampled: false,
    note: `read all ${count(got.rows)} rows of ${path}`,
    scaleRatio: scaleDisparity(got.columns).ratio,
    problems: [],
  };
}

function csvResult(path: string, csv: CsvStatsReader, size: number, bytesRead: number, sampled: boolean, why: string): DataFileStats {
  const r = csv.result();
  const problems: string[] = [];
  if (r.raggedRows > 0) problems.push(`${count(r.raggedRows)} rows have a different number of cells than the header`);
  if (r.truncatedColumns) problems.push('only the first 10,000 columns were read');
  return {
    path,
    format: 'csv',
    columns: r.columns,
    rows: r.rows,
    size,
    bytesRead,
    sampled,
    note: sampled ? `${why}: statistics come from ${count(r.rows)} rows (${megabytes(bytesRead)} of ${megabytes(size)})` : `read all ${count(r.rows)} rows of ${path}`,
    scaleRatio: scaleDisparity(r.columns).ratio,
    problems,
  };
}

async function readJson(source: ChunkSource, opts: Opts): Promise<DataFileStats | { problem: string } | undefined> {
  const first = await source.read(0, opts.chunk);
  if (!first) return undefined;
  if (first.size > opts.cap) return { problem: `${first.path} is ${megabytes(first.size)}, above the ${megabytes(opts.cap)} nanguard reads from a JSON file (JSON cannot be sampled): no statistics` };
  const parts: Uint8Array[] = [first.bytes];
  let offset = first.bytes.length;
  while (offset < first.size) {
    const next = await source.read(offset, opts.chunk);
    if (!next || next.bytes.length === 0) break;
    parts.push(next.bytes);
    offset += next.bytes.length;
    await yieldToEventLoop();
  }
  const decoder = new TextDecoder('utf-8');
  const text = parts.map((p, i) => decoder.decode(p, { stream: i < parts.length - 1 })).join('');
  return jsonResult(first.path, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, first.size);
}

async function readCsv(source: ChunkSource, opts: Opts): Promise<DataFileStats | undefined> {
  const started = Date.now();
  const csv = new CsvStatsReader();
  const decoder = new TextDecoder('utf-8');
  const first = await source.read(0, opts.chunk);
  if (!first) return undefined;
  const { size, path } = first;
  let bytesRead = 0;
  let offset = 0;
  let chunk: Uint8Array | undefined = first.bytes;
  let why = '';
  let firstText = true;
  // Sequential part: from the start up to the cap (less the sampling budget when the file is larger).
  const sequentialEnd = size <= opts.cap ? size : Math.max(opts.chunk, opts.cap - SAMPLE_CHUNKS * opts.chunk);
  while (chunk && chunk.length > 0) {
    bytesRead += chunk.length;
    offset += chunk.length;
    let text = decoder.decode(chunk, { stream: offset < size });
    if (firstText && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    firstText = false;
    csv.push(text);
    if (offset >= sequentialEnd) break;
    if (Date.now() - started > opts.timeBudgetMs) {
      why = `reading stopped after ${opts.timeBudgetMs / 1000} s`;
      break;
    }
    await yieldToEventLoop();
    chunk = (await source.read(offset, Math.min(opts.chunk, sequentialEnd - offset)))?.bytes;
  }
  if (offset >= size) {
    csv.end();
    return csvResult(path, csv, size, bytesRead, false, '');
  }
  csv.discardPartial();
  if (!why) {
    why = `${path} is ${megabytes(size)}, above the ${megabytes(opts.cap)} read cap`;
    // Evenly spaced chunks over the rest of the file, each starting at its first full line.
    const rest = size - offset;
    for (let k = 0; k < SAMPLE_CHUNKS && Date.now() - started <= opts.timeBudgetMs; k++) {
      const at = offset + Math.floor((rest * k) / SAMPLE_CHUNKS);
      const got = await source.read(at, opts.chunk);
      if (!got || got.bytes.length === 0) continue;
      bytesRead += got.bytes.length;
      csv.beginSample();
      csv.push(new TextDecoder('utf-8').decode(got.bytes));
      csv.discardPartial();
      await yieldToEventLoop();
    }
  }
  return csvResult(path, csv, size, bytesRead, true, why);
}

/**
 * One array of an `.npz` archive as a source of its own `.npy` bytes: the archive's directory read
 * from its end, the member's local header, and reads offset to its data. A compressed member
 * (savez_compressed) is inflated whole, within the read cap; a name the archive lacks is a problem sentence.
 */
async function npzMemberSource(source: ChunkSource, path: string, name: string, cap: number): Promise<{ source: ChunkSource; archiveSize: number } | { problem: string }> {
  const probe = await source.read(0, 4);
  if (!probe) return { problem: `${path}: could not be read` };
  const size = probe.size;
  const tailOffset = Math.max(0, size - NPZ_TAIL_BYTES);
  const tail = await source.read(tailOffset, size - tailOffset);
  if (!tail) return { problem: `${path}: could not be read` };
  const range = npzDirectoryRange(tail.bytes, tailOffset);
  if (typeof range === 'string') return { problem: `${path}: ${range}` };
  const directory = range.offset >= tailOffset && range.offset + range.length <= size ? tail.bytes.subarray(range.offset - tailOffset, range.offset - tailOffset + range.length) : (await source.read(range.offset, range.length))?.bytes;
  if (!directory) return { problem: `${path}: could not be read` };
  const member = npzMember(path, npzMembers(directory), name);
  if (typeof member === 'string') return { problem: member };
  const local = await source.read(member.localOffset, 30);
  const start = local ? npzDataOffset(member, local.bytes) : `the entry of ${name} could not be read`;
  if (typeof start === 'string') return { problem: `${path}: ${start}` };
  if (member.method !== 0) {
    // A deflated member (savez_compressed) is inflated whole, then read as the .npy file it is: within the read cap.
    if (member.compressedSize > cap) return { problem: `${path} is compressed (np.savez_compressed) and its array '${name}' takes ${megabytes(member.compressedSize)} in it, above the ${megabytes(cap)} read cap (a compressed array cannot be sampled): no statistics` };
    const held = await source.read(start, member.compressedSize);
    if (!held) return { problem: `${path}: could not be read` };
    const data = npzMemberData(member, held.bytes.subarray(0, member.compressedSize), path);
    if (typeof data === 'string') return { problem: data };
    return {
      archiveSize: size,
      source: { read: async (offset, length) => (offset > data.length ? undefined : { ...held, bytes: data.subarray(offset, Math.min(data.length, offset + length)), size: data.length }) },
    };
  }
  return {
    archiveSize: size,
    source: {
      read: async (offset, length) => {
        const within = Math.max(0, Math.min(length, member.size - offset));
        const got = await source.read(start + offset, within);
        return got ? { ...got, bytes: got.bytes.subarray(0, within), size: member.size } : undefined;
      },
    },
  };
}

async function readNpy(source: ChunkSource, opts: Opts): Promise<DataFileStats | { problem: string } | undefined> {
  const started = Date.now();
  const first = await source.read(0, opts.chunk);
  if (!first) return undefined;
  const { size, path } = first;
  const header = parseNpyHeader(first.bytes);
  if (typeof header === 'string') return { problem: `${path}: ${header}` };
  const reader = new NpyStatsReader(header);
  const total = header.shape.reduce((a, b) => a * b, 1);
  const dataEnd = Math.min(size, header.dataOffset + total * header.itemSize);
  let bytesRead = first.bytes.length;
  let offset = Math.min(first.bytes.length, dataEnd);
  reader.push(first.bytes.subarray(header.dataOffset, offset));
  const sequentialEnd = dataEnd <= opts.cap ? dataEnd : Math.max(opts.chunk, opts.cap - SAMPLE_CHUNKS * opts.chunk);
  let why = '';
  while (offset < sequentialEnd) {
    if (Date.now() - started > opts.timeBudgetMs) {
      why = `reading stopped after ${opts.timeBudgetMs / 1000} s`;
      break;
    }
    await yieldToEventLoop();
    const got = await source.read(offset, Math.min(opts.chunk, sequentialEnd - offset));
    if (!got || got.bytes.length === 0) break;
    bytesRead += got.bytes.length;
    offset += got.bytes.length;
    reader.push(got.bytes);
  }
  const sampled = offset < dataEnd;
  if (sampled && !why) {
    why = `${path} is ${megabytes(size)}, above the ${megabytes(opts.cap)} read cap`;
    await sampleNpyRows(source, header, reader, offset, dataEnd, opts, started, (n) => (bytesRead += n));
  }
  const r = reader.result();
  const problems: string[] = [];
  if (dataEnd - header.dataOffset < total * header.itemSize) problems.push('the file is shorter than its header says (truncated)');
  if (header.fortran) problems.push('Fortran-ordered: statistics are over all values, not per column');
  const rows = header.shape.length === 0 ? 1 : header.shape[0];
  return {
    path,
    format: 'npy',
    columns: r.columns,
    rows: sampled ? reader.rows : rows,
    size,
    bytesRead,
    sampled,
    note: sampled
      ? `${why}: statistics come from ${count(reader.rows)} of ${count(rows)} samples`
      : `read all ${count(rows)} samples of ${path} (shape (${header.shape.join(', ')}), ${header.dtype})${r.folded ? ', one statistic over all values per sample position folded together' : ''}`,
    shape: header.shape,
    dtype: header.dtype,
    scaleRatio: r.folded ? 1 : scaleDisparity(r.columns).ratio,
    problems,
  };
}

async function sampleNpyRows(source: ChunkSource, header: NpyHeader, reader: NpyStatsReader, from: number, dataEnd: number, opts: Opts, started: number, onBytes: (n: number) => void): Promise<void> {
  const rowBytes = reader.width * header.itemSize;
  if (rowBytes <= 0) return;
  const firstRow = Math.ceil((from - header.dataOffset) / rowBytes);
  const lastRow = Math.floor((dataEnd - header.dataOffset) / rowBytes);
  const rowsPerChunk = Math.max(1, Math.floor(opts.chunk / rowBytes));
  const span = lastRow - firstRow;
  if (span <= 0) return;
  for (let k = 0; k < SAMPLE_CHUNKS && Date.now() - started <= opts.timeBudgetMs; k++) {
    const row = firstRow + Math.floor((span * k) / SAMPLE_CHUNKS);
    const n = Math.min(rowsPerChunk, lastRow - row);
    if (n <= 0) continue;
    const got = await source.read(header.dataOffset + row * rowBytes, n * rowBytes);
    if (!got) continue;
    onBytes(got.bytes.length);
    reader.seekValue(row * reader.width);
    reader.push(got.bytes.subarray(0, Math.floor(got.bytes.length / rowBytes) * rowBytes));
    await yieldToEventLoop();
  }
}
