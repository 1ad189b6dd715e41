/**
 * Data-preparation programs as people write them, generated from a grammar of idioms: a source
 * (`np.random.*` old and new, literals, `zeros`/`ones`/`full`/`arange`/`linspace`, a DataFrame, a
 * helper that returns the array) followed by steps (arithmetic, hand-written and scikit-learn
 * scaling, `log1p`/`sqrt`/`clip`, reshapes, slices, `np.newaxis`, concatenation, `astype`,
 * pandas column subsets, `dropna`/`fillna`, NaN injection, splits), ending in `model.fit(X, X)` on
 * a small Keras model.
 *
 * The arbitrary draws plain numbers (a source record and a list of step records); `buildProgram`
 * interprets them against the shape, dtype and contents the program has so far, skipping a step
 * that does not apply, so that every program runs in numpy without an error and shrinking
 * (dropping steps, smaller numbers) always gives another valid program.
 */
import fc from 'fast-check';

/** One statement group of a program: what it does, and the variable it leaves the array in. */
export interface Chunk {
  code: string;
  /** The idiom it exercises (for the per-idiom unknown rate); the header has none. */
  idiom?: string;
  /** The variable holding the array after this chunk (the one `fit` would get), if any. */
  variable?: string;
  /** That variable's shape (rows first), as numpy has it, for the Keras input of the model. */
  shape?: number[];
}

export interface Program {
  chunks: Chunk[];
  /** The validation array the final `fit` passes, if the program split one off. */
  validation?: string;
  /** The draws it was built from (printed with a failing program). */
  choice: ProgramChoice;
}

export const HEADER = [
  'import numpy as np',
  'import pandas as pd',
  'from sklearn.preprocessing import MinMaxScaler, StandardScaler',
  'from sklearn.model_selection import train_test_split',
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  '',
].join('\n');

/** The model and its `fit` on `variable` (shape rows first): a small dense autoencoder. */
export function modelCode(variable: string, shape: number[], validation?: string): string {
  const sample = shape.length <= 1 ? [1] : shape.slice(1);
  const width = sample.reduce((a, b) => a * b, 1);
  const layers = [`keras.Input(shape=(${sample.join(', ')},))`];
  if (sample.length > 1) layers.push('layers.Flatten()');
  layers.push('layers.Dense(4, activation="relu")', `layers.Dense(${width})`);
  if (sample.length > 1) layers.push(`layers.Reshape((${sample.join(', ')},))`);
  const val = validation ? `, validation_data=(${validation}, ${validation})` : '';
  return [
    `model = keras.Sequential([${layers.join(', ')}])`,
    'model.compile(optimizer="adam", loss="mse")',
    `model.fit(${variable}, ${variable}, epochs=1, batch_size=16${val})`,
    '',
  ].join('\n');
}

/** The whole program text up to chunk `upTo` (inclusive), ending with the model fitted on that chunk's array. */
export function programText(program: Program, upTo = program.chunks.length - 1): string | undefined {
  const last = program.chunks[upTo];
  if (!last?.variable || !last.shape) return undefined;
  const body = program.chunks.slice(0, upTo + 1).map((c) => c.code).join('');
  const validation = upTo === program.chunks.length - 1 ? program.validation : undefined;
  return body + modelCode(last.variable, last.shape, validation);
}

// ---- the draws

export const SOURCE_KINDS = [
  'rand',
  'randn',
  'uniform',
  'normal',
  'randint',
  'random_sample',
  'standard_normal',
  'rng.normal',
  'rng.integers',
  'rng.random',
  'rng.uniform',
  'rng.standard_normal',
  'literal',
  'literal.T',
  'rand.T',
  'zeros',
  'ones',
  'full',
  'arange',
  'linspace',
  'helper',
  'dataframe',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const STEP_KINDS = [
  'scalar',
  'center',
  'standardize',
  'minmax',
  'divmax',
  'function',
  'clip',
  'reshape',
  'rows',
  'columns',
  'column',
  'newaxis',
  'astype',
  'concat',
  'hstack',
  'scaler',
  'scaler-fit-transform',
  'split',
  'train_test_split',
  'nan',
  'constant-column',
  'to-frame',
  'frame-values',
  'frame-columns',
  'dropna',
  'fillna',
  'frame-zscore',
  'nan_to_num',
  'shuffle',
  'mask',
  'repeat',
  'fancy',
  'squeeze',
  'transpose',
  'choice',
  'window',
  'stack',
  'row-center',
  'pandas-series-op',
  'power',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Steps that need a DataFrame: drawn on an array, they make one first. */
const FRAME_STEPS = new Set<StepKind>(['frame-values', 'frame-columns', 'dropna', 'fillna', 'frame-zscore']);

export interface SourceChoice {
  kind: SourceKind;
  rows: number;
  cols: number;
  wide: boolean;
  p: number[];
}

export interface StepChoice {
  kind: StepKind;
  p: number[];
  /** 0: the step's expression goes into a helper function (`def prepare(a): return ...`). */
  wrap: number;
}

export interface ProgramChoice {
  source: SourceChoice;
  steps: StepChoice[];
  name: number;
}

const draws = (n: number) => fc.array(fc.nat(9999), { minLength: n, maxLength: n });

export const sourceChoiceArb: fc.Arbitrary<SourceChoice> = fc.record({
  kind: fc.constantFrom(...SOURCE_KINDS),
  rows: fc.integer({ min: 2, max: 120 }),
  cols: fc.integer({ min: 1, max: 8 }),
  wide: fc.boolean().chain((b) => (b ? fc.constant(false) : fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }))),
  p: draws(6),
});

