// Models trained by a GradientTape loop of the program's own (the TensorFlow tutorials' style):
// the loop over a tf.data dataset is translated as the fit it amounts to (the loss the step
// differentiates, its optimizer, the dataset's batches, the epochs of the range loop around it)
// and trained for real; what cannot be followed is refused naming the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import type { ModelSpec } from '../../src/core/ir';
import type { TensorExpr } from '../../src/core/tensorExpr';
import { applyTransforms } from '../../src/repro/data';
import { evaluateExpr } from '../../src/repro/engine/expr';
import { tf } from '../../src/repro/engine/tf';
import { fromWire } from '../../src/repro/protocol';
import { planned, refusalOf, trainOnCpu as train } from './repro-plans';

async function modelOf(source: string, name?: string): Promise<ModelSpec> {
  const analysis = await analyzeFile('loop.py', source, NO_FILES);
  const model = name ? analysis.models.find((m) => m.name === name) : (analysis.models.find((m) => m.fit) ?? analysis.models[0]);
  assert.ok(model, `no model found among ${analysis.models.map((m) => m.name).join(', ')}`);
  return model;
}

// The TensorFlow tutorial's convolutional VAE, dense and small: methods of the model (encode with
// tf.split, reparameterize drawing tf.random.normal, decode) and a module-level log_normal_pdf.
const TUTORIAL_CVAE = (epochs: string, learningRate: string) => `
import numpy as np
import tensorflow as tf

train_images = np.random.rand(96, 8).astype('float32')
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).shuffle(96).batch(16)

class CVAE(tf.keras.Model):
    def __init__(self, latent_dim):
        super(CVAE, self).__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential([
            tf.keras.layers.InputLayer(input_shape=(8,)),
            tf.keras.layers.Dense(16, activation='relu'),
            tf.keras.layers.Dense(latent_dim + latent_dim),
        ])
        self.decoder = tf.keras.Sequential([
            tf.keras.layers.InputLayer(input_shape=(latent_dim,)),
            tf.keras.layers.Dense(16, activation=tf.nn.relu),
            tf.keras.layers.Dense(8),
        ])

    def encode(self, x):
        mean, logvar = tf.split(self.encoder(x), num_or_size_splits=2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=mean.shape)
        return eps * tf.exp(logvar * .5) + mean

    def decode(self, z):
        return self.decoder(z)

optimizer = tf.keras.optimizers.Adam(${learningRate})

def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = tf.math.log(2. * np.pi)
    return tf.reduce_sum(-.5 * ((sample - mean) ** 2. * tf.exp(-logvar) + logvar + log2pi), axis=raxis)

def compute_loss(model, x):
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
    logpx_z = -tf.reduce_sum(cross_ent, axis=[1])
    logpz = log_normal_pdf(z, 0., 0.)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -tf.reduce_mean(logpx_z + logpz - logqz_x)

@tf.function
def train_step(model, x, optimizer):
    with tf.GradientTape() as tape:
        loss = compute_loss(model, x)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))

epochs = ${epochs}
model = CVAE(2)
for epoch in range(1, epochs + 1):
    for train_x in train_dataset:
        train_step(model, train_x, optimizer)
    loss = tf.keras.metrics.Mean()
    print('Epoch: {}'.format(epoch))
`;

// A dense autoencoder trained inline: a Keras loss object inside the tape, enumerate(dataset), clipped gradients.
const DENSE_LOOP = (gradients: string) => `
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.random.rand(128, 12).astype('float32')
inputs = keras.Input(shape=(12,))
code = layers.Dense(4, activation='relu')(inputs)
outputs = layers.Dense(12, activation='sigmoid')(code)
autoencoder = keras.Model(inputs, outputs)

loss_fn = tf.keras.losses.MeanSquaredError()
optimizer = tf.keras.optimizers.Adam(learning_rate=1e-2)
dataset = tf.data.Dataset.from_tensor_slices(x_train).batch(32)

for epoch in range(4):
    for step, x_batch in enumerate(dataset):
        with tf.GradientTape() as tape:
            reconstruction = autoencoder(x_batch, training=True)
            loss = loss_fn(x_batch, reconstruction)
        grads = tape.gradient(loss, autoencoder.trainable_variables)
${gradients}
        optimizer.apply_gradients(zip(grads, autoencoder.trainable_variables))
`;

function losses(history: { loss: unknown[] }): number[] {
  return history.loss.map((l) => fromWire(l as never));
}

