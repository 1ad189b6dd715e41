/**
 * Data recipes: how the reproduction gets the arrays the user's code feeds to `fit`, and
 * turning a recipe into numbers (seeded, deterministic). Pure; no TensorFlow.js, no file
 * system (files are read when the plan is built, see `files.ts`).
 */
import type { DataDistribution, DataTransform } from '../core/ir';
import { applyToRows, matrixProduct } from '../core/arrays';
import type { ReproNote } from './notes';

/** A transform as replayed: the IR's transform without its source location. */
export type TransformStep =
  | (DataTransform extends infer T ? (T extends { location: unknown } ? Omit<T, 'location'> : never) : never)
  /** `X[:, column] = value`, an assignment into the array (`DataSpec.assignments`). */
  | { kind: 'setColumn'; column: number; value: number };

export type DataRecipe =
  /** Written in the code: reproduced exactly. */
  | { kind: 'literal'; values: number[][]; transforms: TransformStep[] }
  /** `np.random.*`: same shape and distribution, drawn from the plan's seed (NumPy's stream is not reproduced). */
  | { kind: 'random'; distribution: DataDistribution; shape: number[]; low?: number; high?: number; mean?: number; std?: number; stream: number; transforms: TransformStep[] }
  /** Read from a workspace file when the plan was built. */
  | { kind: 'file'; path: string; values: number[][]; transforms: TransformStep[] }
  /** Unknown data: a stand-in of the known shape and scale. `reason` says why, in plain words. */
  /**
   * A stand-in, uniform within [low, high] per feature; `pattern: 'digit-strokes'`: MNIST-like
   * 28x28 images instead (a ring, a line or both on zeros), scaled into [low, high]; `labels`:
   * random classes 0..classes-1, one per sample, or their one-hot rows.
   */
  | { kind: 'synthetic'; shape: number[]; low: number[]; high: number[]; stream: number; reason: string; transforms: TransformStep[]; pattern?: 'digit-strokes'; labels?: { classes: number; oneHot: boolean } }
  /** The same array as the inputs (an autoencoder's `fit(x, x)`). */
  | { kind: 'same-as-x' };

export type DataKind = 'literal' | 'random' | 'file' | 'synthetic';

/** A small, fast, seedable generator (mulberry32); every recipe draws from its own stream. */
export function seededRandom(seed: number, stream = 0): () => number {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

function rowsAndWidth(shape: number[]): [number, number] {
  const rows = shape[0] ?? 0;
  const width = shape.length <= 1 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
  return [rows, width];
}

function drawRandom(recipe: Extract<DataRecipe, { kind: 'random' }>, seed: number): number[][] {
  const uniform = seededRandom(seed, recipe.stream);
  const normal = gaussian(uniform);
  const [rows, width] = rowsAndWidth(recipe.shape);
  const draw = ((): (() => number) => {
    switch (recipe.distribution) {
      case 'uniform': {
        const low = recipe.low ?? 0;
        const high = recipe.high ?? 1;
        return () => low + (high - low) * uniform();
      }
      case 'randn':
      case 'standard_normal':
        return normal;
      case 'normal': {
        const mean = recipe.mean ?? 0;
        const std = recipe.std ?? 1;
        return () => mean + std * normal();
      }
      case 'randint': {
        // np.random.randint(low, high): integers in [low, high); randint(n) is [0, n).
        const low = recipe.high === undefined ? 0 : recipe.low ?? 0;
        const high = recipe.high === undefined ? recipe.low ?? 2 : recipe.high;
        return () => low + Math.floor((high - low) * uniform());
      }
      default:
        return uniform;
    }
  })();
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = draw();
    out.push(row);
  }
  return out;
}

