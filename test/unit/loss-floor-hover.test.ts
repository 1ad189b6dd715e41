// Binary cross-entropy on continuous targets in (0, 1) cannot reach 0: hovering the loss says how
// low it can go (a sure lower bound from the targets' statistics), so nobody chases that "stall".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { bceLossFloor } from '../../src/core/lossFloor';
import { lossFloorHoverMarkdown, lossFloorsAt } from '../../src/extension/logic/presentation';
import { lossBounds } from '../../src/repro/verdict';

const script = (data: string, loss = "'binary_crossentropy'") => `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

${data}
autoencoder = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4, activation="relu"), layers.Dense(8, activation="sigmoid")])
autoencoder.compile(optimizer="adam", loss=${loss})
autoencoder.fit(X, X, epochs=20)
`;

test('the floor of binary cross-entropy on grey values is a sure lower bound of the exact one', async () => {
  const analysis = await analyzeFile('grey.py', script('X = np.random.uniform(0.2, 0.8, size=(512, 8))'), NO_FILES);
  const floor = bceLossFloor(analysis.models[0]);
  assert.ok(floor);
  // Exact floor of uniform(0.2, 0.8) targets, as the reproduction computes it from the values.
  const rng = (() => { let s = 7; return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); })();
  const values = Array.from({ length: 4000 }, () => [0.2 + 0.6 * rng()]);
  const exact = lossBounds('binary_crossentropy', values, 'sigmoid').lossFloor!;
  assert.ok(floor.atLeast <= exact, `bound ${floor.atLeast} <= exact ${exact}`);
  assert.ok(floor.atLeast > 0.9 * exact, `and close to it: ${floor.atLeast} vs ${exact}`);
  // The hover sits on the loss argument (line 6, after `loss=`) and says it in words.
  const at = lossFloorsAt(analysis, undefined, { line: 6, character: 50 });
  assert.equal(at.length, 1);
  assert.match(lossFloorHoverMarkdown(at[0].floor), /the loss cannot go below \*\*0\.6\d\*\*/);
  assert.deepEqual(lossFloorsAt(analysis, undefined, { line: 7, character: 5 }), [], 'nothing on the fit line');
});

test('no floor to report for MSE, for binary targets, or for targets outside [0, 1]', async () => {
  const mse = await analyzeFile('mse.py', script('X = np.random.uniform(0.2, 0.8, size=(512, 8))', "'mse'"), NO_FILES);
  assert.equal(bceLossFloor(mse.models[0]), undefined);
  const binary = await analyzeFile('binary.py', script('X = np.random.randint(0, 2, size=(512, 8))'), NO_FILES);
  assert.equal(bceLossFloor(binary.models[0]), undefined);
  const big = await analyzeFile('big.py', script('X = np.random.uniform(0, 255, size=(512, 8))'), NO_FILES);
  assert.equal(bceLossFloor(big.models[0]), undefined);
});
