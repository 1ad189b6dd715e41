/** Element-wise and matrix arithmetic on row-major arrays (one row per sample), and the seeded generator their draws use, shared by the analysis and the reproduction's replay. */

export function applyToRows(rows: number[][], f: (v: number, column: number) => number): number[][] {
  return rows.map((r) => r.map((v, c) => f(v, c)));
}

/** `rows @ m`, each row's first `m.length` values times m (a value missing from m counts as NaN). */
export function matrixProduct(rows: number[][], m: number[][]): number[][] {
  const inner = m.length;
  const columns = m[0]?.length ?? 0;
  return rows.map((row) => {
    const out = new Array<number>(columns).fill(0);
    for (let k = 0; k < inner; k++) {
      const v = row[k];
      const mk = m[k];
      for (let j = 0; j < columns; j++) out[j] += v * (mk[j] ?? NaN);
    }
    return out;
  });
}

/** The sample padded as `np.pad` pads it: the values of `sample` (row-major, of `shape`) inside `value`s. */
export function paddedSample(sample: readonly number[], shape: readonly number[], widths: ReadonlyArray<readonly [number, number]>, value: number): number[] {
  const outShape = shape.map((n, k) => n + widths[k][0] + widths[k][1]);
  const out = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(value);
  const inStrides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const outStrides = outShape.map((_, k) => outShape.slice(k + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < sample.length; i++) {
    let at = 0;
    for (let k = 0; k < shape.length; k++) at += (Math.floor(i / inStrides[k]) % shape[k] + widths[k][0]) * outStrides[k];
    out[at] = sample[i];
  }
  return out;
}

/** numpy's rounding: half to even (`np.round(2.5)` is 2.0). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy's element-wise functions that the analysis computes and the reproduction replays (`np.sqrt(x)`, `np.round(x)`), by name. */
export const ELEMENTWISE_FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  sqrt: Math.sqrt,
  exp: Math.exp,
  expm1: Math.expm1,
  abs: Math.abs,
  absolute: Math.abs,
  tanh: Math.tanh,
  arcsinh: Math.asinh,
  sin: Math.sin,
  cos: Math.cos,
  square: (x) => x * x,
  round: roundHalfEven,
  around: roundHalfEven,
  rint: roundHalfEven,
  floor: Math.floor,
  ceil: Math.ceil,
  sign: Math.sign,
};

/** A small, fast, seedable generator (mulberry32); every recipe draws from its own stream. */
export function seededRandom(seed: number, stream = 0): () => number {
  return mulberry32(Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b));
}

/** mulberry32 from a 32-bit state: uniform numbers in [0, 1). */
export function mulberry32(initial: number): () => number {
  let state = initial >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
