/**
 * Data recipes: how the reproduction gets the arrays the user's code feeds to `fit`, and
 * turning a recipe into numbers (seeded, deterministic). Pure; no TensorFlow.js, no file
 * system (files are read when the plan is built, see `files.ts`).
 */
import type { ArrayAssignment, DataDistribution, DataTransform } from '../core/ir';
import { ELEMENTWISE_FUNCTIONS, applyToRows, matrixProduct, paddedSample, seededRandom } from '../core/arrays';
import type { ReproNote } from './notes';
import { sampledRows, splitRows } from '../core/data/transforms';

// The generator lives with the arithmetic the analysis shares; the engine's modules import it from here.
export { seededRandom };

/** A transform as replayed: the IR's transform without its source location. */
export type TransformStep =
  | (DataTransform extends infer T ? (T extends { location: unknown } ? Omit<T, 'location'> : never) : never)
  /** `X[:, column] = value`, an assignment into the array (`DataSpec.assignments`). */
  | { kind: 'setColumn'; column: number; value: number }
  /**
   * `X[:, 16:48, 16:48, :] = np.random.rand(...)` (or a constant): the indices along each axis of
   * an array of `shape` (rows first). Random cells are drawn from `stream`, which the assignment's
   * place in the code decides: inputs and targets made from the same array draw the same values.
   */
  | { kind: 'setBlock'; shape: number[]; axes: number[][]; fill: NonNullable<ArrayAssignment['block']>['fill']; stream: number };

export type DataRecipe =
  /** Written in the code: reproduced exactly. */
  | { kind: 'literal'; values: number[][]; transforms: TransformStep[] }
  /** `np.random.*`: same shape and distribution, drawn from the plan's seed (NumPy's stream is not reproduced). */
  | { kind: 'random'; distribution: DataDistribution; shape: number[]; low?: number; high?: number; mean?: number; std?: number; stream: number; transforms: TransformStep[] }
  /** Read from a workspace file when the plan was built. */
  | { kind: 'file'; path: string; values: number[][]; transforms: TransformStep[] }
  /** Unknown data: a stand-in of the known shape and scale. `reason` says why, in plain words. */
  /**
   * A stand-in, uniform within [low, high] per feature; `pattern`: made-up images of a dataset
   * instead (StandInPattern), scaled into [low, high]; `labels`:
   * random classes 0..classes-1, one per sample, or their one-hot rows (a row of several, not
   * one-hot: that many random token indices).
   */
  | { kind: 'synthetic'; shape: number[]; low: number[]; high: number[]; stream: number; reason: string; transforms: TransformStep[]; pattern?: StandInPattern; labels?: { classes: number; oneHot: boolean } }
  /** `np.zeros(shape)`, `np.full(shape, v)` too large for the analysis to keep: one value throughout, made here. */
  | { kind: 'filled'; shape: number[]; value: number; transforms: TransformStep[] }
  /** The same array as the inputs (an autoencoder's `fit(x, x)`). */
  | { kind: 'same-as-x' };

export type DataKind = 'literal' | 'random' | 'file' | 'synthetic';

/**
 * Made-up images in the place of a dataset nanguard does not download, each a task an
 * autoencoder can learn as it learns the real one (uniform noise is not): `digit-strokes` for
 * MNIST (28x28), `garments` for Fashion-MNIST (28x28), `colour-fields` for CIFAR (32x32x3). The
 * same as the corpus's Keras stand-ins (scripts/keras-dataset-cache.py).
 */
export type StandInPattern = 'digit-strokes' | 'garments' | 'colour-fields';

/** The values in a sample of each pattern. */
export const PATTERN_WIDTH: Record<StandInPattern, number> = { 'digit-strokes': 784, garments: 784, 'colour-fields': 3072 };