describe('a GradientTape loop of the program own, translated as fit', () => {
  it("the TensorFlow tutorial's CVAE: the step's loss (the model's methods, tf.split, the noise, log_normal_pdf) with its optimizer, the dataset's batches and the range loop's epochs", async () => {
    const model = await modelOf(TUTORIAL_CVAE('3', '1e-2'));
    assert.equal(model.name, 'model');
    assert.equal(model.fit?.epochs.value, 3);
    assert.equal(model.fit?.batchSize.value, 16);
    assert.equal(model.fit?.shuffle.value, true);
    assert.equal(model.compile?.optimizer.className, 'Adam');
    assert.equal(model.compile?.optimizer.learningRate.value, 0.01);
    const plan = planned(model);
    assert.equal(plan.compile.loss, 'none');
    assert.equal(plan.compile.addedLosses?.length, 1);
    assert.ok(plan.notes.some((n) => /^model is trained by a GradientTape loop of the program's own \(tape\.gradient at line 54\), translated as fit/.test(n.text)), plan.notes.map((n) => n.text).join(' | '));
    // -tf.reduce_mean(...) is one number: no note of a summed loss.
    assert.ok(!plan.notes.some((n) => /is not reduced to one number/.test(n.text)), plan.notes.map((n) => n.text).join(' | '));
    // The noise is drawn once per step: the decoder and the KL terms read the same z (one noise layer, not a draw at each use).
    assert.equal(JSON.stringify(plan.kerasJson).match(/random_normal/g)?.length, 1);
    const run = losses((await train(plan)).history);
    assert.equal(run.length, 3);
    assert.ok(run.every(Number.isFinite), run.join(', '));
    // Binary cross-entropy of 8 values from logits near 0 starts near 8 ln 2 = 5.5, plus a small KL term.
    assert.ok(run[0] > 4 && run[0] < 9, run.join(', '));
    assert.ok(run[2] < run[0], `the loss falls: ${run.join(', ')}`);
  });

  it('a dense autoencoder trained inline over enumerate(dataset) with a MeanSquaredError object: the model keeps its graph, the loss reads its input and output', async () => {
    const model = await modelOf(DENSE_LOOP(''));
    assert.equal(model.kind, 'functional');
    assert.equal(model.fit?.epochs.value, 4);
    assert.equal(model.fit?.batchSize.value, 32);
    assert.equal(model.fit?.shuffle.value, false);
    assert.equal(model.addedLosses?.[0].tensors.length, 2);
    const plan = planned(model);
    const run = losses((await train(plan)).history);
    // The mean squared error of sigmoid outputs near 0.5 against uniform values starts near 1/12.
    assert.ok(run[0] > 0.04 && run[0] < 0.2, run.join(', '));
    assert.ok(run.every(Number.isFinite) && run[3] < run[0], run.join(', '));
  });

  it('tf.clip_by_global_norm between tape.gradient and apply_gradients becomes the optimizer\'s global_clipnorm', async () => {
    const plan = planned(await modelOf(DENSE_LOOP('        grads, _ = tf.clip_by_global_norm(grads, 1.0)')));
    assert.match(JSON.stringify(plan.compile), /"global_clipnorm":1\b/);
  });
});

// TensorFlow's guide: a Sequential model called in a tf.function step on a global model and optimizer.
const GUIDE_LOOP = (optimizer: string) => `
import numpy as np
import tensorflow as tf
import keras

features = np.random.rand(96, 6).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(features).batch(32)
model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3, name="encode"), keras.layers.Dense(6, name="decode")])
${optimizer}
loss_fn = keras.losses.MeanSquaredError()

@tf.function
def train_step(batch):
    with tf.GradientTape() as tape:
        reconstruction = model(batch, training=True)
        loss = loss_fn(batch, reconstruction)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss

for epoch in range(2):
    for step, batch in enumerate(dataset):
        train_step(batch)
`;

describe('a Sequential model in a step of TensorFlow\'s guide', () => {
  it('its call is its output: trained on the loss of its input and output', async () => {
    const model = await modelOf(GUIDE_LOOP('optimizer = keras.optimizers.SGD(learning_rate=0.1)'));
    assert.equal(model.kind, 'sequential');
    assert.deepEqual(model.addedLosses?.[0].tensors, ['input_layer', 'decode']);
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 2 && run.every(Number.isFinite), run.join(', '));
  });

  it('a learning-rate schedule (which would be read as its initial rate) refuses the loop, naming its line', async () => {
    const model = await modelOf(GUIDE_LOOP('optimizer = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.CosineDecay(1e-4, 2000, warmup_target=5e-3, warmup_steps=300))'), 'model');
    assert.match(refusalOf(model), /^model is trained by a GradientTape loop of the program's own \(line 22\), and its learning rate may follow the schedule made on line 9/);
  });
});

// Deep Learning with TensorFlow and Keras (3rd edition), chapter 8's VAE: images of 28 x 28 in the
// dataset, each batch flattened in the loop (`x = tf.reshape(x, [-1, image_size])`) before the model.
const RESHAPED_BATCHES = (model: string) => `
import numpy as np
import tensorflow as tf

x_train = np.random.rand(96, 6, 6).astype(np.float32)
image_size = x_train.shape[1] * x_train.shape[2]
${model}
optimizer = tf.keras.optimizers.Adam(0.001)
dataset = tf.data.Dataset.from_tensor_slices(x_train)
dataset = dataset.shuffle(32 * 5).batch(32)

for epoch in range(2):
    for step, x in enumerate(dataset):
        x = tf.reshape(x, [-1, image_size])
        with tf.GradientTape() as tape:
            x_reconstruction_logits = model(x)
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=x_reconstruction_logits))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
`;

describe('a batch reshaped in the loop before the model', () => {
  it('is the data reshaped, for a subclassed model and a Sequential one alike', async () => {
    const subclassed = `
class AE(tf.keras.Model):
    def __init__(self, **kwargs):
        super(AE, self).__init__(**kwargs)
        self.fc1 = tf.keras.layers.Dense(8)
        self.fc2 = tf.keras.layers.Dense(image_size)

    def call(self, inputs, training=None, mask=None):
        return self.fc2(tf.nn.relu(self.fc1(inputs)))

model = AE()
model.build(input_shape=(4, image_size))`;
    const sequential = 'model = tf.keras.Sequential([tf.keras.Input(shape=(36,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(36)])';
    for (const source of [subclassed, sequential]) {
      const model = await modelOf(RESHAPED_BATCHES(source));
      assert.equal(model.trainingLoop?.problem, undefined);
      assert.deepEqual(model.data.train?.shape, [96, 36]);
      assert.deepEqual(model.data.train?.transforms.map((t) => t.kind), ['astype', 'reshape']);
      const run = losses((await train(planned(model))).history);
      // Cross-entropy from logits near 0 against uniform values: near ln 2.
      assert.ok(run.length === 2 && run.every((l) => l > 0.5 && l < 1), run.join(', '));
    }
  });

  it('a reshape the model is not given alone is still refused', async () => {
    const model = await modelOf(RESHAPED_BATCHES('model = tf.keras.Sequential([tf.keras.Input(shape=(36,)), tf.keras.layers.Dense(36)])').replace('model(x)', 'model(x * 2.0)'));
    assert.match(model.trainingLoop?.problem ?? '', /calls model on something other than the batch/);
  });
});

describe('a GradientTape loop nanguard cannot follow is refused, naming the line', () => {
  it('gradients edited before they are applied', async () => {
    const model = await modelOf(DENSE_LOOP('        grads = [g * 0.5 for g in grads]'), 'autoencoder');
    assert.match(refusalOf(model), /^autoencoder is trained by a GradientTape loop of the program's own \(line 18\), and the gradients are changed between tape\.gradient \(line 22\) and apply_gradients \(line 24\)/);
  });

  it('a loop under mixed_float16, whose loss compile would scale and the loop may not', async () => {
    const source = DENSE_LOOP('').replace("x_train = np.random", "keras.mixed_precision.set_global_policy('mixed_float16')\nx_train = np.random");
    assert.match(refusalOf(await modelOf(source, 'autoencoder')), /^autoencoder is trained by a GradientTape loop of the program's own under the mixed_float16 policy/);
  });

  it('a GAN: two models, each with its tape and optimizer', async () => {
    const source = `
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

images = np.random.rand(64, 8).astype('float32')
dataset = tf.data.Dataset.from_tensor_slices(images).batch(16)
generator = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(8, activation='sigmoid')])
discriminator = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1)])
bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
g_opt = tf.keras.optimizers.Adam(1e-4)
d_opt = tf.keras.optimizers.Adam(1e-4)

def train_step(images):
    noise = tf.random.normal([16, 2])
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated = generator(noise, training=True)
        real_output = discriminator(images, training=True)
        fake_output = discriminator(generated, training=True)
        gen_loss = bce(tf.ones_like(fake_output), fake_output)
        disc_loss = bce(tf.ones_like(real_output), real_output) + bce(tf.zeros_like(fake_output), fake_output)
    g_grads = gen_tape.gradient(gen_loss, generator.trainable_variables)
    d_grads = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
    d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables))

for epoch in range(2):
    for image_batch in dataset:
        train_step(image_batch)
`;
    for (const name of ['generator', 'discriminator']) {
      assert.match(refusalOf(await modelOf(source, name)), new RegExp(`^${name} is trained by a GradientTape loop of the program's own \\(line 29\\), and its step differentiates and applies several losses or models \\(lines 23, 24, 25, 26\\)`));
    }
  });
});

describe('the tensor operations a tutorial loss needs', () => {
  it('tf.nn.sigmoid_cross_entropy_with_logits in its stable form, and a slice of tf.split', () => {
    const logits = tf.tensor2d([[-3, -1, 0, 2, 4, -40, 40]]);
    const labels = tf.tensor2d([[0, 1, 1, 0, 1, 1, 0]]);
    // expressions.ts's translation: max(x, 0) - x * z + log(1 + exp(-|x|)).
    const x: TensorExpr = { op: 'arg', index: 1 };
    const z: TensorExpr = { op: 'arg', index: 0 };
    const stable: TensorExpr = { op: 'add', a: { op: 'sub', a: { op: 'maximum', a: x, b: { op: 'const', value: 0 } }, b: { op: 'mul', a: x, b: z } }, b: { op: 'log1p', x: { op: 'exp', x: { op: 'neg', x: { op: 'abs', x } } } } };
    const got = Array.from(evaluateExpr(stable, [labels, logits]).dataSync());
    const expected = [-3, -1, 0, 2, 4].map((l, i) => {
      const p = 1 / (1 + Math.exp(-l));
      const t = [0, 1, 1, 0, 1][i];
      return -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
    });
    // Logits far from 0 give their finite cross-entropy (40), where log(sigmoid) would give -inf.
    [...expected, 40, 40].forEach((e, i) => assert.ok(Math.abs(got[i] - e) < 1e-4, `${got[i]} vs ${e}`));
    const halves = tf.tensor2d([[1, 2, 3, 4]]);
    assert.deepEqual(Array.from(evaluateExpr({ op: 'slice', x: { op: 'arg', index: 0 }, axis: 1, begin: 2, size: 2 }, [halves]).dataSync()), [3, 4]);
    tf.dispose([logits, labels, halves]);
  });
});

describe("the tutorial's binarized images", () => {
  it('np.where(images > .5, 1.0, 0.0) is followed: the values, the statistics, and the step replayed on the data', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
images = np.array([[0.2, 0.7, 0.5], [0.9, 0.1, 0.6]])
binary = np.where(images > .5, 1.0, 0.0).astype('float32')
inputs = keras.Input(shape=(3,))
model = keras.Model(inputs, keras.layers.Dense(3, activation='sigmoid')(inputs))
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(binary, binary, epochs=1)
`);
    const train = model.data.train;
    assert.ok(train, 'the training data is followed');
    assert.deepEqual(train.stats?.map((s) => [s.min, s.max, s.mean]), [[0, 1, 0.5], [0, 1, 0.5], [0, 1, 0.5]]);
    const step = train.transforms.find((t) => t.kind === 'threshold');
    assert.deepEqual(step && { ...step, location: undefined }, { kind: 'threshold', above: 0.5, high: 1, low: 0, location: undefined });
    assert.deepEqual(applyTransforms([[0.2, 0.7, 0.5], [0.9, 0.1, 0.6]], [{ kind: 'threshold', above: 0.5, high: 1, low: 0 }]).x, [[0, 1, 0], [1, 0, 1]]);
  });
});

// A book's style: layers of layers in a subclassed model, an L1 activity penalty on the code, the
// loop in a function given the loss, model and optimizer, and the zip named before it is applied.
const BOOK_LOOP = (afterwards: string) => `
import numpy as np
import tensorflow as tf
import tensorflow.keras as K
from tensorflow.keras import regularizers

pixels = np.random.rand(200, 20).astype(np.float32)
batches = tf.data.Dataset.from_tensor_slices(pixels).batch(50)

class Squeeze(K.layers.Layer):
    def __init__(self, width):
        super(Squeeze, self).__init__()
        self.hidden = K.layers.Dense(units=width, activation=tf.nn.relu, activity_regularizer=regularizers.l1(1e-4))
    def call(self, features):
        return self.hidden(features)

class Expand(K.layers.Layer):
    def __init__(self, width):
        super(Expand, self).__init__()
        self.out = K.layers.Dense(units=width, activation=tf.nn.sigmoid)
    def call(self, code):
        return self.out(code)

class Sparse(K.Model):
    def __init__(self, code_width, width):
        super(Sparse, self).__init__()
        self.history_of_losses = []
        self.squeeze = Squeeze(code_width)
        self.expand = Expand(width)
    def call(self, features):
        return self.expand(self.squeeze(features))

def squared_error(predicted, wanted):
    return tf.reduce_mean(tf.square(tf.subtract(predicted, wanted)))

def one_step(error_of, net, opt, batch):
    with tf.GradientTape() as tape:
        predicted = net(batch)
        error = error_of(predicted, batch)
    gradients = tape.gradient(error, net.trainable_variables)
    pairs = zip(gradients, net.trainable_variables)
    opt.apply_gradients(pairs)
    return error

def fit_for(net, opt, error_of, data, epochs=20):
    for epoch in range(epochs):
        total = 0
        for step, batch in enumerate(data):
            total += one_step(error_of, net, opt, batch)
        net.history_of_losses.append(total)

net = Sparse(code_width=6, width=20)
opt = tf.keras.optimizers.Adam(learning_rate=1e-2)
fit_for(net, opt, squared_error, batches, epochs=3)
${afterwards}
`;

describe('a loop in a function of its own, over a model of layers of layers', () => {
  it('is followed through the function, the zip given a name, and the model called on data afterwards; the activity penalty is left out, as Keras leaves it out of a loop', async () => {
    const model = await modelOf(BOOK_LOOP('shown = net(pixels[:10]).numpy()'), 'net');
    assert.equal(model.fit?.epochs.value, 3);
    assert.equal(model.fit?.batchSize.value, 50);
    assert.equal(model.compile?.optimizer.learningRate.value, 0.01);
    const plan = planned(model);
    assert.doesNotMatch(JSON.stringify(plan.kerasJson), /activity_regularizer/);
    assert.ok(plan.notes.some((n) => /^What dense adds to model\.losses \(regularizers, add_loss terms\) is left out/.test(n.text)), plan.notes.map((n) => n.text).join(' | '));
    // The step's loss reads the rebuilt graph's input (the model declares none) and its output.
    assert.deepEqual(plan.compile.addedLosses?.[0].tensors, ['dense_1', 'input_layer']);
    const run = losses((await train(plan)).history);
    assert.ok(run.length === 3 && run.every(Number.isFinite), run.join(', '));
    // Sigmoid outputs near 0.5 against uniform values: a squared error near 1/12 at first.
    assert.ok(run[0] > 0.05 && run[0] < 0.15 && run[2] < run[0], run.join(', '));
  });
});

// DeepLearning.AI's VAE lab: the step adds what the model's layers add (`loss += sum(vae.losses)`).
const MODEL_LOSSES_LOOP = (added: string) => `
import numpy as np
import tensorflow as tf

x_train = np.random.rand(128, 8).astype('float32')
train_dataset = tf.data.Dataset.from_tensor_slices(x_train).batch(32)
inputs = tf.keras.Input(shape=(8,))
code = tf.keras.layers.Dense(3, activation='relu', activity_regularizer=tf.keras.regularizers.l1(10.0))(inputs)
outputs = tf.keras.layers.Dense(8, activation='sigmoid')(code)
vae = tf.keras.Model(inputs, outputs)
optimizer = tf.keras.optimizers.Adam()
bce_loss = tf.keras.losses.BinaryCrossentropy()

for epoch in range(2):
    for step, x_batch_train in enumerate(train_dataset):
        with tf.GradientTape() as tape:
            reconstructed = vae(x_batch_train)
            flattened_inputs = tf.reshape(x_batch_train, shape=[-1])
            flattened_outputs = tf.reshape(reconstructed, shape=[-1])
            loss = bce_loss(flattened_inputs, flattened_outputs) * 8
${added}
        grads = tape.gradient(loss, vae.trainable_weights)
        optimizer.apply_gradients(zip(grads, vae.trainable_weights))
`;

describe('a step that adds model.losses', () => {
  it('keeps what the layers add, as fit would; without it they are left out', async () => {
    const withLosses = planned(await modelOf(MODEL_LOSSES_LOOP('            loss += sum(vae.losses)')));
    assert.match(JSON.stringify(withLosses.kerasJson), /activity_regularizer/);
    assert.ok(!withLosses.notes.some((n) => /left out/.test(n.text)), withLosses.notes.map((n) => n.text).join(' | '));
    // tf.reshape(x, shape=[-1]) in the loss: every value in one axis.
    assert.match(JSON.stringify(withLosses.compile.addedLosses?.[0].expression), /"op":"flatten"/);
    const without = planned(await modelOf(MODEL_LOSSES_LOOP('')));
    assert.doesNotMatch(JSON.stringify(without.kerasJson), /activity_regularizer/);
    const [a, b] = [losses((await train(withLosses)).history), losses((await train(without)).history)];
    // The L1 penalty of 10 on the code's activity adds to the loss.
    assert.ok(a[0] > b[0] + 1, `${a.join(', ')} against ${b.join(', ')}`);
  });
});

// TensorFlow's custom training walkthrough: a classifier over (features, labels) batches, its
// gradients taken in a helper (`loss_value, grads = grad(model, x, y)`) and applied in the loop.
const WALKTHROUGH = (lossCall: string) => `
import numpy as np
import tensorflow as tf

x_all = np.random.rand(300, 4).astype('float32')
y_all = np.random.randint(0, 3, size=(300,))
ds_train_batch = tf.data.Dataset.from_tensor_slices((x_all, y_all)).batch(32)
features, labels = next(iter(ds_train_batch))

model = tf.keras.Sequential([
  tf.keras.layers.Dense(10, activation=tf.nn.relu, input_shape=(4,)),
  tf.keras.layers.Dense(10, activation=tf.nn.relu),
  tf.keras.layers.Dense(3)
])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

def loss(model, x, y, training):
  y_ = model(x, training=training)
  return ${lossCall}

def grad(model, inputs, targets):
  with tf.GradientTape() as tape:
    loss_value = loss(model, inputs, targets, training=True)
  return loss_value, tape.gradient(loss_value, model.trainable_variables)

optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)
for epoch in range(3):
  epoch_loss_avg = tf.keras.metrics.Mean()
  for x, y in ds_train_batch:
    loss_value, grads = grad(model, x, y)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    epoch_loss_avg.update_state(loss_value)
`;

describe('a loop over (x, y) batches whose loss is a Keras loss of the targets and the model', () => {
  it("is compile's loss (from_logits kept) and fit(x, y); the tape in a helper, the gradients applied in the loop", async () => {
    const model = await modelOf(WALKTHROUGH('loss_object(y_true=y, y_pred=y_)'));
    assert.equal(model.trainingLoop?.problem, undefined);
    assert.deepEqual([model.compile?.loss.name, model.compile?.loss.fromLogits, model.fit?.epochs.value, model.fit?.batchSize.value], ['sparse_categorical_crossentropy', true, 3, 32]);
    assert.deepEqual([model.data.train?.shape, model.data.target?.shape], [[300, 4], [300]]);
    const plan = planned(model);
    assert.equal(plan.compile.fromLogits, true);
    const run = losses((await train(plan)).history);
    // Three classes from logits near 0: ln 3 = 1.10 at first (Keras 3.15 on this program: 1.128 then 1.116).
    assert.ok(run.length === 3 && run[0] > 1 && run[0] < 1.3, run.join(', '));
  });

  it('a loss that adds anything to it is still refused, naming the loss', async () => {
    const model = await modelOf(WALKTHROUGH('loss_object(y, y_) + 0.01 * tf.reduce_sum(tf.square(y_))'));
    assert.match(model.trainingLoop?.problem ?? '', /the loss it differentiates/);
  });
});

// Loops over numpy arrays, as people write them without tf.data.
const SLICED_LOOP = `
import numpy as np
import tensorflow as tf
from tensorflow import keras

x = np.random.rand(320, 16).astype('float32')
model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(6, activation='relu'), keras.layers.Dense(16, activation='sigmoid')])
opt = keras.optimizers.Adam(1e-2)
mse = keras.losses.MeanSquaredError()
bs = 32
for epoch in range(3):
    for i in range(0, len(x), bs):
        xb = x[i:i + bs]
        with tf.GradientTape() as tape:
            out = model(xb, training=True)
            loss = mse(xb, out)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
`;

const PERMUTED_LOOP = `
import numpy as np
import tensorflow as tf
import keras

data = np.random.rand(256, 10)
batch_size = 64
n_batches = data.shape[0] // batch_size
inputs = keras.Input(shape=(10,))
outputs = keras.layers.Dense(10, activation='sigmoid')(keras.layers.Dense(4, activation='tanh')(inputs))
model = keras.Model(inputs, outputs)
optimizer = keras.optimizers.RMSprop(learning_rate=0.005)
loss_fn = keras.losses.BinaryCrossentropy()
train_loss = keras.metrics.Mean(name='train_loss')

@tf.function
def train_step(x):
    with tf.GradientTape() as tape:
        loss = loss_fn(x, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss.update_state(loss)

for epoch in range(2):
    perm = np.random.permutation(data.shape[0])
    for b in range(n_batches):
        idx = perm[b * batch_size:(b + 1) * batch_size]
        train_step(data[idx])
    print(epoch, float(train_loss.result()))
    train_loss.reset_state()
`;

const FULL_BATCH_LOOP = (batch: string) => `
import numpy as np
import tensorflow as tf

x_train = np.random.rand(100, 8)
model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(3, activation='relu'), tf.keras.layers.Dense(8, activation='sigmoid')])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)

for epoch in range(25):
${batch}
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(batch) - batch))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
`;

describe('a GradientTape loop over numpy arrays', () => {
  it('`for i in range(0, len(x), bs): xb = x[i:i + bs]`: x in batches of the slice, in order, for the epochs of the range loop around it', async () => {
    const model = await modelOf(SLICED_LOOP);
    assert.equal(model.fit?.epochs.value, 3);
    assert.equal(model.fit?.batchSize.value, 32);
    const origin = model.fit?.batchSize.origin;
    assert.equal(origin && 'note' in origin ? origin.note : undefined, 'x[i:i + bs]');
    assert.equal(model.fit?.shuffle.value, false);
    assert.deepEqual(model.data.train?.shape, [320, 16]);
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 3 && run.every(Number.isFinite) && run[2] < run[0], run.join(', '));
    assert.ok(run[0] > 0.04 && run[0] < 0.15, run.join(', '));
  });

  it('the batch size is the slice by the loop\'s index (through `start = b * bs`), not a look at a few rows first; the epochs of a range behind tqdm', async () => {
    const source = `
