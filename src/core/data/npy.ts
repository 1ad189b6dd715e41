/**
 * NumPy `.npy` files: the header gives dtype and shape; for statistics the values stream into
 * one accumulator per column (all dimensions after the first, flattened), or into one
 * accumulator when a sample is wider than MAX_NPY_COLUMNS; the reproduction takes every value
 * ({@link npyRows}). One parser for both.
 */
import { ColumnAccumulator, MAX_RESERVOIR_COLUMNS, type ColumnSummary } from './columns';

/** Wider samples (large images) are summarised as one column of all values. */
export const MAX_NPY_COLUMNS = 4096;

export interface NpyHeader {
  dtype: string;
  shape: number[];
  fortran: boolean;
  /** Offset of the first value. */
  dataOffset: number;
  itemSize: number;
}

type Reader = (view: DataView, offset: number) => number;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * 2 ** (e - 15) * (1 + f / 1024);
}

const READERS: Record<string, [number, Reader]> = {
  f8: [8, (v, o) => v.getFloat64(o, true)],
  f4: [4, (v, o) => v.getFloat32(o, true)],
  f2: [2, (v, o) => halfToFloat(v.getUint16(o, true))],
  i8: [8, (v, o) => Number(v.getBigInt64(o, true))],
  i4: [4, (v, o) => v.getInt32(o, true)],
  i2: [2, (v, o) => v.getInt16(o, true)],
  i1: [1, (v, o) => v.getInt8(o)],
  u8: [8, (v, o) => Number(v.getBigUint64(o, true))],
  u4: [4, (v, o) => v.getUint32(o, true)],
  u2: [2, (v, o) => v.getUint16(o, true)],
  u1: [1, (v, o) => v.getUint8(o)],
  b1: [1, (v, o) => v.getUint8(o)],
};

function readerFor(dtype: string): [number, Reader] | undefined {
  // '<f4', '|u1', '=f8': little-endian or byte-order-free only.
  const m = /^([<|=]?)([fiub]\d)$/.exec(dtype);
  if (!m) return undefined;
  return READERS[m[2]];
}

/** Parses the header from the first bytes, or says why it cannot. */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader | string {
  if (bytes.length < 10) return 'too short to be a .npy file';
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== '\u0093NUMPY') return 'not a NumPy .npy file';
  const major = bytes[6];
  const headerLength = major === 1 ? bytes[8] | (bytes[9] << 8) : bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart + headerLength) return 'unreadable .npy header';
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const dtype = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!dtype || shapeText === undefined) return 'unreadable .npy header';
  const reader = readerFor(dtype);
  if (!reader) return `.npy dtype ${dtype} is not supported (big-endian, complex, object or structured)`;
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) return 'unreadable .npy shape';
  return { dtype, shape, fortran: /'fortran_order':\s*True/.test(header), dataOffset: headerStart + headerLength, itemSize: reader[0] };
}

/** Values per sample: the product of the dimensions after the first (1 for a vector or a scalar). */
function sampleWidth(shape: readonly number[]): number {
  return shape.length <= 1 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Every value of a C-ordered array, one row per sample (the dimensions after the first flattened), or why not. */
export function npyRows(bytes: Uint8Array): number[][] | string {
  const header = parseNpyHeader(bytes);
  if (typeof header === 'string') return header;
  if (header.fortran) return 'Fortran-ordered .npy files are not supported';
  const size = header.itemSize;
  const count = header.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength - header.dataOffset < count * size) return 'truncated .npy file';
  const read = readerFor(header.dtype)![1];
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, count * size);
  const rows = header.shape.length === 0 ? 1 : header.shape[0];
  const width = sampleWidth(header.shape);
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = read(view, (i * width + j) * size);
    out.push(row);
  }
  return out;
}

export class NpyStatsReader {
  private readonly read: Reader;
  private readonly columns: ColumnAccumulator[];
  /** Values per sample (row). */
  readonly width: number;
  private readonly folded: boolean;
  private leftover = new Uint8Array(0);
  /** Index of the next value in the file's order. */
  private position = 0;
  values = 0;

  constructor(readonly header: NpyHeader) {
    this.read = readerFor(header.dtype)![1];
    const shape = header.shape;
    this.width = sampleWidth(shape);
    // Fortran order interleaves columns differently; statistics of all values are still right when folded.
    this.folded = this.width > MAX_NPY_COLUMNS || header.fortran;
    const n = this.folded ? 1 : this.width;
    this.columns = Array.from({ length: n }, (_, i) => new ColumnAccumulator(i, n <= MAX_RESERVOIR_COLUMNS));
  }

  get rows(): number {
    return this.width > 0 ? Math.floor(this.values / this.width) : 0;
  }

  /** Jumps to the value at `index` (for sampling beyond the cap); bytes pushed next must start there. */
  seekValue(index: number): void {
    this.position = index;
    this.leftover = new Uint8Array(0);
  }

  push(bytes: Uint8Array): void {
    const size = this.header.itemSize;
    let data = bytes;
    if (this.leftover.length > 0) {
      data = new Uint8Array(this.leftover.length + bytes.length);
      data.set(this.leftover);
      data.set(bytes, this.leftover.length);
    }
    const whole = Math.floor(data.length / size);
    const view = new DataView(data.buffer, data.byteOffset, whole * size);
    for (let k = 0; k < whole; k++) {
      const v = this.read(view, k * size);
      const column = this.folded ? 0 : this.position % this.width;
      this.columns[column].add(v);
      this.position++;
      this.values++;
    }
    this.leftover = data.slice(whole * size);
  }

  result(): { columns: ColumnSummary[]; folded: boolean } {
    return { columns: this.columns.map((c) => c.summary(undefined)), folded: this.folded };
  }
}
