/**
 * Kernels for the WebAssembly backend that keep NaN where TensorFlow does. tfjs-backend-wasm 4.22
 * loses it: its Relu tests the sign bit, so the NaN of 0/0 (0xFFC00000) comes out 0 (a z-scored
 * image of standard deviation 0 trained at a finite 1.649 every epoch where Keras's loss was NaN
 * at the first batch); its ClipByValue gives the lower bound for NaN (Keras's cross-entropies
 * clip the probabilities), its Relu6 0, and its pooling -Infinity.
 */
import { tf } from '../tf';
import type { WasmBackendLike } from './convGradients';

type Info = tf.TensorInfo;

export interface ClipAttrs {
  clipValueMin: number;
  clipValueMax: number;
}

/** ClipByValue: `x` clipped to [min, max], NaN kept; null where the backend's own kernel should run (other dtypes). */
export function clipKeepingNaN(backend: WasmBackendLike, x: Info, attrs: ClipAttrs): Info | null {
  if (x.dtype !== 'float32') return null;
  const out = backend.makeOutput(x.shape, 'float32');
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const lo = attrs.clipValueMin;
  const hi = attrs.clipValueMax;
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    // NaN fails both comparisons and is kept.
    ov[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

/** Relu keeping NaN (of either sign). */
export function reluKeepingNaN(backend: WasmBackendLike, x: Info): Info | null {
  return clipKeepingNaN(backend, x, { clipValueMin: 0, clipValueMax: Infinity });
}

/** Relu6 keeping NaN, as TensorFlow's `relu6` and Keras's `ReLU(max_value=6)` do (the backend's own gives 0). */
export function relu6KeepingNaN(backend: WasmBackendLike, x: Info): Info | null {
  return clipKeepingNaN(backend, x, { clipValueMin: 0, clipValueMax: 6 });
}

export interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function hasNaN(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/**
 * MaxPool and AvgPool of an input holding NaN, as TensorFlow computes them: a max pool passes over
 * NaN (the largest of the window's other values), an average pool gives NaN. The backend's own
 * gives -Infinity for both; without NaN in the input its kernel runs (null).
 */
export function poolWithNaN(backend: WasmBackendLike, x: Info, attrs: PoolAttrs, kind: 'max' | 'avg'): Info | null {
  if (x.dtype !== 'float32' || x.shape.length !== 4) return null;
  const xv = backend.typedArrayFromHeap(x);
  if (!hasNaN(xv)) return null;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw, filterHeight: FH, filterWidth: FW } = info;
  const out = backend.makeOutput(info.outShape, 'float32');
  const ov = backend.typedArrayFromHeap(out);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = oh * sh - info.padInfo.top;
      for (let ow = 0; ow < OW; ow++) {
        const c0 = ow * sw - info.padInfo.left;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let r = Math.max(0, r0); r < Math.min(H, r0 + FH); r++) {
            for (let col = Math.max(0, c0); col < Math.min(W, c0 + FW); col++) {
              const v = xv[((b * H + r) * W + col) * C + c];
              if (v > best) best = v;
              sum += v;
              count++;
            }
          }
          // The average over the window's positions inside the input, as 'same' padding counts them.
          ov[((b * OH + oh) * OW + ow) * C + c] = kind === 'max' ? best : sum / count;
        }
      }
    }
  }
  return out;
}