import numpy as np
import tensorflow as tf
from tqdm import tqdm
x = np.random.rand(240, 16).astype('float32')
model = tf.keras.Sequential([tf.keras.Input(shape=(16,)), tf.keras.layers.Dense(6, activation='relu'), tf.keras.layers.Dense(16, activation='sigmoid')])
opt = tf.keras.optimizers.Adam(1e-2)
bs = 48
for epoch in tqdm(range(4)):
    for b in range(x.shape[0] // bs):
        preview = model(x[:4])
        start = b * bs
        end = start + bs
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x[start:end]) - x[start:end]))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
`;
    const model = await modelOf(source);
    assert.equal(model.fit?.batchSize.value, 48);
    assert.equal(model.fit?.epochs.value, 4);
    assert.equal(model.fit?.shuffle.value, false);
  });

  it('a range of a count nanguard cannot know (`range(steps_for(x, bs))`) starts at 0: its first slice still gives the batch', async () => {
    const source = SLICED_LOOP.replace('from tensorflow import keras', 'from tensorflow import keras\nfrom helpers import steps_for')
      .replace('for i in range(0, len(x), bs):', 'for i in range(steps_for(x, bs)):')
      .replace('xb = x[i:i + bs]', 'xb = x[i * bs:(i + 1) * bs]');
    const model = await modelOf(source);
    assert.equal(model.fit?.batchSize.value, 32);
    assert.equal(model.fit?.epochs.value, 3);
  });

  it('a global train_step(x) given data[perm[b * bs:(b + 1) * bs]] over range(n_batches), a Mean tracker updated in it: shuffled batches of the index slice', async () => {
    const model = await modelOf(PERMUTED_LOOP);
    assert.equal(model.fit?.epochs.value, 2);
    assert.equal(model.fit?.batchSize.value, 64);
    assert.equal(model.fit?.shuffle.value, true);
    assert.equal(model.compile?.optimizer.className, 'RMSprop');
    const run = losses((await train(planned(model))).history);
    // Binary cross-entropy of sigmoid outputs near 0.5: near ln 2 at first.
    assert.ok(run.length === 2 && run[0] > 0.6 && run[0] < 0.8 && run[1] < run[0], run.join(', '));
  });

  it('the whole array at each pass, inside tf.square(model(x) - x): one batch of all rows, the loop counting the epochs', async () => {
    const model = await modelOf(FULL_BATCH_LOOP('    batch = x_train'));
    assert.equal(model.fit?.epochs.value, 25);
    assert.equal(model.fit?.batchSize.value, 100);
    const plan = planned(model, { epochs: 3 });
    const run = losses((await train(plan)).history);
    assert.ok(run.length === 3 && run.every(Number.isFinite), run.join(', '));
  });

  it('a batch it cannot follow (next() of an iterator) is refused, naming the loop and the construct', async () => {
    const model = await modelOf(FULL_BATCH_LOOP('    batch = next(iter(stream))'), 'model');
    assert.match(refusalOf(model), /^model is trained by a GradientTape loop of the program's own \(line 9\), and nanguard found no batch in its body that it could follow: the model is given `batch` \(line 12\), which is not a slice of the rows of an array/);
  });
});

describe('a loss function called inside the tape', () => {
  it('`def loss(model, original): return tf.reduce_mean(tf.square(tf.subtract(model(original), original)))`: the model call inside the operations is read', async () => {
    const source = `
