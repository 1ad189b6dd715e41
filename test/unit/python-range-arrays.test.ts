// `x = 1.0*np.array(range(200))` (keras-team/keras#3040) was not followed, and
// `np.array(list(range(200)))` was silently the first 65 numbers: a range is followed in full
// only as far as a loop is, and the copy lost that it stood for more. Both are now the whole range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';

async function trainingRows(expression: string): Promise<number[] | undefined> {
  const source = `import numpy as np
from keras.models import Sequential
from keras.layers import Dense
x = ${expression}
y = 2.0*x
model = Sequential()
model.add(Dense(1, input_dim=1))
model.compile(loss='mean_squared_error', optimizer='sgd')
model.fit(x, y, epochs=1, batch_size=1)
`;
  const model = pickModel((await analyzeFile('regression.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  const train = model.data.train;
  return train?.source.kind === 'literal' ? train.source.values.map((r) => r[0]) : undefined;
}

test('np.array of a range holds every number of it, as numpy does', async () => {
  const numbers = (start: number, stop: number, step = 1) => Array.from({ length: Math.ceil((stop - start) / step) }, (_, i) => start + i * step);
  assert.deepEqual(await trainingRows('1.0*np.array(range(200))'), numbers(0, 200));
  assert.deepEqual(await trainingRows('np.array(range(200))'), numbers(0, 200));
  assert.deepEqual(await trainingRows('np.array(list(range(200)))'), numbers(0, 200));
  assert.deepEqual(await trainingRows('np.asarray(tuple(range(10, 300, 3)))'), numbers(10, 300, 3));
  assert.deepEqual(await trainingRows('np.array(range(5))'), numbers(0, 5));
});
