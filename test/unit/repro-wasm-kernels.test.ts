/**
 * nanguard's WebAssembly kernels (src/repro/engine/wasm/) against the CPU backend's own:
 * convolutions forward and both their gradients (through the engine's gradients, as training
 * computes them, and as kernels), Conv2DTranspose and Conv1D, max pooling's gradient with ties
 * and non-finite windows, UpSampling2D's gradient, the batch gather; and that they leave no
 * tensor or backend buffer behind. Agreement is measured as the largest difference over the
 * largest magnitude of the CPU result: float32 sums in another order, about 1e-7 for small
 * shapes and a few 1e-6 for a batch's filter gradient (thousands of products per value).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/repro/engine/backend';
import { tf } from '../../src/repro/engine/tf';

const TOLERANCE = 1e-4;

/** Deterministic values in [-0.5, 0.5). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `f` on `backend` and reads its results (every tensor it made disposed). */
function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Float32Array[] {
  const previous = tf.getBackend();
  tf.setBackend(backend);
  try {
    return tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
  } finally {
    tf.setBackend(previous);
  }
}

function relativeGap(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]) || Number.isNaN(actual[i])) {
      assert.equal(Number.isNaN(actual[i]), Number.isNaN(expected[i]), `NaN at ${i}`);
      continue;
    }
    gap = Math.max(gap, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? gap : gap / scale;
}

let worst = 0;

/** The same computation on both backends agrees to TOLERANCE, output by output. */
function agree(label: string, f: () => tf.Tensor[]): void {
  const expected = on('cpu', f);
  const actual = on('wasm', f);
  expected.forEach((e, i) => {
    const gap = relativeGap(actual[i], e);
    worst = Math.max(worst, gap);
    assert.ok(gap <= TOLERANCE, `${label}, output ${i}: relative gap ${gap.toExponential(2)}`);
  });
}

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: number;
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
}

const conv = (batch: number, height: number, width: number, inChannels: number, outChannels: number, kernel: number | [number, number], stride: number, pad: ConvCase['pad']): ConvCase => ({
  batch,
  height,
  width,
  inChannels,
  outChannels,
  kernel: typeof kernel === 'number' ? [kernel, kernel] : kernel,
  stride,
  pad,
});

const CONV_CASES: ConvCase[] = [
  // The tutorial autoencoder's layers (two at its batch of 32; the CPU side is slow).
  conv(4, 28, 28, 1, 16, 3, 1, 'same'),
  conv(8, 14, 14, 16, 8, 3, 1, 'same'),
  conv(32, 14, 14, 16, 1, 3, 1, 'same'),
  conv(32, 14, 14, 8, 8, 3, 2, 'same'),
  // Batch 1, strides 1, 2 and 3, both paddings, odd sizes, kernels 1 to 5 and non-square ones.
  conv(1, 5, 5, 1, 1, 3, 1, 'same'),
  conv(1, 9, 7, 3, 4, 3, 2, 'same'),
  conv(1, 9, 7, 3, 4, 3, 2, 'valid'),
  conv(2, 10, 10, 2, 5, 2, 2, 'valid'),
  conv(2, 9, 8, 2, 5, 4, 2, 'same'),
  conv(2, 11, 11, 3, 2, 5, 3, 'valid'),
  conv(2, 11, 11, 3, 2, 3, 3, 'same'),
  conv(2, 6, 6, 3, 4, 1, 1, 'valid'),
  conv(2, 6, 6, 3, 4, 1, 2, 'same'),
  conv(3, 7, 7, 5, 2, 3, 1, 'valid'),
  conv(2, 9, 9, 9, 3, 5, 1, 'same'),
  conv(2, 8, 9, 4, 6, [3, 2], 1, 'same'),
  conv(2, 8, 9, 4, 6, [2, 3], 2, 'valid'),
  // Filter gradients computed a few images at a time (dy's or x's share of a call over 64K floats), with a remainder.
  conv(7, 28, 28, 2, 32, 3, 1, 'same'),
  conv(7, 28, 28, 16, 2, 3, 1, 'valid'),
  // Explicit paddings: wider above than the stride (an input gradient's phase starting further on), uneven.
  conv(2, 9, 8, 3, 4, 3, 2, [[0, 0], [2, 1], [1, 2], [0, 0]]),
  conv(2, 7, 7, 2, 3, 3, 1, [[0, 0], [2, 0], [0, 1], [0, 0]]),
  conv(2, 5, 6, 2, 3, 3, 1, [[0, 0], [0, 3], [1, 0], [0, 0]]),
];

