/**
 * Matrix products with a transposed operand on the WebAssembly backend. tfjs-backend-wasm 4.22
 * sends `BatchMatMul` and `_FusedMatMul` with `transposeA` or `transposeB` (every Dense layer's
 * gradients: x^T dy for the kernel, dy W^T for the input) to a slower path than the plain
 * product: an explicit transpose, then the plain product, took 1.2 s where the transposed product
 * took 8.3 s (32x150528 by 32x512, a Dense layer over 224x224x3 images), and 3 ms where it took
 * 11 ms (256x784 by 256x64); docs/reproduction.md, "Backends", has the measurements.
 */
import { tf } from '../tf';
import type { WasmBackendLike } from './convGradients';

type Info = tf.TensorInfo;
type KernelFunc = tf.KernelConfig['kernelFunc'];

export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** `x` with its last two axes swapped, by the backend's own Transpose kernel. */
function swapLastAxes(backend: WasmBackendLike, x: Info): Info {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('the WebAssembly backend has no Transpose kernel');
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as Info;
}

/**
 * The product `run` computes, with any transposed operand made explicit first so that it runs on
 * the backend's fast path; null when neither is transposed (nothing to do) or an operand is not
 * float32.
 */
export function matMulUntransposed(
  args: Parameters<KernelFunc>[0],
  run: (args: Parameters<KernelFunc>[0]) => Info | Info[],
): Info | Info[] | null {
  const { a, b } = args.inputs as { a: Info; b: Info };
  const { transposeA, transposeB } = args.attrs as unknown as MatMulAttrs;
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const backend = args.backend as WasmBackendLike;
  const made: Info[] = [];
  const plain = (x: Info, transposed: boolean): Info => {
    if (!transposed) return x;
    const swapped = swapLastAxes(backend, x);
    made.push(swapped);
    return swapped;
  };
  try {
    return run({ ...args, inputs: { ...args.inputs, a: plain(a, transposeA), b: plain(b, transposeB) }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
  } finally {
    for (const info of made) backend.disposeData(info.dataId);
  }
}
