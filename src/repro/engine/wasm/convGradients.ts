/**
 * Convolution gradients for the WebAssembly backend, through its XNNPACK convolution.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` (a conv layer cannot train on it) and
 * computes `Conv2DBackpropInput` (a conv layer's input gradient, and the forward pass of
 * `Conv2DTranspose`) in a plain loop. Both are rewritten here as forward `Conv2D`s, which the
 * backend runs on XNNPACK, plus rearrangements of the data done in JavaScript on the backend's
 * heap:
 *
 * - the input gradient of a stride-s convolution is, for each of its s x s stride phases, a
 *   stride-1 convolution of `dy` with the phase's taps of the flipped filter (ceil(k/s) along
 *   each axis), the phases then interleaved into the output (sub-pixel convolution);
 * - the filter gradient is a convolution of `x` with `dy` as the filter, with the batch as the
 *   channels being summed over, the input channels as the batch, and the stride as dilation:
 *   `x` as [inChannels, H, W, batch] and `dy` as [outH, outW, batch, outChannels] give
 *   [inChannels, kH, kW, outChannels] (or, at stride 1, `dy` with `x` as the filter).
 *
 * Every intermediate is freed before the kernel returns. NCHW, and a padding wider than the
 * filter for the filter gradient, are not rewritten: the input gradient then runs on the
 * backend's own kernel, the filter gradient is refused with a message.
 */
import { tf } from '../tf';

type Info = tf.TensorInfo;
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** What the kernels use of tfjs-backend-wasm's `BackendWasm`. */
export interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): Info;
  typedArrayFromHeap(info: Info): Float32Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

type KernelCall = (args: { inputs: Record<string, Info>; backend: WasmBackendLike; attrs: Record<string, unknown> }) => Info;

function wasmKernel(name: string): KernelCall {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`the WebAssembly backend has no ${name} kernel`);
  return config.kernelFunc as unknown as KernelCall;
}

function convInfo(xShape: number[], filterShape: number[], strides: number | [number, number], pad: Pad, dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
}

/** A stride-1 XNNPACK convolution with explicit padding (and dilation): the one heavy step of both gradients. */
function forwardConv(backend: WasmBackendLike, x: Info, filter: Info, pads: [number, number, number, number], dilation: [number, number]): Info {
  const [top, bottom, left, right] = pads;
  return wasmKernel('Conv2D')({
    inputs: { x, filter },
    backend,
    attrs: { strides: [1, 1], dilations: dilation, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dimRoundingMode: undefined },
  });
}

export interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** One stride phase of an input gradient: its taps and how its convolution's output lines up with dx. */
interface Phase {
  rh: number;
  rw: number;
  /** Taps along each axis: ceil((k - r) / s). */
  th: number;
  tw: number;
  /** Padding of dy above and left (negative: the output is read that many rows and columns further on). */
  padTop: number;
  padLeft: number;
}

/**
 * dx of a convolution (x: [B, H, W, CI], filter [KH, KW, CI, CO], dy [B, OH, OW, CO]). With
 * u = ih + padTop = q*s + r: dx[u] = sum_j dy[q - j] W[j*s + r], j < T_r = ceil((KH - r)/s): for
 * each stride phase (r along rows and columns), a stride-1 correlation of dy with the phase's
 * taps W[(T_r-1-t)*s + r] evaluated at q. One XNNPACK convolution per phase (one at stride 1,
 * four at stride 2: a 3x3 filter's 2x2, 2x1, 1x2 and 1x1 taps), then the phases interleaved.
 */