test('Conv2D forward and its input and filter gradients agree with the CPU backend (strides 1-3, same, valid and explicit paddings, batch 1 and 32)', async () => {
  await selectBackend('cpu', 0);
  const chosen = await selectBackend('wasm', 0);
  assert.deepEqual(chosen, { backend: 'wasm' });
  for (const c of CONV_CASES) {
    const xShape: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
    const wShape: [number, number, number, number] = [...c.kernel, c.inChannels, c.outChannels];
    const info = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad);
    const dyShape: [number, number, number, number] = [c.batch, info.outHeight, info.outWidth, c.outChannels];
    const x = values(size(xShape), 1);
    const w = values(size(wShape), 2);
    const dy = values(size(dyShape), 3);
    const label = JSON.stringify(c);
    // Through the engine's gradient of conv2d, as a training step computes it.
    agree(`${label} conv2d and its gradients`, () => {
      const [xs, ws, r] = [tf.tensor4d(x, xShape), tf.tensor4d(w, wShape), tf.tensor4d(dy, dyShape)];
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r));
      const [dx, dw] = tf.grads(f)([xs, ws]);
      return [tf.conv2d(xs, ws, c.stride, c.pad), dx, dw];
    });
    // The kernels themselves.
    agree(`${label} Conv2DBackpropInput and Conv2DBackpropFilter`, () => [
      tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(w, wShape) }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: xShape }) as tf.Tensor,
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape }) as tf.Tensor,
    ]);
  }
});

test('Conv2DTranspose (forward through Conv2DBackpropInput) and its gradients agree with the CPU backend', async () => {
  await selectBackend('wasm', 0);
  for (const [batch, h, w, inC, outC, k, stride, pad] of [
    [32, 7, 7, 8, 8, 3, 2, 'same'],
    [8, 14, 14, 8, 16, 3, 2, 'same'],
    [1, 5, 6, 3, 2, 3, 2, 'valid'],
    [2, 4, 4, 4, 3, 4, 2, 'same'],
    [2, 5, 5, 2, 3, 3, 1, 'same'],
    [2, 4, 5, 2, 3, 5, 3, 'valid'],
  ] as [number, number, number, number, number, number, number, 'same' | 'valid'][]) {
    // conv2dTranspose(x [h, w, inC]) with a filter [k, k, outC, inC] gives [h*stride (same), ..., outC].
    const outH = pad === 'same' ? h * stride : (h - 1) * stride + k;
    const outW = pad === 'same' ? w * stride : (w - 1) * stride + k;
    const xShape: [number, number, number, number] = [batch, h, w, inC];
    const fShape: [number, number, number, number] = [k, k, outC, inC];
    const oShape: [number, number, number, number] = [batch, outH, outW, outC];
    const [x, f, r] = [values(size(xShape), 4), values(size(fShape), 5), values(size(oShape), 6)];
    agree(`conv2dTranspose ${JSON.stringify({ batch, h, w, inC, outC, k, stride, pad })}`, () => {
      const [xs, fs, rs] = [tf.tensor4d(x, xShape), tf.tensor4d(f, fShape), tf.tensor4d(r, oShape)];
      const g = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, oShape, stride, pad), rs));
      const [dx, df] = tf.grads(g)([xs, fs]);
      return [tf.conv2dTranspose(xs, fs, oShape, stride, pad), dx, df];
    });
  }
});

