/**
 * Keras's Orthogonal initializer (the default recurrent kernel of LSTM, GRU and SimpleRNN), fast.
 * TensorFlow.js computes it with `tf.linalg.qr`, a Householder loop of small tensor operations:
 * the 512 x 2048 recurrent kernel of an LSTM(512) took 23 s to build on WebAssembly, longer than
 * a batch of its training. Here the QR factorization is plain floating-point arithmetic in one
 * array (modified Gram-Schmidt), a fraction of a second for the same kernel.
 *
 * As Keras 3 computes it: a standard-normal matrix of (max(rows, cols), min(rows, cols)), rows
 * being the product of all dimensions but the last; its Q with R's diagonal made positive;
 * transposed when rows < cols; times `gain`. The normal draws are nanguard's seeded ones, not
 * TensorFlow's, as for every other initializer of the reproduction.
 */
import { gaussian, seededRandom } from '../data';
import { tf } from './tf';

/** The orthogonal matrix of `shape` (row-major, as a tensor of that shape holds it). */
export function orthogonalValues(shape: readonly number[], gain: number, seed: number): Float32Array {
  if (shape.length < 2) throw new Error('an orthogonal initializer needs a shape of at least two dimensions');
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const cols = shape[shape.length - 1];
  const tall = Math.max(rows, cols);
  const wide = Math.min(rows, cols);
  // The columns of the tall matrix, each contiguous: Gram-Schmidt works column by column.
  const normal = gaussian(seededRandom(seed, 7));
  const q: Float64Array[] = Array.from({ length: wide }, () => new Float64Array(tall));
  for (let i = 0; i < tall; i++) for (let j = 0; j < wide; j++) q[j][i] = normal();
  for (let j = 0; j < wide; j++) {
    const v = q[j];
    for (let k = 0; k < j; k++) {
      const u = q[k];
      let dot = 0;
      for (let i = 0; i < tall; i++) dot += u[i] * v[i];
      for (let i = 0; i < tall; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += v[i] * v[i];
    // R's diagonal entry is this norm, positive: Keras's sign correction leaves Q as it is.
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < tall; i++) v[i] *= scale;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
  }
  return out;
}

/** Registered under tfjs-layers' own class name, so that every `Orthogonal` of a topology is this one. */
export class FastOrthogonal extends tf.serialization.Serializable {
  static className = 'Orthogonal';
  private readonly gain: number;
  private readonly seed: number;

  constructor(args: { gain?: number; seed?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed ?? 0;
  }

  override getClassName(): string {
    return FastOrthogonal.className;
  }

  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (dtype !== undefined && dtype !== 'float32') throw new TypeError(`the orthogonal initializer makes float32 values, not ${dtype}`);
    return tf.tensor(orthogonalValues(shape, this.gain, this.seed), shape, 'float32');
  }

  getConfig(): tf.serialization.ConfigDict {
    return { gain: this.gain, seed: this.seed };
  }
}
tf.serialization.registerClass(FastOrthogonal);