import numpy as np
import tensorflow as tf

data = np.random.rand(120, 12).astype(np.float32)
dataset = tf.data.Dataset.from_tensor_slices(data).batch(40)

class Autoencoder(tf.keras.Model):
    def __init__(self):
        super(Autoencoder, self).__init__()
        self.hidden = tf.keras.layers.Dense(4, activation=tf.nn.relu)
        self.out = tf.keras.layers.Dense(12, activation=tf.nn.sigmoid)
    def call(self, x):
        return self.out(self.hidden(x))

def loss(model, original):
    return tf.reduce_mean(tf.square(tf.subtract(model(original), original)))

def train(loss, model, opt, original):
    with tf.GradientTape() as tape:
        gradients = tape.gradient(loss(model, original), model.trainable_variables)
        opt.apply_gradients(zip(gradients, model.trainable_variables))

autoencoder = Autoencoder()
opt = tf.optimizers.Adam(learning_rate=0.01)
for epoch in range(2):
    for step, batch_features in enumerate(dataset):
        train(loss, autoencoder, opt, batch_features)
`;
    const model = await modelOf(source, 'autoencoder');
    assert.equal(model.fit?.batchSize.value, 40);
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 2 && run[0] > 0.04 && run[0] < 0.15 && run[1] < run[0], run.join(', '));
  });
});

describe('loops over a generator of batches, behind a progress bar', () => {
  const GENERATOR_LOOP = (batchesOf: string) => `