test('Conv1D (conv2d over a height of 1, as tfjs-layers computes it) and its gradients agree with the CPU backend', async () => {
  await selectBackend('wasm', 0);
  for (const [batch, length, inC, outC, k, stride, pad] of [
    [32, 30, 4, 16, 3, 1, 'same'],
    [32, 30, 16, 1, 5, 1, 'same'],
    [1, 17, 3, 5, 3, 2, 'valid'],
    [4, 20, 6, 6, 4, 2, 'same'],
  ] as [number, number, number, number, number, number, 'same' | 'valid'][]) {
    const xShape: [number, number, number] = [batch, length, inC];
    const wShape: [number, number, number] = [k, inC, outC];
    const [x, w] = [values(size(xShape), 7), values(size(wShape), 8)];
    agree(`conv1d ${JSON.stringify({ batch, length, inC, outC, k, stride, pad })}`, () => {
      const [xs, ws] = [tf.tensor3d(x, xShape), tf.tensor3d(w, wShape)];
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, stride, pad)));
      const [dx, dw] = tf.grads(f)([xs, ws]);
      return [tf.conv1d(xs, ws, stride, pad), dx, dw];
    });
  }
});

test("Conv1DTranspose (conv2dTranspose over a height of 1 with strides [1, s], as nanguard's layer computes it) and its gradients agree with the CPU backend", async () => {
  await selectBackend('wasm', 0);
  for (const [batch, steps, inC, outC, k, stride, pad] of [
    [32, 6, 4, 8, 3, 2, 'same'],
    [1, 7, 3, 2, 5, 3, 'valid'],
    [4, 9, 6, 3, 4, 1, 'same'],
  ] as [number, number, number, number, number, number, 'same' | 'valid'][]) {
    const length = pad === 'same' ? steps * stride : steps * stride + Math.max(k - stride, 0);
    const xShape: [number, number, number, number] = [batch, 1, steps, inC];
    const fShape: [number, number, number, number] = [1, k, outC, inC];
    const oShape: [number, number, number, number] = [batch, 1, length, outC];
    const [x, f] = [values(size(xShape), 19), values(size(fShape), 20)];
    agree(`conv1d transposed ${JSON.stringify({ batch, steps, inC, outC, k, stride, pad })}`, () => {
      const [xs, fs] = [tf.tensor4d(x, xShape), tf.tensor4d(f, fShape)];
      const g = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, oShape, [1, stride], pad)));
      const [dx, df] = tf.grads(g)([xs, fs]);
      return [tf.conv2dTranspose(xs, fs, oShape, [1, stride], pad), dx, df];
    });
  }
});

test("MaxPooling2D's gradient agrees with the CPU backend: ties go to the first maximum, NaN and -Infinity windows as on CPU", async () => {
  await selectBackend('wasm', 0);
  for (const [batch, h, w, c, size2, stride, pad] of [
    [32, 28, 28, 16, 2, 2, 'same'],
    [2, 7, 7, 3, 2, 2, 'same'],
    [2, 7, 7, 3, 2, 2, 'valid'],
    [2, 9, 9, 2, 3, 2, 'valid'],
    [2, 9, 9, 2, 3, 1, 'same'],
    [1, 6, 5, 4, 3, 3, 'same'],
  ] as [number, number, number, number, number, number, 'same' | 'valid'][]) {
    const shape: [number, number, number, number] = [batch, h, w, c];
    // Many ties: a ReLU's zeros, and values rounded to a few levels.
    const x = values(size(shape), 9).map((v) => Math.max(0, Math.round(v * 6) / 6));
    const pooled = tf.backend_util.computePool2DInfo(shape, size2, stride, 1, pad).outShape;
    const r = values(size(pooled), 10);
    agree(`maxPool gradient ${JSON.stringify({ batch, h, w, c, size2, stride, pad })}`, () => {
      const rs = tf.tensor4d(r, pooled);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size2, stride, pad), rs)))(tf.tensor4d(x, shape))];
    });
  }
  // Windows of NaN and -Infinity next to ordinary ones.
  const special = new Float32Array([NaN, NaN, 1, 2, -Infinity, -Infinity, NaN, 3, -Infinity, 0.5, 0.5, NaN, 4, 4, 4, 4]);
  agree('maxPool gradient with NaN and -Infinity', () => {
    const x = tf.tensor4d(special, [1, 4, 4, 1]);
    return [tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x)];
  });
});

