// The plain JavaScript backend's gradient of a nearest-neighbour resize (UpSampling2D):
// tfjs-backend-cpu 4.22's reads dy at the images' batch offset, so from a batch's second image on
// it was wrong and an UpSampling2D autoencoder trained on `cpu` learned from the wrong gradients.
// nanguard's replacement (src/repro/engine/cpu/) must give each input pixel the sum of the
// gradients of the output pixels the forward resize copied it to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/repro/engine/backend';
import { tf } from '../../src/repro/engine/tf';

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

test("UpSampling2D's gradient on the CPU backend is the sum over each pixel's block, for every image of the batch", async () => {
  await selectBackend('cpu', 0);
  assert.equal(tf.getBackend(), 'cpu');
  const [batch, h, w, c] = [4, 5, 6, 3];
  const r = values(batch * 2 * h * 2 * w * c, 7);
  const dx = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [2 * h, 2 * w]), tf.tensor4d(r, [batch, 2 * h, 2 * w, c]))))(tf.zeros([batch, h, w, c])).dataSync());
  const blocks = tf.tidy(() => tf.sum(tf.tensor(r, [batch, h, 2, w, 2, c]), [2, 4]).dataSync());
  let gap = 0;
  for (let i = 0; i < dx.length; i++) gap = Math.max(gap, Math.abs(dx[i] - blocks[i]));
  assert.ok(gap < 1e-6, `largest difference ${gap}`);
});

test('a resize that is not a whole multiple (and align_corners, half-pixel centres) sends each gradient to the pixel the forward pass read', async () => {
  await selectBackend('cpu', 0);
  for (const [alignCorners, halfPixelCenters] of [[false, false], [true, false], [false, true]] as const) {
    const [batch, h, w, oh, ow] = [2, 3, 4, 7, 5];
    // The forward pass of an index image tells which input pixel each output pixel copies.
    const index = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.range(0, batch * h * w).reshape([batch, h, w, 1]) as tf.Tensor4D, [oh, ow], alignCorners, halfPixelCenters).dataSync());
    const dy = values(batch * oh * ow, 3);
    const expected = new Float32Array(batch * h * w);
    index.forEach((source, i) => (expected[source] += dy[i]));
    const dx = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [oh, ow], alignCorners, halfPixelCenters), tf.tensor4d(dy, [batch, oh, ow, 1]))))(tf.zeros([batch, h, w, 1])).dataSync());
    for (let i = 0; i < dx.length; i++) assert.ok(Math.abs(dx[i] - expected[i]) < 1e-6, `align ${alignCorners}, half ${halfPixelCenters}: pixel ${i} ${dx[i]} != ${expected[i]}`);
  }
});