import numpy as np
import tensorflow as tf
from tqdm import tqdm

x_train = np.random.rand(200, 16)

def batches(x, size):
    for start in range(0, x.shape[0], size):
        yield ${batchesOf}

unused = tf.keras.Sequential([tf.keras.layers.Dense(16, input_shape=(16,))])
model = tf.keras.Sequential([
    tf.keras.layers.Dense(8, activation='relu', input_shape=(16,)),
    tf.keras.layers.Dense(16, activation='sigmoid'),
])
optimizer = tf.keras.optimizers.Adam()
loss_object = tf.keras.losses.MeanSquaredError()

for epoch in range(2):
    for x_batch in tqdm(batches(x_train, 20)):
        with tf.GradientTape() as tape:
            loss = loss_object(x_batch, model(x_batch))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
`;

  it('`for x_batch in tqdm(batches(x_train, 20))`: the generator\'s slices are the batches, the range loop around counts the epochs', async () => {
    const model = await modelOf(GENERATOR_LOOP('x[start:start + size]'), 'model');
    assert.equal(model.fit?.epochs.value, 2);
    assert.equal(model.fit?.batchSize.value, 20);
    assert.equal(model.fit?.shuffle.value, false);
    assert.deepEqual(model.data.train?.shape, [200, 16]);
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 2 && run.every(Number.isFinite), run.join(', '));
  });

  it('a generator yielding what nanguard cannot follow is refused naming the model\'s argument, and that refused model is the one to reproduce', async () => {
    const analysis = await analyzeFile('loop.py', GENERATOR_LOOP('np.load("batch_%d.npy" % start)'), NO_FILES);
    const picked = pickModel(analysis.models);
    assert.ok(typeof picked !== 'string' && picked.name === 'model', typeof picked === 'string' ? picked : picked.name);
    assert.match(refusalOf(picked), /^model is trained by a GradientTape loop of the program's own \(line 21\), and nanguard found no batch in its body that it could follow: the model is given `x_batch` \(line 23\), which is not a slice of the rows of an array/);
  });
});

describe("the optimizer's step written other ways", () => {
  const STEP = (compile: string, step: string) => `