test("UpSampling2D's gradient (the backend's own ResizeNearestNeighborGrad) is the sum over each pixel's block", async () => {
  await selectBackend('wasm', 0);
  // Not compared with the CPU backend: tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad reads dy at
  // the images' batch offset, so from the second image of a batch on its gradient is wrong.
  const [batch, h, w, c] = [4, 7, 7, 8];
  const r = values(batch * 2 * h * 2 * w * c, 11);
  const [dx] = on('wasm', () => [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [2 * h, 2 * w]), tf.tensor4d(r, [batch, 2 * h, 2 * w, c]))))(tf.zeros([batch, h, w, c]))]);
  const [blocks] = on('cpu', () => [tf.sum(tf.tensor(r, [batch, h, 2, w, 2, c]), [2, 4])]);
  assert.ok(relativeGap(dx, blocks) <= TOLERANCE);
});

test('the batch gather copies rows as the CPU backend does, and refuses indices out of range', async () => {
  await selectBackend('wasm', 0);
  const data = values(50 * 12, 12);
  const rows = Int32Array.from([3, 0, 49, 3, 17]);
  agree('gather rows', () => [tf.gather(tf.tensor3d(data, [50, 4, 3]), tf.tensor1d(rows, 'int32')), tf.gather(tf.tensor2d(data, [50, 12]), tf.tensor1d(Int32Array.from([11, 0, 5]), 'int32'), 1)]);
  const ints = on('wasm', () => [tf.gather(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([2, 2, 0], 'int32'))]);
  assert.deepEqual(Array.from(ints[0]), [7, 7, 5]);
  assert.throws(() => on('wasm', () => [tf.gather(tf.tensor2d(data, [50, 12]), tf.tensor1d([50], 'int32'))]), /index value 50 is not in \[0, 49\]/);
});

test('a slice of whole rows is one copy, and any other slice is the backend\'s own: both as the CPU backend gives them', async () => {
  await selectBackend('wasm', 0);
  const data = values(50 * 12, 13);
  agree('rows of a 4-D tensor, the last ones, and all', () => [tf.slice(tf.tensor4d(data, [50, 2, 2, 3]), 7, 20), tf.slice(tf.tensor2d(data, [50, 12]), [45, 0], [-1, -1]), tf.slice(tf.tensor2d(data, [50, 12]), 0, 50)]);
  agree('columns, and a block inside (the backend\'s own kernel)', () => [tf.slice(tf.tensor2d(data, [50, 12]), [0, 3], [50, 4]), tf.slice(tf.tensor3d(data, [50, 4, 3]), [2, 1, 0], [5, 2, 3])]);
  const ints = on('wasm', () => [tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 1, 2)]);
  assert.deepEqual(Array.from(ints[0]), [3, 4, 5, 6]);
});

test('Sum and Mean agree with the CPU backend, accumulated in float64: a batch loss of 100,352 values to float32 rounding', async () => {
  await selectBackend('wasm', 0);
  const shape = [4, 6, 5, 3];
  const x = values(size(shape), 18);
  for (const axis of [[0, 1, 2], [3], [1, 2], [0], [2, 3], [0, 1, 2, 3], [1, 3]]) {
    for (const keepDims of [false, true]) {
      agree(`sum and mean over ${axis}${keepDims ? ', keepDims' : ''}`, () => [tf.sum(tf.tensor(x, shape), axis, keepDims), tf.mean(tf.tensor(x, shape), axis, keepDims)]);
    }
  }
  agree('int32 sum (the backend\'s own kernel)', () => [tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0)]);
  // tfjs-backend-wasm's own Mean adds in float32, one value after the other: 1.2e-4 off here.
  const losses = new Float32Array(128 * 784).map((_, i) => 0.69 + 0.01 * Math.sin(i));
  let exact = 0;
  for (const v of losses) exact += v;
  exact /= losses.length;
  const [mean] = on('wasm', () => [tf.mean(tf.tensor(losses))]);
  assert.ok(Math.abs(mean[0] - exact) / exact < 1e-7, `mean ${mean[0]}, exactly ${exact}`);
});

