/**
 * Sum and Mean of float32 tensors for the WebAssembly backend, accumulated in float64 as the
 * CPU backend does. tfjs-backend-wasm 4.22 accumulates in float32, one value after the other:
 * the mean of a batch's binary cross-entropy over 128 images of 28x28 (100,352 values near
 * 0.69) comes out 1.2e-4 off, more than the float32 rounding the reproduction is held to against
 * Keras; and a sum over all but the last axis (a convolution's bias gradient) is transposed
 * first. Here the reduced axes must be adjacent ([outer, reduced, inner] with no copy: a bias
 * gradient, a loss's mean, a spatial mean); other reductions and dtypes go to the backend's own.
 */
import { tf } from '../tf';
import type { WasmBackendLike } from './convGradients';

type Info = tf.TensorInfo;

export interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** The sum (or, with `mean`, the mean) of `x` over `attrs.axis`; null where the backend's own kernel should run. */
export function reduceFloat32(backend: WasmBackendLike, x: Info, attrs: ReduceAttrs, mean: boolean): Info | null {
  if (x.dtype !== 'float32') return null;
  const axes = [...new Set(tf.util.parseAxisParam(attrs.axis, x.shape))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1)) return null;
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axes[0]));
  const reduced = tf.util.sizeFromShape(x.shape.slice(axes[0], axes[axes.length - 1] + 1));
  const inner = tf.util.sizeFromShape(x.shape.slice(axes[axes.length - 1] + 1));
  const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const out = backend.makeOutput(attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape, 'float32');
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let sum = 0;
      let i = o * reduced;
      const end = i + reduced;
      for (; i + 4 <= end; i += 4) sum += xv[i] + xv[i + 1] + (xv[i + 2] + xv[i + 3]);
      for (; i < end; i++) sum += xv[i];
      ov[o] = mean ? sum / reduced : sum;
    }
    return out;
  }
  // Four rows at a time into the float64 sums (a quarter of their loads and stores).
  const sums = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    sums.fill(0);
    let r = 0;
    for (; r + 4 <= reduced; r += 4) {
      const a = (o * reduced + r) * inner;
      const b = a + inner;
      const c = b + inner;
      const d = c + inner;
      for (let i = 0; i < inner; i++) sums[i] += xv[a + i] + xv[b + i] + (xv[c + i] + xv[d + i]);
    }
    for (; r < reduced; r++) {
      const row = (o * reduced + r) * inner;
      for (let i = 0; i < inner; i++) sums[i] += xv[row + i];
    }
    for (let i = 0; i < inner; i++) ov[o * inner + i] = mean ? sums[i] / reduced : sums[i];
  }
  return out;
}
