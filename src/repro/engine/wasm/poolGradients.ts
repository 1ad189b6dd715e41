/**
 * MaxPooling2D's gradient for the WebAssembly backend, in JavaScript on the backend's heap.
 * tfjs-backend-wasm 4.22's `MaxPoolGrad` loops over every input position and every window
 * touching it (6 ms of a 37 ms training step of the tutorial's conv autoencoder); this one
 * visits each window once and adds the window's gradient where its maximum is: the first
 * value in row-major window order equal to the pooled output, which is the first strictly
 * greater value as the CPU backend (and TensorFlow) pick it. Where the pooled output is NaN or
 * -Infinity the window is scanned as on CPU (a window of NaN or -Infinity passes no gradient).
 */
import { tf } from '../tf';
import type { WasmBackendLike } from './convGradients';

type Info = tf.TensorInfo;

export interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGradJs(backend: WasmBackendLike, dy: Info, input: Info, output: Info | undefined, attrs: MaxPoolGradAttrs): Info {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw, filterHeight: FH, filterWidth: FW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, 'float32');
  const xv = backend.typedArrayFromHeap(input);
  const dyv = backend.typedArrayFromHeap(dy);
  const yv = output ? backend.typedArrayFromHeap(output) : null;
  const dxv = backend.typedArrayFromHeap(dx);
  dxv.fill(0);
  if (yv && FH === 2 && FW === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && OH * 2 === H && OW * 2 === W) {
    // MaxPooling2D(2) of an even size, the common case: the four positions of each window spelled out.
    maxPoolGrad2x2(xv, yv, dyv, dxv, info);
    return dx;
  }
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = oh * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(H, r0 + FH);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = ow * sw - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(W, c0 + FW);
        const o = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          // The window's maximum is the pooled output: its first occurrence is the first strictly greater value.
          const m = yv ? yv[o + c] : NaN;
          let at = -1;
          if (m > -Infinity) {
            search: for (let r = rMin; r < rMax; r++) {
              let i = ((b * H + r) * W + cMin) * C + c;
              for (let col = cMin; col < cMax; col++, i += C) {
                if (xv[i] === m) {
                  at = i;
                  break search;
                }
              }
            }
          }
          if (at < 0) {
            // No pooled output, or it is NaN or -Infinity: scan the window as the CPU backend does.
            let best = -Infinity;
            for (let r = rMin; r < rMax; r++) {
              let i = ((b * H + r) * W + cMin) * C + c;
              for (let col = cMin; col < cMax; col++, i += C) {
                if (xv[i] > best) {
                  best = xv[i];
                  at = i;
                }
              }
            }
          }
          if (at >= 0) dxv[at] += dyv[o + c];
        }
      }
    }
  }
  return dx;
}


function maxPoolGrad2x2(xv: Float32Array, yv: Float32Array, dyv: Float32Array, dxv: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: B, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const o = ((b * OH + oh) * OW + ow) * C;
        const i0 = ((b * OH * 2 + oh * 2) * W + ow * 2) * C;
        const i1 = i0 + C;
        const i2 = i0 + W * C;
        const i3 = i2 + C;
        for (let c = 0; c < C; c++) {
          const m = yv[o + c];
          let at = -1;
          if (m > -Infinity) at = xv[i0 + c] === m ? i0 : xv[i1 + c] === m ? i1 : xv[i2 + c] === m ? i2 : xv[i3 + c] === m ? i3 : -1;
          if (at < 0) {
            // NaN or -Infinity pooled: the first strictly greater value, as on CPU (none in a window of NaN and -Infinity).
            let best = -Infinity;
            for (const i of [i0, i1, i2, i3]) {
              if (xv[i + c] > best) {
                best = xv[i + c];
                at = i;
              }
            }
          }
          if (at >= 0) dxv[at + c] = dyv[o + c];
        }
      }
    }
  }
}