/** Pixels of a digit-like 28x28 image (row-major, 0 to 1): a ring (0, 6, 9), a line (1, 7) or both, white along the stroke and fading at its edge. */
export function digitStrokes(uniform: () => number): number[] {
  const u = (lo: number, hi: number) => lo + (hi - lo) * uniform();
  const [cy, cx, ry, rx] = [u(9, 19), u(10, 18), u(3, 8), u(2.5, 6)];
  const [y0, x0, y1, x1] = [u(4, 12), u(6, 22), u(16, 24), u(6, 22)];
  const kind = Math.floor(uniform() * 3); // 0: ring, 1: line, 2: both
  const width = u(1.0, 1.9);
  const dy = y1 - y0;
  const dx = x1 - x0;
  const pixels = new Array<number>(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const ring = Math.abs(Math.sqrt(((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2) - 1) * Math.min(ry, rx);
      const along = Math.min(1, Math.max(0, ((y - y0) * dy + (x - x0) * dx) / (dy * dy + dx * dx)));
      const line = Math.hypot(y - (y0 + along * dy), x - (x0 + along * dx));
      const distance = Math.min(kind !== 1 ? ring : 99, kind !== 0 ? line : 99);
      // Whole 8-bit steps, as the uint8 images are.
      pixels[y * 28 + x] = Math.floor(255 * Math.min(1, Math.max(0, 1.5 - distance / width))) / 255;
    }
  }
  return pixels;
}

function drawSynthetic(recipe: Extract<DataRecipe, { kind: 'synthetic' }>, seed: number): number[][] {
  const uniform = seededRandom(seed, recipe.stream);
  const [rows, width] = rowsAndWidth(recipe.shape);
  const out: number[][] = [];
  if (recipe.labels) {
    const { classes, oneHot } = recipe.labels;
    for (let i = 0; i < rows; i++) {
      const label = Math.min(classes - 1, Math.floor(classes * uniform()));
      out.push(oneHot ? Array.from({ length: classes }, (_, j) => (j === label ? 1 : 0)) : [label]);
    }
    return out;
  }
  if (recipe.pattern === 'digit-strokes' && width === 784) {
    for (let i = 0; i < rows; i++) {
      const row = digitStrokes(uniform);
      for (let j = 0; j < width; j++) {
        const low = recipe.low[j % recipe.low.length] ?? 0;
        const high = recipe.high[j % recipe.high.length] ?? 1;
        row[j] = low + (high - low) * row[j];
      }
      out.push(row);
    }
    return out;
  }
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) {
      const low = recipe.low[j % recipe.low.length] ?? 0;
      const high = recipe.high[j % recipe.high.length] ?? 1;
      row[j] = low + (high - low) * uniform();
    }
    out.push(row);
  }
  return out;
}

type Column = (values: number[]) => number;

/** The statistic of each column, or (`wholeArray`) of all values at once, repeated for every column, as `np.std(x)` broadcasts. */
function columnStat(x: number[][], stat: Column, wholeArray = false): number[] {
  const width = x[0]?.length ?? 0;
  if (wholeArray) return new Array<number>(width).fill(stat(x.flat()));
  const out: number[] = [];
  for (let j = 0; j < width; j++) out.push(stat(x.map((r) => r[j])));
  return out;
}

const mean: Column = (v) => v.reduce((a, b) => a + b, 0) / (v.length || 1);
const std: Column = (v) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) * (b - m), 0) / (v.length || 1));
};
const min: Column = (v) => v.reduce((a, b) => (b < a ? b : a), Infinity);
const max: Column = (v) => v.reduce((a, b) => (b > a ? b : a), -Infinity);
const maxAbs: Column = (v) => v.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
const quantile = (v: number[], q: number): number => {
  const s = [...v].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
};

/** sklearn replaces a zero scale by 1 so that constant features stay finite. */
const safeScale = (s: number): number => (s === 0 ? 1 : s);

function logFn(fn: string): (v: number) => number {
  const name = fn.replace(/^.*\./, '');
  if (name === 'log1p') return Math.log1p;
  if (name === 'log2') return Math.log2;
  if (name === 'log10') return Math.log10;
  if (name === 'sqrt') return Math.sqrt;
  return Math.log;
}

/**
 * Replays one transform. Returns the new array, or a note when the transform cannot be
 * replayed (it is then skipped). Hand-written divisions are replayed without an epsilon,
 * as written: a zero std gives Inf/NaN exactly as in NumPy. `seed` and `stream` seed the
 * random matrix of `x @ np.random...` (each step its own stream).
 */