import numpy as np
import tensorflow as tf
import keras

x = np.random.rand(128, 16)
model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(6, activation='elu'), keras.layers.Dense(16)])
${compile}
opt = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
for epoch in range(2):
    for i in range(0, x.shape[0], 64):
        xb = x[i:i + 64]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(xb - model(xb)))
${step}
`;

  it("model.optimizer.apply_gradients: the optimizer compile gave the model, and compile's loss left aside", async () => {
    const model = await modelOf(STEP("model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss='mae')", '        grads = tape.gradient(loss, model.trainable_weights)\n        model.optimizer.apply_gradients(zip(grads, model.trainable_weights))'), 'model');
    assert.equal(model.compile?.optimizer.className, 'Adam');
    assert.equal(model.compile?.optimizer.learningRate.value, 0.003);
    assert.equal(model.compile?.loss.name, 'none');
    assert.equal(model.fit?.batchSize.value, 64);
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 2 && run.every(Number.isFinite) && run[1] < run[0], run.join(', '));
  });

  it('optimizer.minimize(loss, model.trainable_variables, tape=tape): the gradient and its step, said to be Keras 2\'s', async () => {
    const model = await modelOf(STEP('', '        opt.minimize(loss, model.trainable_variables, tape=tape)'), 'model');
    assert.equal(model.compile?.optimizer.className, 'SGD');
    const plan = planned(model);
    assert.ok(plan.notes.some((n) => /^The step calls optimizer\.minimize \(line 15\), which Keras 2's optimizers had and Keras 3's do not/.test(n.text)), plan.notes.map((n) => n.text).join(' | '));
    const run = losses((await train(plan)).history);
    assert.ok(run.length === 2 && run.every(Number.isFinite) && run[1] < run[0], run.join(', '));
  });
});

describe('the batch through casts and a pair given one name', () => {
  it('`for batch in ds:` over (x, x) pairs, then tf.cast(batch[0], tf.float32) and tf.convert_to_tensor: still the batch', async () => {
    const source = `