test("NaN goes where TensorFlow takes it: clip, relu6 and a Dense layer's relu keep it, a max pool passes over it, an average pool keeps it", async () => {
  await selectBackend('wasm', 0);
  const read = (f: () => tf.Tensor): number[] => Array.from(on('wasm', () => [f()])[0]);
  const same = (actual: number[], expected: number[]) => assert.deepEqual(actual.map(String), expected.map(String));
  // TensorFlow 2.21: clip_by_value([nan, 0.5, 2], 1e-7, 1 - 1e-7) = [nan, 0.5, 0.9999999]; relu6([nan, 7]) = [nan, 6].
  same(read(() => tf.clipByValue(tf.tensor([NaN, 0.5, 2, -1]), 0, 1)), [NaN, 0.5, 1, 0]);
  same(read(() => tf.relu6(tf.tensor([NaN, 7, -1, 3]))), [NaN, 6, 0, 3]);
  // max_pool2d / avg_pool2d of [nan, 1, ..., 7] shaped (1, 2, 2, 2), 2x2 valid: [6, 7] and [nan, 4].
  const x = () => tf.tensor4d([NaN, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2]);
  same(read(() => tf.maxPool(x(), 2, 2, 'valid')), [6, 7]);
  same(read(() => tf.avgPool(x(), 2, 2, 'valid')), [NaN, 4]);
  // Without NaN the backend's own kernels run, as before; with 'same' padding the average is over the positions inside.
  agree('pools without NaN', () => [tf.maxPool(tf.tensor4d(values(2 * 5 * 5 * 3, 21), [2, 5, 5, 3]), 2, 2, 'same'), tf.avgPool(tf.tensor4d(values(2 * 5 * 5 * 3, 22), [2, 5, 5, 3]), 3, 2, 'same')]);
  const withNaN = () => {
    const v = values(2 * 5 * 5 * 3, 23);
    v[7] = NaN;
    return tf.tensor4d(v, [2, 5, 5, 3]);
  };
  agree('pools with NaN', () => [tf.maxPool(withNaN(), 3, 2, 'same'), tf.avgPool(withNaN(), 3, 2, 'same')]);
  // The NaN of 0/0 has its sign bit set (0xFFC00000): the backend's relu, alone or fused into a convolution, gave 0 for it.
  const signed = () => tf.tensor4d(new Float32Array(new Uint32Array(8).fill(0xffc00000).buffer), [1, 2, 2, 2]);
  same(read(() => tf.relu(signed())), Array(8).fill(NaN));
  same(read(() => tf.fused.conv2d({ x: signed(), filter: tf.ones([1, 1, 2, 2]), strides: 1, pad: 'valid', activation: 'relu' })), Array(8).fill(NaN));
  // Keras's Dense(2, activation='relu') of [nan, 1] with ones for weights gives [nan, nan]; the backend's fused relu gave 0.
  for (const activation of ['relu', 'relu6'] as const) {
    same(read(() => tf.fused.matMul({ a: tf.tensor2d([NaN, 1, -1, 2, 0.5, -3], [2, 3]), b: tf.ones([3, 2]), bias: tf.zeros([2]), activation })), [NaN, NaN, 0, 0]);
  }
  agree('a Dense layer with relu, and its gradients', () => {
    const a = tf.tensor2d(values(8 * 5, 24), [8, 5]);
    const b = tf.tensor2d(values(5 * 3, 25), [5, 3]);
    const f = (x: tf.Tensor2D, w: tf.Tensor2D) => tf.sum(tf.square(tf.fused.matMul({ a: x, b: w, bias: tf.onesLike(tf.tensor1d([0, 0, 0])), activation: 'relu' })));
    const [gx, gw] = tf.grads((x: tf.Tensor, w: tf.Tensor) => f(x as tf.Tensor2D, w as tf.Tensor2D))([a, b]);
    return [tf.fused.matMul({ a, b, activation: 'relu6' }), gx, gw];
  });
  // Keras's categorical cross-entropy of a NaN softmax, its probabilities clipped, is NaN (it read 0, the bound's, before).
  const loss = read(() => tf.neg(tf.sum(tf.mul(tf.tensor2d([[0, 1]]), tf.log(tf.clipByValue(tf.softmax(tf.tensor2d([[NaN, 0]])), 1e-7, 1 - 1e-7))))));
  assert.ok(Number.isNaN(loss[0]), `loss ${loss[0]}`);
});