export function conv2dBackpropInputViaConv(backend: WasmBackendLike, dy: Info, filter: Info, attrs: BackpropInputAttrs): Info | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = convInfo(attrs.inputShape, filter.shape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0) return null;
  // Rows q0 .. q0+Qn-1 (columns p0 .. p0+Pn-1) of the phases' outputs make dx.
  const q0 = Math.floor(top / sh);
  const p0 = Math.floor(left / sw);
  const Qn = Math.floor((top + H - 1) / sh) - q0 + 1;
  const Pn = Math.floor((left + W - 1) / sw) - p0 + 1;
  const phases: Phase[] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const th = Math.ceil((KH - rh) / sh);
      const tw = Math.ceil((KW - rw) / sw);
      // A phase past the filter (a kernel smaller than the stride) has no taps: zeros in dx.
      if (th > 0 && tw > 0) phases.push({ rh, rw, th, tw, padTop: th - 1 - q0, padLeft: tw - 1 - p0 });
    }
  }
  const first = phaseConvolution(backend, dy, filter, info, phases[0], Qn, Pn);
  if (sh === 1 && sw === 1 && phases[0].padTop >= 0 && phases[0].padLeft >= 0 && first.shape[1] === H && first.shape[2] === W) {
    // Stride 1, the convolution's output row q' being dx's row q' and of dx's size: dx itself (no copy).
    return first;
  }
  const dx = backend.makeOutput([B, H, W, CI], 'float32');
  if (phases.length < sh * sw) backend.typedArrayFromHeap(dx).fill(0);
  for (const phase of phases) {
    const z = phase === phases[0] ? first : phaseConvolution(backend, dy, filter, info, phase, Qn, Pn);
    const [, ZH, ZW] = z.shape;
    const zv = backend.typedArrayFromHeap(z);
    const dv = backend.typedArrayFromHeap(dx);
    // This phase's rows and columns of dx: ih + top = q*sh + rh, read from the output's row q - q0 (further on by a negative padding).
    const ih0 = (((phase.rh - top) % sh) + sh) % sh;
    const iw0 = (((phase.rw - left) % sw) + sw) % sw;
    const rowShift = Math.max(0, -phase.padTop) - q0;
    const columnShift = Math.max(0, -phase.padLeft) - p0;
    for (let b = 0; b < B; b++) {
      for (let ih = ih0; ih < H; ih += sh) {
        const zRow = (b * ZH + (ih + top - phase.rh) / sh + rowShift) * ZW;
        const dRow = (b * H + ih) * W;
        for (let iw = iw0; iw < W; iw += sw) {
          const from = (zRow + (iw + left - phase.rw) / sw + columnShift) * CI;
          const to = (dRow + iw) * CI;
          for (let ci = 0; ci < CI; ci++) dv[to + ci] = zv[from + ci];
        }
      }
    }
    backend.disposeData(z.dataId);
  }
  return dx;
}

