// verdict.py (the Keras side's verdict) must judge exactly as the reproduction's judge() does,
// or the fidelity suite would compare two different rulers. Needs only numpy, not TensorFlow.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { judge } from '../../src/repro/verdict';
import { fidelityDir, kerasEnv } from './keras-harness';

const env = kerasEnv();
const skip = 'python' in env ? false : env.reason;

describe('verdict.py judges as the reproduction does (src/repro/verdict.ts)', { skip }, () => {
  interface History { loss: number[]; val: number[]; meanPredictor: number | null; floor: number | null; lossFloor?: number | null; bceOut?: [number, number] }
  const pyNumber = (v: number | null) => (v === null ? 'None' : Number.isNaN(v) ? 'float("nan")' : Number.isFinite(v) ? String(v) : `float("${v > 0 ? 'inf' : '-inf'}")`);
  const pyList = (values: number[]) => `[${values.map(pyNumber).join(', ')}]`;

  function pythonVerdicts(histories: History[]): string[] {
    const calls = histories.map((h) => `classify(${pyList(h.loss)}, ${pyList(h.val)}, mean_predictor=${pyNumber(h.meanPredictor)}, output_floor=${pyNumber(h.floor)}, loss_floor=${pyNumber(h.lossFloor ?? null)}, bce_targets_out_of_range=${h.bceOut ? 'True' : 'False'})`);
    const code = `import sys; sys.path.insert(0, ${JSON.stringify(fidelityDir)}); from verdict import classify; print("\\n".join([${calls.join(', ')}]))`;
    const python = 'python' in env ? env.python : 'python3';
    const out = spawnSync(python, ['-c', code], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout.trim().split('\n');
  }

  const handMade: History[] = [
    { loss: [1, Number.NaN], val: [], meanPredictor: null, floor: null },
    { loss: [1, 0.5], val: [1, Number.POSITIVE_INFINITY], meanPredictor: null, floor: null },
    { loss: [1, 0.5, 2, 8, 40], val: [], meanPredictor: null, floor: null },
    // Data all of one value: no explosion under 1e-3 x 1000, one above it.
    { loss: [0.69, 0.68], val: [], meanPredictor: 1e-7, floor: null },
    { loss: [50, 49], val: [], meanPredictor: 1e-7, floor: null },
    { loss: [1, 0.5, 40, 8, 6], val: [], meanPredictor: null, floor: null },
    { loss: [1e31, 1, 1], val: [], meanPredictor: null, floor: null },
    { loss: [2332334, 2332300, 2332285], val: [], meanPredictor: 333333, floor: 2332000 },
    { loss: [0.9, 0.4, 0.12], val: [], meanPredictor: 0.08, floor: 0 },
    { loss: [0.9, 0.4, 0.05], val: [0.06], meanPredictor: 0.08, floor: 0 },
    { loss: [0.9, 0.85, 0.84], val: [], meanPredictor: null, floor: null },
    // Binary cross-entropy at the targets' mean entropy: the optimum, not a stall.
    { loss: [0.0712, 0.0705, 0.0701], val: [], meanPredictor: 0.25, floor: null, lossFloor: 0.0686 },
    // Half the way down to the entropy floor is progress, though the loss fell only 6%.
    { loss: [0.08, 0.077, 0.075], val: [], meanPredictor: 0.25, floor: null, lossFloor: 0.07 },
    { loss: [0.6939, 0.6937, 0.6935], val: [], meanPredictor: 0.25, floor: null, lossFloor: 0.0686 },
    // Cut short while falling steadily (3% an epoch): still falling, not stalled, though it fell only 6% in all.
    { loss: [1, 0.97, 0.94], val: [], meanPredictor: null, floor: null },
    // Finite but 1e17 times the mean predictor's loss: exploded, not stalled.
    { loss: [2e26, 5e22, 3e22], val: [], meanPredictor: 3e5, floor: 0 },
    // Binary cross-entropy on raw pixels (0-255) gone negative: no floor, nothing reconstructed.
    { loss: [-176, -520, -895], val: [], meanPredictor: null, floor: null, bceOut: [0, 255] },
  ];

  it('the same verdict on hand-made histories, one per criterion', () => {
    const expected = handMade.map((h) => judge(h.loss, h.val, false, { meanPredictor: h.meanPredictor, outputFloor: h.floor, outputRange: null, lossFloor: h.lossFloor ?? null, ...(h.bceOut ? { bceTargetRange: h.bceOut } : {}) }).verdict);
    assert.deepEqual(expected, ['nan', 'nan', 'diverging', 'stalled', 'exploded', 'diverging', 'diverging', 'stalled', 'healthy', 'healthy', 'stalled', 'healthy', 'healthy', 'stalled', 'healthy', 'exploded', 'diverging']);
    assert.deepEqual(pythonVerdicts(handMade), expected);
  });

  it('the same verdict on 300 random histories', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const histories: History[] = [];
    for (let i = 0; i < 300; i++) {
      const loss = [1];
      for (let e = 0; e < 2 + Math.floor(random() * 6); e++) loss.push(loss[loss.length - 1] * 10 ** (random() * 2 - 1.2));
      const meanPredictor = random() < 0.3 ? null : 10 ** (random() * 2 - 2);
      const floor = meanPredictor === null ? null : random() < 0.5 ? 0 : meanPredictor * 10 ** random();
      histories.push({ loss, val: [], meanPredictor, floor, lossFloor: random() < 0.5 ? null : loss[loss.length - 1] * 10 ** (random() * 0.4 - 0.3) });
    }
    const expected = histories.map((h) => judge(h.loss, h.val, false, { meanPredictor: h.meanPredictor, outputFloor: h.floor, outputRange: null, lossFloor: h.lossFloor ?? null, ...(h.bceOut ? { bceTargetRange: h.bceOut } : {}) }).verdict);
    assert.ok(new Set(expected).size >= 3, 'the random histories cover several verdicts');
    assert.deepEqual(pythonVerdicts(histories), expected);
  });
});