test('products with a transposed operand (a Dense layer\'s gradients) agree with the CPU backend, batched and fused, and free their transposes', async () => {
  await selectBackend('wasm', 0);
  for (const [ta, tb] of [[true, false], [false, true], [true, true]] as const) {
    const a = values(6 * 4, 31);
    const b = values(4 * 5, 32);
    const aShape = ta ? [4, 6] : [6, 4];
    const bShape = tb ? [5, 4] : [4, 5];
    agree(`matMul transposeA=${ta} transposeB=${tb}`, () => [
      tf.matMul(tf.tensor2d(a, aShape as [number, number]), tf.tensor2d(b, bShape as [number, number]), ta, tb),
      tf.matMul(tf.tensor3d(values(3 * 24, 33), [3, ...aShape] as [number, number, number]), tf.tensor3d(values(3 * 20, 34), [3, ...bShape] as [number, number, number]), ta, tb),
      tf.fused.matMul({ a: tf.tensor2d(a, aShape as [number, number]), b: tf.tensor2d(b, bShape as [number, number]), transposeA: ta, transposeB: tb, bias: tf.tensor1d(values(5, 35)), activation: 'relu' }),
    ]);
  }
  agree('a Dense layer\'s gradients', () => {
    const x = tf.tensor2d(values(16 * 7, 36), [16, 7]);
    const w = tf.tensor2d(values(7 * 3, 37), [7, 3]);
    const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: xx as tf.Tensor2D, b: ww as tf.Tensor2D, activation: 'linear' }))))([x, w]);
    return [gx, gw];
  });
  const backend = tf.backend();
  const before = { tensors: tf.memory().numTensors, buffers: backend.numDataIds() };
  tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([5, 4]), false, true).dataSync());
  assert.deepEqual({ tensors: tf.memory().numTensors, buffers: backend.numDataIds() }, before);
});

test('the kernels free what they allocate: 60 training-like steps leave no tensor or backend buffer behind', async (t) => {
  await selectBackend('wasm', 0);
  const backend = tf.backend();
  const x = tf.tensor4d(values(32 * 28 * 28, 13), [32, 28, 28, 1]);
  const w1 = tf.variable(tf.tensor4d(values(9 * 16, 14), [3, 3, 1, 16]));
  const w2 = tf.variable(tf.tensor4d(values(9 * 16 * 8, 15), [3, 3, 16, 8]));
  const w3 = tf.variable(tf.tensor4d(values(9 * 8 * 8, 16), [3, 3, 8, 8]));
  const w4 = tf.variable(tf.tensor4d(values(9 * 8, 17), [3, 3, 8, 1]));
  const loss = () => tf.tidy(() => {
    let h = tf.relu(tf.conv2d(x, w1, 1, 'same'));
    h = tf.maxPool(h, 2, 2, 'same');
    h = tf.relu(tf.conv2d(h, w2, 1, 'same'));
    h = tf.relu(tf.conv2dTranspose(h, w3, [32, 28, 28, 8], 2, 'same'));
    return tf.mean(tf.square(tf.sub(tf.sigmoid(tf.conv2d(h, w4, 1, 'same')), x))) as tf.Scalar;
  });
  const step = () => {
    const { value, grads } = tf.variableGrads(loss);
    value.dataSync();
    tf.dispose([value, grads]);
  };
  step();
  const before = { tensors: tf.memory().numTensors, buffers: backend.numDataIds() };
  for (let i = 0; i < 60; i++) step();
  assert.deepEqual({ tensors: tf.memory().numTensors, buffers: backend.numDataIds() }, before);
  tf.dispose([x, w1, w2, w3, w4]);
  t.diagnostic(`largest relative gap against the CPU backend over every test: ${worst.toExponential(2)}`);
});