import numpy as np
import tensorflow as tf
x = np.random.rand(96, 16)
ds = tf.data.Dataset.from_tensor_slices((x, x)).batch(32)
model = tf.keras.Sequential([tf.keras.Input(shape=(16,)), tf.keras.layers.Dense(6, activation='relu'), tf.keras.layers.Dense(16)])
opt = tf.keras.optimizers.Adam(1e-3)
for epoch in range(2):
    for batch in ds:
        inputs = tf.convert_to_tensor(tf.cast(batch[0], tf.float32))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.keras.losses.mean_squared_error(inputs, model(inputs)))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
`;
    const model = await modelOf(source);
    assert.equal(model.fit?.batchSize.value, 32);
    assert.deepEqual(model.addedLosses?.[0].tensors, ['input_layer', 'dense_1']);
    // A cast to integers changes the values: not the batch.
    assert.match(refusalOf(await modelOf(source.replace('tf.float32', 'tf.int32'), 'model')), /^model is trained by a GradientTape loop of the program's own \(line 9\), and the loss it differentiates \(line 13\) cannot be translated/);
  });
});

describe('tf.image.resize in a model and in the loss of a loop', () => {
  it('is a bilinear resize with half-pixel centers, as TensorFlow 2 computes it', () => {
    const x = tf.tensor4d([1, 2, 5, 3, 4, 0], [1, 2, 3, 1]);
    const resized = evaluateExpr({ op: 'resize', x: { op: 'arg', index: 0 }, height: 4, width: 5 }, [x]);
    // tf.image.resize(x, (4, 5)) in TensorFlow 2.21.
    const expected = [1, 1.4, 2, 3.8, 5, 1.5, 1.9, 2.5, 3.25, 3.75, 2.5, 2.9, 3.5, 2.15, 1.25, 3, 3.4, 4, 1.6, 0];
    Array.from(resized.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `${v} vs ${expected[i]}`));
    tf.dispose([x, resized]);
  });

  it("a subclassed model's method resizing its input, called in the call and in the step's per-pixel loss: translated, the loss's sum said", async () => {
    const source = `
