// A convolutional autoencoder's epoch costs its parameters times the positions its kernels visit,
// not its parameters: a 7,009-parameter conv autoencoder on 60,000 MNIST images was given every
// image an epoch (5e8 / 7,009 is over 60,000) and ran past the time limit without one epoch done.
// The epoch budget is now on multiply-adds, so the epoch holds a few hundred images and trains in
// seconds; dense models keep their epochs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { runReproduction } from '../../src/repro/engine/train';
import { estimateParameters, estimateWorkPerSample } from '../../src/repro/kerasJson';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';

const CONV_MNIST = `import numpy as np
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, UpSampling2D

(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = np.reshape(x_train, (len(x_train), 28, 28, 1))
x_test = np.reshape(x_test, (len(x_test), 28, 28, 1))

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', padding='same', input_shape=(28, 28, 1)))
model.add(MaxPooling2D((2, 2), padding='same'))
model.add(Conv2D(8, (3, 3), activation='relu', padding='same'))
model.add(MaxPooling2D((2, 2), padding='same'))
model.add(Conv2D(8, (3, 3), activation='relu', padding='same'))
model.add(UpSampling2D((2, 2)))
model.add(Conv2D(32, (3, 3), activation='relu', padding='same'))
model.add(UpSampling2D((2, 2)))
model.add(Conv2D(1, (3, 3), activation='relu', padding='same'))
model.compile(optimizer='adam', loss='mean_squared_error')
model.fit(x_train, x_train, epochs=10, batch_size=256, shuffle=True, validation_data=(x_test, x_test))
`;

async function planOf(source: string, epochs?: number): Promise<ReproPlan> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string', String(model));
  const planned = buildPlan(model, { seed: 0, ...(epochs ? { epochs } : {}) });
  assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
  return planned.plan;
}

test('a convolution counts its kernel at every output position', async () => {
  const plan = await planOf(CONV_MNIST);
  const parameters = estimateParameters(plan.kerasJson);
  const work = estimateWorkPerSample(plan.kerasJson, plan.inputShape);
  // The first Conv2D alone: 3 x 3 x 1 x 32 weights at 28 x 28 positions = 225,792 multiply-adds.
  assert.ok(work !== undefined && work.total > 225_792 && work.total > 50 * parameters && work.convolution > 0.9 * work.total, `work ${JSON.stringify(work)}, parameters ${parameters}`);
});

test('a conv autoencoder on 60,000 MNIST images gets shortened epochs (convolutions count a twentieth of their work), and trains them', async () => {
  const plan = await planOf(CONV_MNIST, 2);
  const rows = plan.data.x.kind === 'synthetic' ? plan.data.x.shape[0] : -1;
  assert.ok(rows > 1000 && rows < 10_000, `rows an epoch: ${rows}`);
  const note = plan.notes.find((n) => n.kind === 'shortened');
  assert.match(note?.text ?? '', /^Each epoch trains on the first [\d,]+ of the 60,000 training samples, so that an epoch takes seconds rather than minutes \(about [\d.]+ million multiply-adds a sample\)/);
  const started = performance.now();
  const summary = await runReproduction(plan, 'wasm', { emit: () => undefined, cancelled: () => false }, started);
  assert.equal(summary.epochsRun, 2);
  // No wall-clock bound here: how long an epoch takes is the benchmark's business (npm run bench), not a test's on a shared machine.
  assert.equal(summary.stopped, null);
});

test('a dense autoencoder keeps its epoch of parameters times samples', async () => {
  const dense = `from keras.layers import Input, Dense
from keras.models import Model
from keras.datasets import mnist
(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.reshape((60000, 784)) / 255.
i = Input(shape=(784,))
autoencoder = Model(i, Dense(784, activation='sigmoid')(Dense(32, activation='relu')(i)))
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train, x_train, epochs=5, batch_size=256)
`;
  const plan = await planOf(dense);
  // 50,992 parameters: 5e8 / 50,992 = 9,805 rows an epoch, as before, cut to whole batches of 256: 9,728.
  assert.deepEqual(plan.data.x.kind === 'synthetic' ? plan.data.x.shape : [], [9728, 784]);
});

test('a 6-million-parameter model is reproduced on epochs of a few batches', async () => {
  // Refused before (over 2,000,000 parameters), and its 1,000-sample floor would have cost a minute an epoch.
  const wide = `import numpy as np
from keras.models import Sequential
from keras.layers import Dense
x = np.random.rand(5000, 784)
model = Sequential([Dense(4000, activation='relu', input_shape=(784,)), Dense(784, activation='sigmoid')])
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, epochs=2, batch_size=32)
`;
  const plan = await planOf(wide);
  assert.ok(plan.estimatedParameters > 6_000_000);
  const rows = plan.data.x.kind === 'random' ? plan.data.x.shape[0] : -1;
  assert.ok(rows >= 32 && rows < 200, `rows an epoch: ${rows}`);
  const summary = await runReproduction(plan, 'wasm', { emit: () => undefined, cancelled: () => false }, performance.now());
  assert.equal(summary.epochsRun, 2);
  assert.ok(summary.verdict !== 'nan');
});

test("a Bidirectional layer counts both directions' weights, as Keras's count_params does", async () => {
  const program = (layers: string, shape: string) => `import numpy as np
from tensorflow.keras.layers import Input, LSTM, GRU, Bidirectional, RepeatVector
from tensorflow.keras.models import Model
x = np.random.rand(64, ${shape})
inputs = Input(shape=(${shape},))
${layers}
model = Model(inputs, out)
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, epochs=1)
`;
  // Keras 3.15: 2,531,248 (the sentence autoencoder of Deep Learning with TensorFlow 2 and Keras) and 3,680.
  const sentence = await planOf(
    program('e = Bidirectional(LSTM(512), merge_mode="sum")(inputs)\nd = RepeatVector(50)(e)\nout = Bidirectional(LSTM(50, return_sequences=True), merge_mode="sum")(d)', '50, 50'),
  );
  assert.equal(estimateParameters(sentence.kerasJson), 2_531_248);
  // Its shapes are known through both Bidirectional layers: 50 steps of 2 x 4 gates x 512 x (50 + 512), and of 2 x 4 x 50 x (512 + 50), and the RepeatVector's 25,600 values.
  assert.equal(estimateWorkPerSample(sentence.kerasJson, sentence.inputShape)?.total, 50 * 2 * 4 * 512 * 562 + 25_600 + 50 * 2 * 4 * 50 * 562);
  // One batch of it is an epoch's budget several times over: an epoch of one batch, its work written out plainly.
  assert.match(sentence.notes.find((n) => n.kind === 'shortened')?.text ?? '', /the first 32 of the 64 training samples, .*\(about 130 million multiply-adds a sample\)/);
  const stacked = await planOf(program('h = Bidirectional(GRU(16, return_sequences=True))(inputs)\nout = Bidirectional(LSTM(4, return_sequences=True))(h)', '20, 8'));
  assert.equal(estimateParameters(stacked.kerasJson), 3_680);
});
