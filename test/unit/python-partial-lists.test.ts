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

test('a row of a literal table of layer sizes unpacks into its numbers (`filters1, filters2, filters3 = filters_seq[0]`, a ResNet block)', async () => {
  const source = `
import numpy as np
from tensorflow import keras

filters_seq = [[64, 64, 256], [128, 128, 512], [256, 256, 1024], [512, 512, 2048]]

def block(x, filters):
    filters1, filters2, filters3 = filters
    x = keras.layers.Dense(filters1, activation="relu")(x)
    x = keras.layers.Dense(filters2, activation="relu")(x)
    return keras.layers.Dense(filters3)(x)

inputs = keras.Input(shape=(16,))
outputs = keras.layers.Dense(16)(block(inputs, filters_seq[0 if True else -1]))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(100, 16), np.random.rand(100, 16))
`;
  const model = (await analyzeFile('resnet.py', source, NO_FILES)).models[0];
  assert.deepEqual(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units), [64, 64, 256, 16]);
});

test('np.zeros of rows nanguard cannot count and known columns keeps the columns (an embedding matrix: `.shape[1]` sizes the Embedding)', async () => {
  const source = `
import numpy as np
from tensorflow import keras
from tokenizer_utils import word_index

embedding_matrix = np.zeros((len(word_index) + 1, 300))
embedding_size = embedding_matrix.shape[1]
inputs = keras.Input(shape=(20,), dtype="int32")
x = keras.layers.Embedding(output_dim=embedding_size, input_dim=5000)(inputs)
outputs = keras.layers.Dense(1)(keras.layers.LSTM(8)(x))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.randint(0, 5000, (100, 20)), np.random.rand(100))
`;
  const model = (await analyzeFile('embed.py', source, NO_FILES)).models[0];
  assert.equal(model.layers.find((l) => l.className === 'Embedding')?.config.output_dim, 300);
});