import numpy as np
import tensorflow as tf

x = np.random.rand(64, 6, 6, 1).astype('float32')
ds = tf.data.Dataset.from_tensor_slices(x).batch(16)

class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.flat = tf.keras.layers.Flatten()
        self.code = tf.keras.layers.Dense(8, activation='relu')
        self.out = tf.keras.layers.Dense(64, activation='sigmoid')
    def grow(self, x):
        return tf.image.resize(x, (8, 8))
    def call(self, x):
        return tf.reshape(self.out(self.code(self.flat(self.grow(x)))), (-1, 8, 8, 1))

model = Net()
opt = tf.keras.optimizers.Adam(0.01)
for epoch in range(2):
    for xb in ds:
        with tf.GradientTape() as tape:
            loss = tf.keras.losses.MSE(model.grow(xb), model(xb))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
`;
    const model = await modelOf(source, 'model');
    const plan = planned(model);
    assert.match(JSON.stringify(plan.kerasJson), /"op":"resize","x":\{"op":"arg","index":0\},"height":8,"width":8/);
    const notes = plan.notes.map((n) => n.text);
    assert.ok(notes.some((n) => /^The loss the step differentiates \(line 25\) is not reduced to one number: tape\.gradient differentiates the sum of its values/.test(n)), notes.join(' | '));
    // Operations inside a model's call get tensors Keras 3 accepts: no note of a Keras 2 graph.
    assert.ok(!notes.some((n) => /which Keras 3 refuses/.test(n)), notes.join(' | '));
    const run = losses((await train(plan)).history);
    // The sum over a batch of 16 images of 8 x 8 (the last axis averaged away) of squared errors near 1/12.
    assert.ok(run.length === 2 && run[0] > 16 * 64 * 0.04 && run[0] < 16 * 64 * 0.2 && run[1] < run[0], run.join(', '));
  });
});