/** A phase's convolution: dy with the filter G[t, v, co, ci] = W[(th-1-t)*sh + rh, (tw-1-v)*sw + rw, ci, co], at least Qn x Pn outputs. */
function phaseConvolution(backend: WasmBackendLike, dy: Info, filter: Info, info: tf.backend_util.Conv2DInfo, phase: Phase, Qn: number, Pn: number): Info {
  const { inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { rh, rw, th, tw } = phase;
  const g = backend.makeOutput([th, tw, CO, CI], 'float32');
  const w = backend.typedArrayFromHeap(filter);
  const gv = backend.typedArrayFromHeap(g);
  for (let t = 0; t < th; t++) {
    const kh = (th - 1 - t) * sh + rh;
    for (let v = 0; v < tw; v++) {
      const kw = (tw - 1 - v) * sw + rw;
      for (let ci = 0; ci < CI; ci++) {
        const from = ((kh * KW + kw) * CI + ci) * CO;
        const to = (t * tw + v) * CO * CI + ci;
        for (let co = 0; co < CO; co++) gv[to + co * CI] = w[from + co];
      }
    }
  }
  const padTop = Math.max(0, phase.padTop);
  const padLeft = Math.max(0, phase.padLeft);
  // Enough rows and columns below and right for Qn x Pn outputs from the shifted start.
  const padBottom = Math.max(0, Qn + Math.max(0, -phase.padTop) + th - 1 - OH - padTop);
  const padRight = Math.max(0, Pn + Math.max(0, -phase.padLeft) + tw - 1 - OW - padLeft);
  const z = forwardConv(backend, dy, g, [padTop, padBottom, padLeft, padRight], [1, 1]);
  backend.disposeData(g.dataId);
  return z;
}

export interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** XNNPACK's f32 GEMM kernels compute output channels in tiles of 8 here: one output channel costs as much as 8. */
const CHANNEL_TILE = 8;
const tiled = (channels: number) => Math.ceil(channels / CHANNEL_TILE) * CHANNEL_TILE;

/**
 * dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*s + kh - top, ow*s + kw - left, ci] * dy[b, oh, ow, co],
 * as one XNNPACK convolution in one of two orientations: x as the input and dy as the filter
 * (any stride: it becomes the filter's dilation), or, at stride 1 when it computes fewer output
 * tiles (few output channels, e.g. a 1-channel output layer), dy as the input and x as the filter.
 * (A matrix product of x's patches and dy costs as much for a first layer, where x has few
 * channels, and more elsewhere: XNNPACK packs dy, its right-hand side, either way.)
 */
export function conv2dBackpropFilterViaConv(backend: WasmBackendLike, x: Info, dy: Info, attrs: BackpropFilterAttrs): Info | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = convInfo(x.shape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const { inChannels: CI, outChannels: CO, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0 || top >= KH || left >= KW) return null;
  const dyAsInput = sh === 1 && sw === 1 && H - OH + top >= 0 && W - OW + left >= 0 && tiled(CI) * CO < tiled(CO) * CI;
  return dyAsInput ? filterGradientDyAsInput(backend, x, dy, info) : filterGradientXAsInput(backend, x, dy, info);
}

/**
 * Images per XNNPACK call of a filter gradient. The operand that becomes the convolution's filter
 * holds all of a batch's pixels (dy's, or x's): the backend transposes and packs it afresh on each
 * call, and XNNPACK streams all of it for every few rows of output. At batch 128 and 28x28x32 it
 * is 12.8 MB; in chunks of images whose share stays in the cache (64K floats), the partial
 * gradients added up, the conv fixture's 1-channel input and output layers took 16.5 ms instead
 * of 34 and its 28x28 Conv2DTranspose 26 instead of 34 (smaller batches are one call as before).
 */
const FILTER_OPERAND_FLOATS = 65_536;

function imagesPerCall(batch: number, floatsPerImage: number): number {
  return Math.max(1, Math.min(batch, Math.floor(FILTER_OPERAND_FLOATS / floatsPerImage)));
}

/** x' = x as [CI, H', W', b] (the rows and columns the gradient reads), dy' = dy as [OH, OW, b, CO] dilated by the stride, for b images at a time: x' * dy' = dW as [CI, KH, KW, CO]. */
function filterGradientXAsInput(backend: WasmBackendLike, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Rows of x the gradient reads: up to (OH-1)*sh + KH - 1 - top (the rest are cut), and padding below to reach it.
  const Hu = Math.min(H, (OH - 1) * sh + KH - top);
  const Wu = Math.min(W, (OW - 1) * sw + KW - left);
  const padBottom = (OH - 1) * sh + KH - top - Hu;
  const padRight = (OW - 1) * sw + KW - left - Wu;
  const chunk = imagesPerCall(B, OH * OW * CO);
  const sums = new Float64Array(KH * KW * CI * CO);
  for (let b0 = 0; b0 < B; b0 += chunk) {
    const n = Math.min(chunk, B - b0);
    const xt = backend.makeOutput([CI, Hu, Wu, n], 'float32');
    const dyt = backend.makeOutput([OH, OW, n, CO], 'float32');
    {
      const xv = backend.typedArrayFromHeap(x);
      const xtv = backend.typedArrayFromHeap(xt);
      // Written in order, read with strides.
      const batchStride = H * W * CI;
      let to = 0;
      for (let ci = 0; ci < CI; ci++) {
        for (let h = 0; h < Hu; h++) {
          for (let w = 0; w < Wu; w++) {
            let from = (b0 * H * W + h * W + w) * CI + ci;
            for (let b = 0; b < n; b++, from += batchStride) xtv[to++] = xv[from];
          }
        }
      }
      const dv = backend.typedArrayFromHeap(dy);
      const dtv = backend.typedArrayFromHeap(dyt);
      const pixels = OH * OW;
      for (let b = 0; b < n; b++) {
        for (let o = 0; o < pixels; o++) {
          const from = ((b0 + b) * pixels + o) * CO;
          const at = (o * n + b) * CO;
          for (let co = 0; co < CO; co++) dtv[at + co] = dv[from + co];
        }
      }
    }
    const z = forwardConv(backend, xt, dyt, [top, padBottom, left, padRight], [sh, sw]);
    backend.disposeData(xt.dataId);
    backend.disposeData(dyt.dataId);
    // z: [CI, KH, KW, CO] -> dW [KH, KW, CI, CO].
    const zv = backend.typedArrayFromHeap(z);
    for (let ci = 0; ci < CI; ci++) {
      for (let k = 0; k < KH * KW; k++) {
        const from = (ci * KH * KW + k) * CO;
        const at = (k * CI + ci) * CO;
        for (let co = 0; co < CO; co++) sums[at + co] += zv[from + co];
      }
    }
    backend.disposeData(z.dataId);
  }
  const dw = backend.makeOutput([KH, KW, CI, CO], 'float32');
  backend.typedArrayFromHeap(dw).set(sums);
  return dw;
}

/**
 * Stride 1: dy' = dy as [CO, OH, OW, b] correlated with x' = x as [H, W, b, CI] as the filter,
 * padded (KH-1-top, H-OH+top) and (KW-1-left, W-OW+left), gives z[co, a, c, ci] =
 * dW[KH-1-a, KW-1-c, ci, co], for b images at a time.
 */
function filterGradientDyAsInput(backend: WasmBackendLike, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  const chunk = imagesPerCall(B, H * W * CI);
  const sums = new Float64Array(KH * KW * CI * CO);
  for (let b0 = 0; b0 < B; b0 += chunk) {
    const n = Math.min(chunk, B - b0);
    const xt = backend.makeOutput([H, W, n, CI], 'float32');
    const dyt = backend.makeOutput([CO, OH, OW, n], 'float32');
    {
      const xv = backend.typedArrayFromHeap(x);
      const xtv = backend.typedArrayFromHeap(xt);
      const pixels = H * W;
      for (let b = 0; b < n; b++) {
        for (let p = 0; p < pixels; p++) {
          const from = ((b0 + b) * pixels + p) * CI;
          const at = (p * n + b) * CI;
          for (let ci = 0; ci < CI; ci++) xtv[at + ci] = xv[from + ci];
        }
      }
      const dv = backend.typedArrayFromHeap(dy);
      const dtv = backend.typedArrayFromHeap(dyt);
      const outPixels = OH * OW;
      let to = 0;
      for (let co = 0; co < CO; co++) {
        for (let p = 0; p < outPixels; p++) {
          let from = (b0 * outPixels + p) * CO + co;
          for (let b = 0; b < n; b++, from += outPixels * CO) dtv[to++] = dv[from];
        }
      }
    }
    const z = forwardConv(backend, dyt, xt, [KH - 1 - top, H - OH + top, KW - 1 - left, W - OW + left], [1, 1]);
    backend.disposeData(xt.dataId);
    backend.disposeData(dyt.dataId);
    const zv = backend.typedArrayFromHeap(z);
    for (let co = 0; co < CO; co++) {
      for (let a = 0; a < KH; a++) {
        for (let c = 0; c < KW; c++) {
          const from = ((co * KH + a) * KW + c) * CI;
          const at = ((KH - 1 - a) * KW + (KW - 1 - c)) * CI * CO + co;
          for (let ci = 0; ci < CI; ci++) sums[at + ci * CO] += zv[from + ci];
        }
      }
    }
    backend.disposeData(z.dataId);
  }
  const dw = backend.makeOutput([KH, KW, CI, CO], 'float32');
  backend.typedArrayFromHeap(dw).set(sums);
  return dw;
}