/** Standard normal draws from a uniform generator (Box-Muller, both values of a pair used). */
export function gaussian(next: () => number): () => number {
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
  const [rows, width] = rowsAndWidth(recipe.shape);
  const draw = drawer(recipe.distribution, recipe, seededRandom(seed, recipe.stream));
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
    const draw = () => Math.min(classes - 1, Math.floor(classes * uniform()));
    for (let i = 0; i < rows; i++) {
      if (!oneHot && width > 1) {
        // A row of several labels: token indices into an Embedding.
        out.push(Array.from({ length: width }, draw));
        continue;
      }
      const label = draw();
      out.push(oneHot ? Array.from({ length: classes }, (_, j) => (j === label ? 1 : 0)) : [label]);
    }
    return out;
  }
  if (recipe.pattern && width === PATTERN_WIDTH[recipe.pattern]) {
    const draw = recipe.pattern === 'digit-strokes' ? digitStrokes : recipe.pattern === 'garments' ? garment : colourField;
    for (let i = 0; i < rows; i++) {
      const row = draw(uniform);
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
    case 'map': {
      const f = Object.hasOwn(ELEMENTWISE_FUNCTIONS, t.fn) ? ELEMENTWISE_FUNCTIONS[t.fn] : undefined;
      return f ? { x: applyToRows(x, (v) => f(v)) } : { x, note: { kind: 'not-replayed', text: `np.${t.fn} is not replayed` } };
    }
    case 'threshold':
      return { x: applyToRows(x, (v) => (v > t.above ? t.high : t.low)) };
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
      return { x };
    case 'reshape': {
      // Samples regrouped (`seq.reshape((1, 9, 1))`): the values, in order, cut into samples of the new width.
      const width = t.sampleWidth;
      const total = x.reduce((n, row) => n + row.length, 0);
      if (width === undefined || width < 1 || (x[0]?.length ?? width) === width) return { x };
      if (total % width !== 0) return { x, note: { kind: 'not-replayed', text: `a reshape into samples of ${width} values is not replayed (${total} values)` } };
      const flat = x.flat();
      const out: number[][] = [];
      for (let i = 0; i < flat.length; i += width) out.push(flat.slice(i, i + width));
      return { x: out };
    }
    case 'pad': {
      // `np.pad` of each sample; a mode other than 'constant' (edge, reflect) is not replayed.
      const size = t.sampleShape.reduce((a, b) => a * b, 1);
      if (t.value === null) return { x, note: { kind: 'not-replayed', text: 'a padding other than with a constant is not replayed' } };
      if (x.some((row) => row.length !== size)) return { x, note: { kind: 'not-replayed', text: `a padding of samples of shape ${JSON.stringify(t.sampleShape)} is not replayed (${x[0]?.length ?? 0} values a sample)` } };
      const value = t.value;
      return { x: x.map((row) => paddedSample(row, t.sampleShape, t.widths, value)) };
    }
    case 'one_hot': {
      // Keras's to_categorical refuses a label outside 0..classes-1; such a row is not replayed.
      // A row of several labels (a sequence of tokens) becomes each label's row, one after the other.
      const badLabel = (v: number) => !Number.isInteger(v) || v < 0 || v >= t.classes;
      const bad = x.find((row) => row.length === 0 || row.some(badLabel));
      if (bad) return { x, note: { kind: 'not-replayed', text: `to_categorical with ${t.classes} classes is not replayed: a label is ${bad.length === 1 ? bad[0] : bad.find(badLabel) ?? 'missing'}` } };
      return { x: x.map((row) => row.flatMap((label) => Array.from({ length: t.classes }, (_, j) => (j === label ? 1 : 0)))) };
    }
    case 'noise': {
      // Drawn again, from the same distribution (not numpy's values): a denoising autoencoder's noisy inputs.
      const draw = t.draw;
      if (!draw) return { x, note: { kind: 'not-replayed', text: 'added noise is not replayed' } };
      const uniform = seededRandom(seed, stream);
      const next = draw.distribution === 'normal' ? ((normal) => () => draw.mean + draw.std * normal())(gaussian(uniform)) : () => draw.low + (draw.high - draw.low) * uniform();
      return { x: applyToRows(x, (v) => v + next()) };
    }
    case 'matmul':
      return matmulRows(x, t, seed, stream);
    // Selections of rows and columns are checked against the rows the code holds; no rows (the plan's dry run of the steps) select nothing.
    case 'rows':
      if (x.length === 0) return { x };
      if (x.length !== t.of) return { x, note: { kind: 'not-replayed', text: `rows ${t.start} to ${t.stop} of ${t.of} are not replayed (the file holds ${x.length})` } };
      return { x: x.slice(t.start, t.stop) };
    case 'sample':
      return { x: sampledRows(x, t.frac, t.seed) };
    case 'split':
      return { x: splitRows(x, t) };
    case 'columns':
      if (x.length === 0) return { x };
      if (x.some((row) => row.length !== t.of)) return { x, note: { kind: 'not-replayed', text: `columns ${t.indices.join(', ')} of ${t.of} are not replayed (the file's rows hold ${x[0]?.length ?? 0} values)` } };
      return { x: x.map((row) => t.indices.map((j) => row[j])) };
    case 'windows': {
      if (x.length === 0) return { x };
      if (x.length !== t.of || t.first + t.count - 1 + t.width > x.length) return { x, note: { kind: 'not-replayed', text: `${t.count} windows of ${t.width} rows are not replayed (the file holds ${x.length} rows, the code ${t.of})` } };
      const windows: number[][] = [];
      for (let k = 0; k < t.count; k++) windows.push(x.slice(t.first + k, t.first + k + t.width).flat());
      return { x: windows };
    }
    case 'setColumn':
      if (x.length > 0 && t.column >= x[0].length) return { x, note: { kind: 'not-replayed', text: `column ${t.column} is outside the ${x[0].length} columns, not replayed` } };
      return { x: applyToRows(x, (v, j) => (j === t.column ? t.value : v)) };
    case 'setBlock':
      return setBlock(x, t, seed);
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

/** Draws of one of `np.random`'s distributions, from the generator `uniform`. */
function drawer(distribution: DataDistribution, p: { low?: number; high?: number; mean?: number; std?: number }, uniform: () => number): () => number {
  const normal = gaussian(uniform);
  switch (distribution) {
    case 'randn':
    case 'standard_normal':
      return normal;
    case 'normal':
      return () => (p.mean ?? 0) + (p.std ?? 1) * normal();
    case 'randint': {
      const low = p.high === undefined ? 0 : p.low ?? 0;
      const high = p.high === undefined ? p.low ?? 2 : p.high;
      return () => low + Math.floor((high - low) * uniform());
    }
    default:
      return () => (p.low ?? 0) + ((p.high ?? 1) - (p.low ?? 0)) * uniform();
  }
}

/**
 * A block written into the rows (each a sample, flattened row-major). Every cell of the block is
 * drawn in order, present or not, so that a shortened run (fewer rows) writes the same values
 * into the rows it keeps.
 */
function setBlock(x: number[][], t: Extract<TransformStep, { kind: 'setBlock' }>, seed: number): { x: number[][]; note?: ReproNote } {
  const width = t.shape.slice(1).reduce((a, b) => a * b, 1);
  if (x.length > 0 && x[0].length !== width) return { x, note: { kind: 'not-replayed', text: 'an assignment into a block of the array is not replayed (its shape changed before it)' } };
  const strides = t.shape.map((_, k) => t.shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const draw = t.fill.kind === 'constant' ? () => (t.fill as { value: number }).value : drawer(t.fill.distribution, t.fill, seededRandom(seed, t.stream));
  const rows = x.map((r) => r.slice());
  const walk = (k: number, row: number, offset: number): void => {
    if (k === t.axes.length) {
      const v = draw();
      if (row < rows.length) rows[row][offset] = v;
      return;
    }
    for (const i of t.axes[k]) walk(k + 1, k === 0 ? i : row, k === 0 ? 0 : offset + i * strides[k]);
  };
  walk(0, 0, 0);
  return { x: rows };
}

/**
 * Pixels of a Fashion-MNIST-like 28x28 image (row-major, 0 to 1): one filled box or ellipse of a
 * grey that shades across it, soft-edged, on zeros.
 */
export function garment(uniform: () => number): number[] {
  const u = (lo: number, hi: number) => lo + (hi - lo) * uniform();
  const [cy, cx, hy, hx] = [u(12, 16), u(12, 16), u(8, 13), u(6, 12)];
  const ellipse = uniform() < 0.5;
  const [tone, slopeY, slopeX] = [u(90, 240), u(-4, 4), u(-4, 4)];
  const pixels = new Array<number>(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const shape = ellipse ? Math.hypot((y - cy) / hy, (x - cx) / hx) : Math.max(Math.abs(y - cy) / hy, Math.abs(x - cx) / hx);
      const value = Math.min(1, Math.max(0, (1 - shape) * 6)) * (tone + slopeY * (y - cy) + slopeX * (x - cx));
      pixels[y * 28 + x] = Math.floor(Math.min(255, Math.max(0, value))) / 255;
    }
  }
  return pixels;
}

/**
 * Pixels of a CIFAR-like 32x32 colour image (channels last, as keras.datasets gives it; 0 to 1):
 * a 5x5 grid of random colours interpolated bilinearly to 32x32, plus noise of up to 16 levels.
 */
export function colourField(uniform: () => number): number[] {
  const coarse = Array.from({ length: 3 * 25 }, () => Math.floor(uniform() * 256));
  const pixels = new Array<number>(3072);
  for (let y = 0; y < 32; y++) {
    const ay = (4 * y) / 31;
    const y0 = Math.min(3, Math.floor(ay));
    const fy = ay - y0;
    for (let x = 0; x < 32; x++) {
      const ax = (4 * x) / 31;
      const x0 = Math.min(3, Math.floor(ax));
      const fx = ax - x0;
      for (let c = 0; c < 3; c++) {
        const at = (i: number, j: number) => coarse[c * 25 + i * 5 + j];
        const smooth = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        const noisy = smooth + Math.floor(uniform() * 33) - 16;
        pixels[(y * 32 + x) * 3 + c] = Math.floor(Math.min(255, Math.max(0, noisy))) / 255;
      }
    }
  }
  return pixels;
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
    case 'filled': {
      const [rows, width] = rowsAndWidth(recipe.shape);
      return Array.from({ length: rows }, () => new Array<number>(width).fill(recipe.value));
    }
  }
}

export function materializeRecipe(recipe: Exclude<DataRecipe, { kind: 'same-as-x' }>, seed: number): number[][] {
  return applyTransforms(drawRecipe(recipe, seed), recipe.transforms, seed, 'stream' in recipe ? recipe.stream : 0).x;
}
