/**
 * GatherV2 for the WebAssembly backend as row copies on its heap. The training loop gathers
 * each batch from the training data (train.ts, engines.ts); tfjs-backend-wasm 4.22 copies
 * element by element, 0.6 ms for 32 images of 28x28 (1.2 ms of a 19 ms step of the tutorial's
 * conv autoencoder, x and y), where copying the rows takes a few microseconds.
 */
import { tf } from '../tf';
import type { WasmBackendLike } from './convGradients';

type Info = tf.TensorInfo;

export interface GatherAttrs {
  axis: number;
  batchDims: number;
}

function heapView(backend: WasmBackendLike, info: Info): Float32Array | Int32Array {
  const f32 = backend.typedArrayFromHeap(info);
  return info.dtype === 'int32' ? new Int32Array(f32.buffer, f32.byteOffset, f32.length) : f32;
}

/** The gather of whole slices along `axis` (no batch dimensions) of a float32 or int32 tensor; null for anything else. */
export function gatherSlices(backend: WasmBackendLike, x: Info, indices: Info, attrs: GatherAttrs): Info | null {
  if (attrs.batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return null;
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const dim = x.shape[axis];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const count = tf.util.sizeFromShape(indices.shape);
  const rows = heapView(backend, indices);
  for (let i = 0; i < count; i++) {
    // The backend's own kernel's check and message.
    if (!(rows[i] >= 0 && rows[i] <= dim - 1)) throw new Error(`GatherV2: the index value ${rows[i]} is not in [0, ${dim - 1}]`);
  }
  const out = backend.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
  // Views after the allocation: it may have grown the heap.
  const source = heapView(backend, x);
  const target = heapView(backend, out);
  const index = heapView(backend, indices);
  let to = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++, to += inner) {
      const from = (o * dim + index[i]) * inner;
      if (inner >= 16) target.set(source.subarray(from, from + inner), to);
      else for (let k = 0; k < inner; k++) target[to + k] = source[from + k];
    }
  }
  return out;
}

export interface SegmentSumAttrs {
  numSegments: number;
}

/**
 * UnsortedSegmentSum of float32 rows by 1-D segment ids: the gradient of a gather (an Embedding's
 * lookup), which tfjs-backend-wasm 4.22 has no kernel for. Out of range ids are dropped, as
 * TensorFlow does. Null for anything else.
 */
export function segmentSumRows(backend: WasmBackendLike, x: Info, segmentIds: Info, attrs: SegmentSumAttrs): Info | null {
  if (x.dtype !== 'float32' || segmentIds.dtype !== 'int32' || segmentIds.shape.length !== 1 || x.shape.length < 1 || x.shape[0] !== segmentIds.shape[0]) return null;
  const segments = attrs.numSegments;
  const inner = tf.util.sizeFromShape(x.shape.slice(1));
  const out = backend.makeOutput([segments, ...x.shape.slice(1)], 'float32');
  // Sums in float64, as the CPU backend's; views after the allocation (it may have grown the heap).
  const sums = new Float64Array(segments * inner);
  const source = heapView(backend, x);
  const ids = heapView(backend, segmentIds);
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (s < 0 || s >= segments) continue;
    const from = r * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) sums[to + k] += source[from + k];
  }
  heapView(backend, out).set(sums);
  return out;
}

export interface SliceAttrs {
  begin: number | number[];
  size: number | number[];
}

/**
 * Slice of whole rows along the first axis (`tf.slice(x, start, size)`: a validation chunk, the
 * probe batch) of a float32 or int32 tensor, as one copy on the heap. tfjs-backend-wasm 4.22 took
 * about 50 ms for 64 images of 28x28 out of 6,592, so that validating a VAE in its batches of 64
 * took 13 s against 3 s for the epoch's training steps. Null for any other slice.
 */
export function sliceRows(backend: WasmBackendLike, x: Info, attrs: SliceAttrs): Info | null {
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length === 0) return null;
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, attrs.begin, attrs.size);
  // Whole rows: every axis after the first taken from 0 to its end.
  if (x.shape.slice(1).some((d, i) => begin[i + 1] !== 0 || size[i + 1] !== d)) return null;
  const inner = tf.util.sizeFromShape(x.shape.slice(1));
  const out = backend.makeOutput(size, x.dtype);
  // Views after the allocation: it may have grown the heap.
  const source = heapView(backend, x);
  heapView(backend, out).set(source.subarray(begin[0] * inner, (begin[0] + size[0]) * inner));
  return out;
}