export function applyTransform(x: number[][], t: TransformStep, seed = 0, stream = 0): { x: number[][]; note?: ReproNote } {
  switch (t.kind) {
    case 'scaler': {
      const name = t.scaler.replace(/^.*\./, '');
      if (name === 'StandardScaler') {
        const m = columnStat(x, mean);
        const s = columnStat(x, std).map(safeScale);
        return { x: applyToRows(x, (v, j) => (v - m[j]) / s[j]) };
      }
      if (name === 'MinMaxScaler') {
        const lo = columnStat(x, min);
        const range = columnStat(x, max).map((hi, j) => safeScale(hi - lo[j]));
        return { x: applyToRows(x, (v, j) => (v - lo[j]) / range[j]) };
      }
      if (name === 'MaxAbsScaler') {
        const s = columnStat(x, maxAbs).map(safeScale);
        return { x: applyToRows(x, (v, j) => v / s[j]) };
      }
      if (name === 'RobustScaler') {
        const med = columnStat(x, (v) => quantile(v, 0.5));
        const iqr = columnStat(x, (v) => quantile(v, 0.75) - quantile(v, 0.25)).map(safeScale);
        return { x: applyToRows(x, (v, j) => (v - med[j]) / iqr[j]) };
      }
      if (name === 'Normalizer') {
        return { x: x.map((row) => { const n = safeScale(Math.hypot(...row)); return row.map((v) => v / n); }) };
      }
      return { x, note: { kind: 'not-replayed', text: `${t.scaler} is not replayed; its input is used as is` } };
    }
    case 'divide': {
      if (t.by === 'unknown') return { x, note: { kind: 'not-replayed', text: 'a division by an unknown value is not replayed' } };
      const eps = t.epsilon ? 1e-7 : 0;
      if (typeof t.by === 'number') return { x: applyToRows(x, (v) => v / (t.by as number + eps)) };
      if (t.by === 'norm') return { x: x.map((row) => { const n = Math.hypot(...row) + eps; return row.map((v) => v / n); }) };
      const whole = t.wholeArray === true;
      const lows = t.by === 'range' ? columnStat(x, min, whole) : [];
      const divisor = t.by === 'std' ? columnStat(x, std, whole) : t.by === 'max' ? columnStat(x, max, whole) : columnStat(x, max, whole).map((hi, j) => hi - lows[j]);
      return { x: applyToRows(x, (v, j) => v / (divisor[j] + eps)) };
    }
    case 'subtract': {
      if (t.what === 'unknown') return { x, note: { kind: 'not-replayed', text: 'a subtraction of an unknown value is not replayed' } };
      if (typeof t.what === 'number') return { x: applyToRows(x, (v) => v - (t.what as number)) };
      const s = columnStat(x, t.what === 'mean' ? mean : min, t.wholeArray === true);
      return { x: applyToRows(x, (v, j) => v - s[j]) };
    }
    case 'multiply':
      if (t.by === 'unknown') return { x, note: { kind: 'not-replayed', text: 'a multiplication by an unknown value is not replayed' } };
      return { x: applyToRows(x, (v) => v * (t.by as number)) };
    case 'log': {
      const f = logFn(t.fn);
      // A guarded log (`log(x + eps)`, `log(clip(x, ...))`) is replayed with a small floor.
      return { x: applyToRows(x, (v) => f(t.guarded ? Math.max(v, 1e-7) : v)) };
    }
    case 'clip':
      return { x: applyToRows(x, (v) => Math.min(t.max ?? Infinity, Math.max(t.min ?? -Infinity, v))) };
    case 'dropna':
      return { x: x.filter((row) => row.every((v) => !Number.isNaN(v))) };
    case 'fillna':
      return { x: applyToRows(x, (v) => (Number.isNaN(v) ? 0 : v)), note: { kind: 'replayed', text: 'fillna is replayed with 0' } };
    case 'nan_to_num':
      return { x: applyToRows(x, (v) => (Number.isNaN(v) ? 0 : v === Infinity ? 3.4028234663852886e38 : v === -Infinity ? -3.4028234663852886e38 : v)) };
    case 'impute': {
      const m = columnStat(x, (v) => mean(v.filter((e) => !Number.isNaN(e))));
      return { x: applyToRows(x, (v, j) => (Number.isNaN(v) ? m[j] : v)) };
    }
    case 'astype':
    case 'reshape':
      return { x };
    case 'one_hot': {
      // Keras's to_categorical refuses a label outside 0..classes-1; such a row is not replayed.
      const bad = x.find((row) => row.length !== 1 || !Number.isInteger(row[0]) || row[0] < 0 || row[0] >= t.classes);
      if (bad) return { x, note: { kind: 'not-replayed', text: `to_categorical with ${t.classes} classes is not replayed: a label is ${bad.length === 1 ? bad[0] : `a row of ${bad.length} values`}` } };
      return { x: x.map((row) => Array.from({ length: t.classes }, (_, j) => (j === row[0] ? 1 : 0))) };
    }
    case 'noise':
      return { x, note: { kind: 'not-replayed', text: 'added noise is not replayed' } };
    case 'matmul':
      return matmulRows(x, t, seed, stream);
    case 'setColumn':
      if (x.length > 0 && t.column >= x[0].length) return { x, note: { kind: 'not-replayed', text: `column ${t.column} is outside the ${x[0].length} columns, not replayed` } };
      return { x: applyToRows(x, (v, j) => (j === t.column ? t.value : v)) };
    default:
      return { x, note: { kind: 'not-replayed', text: `a transform (${(t as { note?: string }).note ?? t.kind}) is not replayed` } };
  }
}

