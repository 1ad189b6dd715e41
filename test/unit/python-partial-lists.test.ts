// Lists built in code nanguard cannot follow to the end are partial, never taken for complete:
// `np.asarray` of one then has no known shape, rather than the shape of the items seen (an empty
// list gave `Input(shape=X_train.shape[1:])` the shape `()`, and TensorFlow.js a model it could
// not build; cerlymarco/MEDIUM_NoteBook's extreme-event forecasting notebook).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';

const program = (loop: string) => `
import numpy as np
import pandas as pd
from tensorflow import keras

df = pd.read_csv("avocado.csv")

def gen_sequence(id_df, seq_length, seq_cols):
    data_matrix = id_df[seq_cols].values
    num_elements = data_matrix.shape[0]
    for start, stop in zip(range(0, num_elements - seq_length), range(seq_length, num_elements)):
        yield data_matrix[start:stop, :]

X_train, X_test = [], []
${loop}
X_train = np.asarray(X_train)
inputs = keras.Input(shape=(X_train.shape[1:]))
out = keras.layers.Dense(1)(keras.layers.LSTM(8)(inputs))
model = keras.Model(inputs, out)
model.compile(optimizer="adam", loss="mse")
model.fit(X_train, np.zeros((len(X_train), 1)))
`;

test('a list appended to only in the branch of an unknown condition not followed is partial: no shape is made up for it', async () => {
  const source = program(`for (region, is_test), _df in df.groupby(["region", "test_flag"]):
    for seq in gen_sequence(_df, 4, ["a", "b"]):
        if is_test:
            X_test.append(seq)
        else:
            X_train.append(seq)`);
  const model = (await analyzeFile('nb.py', source, NO_FILES)).models[0];
  assert.equal(model.data.train?.shape, undefined);
  assert.equal(model.layers[0].config.batch_shape, undefined);
});

test('a list appended to over a generator that yields nothing nanguard could follow is partial too', async () => {
  const source = program(`for seq in gen_sequence(df, 4, ["a", "b"]):
    X_train.append(seq)`);
  const model = (await analyzeFile('nb.py', source, NO_FILES)).models[0];
  assert.equal(model.data.train?.shape, undefined);
});