export const stepChoiceArb: fc.Arbitrary<StepChoice> = fc.record({
  kind: fc.constantFrom(...STEP_KINDS),
  p: draws(5),
  wrap: fc.nat(9),
});

export const programChoiceArb: fc.Arbitrary<ProgramChoice> = fc.record({
  source: sourceChoiceArb,
  steps: fc.array(stepChoiceArb, { maxLength: 8 }),
  name: fc.nat(5),
});

export const programArb: fc.Arbitrary<Program> = programChoiceArb.map(buildProgram);

// ---- the builder

/** What the generator knows of the array so far, to keep every step valid in numpy. */
interface Sym {
  shape: number[];
  /** False after a row filter (`dropna`, a mask): shape[0] is then only an upper bound. */
  rowsKnown: boolean;
  dtype: 'float' | 'int';
  /** Column names while the array is a DataFrame. */
  frame: string[] | null;
  /** `.values` of a DataFrame may be read-only (pandas copy-on-write): no assignment into it. */
  readonly: boolean;
  mayNaN: boolean;
  mayInf: boolean;
  /** After a row filter: maybe no rows at all (numpy's min and max, and the scalers, raise on those). */
  mayBeEmpty?: boolean;
}

const pick = <T>(items: readonly T[], p: number): T => items[p % items.length];
const num = (v: number): string => (Number.isInteger(v) ? `${v}` : `${v}`);
const fl = (v: number): string => (Number.isInteger(v) ? `${v}.0` : `${v}`);
const tuple = (dims: (number | string)[]): string => (dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`);
const width = (shape: number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);

const LITERAL_VALUES = [0, 1, 2, 3, -1, 0.5, 2.5, 10, 100, 1000, 5000, -3.25, 0.001, 7, 42, 255];
const SCALARS = [255, 2, 0.5, 10, 1000, 3.5, 0.001, 100, 1];

class Builder {
  readonly chunks: Chunk[] = [{ code: HEADER }];
  sym: Sym;
  x: string;
  validation?: string;
  private helpers = 0;
  /** Code that goes before the next chunk's own (the DataFrame a pandas step needs). */
  private prelude = '';
  private frameName = 'df';

  constructor(readonly choice: ProgramChoice) {
    this.x = pick(['X', 'X', 'X', 'x_train', 'data', 'features'], choice.name);
    this.sym = { shape: [1], rowsKnown: true, dtype: 'float', frame: null, readonly: false, mayNaN: false, mayInf: false };
  }

  emit(code: string, idiom: string, variable = this.x): void {
    this.chunks.push({ code: this.prelude + (code.endsWith('\n') ? code : `${code}\n`), idiom, variable, shape: this.sym.shape.slice() });
    this.prelude = '';
  }

  /** `X = EXPR(X)`, or through a helper function when `wrap` says so. */
  assign(expr: (v: string) => string, idiom: string, wrap: number): void {
    if (wrap === 0) {
      const fn = `prepare${this.helpers++ || ''}`;
      this.emit(`def ${fn}(a):\n    return ${expr('a')}\n${this.x} = ${fn}(${this.x})\n`, idiom);
    } else this.emit(`${this.x} = ${expr(this.x)}\n`, idiom);
  }

  // -- sources

  source(s: SourceChoice): void {
    const n = s.rows;
    const d = s.wide ? pick([70, 100, 784], s.p[5]) : s.cols;
    const rank3 = !s.wide && s.p[4] % 7 === 0 && d > 1;
    const dims = rank3 ? [n, d, pick([1, 2, 3], s.p[3])] : s.p[4] % 11 === 1 ? [n] : [n, d];
    const shape = tuple(dims);
    const [a, b, c] = s.p;
    const lo = pick([0, -1, 1, -5, 10, 0.5], a);
    const span = pick([1, 2, 10, 255, 1000, 0.1], b);
    const x = this.x;
    this.sym = { shape: dims, rowsKnown: true, dtype: 'float', frame: null, readonly: false, mayNaN: false, mayInf: false };
    const set = (code: string, idiom: string, dtype: 'float' | 'int' = 'float') => {
      this.sym.dtype = dtype;
      this.emit(code, idiom);
    };
    switch (s.kind) {
      case 'rand':
        return set(`${x} = np.random.rand(${dims.join(', ')})\n`, 'np.random.rand');
      case 'randn':
        return set(`${x} = np.random.randn(${dims.join(', ')})${span !== 1 ? ` * ${num(span)}` : ''}\n`, 'np.random.randn');
      case 'uniform':
        return set(`${x} = np.random.uniform(${fl(lo)}, ${fl(lo + span)}, size=${shape})\n`, 'np.random.uniform');
      case 'normal':
        return set(`${x} = np.random.normal(${num(lo)}, ${num(span)}, size=${shape})\n`, 'np.random.normal');
      case 'randint': {
        const low = Math.trunc(lo);
        const high = low + Math.max(1, Math.round(span));
        return c % 2 === 0 ? set(`${x} = np.random.randint(${low}, ${high}, size=${shape})\n`, 'np.random.randint', 'int') : set(`${x} = np.random.randint(${Math.max(1, high)}, size=${shape})\n`, 'np.random.randint', 'int');
      }
      case 'random_sample':
        return set(`${x} = np.random.${pick(['random', 'random_sample'], c)}(${shape})\n`, 'np.random.random');
      case 'standard_normal':
        return set(`${x} = np.random.standard_normal(${shape})\n`, 'np.random.standard_normal');
      case 'rng.normal':
        return set(`rng = np.random.default_rng(${c % 100})\n${x} = rng.normal(${num(lo)}, ${num(span)}, size=${shape})\n`, 'rng.normal');
      case 'rng.integers': {
        const low = Math.trunc(lo);
        const high = low + Math.max(1, Math.round(span));
        return set(`rng = np.random.default_rng(${c % 100})\n${x} = rng.integers(${low}, ${high}, size=${shape})\n`, 'rng.integers', 'int');
      }
      case 'rng.random':
        return set(`rng = np.random.default_rng(${c % 100})\n${x} = rng.random(${shape})\n`, 'rng.random');
      case 'rng.uniform':
        return set(`rng = np.random.default_rng(${c % 100})\n${x} = rng.uniform(${fl(lo)}, ${fl(lo + span)}, size=${shape})\n`, 'rng.uniform');
      case 'rng.standard_normal':
        return set(`rng = np.random.default_rng(${c % 100})\n${x} = rng.standard_normal(${shape})\n`, 'rng.standard_normal');
      case 'literal':
      case 'literal.T': {
        const rows = Math.min(n, 8);
        const cols = Math.min(d, 5);
        const transpose = s.kind === 'literal.T';
        const outer = transpose ? cols : rows;
        const inner = transpose ? rows : cols;
        let floats = false;
        let nan = false;
        const values: string[][] = [];
        for (let i = 0; i < outer; i++) {
          const row: string[] = [];
          for (let j = 0; j < inner; j++) {
            const k = (s.p[(i + j) % 4] + 7 * i + 13 * j) % 97;
            if (k === 0 && c % 3 === 0) {
              row.push('np.nan');
              nan = true;
            } else {
              const v = LITERAL_VALUES[k % LITERAL_VALUES.length];
              const f = a % 2 === 0 && k % 3 === 0;
              if (f || !Number.isInteger(v)) floats = true;
              row.push(f ? fl(v) : num(v));
            }
          }
          values.push(row);
        }
        const oneD = !transpose && inner === 1 && b % 3 === 0;
        const text = oneD ? `[${values.map((r) => r[0]).join(', ')}]` : `[${values.map((r) => `[${r.join(', ')}]`).join(', ')}]`;
        this.sym.shape = oneD ? [rows] : [rows, cols];
        this.sym.mayNaN = nan;
        return set(`${x} = np.array(${text})${transpose ? '.T' : ''}\n`, transpose ? 'literal .T' : 'np.array literal', floats || nan ? 'float' : 'int');
      }
      case 'rand.T':
        this.sym.shape = [n, d];
        return set(`${x} = np.random.rand(${d}, ${n}).T\n`, 'rand().T');
      case 'zeros':
        return set(`${x} = np.zeros(${shape})\n`, 'np.zeros');
      case 'ones':
        return set(`${x} = np.ones(${shape})${span !== 1 ? ` * ${num(span)}` : ''}\n`, 'np.ones');
      case 'full':
        return set(`${x} = np.full(${shape}, ${fl(lo + span)})\n`, 'np.full');
      case 'arange': {
        const total = dims.reduce((p, q) => p * q, 1);
        if (dims.length === 1) return set(`${x} = np.arange(${n})${c % 2 ? ' / 10.0' : ''}\n`, 'np.arange', c % 2 ? 'float' : 'int');
        return set(`${x} = np.arange(${total}).reshape(${dims.join(', ')})${c % 2 ? '.astype("float32")' : ''}\n`, 'np.arange', c % 2 ? 'float' : 'int');
      }
      case 'linspace': {
        const total = dims.reduce((p, q) => p * q, 1);
        if (dims.length === 1) return set(`${x} = np.linspace(${num(lo)}, ${num(lo + span)}, ${n})\n`, 'np.linspace');
        return set(`${x} = np.linspace(${num(lo)}, ${num(lo + span)}, ${total}).reshape(${c % 2 ? dims.join(', ') : `-1, ${dims.slice(1).join(', ')}`})\n`, 'np.linspace');
      }
      case 'helper': {
        const inner = pick(['np.random.rand', 'np.random.randn'], c);
        return set(`def load_data(n=${n}):\n    data = ${inner}(${['n', ...dims.slice(1)].join(', ')})\n    return data${c % 3 === 0 ? '.astype("float32")' : ''}\n${x} = load_data()\n`, 'helper function source');
      }
      case 'dataframe': {
        if (dims.length !== 2) this.sym.shape = [n, d];
        const cols = Array.from({ length: d }, (_, i) => `f${i}`);
        this.sym.frame = cols;
        this.x = this.frameName;
        const values = pick(['np.random.rand', 'np.random.randn'], c);
        return set(`${this.frameName} = pd.DataFrame(${values}(${n}, ${d}) * ${num(span)}, columns=[${cols.map((q) => `"${q}"`).join(', ')}])\n`, 'pd.DataFrame');
      }
    }
  }

  // -- steps

  step(s: StepChoice): void {
    // A pandas step on an array starts by making the DataFrame, in the same chunk.
    if (FRAME_STEPS.has(s.kind) && this.sym.frame === null && this.sym.shape.length === 2 && s.wrap % 2 === 0) {
      const saved = { sym: this.sym, x: this.x, count: this.chunks.length };
      const cols = Array.from({ length: this.sym.shape[1] }, (_, i) => `c${i}`);
      this.prelude = `${this.frameName} = pd.DataFrame(${this.x}, columns=[${cols.map((q) => `"${q}"`).join(', ')}])\n`;
      this.x = this.frameName;
      this.sym = { ...this.sym, frame: cols };
      this.stepOn(s);
      if (this.chunks.length === saved.count) {
        this.sym = saved.sym;
        this.x = saved.x;
      }
      this.prelude = '';
      return;
    }
    this.stepOn(s);
  }

  private stepOn(s: StepChoice): void {
    const sym = this.sym;
    const [a, b, c] = s.p;
    const rank = sym.shape.length;
    const n = sym.shape[0];
    const frame = sym.frame !== null;
    const float = (more: Partial<Sym> = {}) => {
      this.sym = { ...this.sym, dtype: 'float', readonly: false, ...more };
    };
    switch (s.kind) {
      case 'scalar': {
        const k = pick(SCALARS, a);
        const op = pick(['/', '*', '+', '-', 'rsub'], b);
        const text = fl(k);
        if (op === 'rsub') this.assign((v) => `${text} - ${v}`, 'scalar arithmetic', s.wrap);
        else this.assign((v) => `${v} ${op} ${op === '/' && c % 2 ? text : num(k)}`, `scalar ${op}`, s.wrap);
        if (op === '/' || !Number.isInteger(k) || op === 'rsub') float();
        else this.sym.readonly = false;
        return;
      }
      case 'center': {
        const form = c % 3;
        this.assign((v) => (form === 0 ? `${v} - ${v}.mean(axis=0)` : form === 1 ? `${v} - np.mean(${v}, axis=0)` : `${v} - ${v}.mean()`), form === 2 ? 'center (whole array)' : 'center axis=0', s.wrap);
        return float();
      }
      case 'standardize': {
        const form = c % 4;
        const eps = a % 2 === 0 ? ' + 1e-8' : '';
        const text = (v: string): string => {
          if (form === 0) return `(${v} - ${v}.mean(axis=0)) / (${v}.std(axis=0)${eps})`;
          if (form === 1) return `(${v} - np.mean(${v}, axis=0)) / (np.std(${v}, axis=0)${eps})`;
          if (form === 2) return `(${v} - ${v}.mean()) / (${v}.std()${eps})`;
          return `(${v} - np.mean(${v})) / np.std(${v})`;
        };
        this.assign(text, form <= 1 ? 'standardize axis=0' : 'standardize (whole array)', s.wrap);
        return float({ mayNaN: true, mayInf: true });
      }
      case 'minmax': {
        if (sym.mayBeEmpty) return;
        const perColumn = c % 2 === 0;
        this.assign(
          (v) => (perColumn ? `(${v} - ${v}.min(axis=0)) / (${v}.max(axis=0) - ${v}.min(axis=0))` : `(${v} - ${v}.min()) / (${v}.max() - ${v}.min())`),
          perColumn ? 'min-max axis=0' : 'min-max (whole array)',
          s.wrap,
        );
        return float({ mayNaN: true, mayInf: true });
      }
      case 'divmax': {
        if (sym.mayBeEmpty) return;
        const form = c % 3;
        this.assign((v) => (form === 0 ? `${v} / ${v}.max()` : form === 1 ? `${v} / np.max(${v}, axis=0)` : `${v} / np.abs(${v}).max()`), form === 1 ? 'divide by max axis=0' : 'divide by max', s.wrap);
        return float({ mayNaN: true, mayInf: true });
      }
      case 'function': {
        const fn = pick(['np.log1p', 'np.log', 'np.sqrt', 'np.abs', 'np.exp', 'np.tanh', 'log1p(abs)', 'sqrt(abs)', 'np.log(x + 1)'], a);
        const text = (v: string): string => {
          if (fn === 'log1p(abs)') return `np.log1p(np.abs(${v}))`;
          if (fn === 'sqrt(abs)') return `np.sqrt(np.abs(${v}))`;
          if (fn === 'np.log(x + 1)') return `np.log(${v} + 1)`;
          return `${fn}(${v})`;
        };
        this.assign(text, fn, s.wrap);
        const risky = fn === 'np.log' || fn === 'np.sqrt' || fn === 'np.log1p' || fn === 'np.exp' || fn === 'np.log(x + 1)';
        // np.abs keeps an integer array integer.
        if (fn === 'np.abs') {
          this.sym.readonly = false;
          return;
        }
        return float(risky ? { mayNaN: true, mayInf: true } : {});
      }
      case 'clip': {
        const lo = pick([0, -1, 0.5, -3, 1], a);
        const hi = lo + pick([1, 2, 5, 100], b);
        const form = c % 3;
        if (frame && form === 1) return;
        this.assign((v) => (form === 0 ? `np.clip(${v}, ${num(lo)}, ${num(hi)})` : form === 1 ? `${v}.clip(${num(lo)}, ${num(hi)})` : `np.clip(${v}, ${num(lo)}, None)`), 'clip', s.wrap);
        if (sym.dtype === 'int' && (!Number.isInteger(lo) || !Number.isInteger(hi))) float();
        this.sym.mayInf = form === 2 ? sym.mayInf : false;
        this.sym.readonly = false;
        return;
      }
      case 'reshape': {
        if (frame) return;
        const w = width(sym.shape);
        const form = a % 5;
        if (form === 0) {
          this.emit(`${this.x} = ${this.x}.reshape(-1, ${w})\n`, 'reshape(-1, w)');
          this.sym.shape = [n, w];
        } else if (form === 1) {
          if (sym.mayBeEmpty) return;
          this.emit(`${this.x} = ${this.x}.reshape(len(${this.x}), -1)\n`, 'reshape(len, -1)');
          this.sym.shape = [n, w];
        } else if (form === 2) {
          const divisors = Array.from({ length: w }, (_, i) => i + 1).filter((k) => w % k === 0 && k > 1 && k < w);
          if (divisors.length === 0) return;
          const k = pick(divisors, b);
          this.sym.shape = [n, w / k, k];
          this.emit(`${this.x} = ${this.x}.reshape(${c % 2 ? -1 : this.sym.rowsKnown ? n : -1}, ${w / k}, ${k})\n`, 'reshape to 3-D');
        } else if (form === 3) {
          if (!sym.rowsKnown) return;
          this.sym.shape = [n * w];
          this.emit(`${this.x} = ${this.x}.reshape(-1)\n`, 'reshape(-1)');
        } else {
          this.sym.shape = [n, w];
          this.emit(`${this.x} = np.reshape(${this.x}, (${sym.rowsKnown && b % 2 ? n : -1}, ${w}))\n`, 'np.reshape');
        }
        return;
      }
      case 'rows': {
        if (!sym.rowsKnown || n < 2) return;
        const k = 1 + (a % (n - 1));
        const form = b % 6;
        const texts = [`${this.x}[:${k}]`, `${this.x}[${k}:]`, `${this.x}[-${k}:]`, `${this.x}[::2]`, `${this.x}[${Math.floor(k / 2)}:${k}]`, `${this.x}[:-${k}]`];
        const sizes = [k, n - k, k, Math.ceil(n / 2), k - Math.floor(k / 2), n - k];
        const idiom = ['x[:n]', 'x[n:]', 'x[-n:]', 'x[::2]', 'x[a:b]', 'x[:-n]'][form];
        const t = frame && form === 3 ? `${this.x}.iloc[::2]` : texts[form];
        this.emit(`${this.x} = ${t}\n`, idiom);
        this.sym.shape = [sizes[form], ...sym.shape.slice(1)];
        return;
      }
      case 'columns': {
        if (rank < 2 || sym.shape[1] < 2) return;
        const d = sym.shape[1];
        const lo = a % (d - 1);
        const hi = lo + 1 + (b % (d - lo));
        const v = frame ? `${this.x}.iloc` : this.x;
        const form = c % 3;
        const text = form === 0 ? `${v}[:, ${lo}:${hi}]` : form === 1 ? `${v}[:, :${hi}]` : `${v}[:, -${d - lo}:]`;
        const cols = form === 0 ? hi - lo : form === 1 ? hi : d - lo;
        this.emit(`${this.x} = ${text}\n`, 'x[:, a:b]');
        this.sym.shape = [n, cols, ...sym.shape.slice(2)];
        if (frame) this.sym.frame = sym.frame!.slice(form === 1 ? 0 : lo, form === 1 ? hi : form === 0 ? hi : d);
        return;
      }
      case 'column': {
        if (rank !== 2 || frame) return;
        const j = a % sym.shape[1];
        this.emit(`${this.x} = ${this.x}[:, ${j}]\n`, 'x[:, j]');
        this.sym.shape = [n];
        return;
      }
      case 'newaxis': {
        if (frame) return;
        const form = a % 4;
        const texts = [`${this.x}[..., np.newaxis]`, `${this.x}[:, None]`, `np.expand_dims(${this.x}, -1)`, `np.expand_dims(${this.x}, axis=1)`];
        const idioms = ['x[..., np.newaxis]', 'x[:, None]', 'np.expand_dims(x, -1)', 'np.expand_dims(x, 1)'];
        if (rank >= 3) return;
        this.emit(`${this.x} = ${texts[form]}\n`, idioms[form]);
        this.sym.shape = form === 0 || form === 2 ? [...sym.shape, 1] : [n, 1, ...sym.shape.slice(1)];
        return;
      }
      case 'astype': {
        const t = pick(['"float32"', 'np.float32', '"float64"', '"int32"', 'float'], a);
        if (t === '"int32"' && (sym.mayNaN || sym.mayInf)) return;
        this.emit(`${this.x} = ${this.x}.astype(${t})\n`, t === '"int32"' ? 'astype(int32)' : 'astype(float)');
        this.sym.dtype = t === '"int32"' ? 'int' : 'float';
        this.sym.readonly = false;
        return;
      }
      case 'concat':
      case 'hstack': {
        if (frame) return;
        const horizontal = s.kind === 'hstack';
        if (horizontal && (rank !== 2 || !sym.rowsKnown)) return;
        const m = horizontal ? n : 1 + (a % 20);
        const other = horizontal ? [n, 1 + (b % 3)] : [m, ...sym.shape.slice(1)];
        const rowsText = horizontal && c % 2 ? `len(${this.x})` : `${other[0]}`;
        const otherShape = tuple([rowsText, ...other.slice(1)]);
        const kind = pick(['rand', 'zeros', 'ones', 'full', 'randn'], b >> 2);
        const made = kind === 'rand' ? `np.random.rand(${[rowsText, ...other.slice(1)].join(', ')})` : kind === 'randn' ? `np.random.randn(${[rowsText, ...other.slice(1)].join(', ')})` : kind === 'full' ? `np.full(${otherShape}, 7.0)` : `np.${kind}(${otherShape})`;
        const form = c % 3;
        let text: string;
        if (horizontal) text = form === 0 ? `np.hstack([${this.x}, extra])` : form === 1 ? `np.concatenate([${this.x}, extra], axis=1)` : `np.column_stack([${this.x}, extra])`;
        else text = form === 0 ? `np.vstack([${this.x}, extra])` : form === 1 ? `np.concatenate([${this.x}, extra])` : `np.concatenate((${this.x}, extra), axis=0)`;
        if (!horizontal && rank === 1 && form === 0) return;
        this.emit(`extra = ${made}\n${this.x} = ${text}\n`, horizontal ? `hstack with ${kind}` : `vstack with ${kind}`);
        this.sym.shape = horizontal ? [n, sym.shape[1] + other[1]] : [n + m, ...sym.shape.slice(1)];
        float();
        return;
      }
      case 'scaler':
      case 'scaler-fit-transform': {
        if (rank !== 2 || !sym.rowsKnown || n < 1 || sym.mayInf || sym.mayBeEmpty) return;
        const scaler = pick(['MinMaxScaler()', 'StandardScaler()', 'MinMaxScaler(feature_range=(-1, 1))'], a);
        const name = scaler.startsWith('Min') ? 'MinMaxScaler' : 'StandardScaler';
        const out = frame ? 'X' : this.x;
        if (s.kind === 'scaler') this.emit(`scaler = ${scaler}\n${out} = scaler.fit_transform(${this.x})\n`, `${name}.fit_transform`);
        else this.emit(`scaler = ${scaler}\nscaler.fit(${this.x})\n${out} = scaler.transform(${this.x})\n`, `${name}.fit + transform`);
        this.sym.frame = null;
        this.x = out;
        return float();
      }
      case 'split': {
        if (!sym.rowsKnown || n < 4) return;
        const k = Math.max(1, Math.min(n - 1, Math.floor((n * pick([0.8, 0.75, 0.5, 0.9], a)))));
        const idx = b % 2 ? `${k}` : `int(len(${this.x}) * ${pick([0.8, 0.75, 0.5, 0.9], a)})`;
        const valName = 'X_test';
        const train = this.x === 'x_train' ? 'x_tr' : 'X_train';
        this.emit(`${train}, ${valName} = ${this.x}[:${idx}], ${this.x}[${idx}:]\n`, 'split by slicing', train);
        this.x = train;
        this.sym.shape = [k, ...sym.shape.slice(1)];
        this.validation = valName;
        return;
      }
      case 'train_test_split': {
        if (!sym.rowsKnown || n < 4 || frame) return;
        const size = pick([0.2, 0.25, 0.1, 0.5], a);
        const test = Math.ceil(n * size);
        const train = this.x === 'x_train' ? 'x_tr' : 'X_train';
        this.emit(`${train}, X_test = train_test_split(${this.x}, test_size=${size}, random_state=${b % 50})\n`, 'train_test_split', train);
        this.x = train;
        this.sym.shape = [n - test, ...sym.shape.slice(1)];
        this.validation = 'X_test';
        return;
      }
      case 'nan':
      case 'constant-column': {
        if (sym.dtype !== 'float' || sym.readonly || !sym.rowsKnown || n < 1) return;
        const i = a % n;
        const index = sym.shape.slice(1).map((d, k) => (s.p[k + 1] ?? 0) % d);
        const target = frame ? `${this.x}.iloc` : this.x;
        if (s.kind === 'nan') {
          const value = pick(['np.nan', 'np.nan', 'np.inf', 'np.nan'], c);
          const whole = b % 5 === 0 && rank >= 2;
          const where = whole ? `${target}[${i}]` : `${target}[${[i, ...index].join(', ')}]`;
          if (frame && whole) return;
          this.emit(`${where} = ${value}\n`, value === 'np.inf' ? 'inf injection' : 'NaN injection');
          this.sym.mayNaN ||= value === 'np.nan';
          this.sym.mayInf ||= value === 'np.inf';
        } else {
          if (rank !== 2) return;
          const j = index[0];
          const value = pick([0, 1, 5, 7.5, 1000], b);
          this.emit(`${target}[:, ${j}] = ${fl(value)}\n`, 'constant column');
        }
        return;
      }
      case 'to-frame': {
        if (frame || rank !== 2) return;
        const cols = Array.from({ length: sym.shape[1] }, (_, i) => `c${i}`);
        this.emit(`${this.frameName} = pd.DataFrame(${this.x}, columns=[${cols.map((q) => `"${q}"`).join(', ')}])\n`, 'pd.DataFrame(array)', this.frameName);
        this.x = this.frameName;
        this.sym.frame = cols;
        return;
      }
      case 'frame-values': {
        if (!frame) return;
        const form = a % 3;
        const out = 'X';
        this.emit(`${out} = ${this.x}${form === 0 ? '.values' : form === 1 ? '.to_numpy()' : '.astype("float32").values'}\n`, form === 0 ? 'df.values' : form === 1 ? 'df.to_numpy()' : 'df.astype().values', out);
        this.x = out;
        this.sym = { ...sym, frame: null, readonly: true, dtype: form === 2 ? 'float' : sym.dtype };
        return;
      }
      case 'frame-columns': {
        if (!frame || sym.frame!.length < 2) return;
        const cols = sym.frame!;
        const chosen = cols.filter((_, i) => (a >> i) % 2 === 1 || i === b % cols.length);
        const out = c % 2 ? 'X' : this.x;
        this.emit(`${out} = ${this.x}[[${chosen.map((q) => `"${q}"`).join(', ')}]]${c % 2 ? '.values' : ''}\n`, c % 2 ? 'df[cols].values' : 'df[cols]', out);
        this.sym.shape = [n, chosen.length];
        if (c % 2) {
          this.x = 'X';
          this.sym = { ...this.sym, frame: null, readonly: true };
        } else this.sym.frame = chosen;
        return;
      }
      case 'dropna': {
        if (!frame) return;
        this.emit(`${this.x} = ${this.x}.dropna()\n`, 'df.dropna()');
        if (sym.mayNaN) {
          this.sym.rowsKnown = false;
          this.sym.mayBeEmpty = true;
        }
        this.sym.mayNaN = false;
        return;
      }
      case 'fillna': {
        if (!frame) return;
        const form = a % 3;
        this.emit(`${this.x} = ${this.x}.fillna(${form === 0 ? '0' : form === 1 ? `${this.x}.mean()` : '-1.0'})\n`, form === 1 ? 'df.fillna(df.mean())' : 'df.fillna(value)');
        // An integer frame holds no NaN: fillna leaves it integer. A column of NaN only has a NaN mean.
        if (form !== 1) this.sym.mayNaN = false;
        return;
      }
      case 'frame-zscore': {
        if (!frame) return;
        this.emit(`${this.x} = (${this.x} - ${this.x}.mean()) / ${this.x}.std()\n`, 'df z-score (pandas std)');
        return float({ mayNaN: true, mayInf: true, frame: sym.frame });
      }
      case 'nan_to_num': {
        if (frame) return;
        const form = a % 2;
        this.emit(`${this.x} = ${form === 0 ? `np.nan_to_num(${this.x})` : `np.where(np.isnan(${this.x}), 0.0, ${this.x})`}\n`, form === 0 ? 'np.nan_to_num' : 'np.where(isnan)');
        // np.nan_to_num keeps an integer array integer; np.where with 0.0 makes it float.
        if (form === 0) this.sym = { ...this.sym, mayNaN: false, mayInf: false, readonly: false };
        else float({ mayNaN: false });
        return;
      }
      case 'shuffle': {
        if (frame || !sym.rowsKnown) return;
        const form = a % 2;
        this.emit(form === 0 ? `idx = np.random.permutation(len(${this.x}))\n${this.x} = ${this.x}[idx]\n` : `np.random.shuffle(${this.x})\n`, form === 0 ? 'x[permutation]' : 'np.random.shuffle');
        if (sym.readonly && form === 1) this.chunks.pop();
        return;
      }
      case 'mask': {
        if (frame || rank > 2) return;
        const first = rank === 1 ? this.x : `${this.x}[:, 0]`;
        this.emit(`${this.x} = ${this.x}[${first} ${pick(['>', '<', '>='], a)} ${pick([0, 0.5, 10], b)}]\n`, 'boolean mask');
        this.sym.rowsKnown = false;
        this.sym.mayBeEmpty = true;
        this.sym.readonly = false;
        return;
      }
      case 'fancy': {
        if (frame || !sym.rowsKnown || n < 1) return;
        if (c % 2 === 0 || rank < 2) {
          const rows = Array.from({ length: 1 + (b % 5) }, (_, k) => ((a >> k) + 3 * k) % n);
          this.emit(`${this.x} = ${this.x}[[${rows.join(', ')}]]\n`, 'x[[i, j, ...]]');
          this.sym.shape = [rows.length, ...sym.shape.slice(1)];
        } else {
          const d = sym.shape[1];
          const cols = Array.from({ length: 1 + (b % 3) }, (_, k) => ((a >> k) + k) % d);
          this.emit(`${this.x} = ${this.x}[:, [${cols.join(', ')}]]\n`, 'x[:, [a, b]]');
          this.sym.shape = [n, cols.length, ...sym.shape.slice(2)];
        }
        this.sym.readonly = false;
        return;
      }
      case 'squeeze': {
        if (frame) return;
        const ones = sym.shape.map((d, k) => (d === 1 && k > 0 ? k : -1)).filter((k) => k > 0);
        if (ones.length === 0) return;
        if (a % 2 === 0) {
          const k = pick(ones, b);
          this.emit(`${this.x} = np.squeeze(${this.x}, axis=${k === sym.shape.length - 1 && c % 2 ? -1 : k})\n`, 'np.squeeze(x, axis)');
          this.sym.shape = sym.shape.filter((_, q) => q !== k);
        } else {
          if (sym.shape[0] === 1 || !sym.rowsKnown) return;
          this.emit(`${this.x} = ${this.x}.squeeze()\n`, 'x.squeeze()');
          this.sym.shape = sym.shape.filter((d, q) => q === 0 || d !== 1);
        }
        return;
      }
      case 'transpose': {
        if (frame || rank !== 2 || !sym.rowsKnown) return;
        this.emit(`${this.x} = ${a % 2 ? `np.transpose(${this.x})` : `${this.x}.T`}\n`, a % 2 ? 'np.transpose' : 'x.T');
        this.sym.shape = [sym.shape[1], sym.shape[0]];
        return;
      }
      case 'choice': {
        if (frame || !sym.rowsKnown || n < 2) return;
        const k = 1 + (a % (n - 1));
        const replace = b % 2 === 0;
        this.emit(`idx = np.random.choice(len(${this.x}), ${k}${replace ? '' : ', replace=False'})\n${this.x} = ${this.x}[idx]\n`, 'x[np.random.choice]');
        this.sym.shape = [k, ...sym.shape.slice(1)];
        this.sym.readonly = false;
        return;
      }
      case 'window': {
        if (frame || rank > 2 || n < 3) return;
        const w = 2 + (a % Math.min(5, n - 1));
        const count = n - w + 1;
        // After a mask the rows are not known: the windows' count is not either (np.stack raises on none, np.array gives shape (0,)).
        const unknownRows = sym.rowsKnown ? '' : ', rows unknown';
        const stacker = Math.floor(b / 2) % 2 === 0 ? 'np.array' : 'np.stack';
        // The window ahead of i (`x[i:i + w]`) or behind it (`x[i - w:i]` from i = w, as stock-price LSTM tutorials write it): the same windows.
        const behind = c % 2 === 1;
        // Of one column of a matrix (`x[i - w:i, 0]`): windows of that column.
        const ofColumn = rank === 2 && Math.floor(c / 2) % 2 === 1 ? c % sym.shape[1] : undefined;
        const picked = ofColumn === undefined ? '' : `, ${ofColumn}`;
        const loop = behind ? `for i in range(${w}, len(${this.x}) + 1)` : `for i in range(len(${this.x}) - ${w} + 1)`;
        const cut = behind ? `${this.x}[i - ${w}:i${picked}]` : `${this.x}[i:(i + ${w})${picked}]`;
        const form = `${behind ? ', behind' : ''}${ofColumn === undefined ? '' : ', one column'}`;
        if (b % 2 === 0) {
          this.emit(`${this.x} = ${stacker}([${behind || ofColumn !== undefined ? cut : `${this.x}[i:i + ${w}]`} ${loop}])\n`, `windows (comprehension, ${stacker}${form}${unknownRows})`);
        } else {
          this.emit(`windows = []\n${loop}:\n    windows.append(${cut})\n${this.x} = ${stacker}(windows)\n`, `windows (loop, ${stacker}${form}${unknownRows})`);
        }
        this.sym.shape = ofColumn === undefined ? [count, w, ...sym.shape.slice(1)] : [count, w];
        this.sym.readonly = false;
        return;
      }
      case 'stack': {
        if (frame || sym.dtype !== 'float') return;
        const axis = a % 2 === 0 ? -1 : 1;
        if (axis === 1 && rank < 1) return;
        this.emit(`${this.x} = np.stack([${this.x}, ${this.x} * 2.0], axis=${axis})\n`, 'np.stack');
        this.sym.shape = axis === -1 ? [...sym.shape, 2] : [n, 2, ...sym.shape.slice(1)];
        this.sym.readonly = false;
        return;
      }
      case 'row-center': {
        if (rank !== 2) return;
        if (frame) {
          this.emit(`${this.x} = ${this.x}.sub(${this.x}.mean(axis=1), axis=0)\n`, 'row centring');
        } else {
          this.emit(`${this.x} = ${this.x} - ${this.x}.${a % 2 ? 'mean' : 'max'}(axis=1, keepdims=True)\n`, 'row centring');
          // Less the row's max, an integer array stays integer.
          if (a % 2 === 0) {
            this.sym.readonly = false;
            return;
          }
        }
        return float({ mayNaN: true });
      }
      case 'pandas-series-op': {
        if (!frame) return;
        const op = pick(['pct_change()', 'diff()', 'rolling(3).mean()', 'cumsum()', 'shift(1)'], a);
        this.emit(`${this.x} = ${this.x}.${op}\n`, `df.${op.replace(/\(.*$/, '')}`);
        this.sym.rowsKnown = op.startsWith('rolling') || op.startsWith('pct') || op.startsWith('diff') || op.startsWith('shift') ? sym.rowsKnown : sym.rowsKnown;
        return float({ mayNaN: true, mayInf: true, frame: sym.frame });
      }
      case 'power': {
        if (frame && b % 3 === 2) return;
        const form = b % 3;
        this.assign((v) => (form === 0 ? `${v} ** 2` : form === 1 ? `np.square(${v})` : `np.power(${v}, 3)`), form === 0 ? 'x ** 2' : form === 1 ? 'np.square' : 'np.power', s.wrap);
        this.sym.readonly = false;
        this.sym.mayInf = true;
        return;
      }
      case 'repeat': {
        if (frame || !sym.rowsKnown) return;
        const k = 2 + (a % 2);
        const form = b % 2;
        if (form === 1 && rank !== 2) return;
        this.emit(`${this.x} = ${form === 0 ? `np.repeat(${this.x}, ${k}, axis=0)` : `np.tile(${this.x}, (${k}, 1))`}\n`, form === 0 ? 'np.repeat' : 'np.tile');
        this.sym.shape = [n * k, ...sym.shape.slice(1)];
        this.sym.readonly = false;
        return;
      }
    }
  }
}

/** How fast-check prints a program (a counterexample): as the Python it is. */
function printable(program: Program): Program {
  Object.defineProperty(program, fc.toStringMethod, { value: () => `\n${renderProgram(program)}`, enumerable: false });
  return program;
}

export function buildProgram(choice: ProgramChoice): Program {
  const b = new Builder(choice);
  const settle = (before: number): void => {
    // A step that did not apply leaves the program as it was; one that did leaves the array in `b.x`, shaped `b.sym.shape`.
    if (b.chunks.length === before) return;
    const last = b.chunks[b.chunks.length - 1];
    last.variable = b.x;
    last.shape = b.sym.shape.slice();
  };
  let before = b.chunks.length;
  b.source(choice.source);
  settle(before);
  for (const step of choice.steps) {
    before = b.chunks.length;
    b.step(step);
    settle(before);
  }
  return printable({ chunks: b.chunks, validation: b.validation, choice });
}

/** The program as one file, for a failure message. */
export function renderProgram(program: Program): string {
  return programText(program) ?? program.chunks.map((c) => c.code).join('');
}