export function applyTransforms(x: number[][], transforms: TransformStep[], seed = 0, stream = 0): { x: number[][]; notes: ReproNote[] } {
  const notes: ReproNote[] = [];
  let current = x;
  for (let i = 0; i < transforms.length; i++) {
    const r = applyTransform(current, transforms[i], seed, MATMUL_STREAMS + stream * 64 + i);
    current = r.x;
    if (r.note) notes.push(r.note);
  }
  return { x: current, notes };
}

/** Streams of the matrices drawn for `x @ np.random...`, apart from the recipes' own streams. */
const MATMUL_STREAMS = 1 << 20;

type MatmulStep = Extract<TransformStep, { kind: 'matmul' }>;

/** Rows and columns of the matrix of `x @ m`, when it is known. */
export function matmulShape(right: NonNullable<MatmulStep['right']>): [number, number] | null {
  const shape = right.kind === 'literal' ? [right.values.length, right.values[0]?.length ?? 0] : right.shape;
  return shape.length === 2 ? [shape[0], shape[1]] : null;
}

/** `x @ m` with m written out or drawn like its `np.random` call (seeded); unknown m is not replayed. */
function matmulRows(x: number[][], t: MatmulStep, seed: number, stream: number): { x: number[][]; note?: ReproNote } {
  const right = t.right;
  const shape = right && matmulShape(right);
  if (!right || !shape) return { x, note: { kind: 'not-replayed', text: 'a matrix product with an unknown matrix is not replayed' } };
  if (x.length > 0 && x[0].length !== shape[0]) return { x, note: { kind: 'not-replayed', text: `a matrix product of ${x[0].length} columns by ${shape[0]} rows is not replayed` } };
  const m = right.kind === 'literal' ? right.values : drawRandom({ kind: 'random', distribution: right.distribution, shape: right.shape, low: right.low, high: right.high, mean: right.mean, std: right.std, stream, transforms: [] }, seed);
  return { x: matrixProduct(x, m) };
}

/** The recipe's numbers (before transforms), seeded. */
export function drawRecipe(recipe: Exclude<DataRecipe, { kind: 'same-as-x' }>, seed: number): number[][] {
  switch (recipe.kind) {
    case 'literal':
    case 'file':
      return recipe.values.map((r) => r.slice());
    case 'random':
      return drawRandom(recipe, seed);
    case 'synthetic':
      return drawSynthetic(recipe, seed);
  }
}

export function materializeRecipe(recipe: Exclude<DataRecipe, { kind: 'same-as-x' }>, seed: number): number[][] {
  return applyTransforms(drawRecipe(recipe, seed), recipe.transforms, seed, 'stream' in recipe ? recipe.stream : 0).x;
}
