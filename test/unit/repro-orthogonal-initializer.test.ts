// The recurrent kernels of LSTM, GRU and SimpleRNN start orthogonal (Keras's default). tfjs-layers'
// Orthogonal took 23 s for one LSTM(512) kernel on WebAssembly; nanguard's is registered in its
// place (the same values as `orthogonalValues` prove it is the one used; tfjs's QR of the same seed differs). It must still be what Keras makes: orthogonal rows or columns, times the gain, the same
// for the same seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orthogonalValues } from '../../src/repro/engine/orthogonal';
import { tf, tfl } from '../../src/repro/engine/tf';
import '../../src/repro/engine/model';

/** The largest deviation of M Mᵀ (rows) or Mᵀ M (columns) from `gain²` times the identity. */
function offOrthogonal(values: Float32Array, rows: number, cols: number, gain: number): number {
  const byRows = rows <= cols;
  const n = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (k: number, i: number) => (byRows ? values[k * cols + i] : values[i * cols + k]);
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(dot - (a === b ? gain * gain : 0)));
    }
  }
  return worst;
}

test('orthogonal values: tall, wide and square kernels, with their gain, the same for the same seed', () => {
  for (const [shape, gain] of [[[64, 16], 1], [[16, 64], 1], [[32, 32], 2], [[3, 4, 20], 0.5]] as [number[], number][]) {
    const values = orthogonalValues(shape, gain, 3);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    assert.equal(values.length, rows * cols);
    assert.ok(offOrthogonal(values, rows, cols, gain) < 1e-5, `${JSON.stringify(shape)}: ${offOrthogonal(values, rows, cols, gain)}`);
  }
  assert.deepEqual(orthogonalValues([8, 32], 1, 5), orthogonalValues([8, 32], 1, 5));
  assert.notDeepEqual(orthogonalValues([8, 32], 1, 5), orthogonalValues([8, 32], 1, 6));
});

test("an LSTM built from a topology gets nanguard's orthogonal recurrent kernel", async () => {
  await tf.ready();
  // As a topology names it (`tfl.initializers.orthogonal()` would construct tfjs-layers' own class directly).
  const layer = tfl.layers.lstm({ units: 512, inputShape: [4, 50], recurrentInitializer: { className: 'Orthogonal', config: { gain: 1, seed: 11 } } as never });
  const model = tfl.sequential({ layers: [layer] });
  const kernel = model.layers[0].getWeights()[1];
  assert.deepEqual(kernel.shape, [512, 2048]);
  assert.deepEqual(kernel.dataSync(), orthogonalValues([512, 2048], 1, 11));
});
