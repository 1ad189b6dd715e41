// Variational autoencoders as people write them, from source to a real TensorFlow.js run: the
// sampling step (a Lambda of [z_mean, z_log_var] drawing K.random_normal, tf.random.normal or
// keras.random.normal, or a custom Sampling layer), the loss added with add_loss (on the model,
// or inside a layer's call), and the loss a train_step differentiates. Each trains for real on
// small data; what cannot be translated is refused naming the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { exprOutputShapeOf, type TensorExpr } from '../../src/core/tensorExpr';
import { evaluateExpr } from '../../src/repro/engine/expr';
import { tf } from '../../src/repro/engine/tf';
import type { ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { planned, refusalOf, trainOnCpu as train } from './repro-plans';
import type { ReproSummary } from '../../src/repro/summary';

async function modelOf(source: string): Promise<ModelSpec> {
  const analysis = await analyzeFile('vae.py', source, NO_FILES);
  const model = analysis.models.find((m) => m.fit) ?? analysis.models[0];
  assert.ok(model, 'no model found');
  return model;
}

function planOf(model: ModelSpec, epochs = 3): ReproPlan {
  return planned(model, { epochs });
}

function assertFalls(s: ReproSummary): number[] {
  const losses = s.history.loss.map(fromWire);
  assert.ok(losses.length > 1 && losses.every(Number.isFinite), `finite losses: ${losses.join(', ')}`);
  assert.ok(losses.at(-1)! < losses[0], `the loss falls: ${losses.join(', ')}`);
  return losses;
}

// The Packt book's dense VAE, in Keras 2's style: Lambda(sampling) of two tensors, vae.add_loss of
// a K expression over the input, the output, z_mean and z_log_var, compile without a loss, fit(x).
const PACKT_STYLE = `
import numpy as np
from tensorflow.keras.layers import Lambda, Input, Dense
from tensorflow.keras.models import Model
from tensorflow.keras.losses import mse
from tensorflow.keras import backend as K

def sampling(args):
    z_mean, z_log_var = args
    batch = K.shape(z_mean)[0]
    dim = K.int_shape(z_mean)[1]
    epsilon = K.random_normal(shape=(batch, dim))
    return z_mean + K.exp(0.5 * z_log_var) * epsilon

x_train = np.random.rand(256, 16).astype('float32')
original_dim = 16
inputs = Input(shape=(original_dim,), name='encoder_input')
x = Dense(32, activation='relu')(inputs)
z_mean = Dense(2, name='z_mean')(x)
z_log_var = Dense(2, name='z_log_var')(x)
z = Lambda(sampling, output_shape=(2,), name='z')([z_mean, z_log_var])
encoder = Model(inputs, [z_mean, z_log_var, z], name='encoder')
latent_inputs = Input(shape=(2,), name='z_sampling')
x = Dense(32, activation='relu')(latent_inputs)
outputs = Dense(original_dim, activation='sigmoid')(x)
decoder = Model(latent_inputs, outputs, name='decoder')
outputs = decoder(encoder(inputs)[2])
vae = Model(inputs, outputs, name='vae_mlp')
reconstruction_loss = mse(inputs, outputs)
reconstruction_loss *= original_dim
kl_loss = 1 + z_log_var - K.square(z_mean) - K.exp(z_log_var)
kl_loss = K.sum(kl_loss, axis=-1)
kl_loss *= -0.5
vae_loss = K.mean(reconstruction_loss + kl_loss)
vae.add_loss(vae_loss)
vae.compile(optimizer='adam')
vae.fit(x_train, epochs=3, batch_size=32)
`;

describe('the sampling step and add_loss', () => {
  it("Keras 2's Lambda(sampling)([z_mean, z_log_var]) and vae.add_loss of K operations: translated, trained on the added loss alone", async () => {
    const plan = planOf(await modelOf(PACKT_STYLE));
    assert.equal(plan.compile.loss, 'none');
    const lambda = plan.kerasJson.config.layers.find((l) => l.name === 'z');
    assert.equal(lambda?.class_name, 'Lambda');
    assert.match(JSON.stringify(lambda?.config), /"op":"random_normal","shape":\[\{"of":\{"op":"arg","index":0\},"axis":0\},\{"of":\{"op":"arg","index":0\},"axis":1\}\]/);
    assert.equal(plan.compile.addedLosses?.length, 1);
    assert.deepEqual([...plan.compile.addedLosses![0].tensors].sort(), ['dense_2', 'encoder_input', 'z_log_var', 'z_mean']);
    assert.ok(plan.notes.some((n) => /Keras 3 refuses/.test(n.text)), 'says that Keras 3 refuses a functional add_loss');
    const losses = assertFalls(await train(plan));
    // The reconstruction term alone starts near 16 x MSE of a 0.5 output on [0, 1] data (about 1.3); the KL term is positive.
    assert.ok(losses[0] > 0.5 && losses[0] < 10, `the first epoch's loss is the VAE's: ${losses[0]}`);
  });

  it('the reported loss is the compiled loss plus the added term, summed, as Keras reports it', async () => {
    const source = (added: string) => `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
from keras import ops
x = np.random.rand(64, 4)
inputs = keras.Input(shape=(4,))
h = layers.Dense(3)(inputs)
outputs = layers.Dense(4)(h)
model = keras.Model(inputs, outputs)
${added}
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss='mse')
model.fit(x, x, epochs=2, batch_size=16, validation_data=(x, x))
`;
    const plain = await train(planOf(await modelOf(source('')), 2));
    // 2.5 / 16 for each of a batch's 16 samples: a term that is not a scalar is summed, to 2.5 a batch of 16,
    // in validation too, which Keras runs in batches of the fit's size (not the 64 rows at once: 10).
    const added = await train(planOf(await modelOf(source('model.add_loss(ops.mean(h * 0.0, axis=-1) + 2.5 / 16)')), 2));
    for (const key of ['loss', 'val_loss'] as const) {
      const [a, b] = [fromWire(added.history[key][0]), fromWire(plain.history[key][0])];
      assert.ok(Math.abs(a - b - 2.5) < 1e-4, `${key}: ${a} = ${b} + 2.5`);
    }
  });

  it("Keras 3's class Sampling(layers.Layer) with keras.random.normal and self.add_loss of the KL term, beside a compiled loss", async () => {
    const plan = planOf(
      await modelOf(`
import numpy as np
import keras
from keras import layers, ops

class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        self.add_loss(ops.mean(kl))
        epsilon = keras.random.normal(shape=ops.shape(z_mean))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

x = np.random.rand(256, 12)
inputs = keras.Input(shape=(12,))
h = layers.Dense(24, activation="relu")(inputs)
z_mean = layers.Dense(3)(h)
z_log_var = layers.Dense(3)(h)
z = Sampling()([z_mean, z_log_var])
outputs = layers.Dense(12, activation="sigmoid")(layers.Dense(24, activation="relu")(z))
vae = keras.Model(inputs, outputs)
vae.compile(optimizer="adam", loss="binary_crossentropy")
vae.fit(x, x, epochs=3, batch_size=32)
`),
    );
    assert.equal(plan.compile.loss, 'binary_crossentropy');
    assert.deepEqual(plan.compile.addedLosses?.map((a) => a.tensors), [['dense_1', 'dense_2']]);
    assert.ok(!plan.notes.some((n) => /Keras 3 refuses/.test(n.text)), "a layer's add_loss is Keras 3's own");
    assertFalls(await train(plan));
  });

  it("tf's spelling: a Lambda reading args[0] and args[1], tf.random.normal of tf.shape(z_mean), tf.reduce_mean in add_loss", async () => {
    const plan = planOf(
      await modelOf(`
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def sample(args):
    eps = tf.random.normal(shape=tf.shape(args[0]))
    return args[0] + tf.exp(args[1] / 2) * eps

x = np.random.rand(256, 10)
inputs = keras.Input(shape=(10,))
h = layers.Dense(20, activation="relu")(inputs)
mu = layers.Dense(2)(h)
log_var = layers.Dense(2)(h)
z = layers.Lambda(sample)([mu, log_var])
outputs = layers.Dense(10)(layers.Dense(20, activation="relu")(z))
vae = keras.Model(inputs, outputs)
vae.add_loss(-0.5 * tf.reduce_mean(1 + log_var - tf.square(mu) - tf.exp(log_var)))
vae.compile(optimizer="adam", loss="mse")
vae.fit(x, x, epochs=3, batch_size=32)
`),
    );
    assert.equal(plan.compile.loss, 'mse');
    assertFalls(await train(plan));
  });

  it('an added loss or a sampling layer of other code is refused, naming the line', async () => {
    const added = await modelOf(`
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(4,))
h = layers.Dense(2)(inputs)
outputs = layers.Dense(4)(h)
model = keras.Model(inputs, outputs)
model.add_loss(tf.reduce_mean(tf.cumsum(h, axis=1)))
model.compile(optimizer="adam")
model.fit(np.random.rand(10, 4), epochs=1)
`);
    assert.match(refusalOf(added), /^the loss model adds with add_loss cannot be reproduced: line 10: `tf\.cumsum\(h, axis=1\)` calls cumsum, which nanguard does not translate/);
    const layer = await modelOf(`
import numpy as np
import keras
from keras import layers, ops
class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        for i in range(3):
            z_mean = z_mean + 1
        return z_mean
inputs = keras.Input(shape=(4,))
z = Sampling()([layers.Dense(2)(inputs), layers.Dense(2)(inputs)])
model = keras.Model(inputs, layers.Dense(4)(z))
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(10, 4), np.random.rand(10, 4))
`);
    assert.match(refusalOf(layer), /^layer sampling \(Lambda, line 12\) cannot be reproduced: Sampling\.call: line 8: `for i in range\(3\): z_mean = z_mean \+ 1` is Python control flow/);
  });
});

// keras.io's VAE (Keras 3 spelling): a keras.Model holding self.encoder and self.decoder, whose train_step differentiates the loss.
const TRAIN_STEP = (loss: string) => `
import numpy as np
import keras
from keras import layers, ops
import tensorflow as tf

class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

encoder_inputs = keras.Input(shape=(6, 6, 1))
x = layers.Conv2D(4, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
x = layers.Flatten()(x)
z_mean = layers.Dense(2, name="z_mean")(x)
z_log_var = layers.Dense(2, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")
latent_inputs = keras.Input(shape=(2,))
x = layers.Dense(3 * 3 * 4, activation="relu")(latent_inputs)
x = layers.Reshape((3, 3, 4))(x)
decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", strides=2, padding="same")(x)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")

class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
${loss}
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        return {"loss": self.total_loss_tracker.result()}

digits = np.random.rand(256, 6, 6, 1).astype("float32")
vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam())
vae.fit(digits, epochs=3, batch_size=32)
`;

describe('a train_step', () => {
  it("keras.io's VAE: the loss inside the GradientTape (binary cross-entropy summed over the image, plus the KL term) is translated and trained on", async () => {
    const model = await modelOf(
      TRAIN_STEP(`            reconstruction_loss = ops.mean(
                ops.sum(
                    keras.losses.binary_crossentropy(data, reconstruction),
                    axis=(1, 2),
                )
            )
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss`),
    );
    const plan = planOf(model);
    assert.equal(plan.compile.loss, 'none');
    assert.equal(plan.compile.addedLosses?.length, 1);
    // An earlier keras.io version unpacks a (x, y) batch first: a tensor is no tuple, so the step reads on.
    const unpacking = TRAIN_STEP(`            total_loss = ops.mean(ops.square(data - reconstruction))`).replace('    def train_step(self, data):\n', '    def train_step(self, data):\n        if isinstance(data, tuple):\n            data = data[0]\n');
    assert.match(unpacking, /isinstance/);
    assert.equal(planOf(await modelOf(unpacking)).compile.addedLosses?.length, 1);
    assert.ok(plan.notes.some((n) => /^vae trains in its own train_step \(line 38\)/.test(n.text)), plan.notes.map((n) => n.text).join(' | '));
    assertFalls(await train(plan));
  });

  it("Generative Deep Learning's VAE: self(data) runs the model's own call, its three outputs unpacked; binary_crossentropy over axis=(1, 2, 3), scaled by a constant", async () => {
    const source = TRAIN_STEP('')
      .replace(
        / {4}def train_step\(self, data\):[\s\S]*?return \{"loss": self.total_loss_tracker.result\(\)\}\n/,
        `    def call(self, inputs):
        z_mean, z_log_var, z = encoder(inputs)
        reconstruction = decoder(z)
        return z_mean, z_log_var, reconstruction

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, reconstruction = self(data)
            reconstruction_loss = tf.reduce_mean(BETA * keras.losses.binary_crossentropy(data, reconstruction, axis=(1, 2, 3)))
            kl_loss = tf.reduce_mean(tf.reduce_sum(-0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var)), axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        return {m.name: m.result() for m in self.metrics}
`,
      )
      .replace('digits = np.random', 'BETA = 500\ndigits = np.random');
    assert.match(source, /self\(data\)/);
    const plan = planOf(await modelOf(source));
    assert.equal(plan.compile.loss, 'none');
    const added = plan.compile.addedLosses?.[0];
    assert.ok(added, 'the loss the tape differentiates');
    // 500 * the mean over each image's pixels (axis=(1, 2, 3)), not over its last axis only.
    assert.match(JSON.stringify(added), /"value":500/);
    assert.match(JSON.stringify(added), /"axis":\[1,2,3\]/);
    const losses = assertFalls(await train(plan));
    // Half of 500 * log(2) at the start: a sigmoid output near 0.5 on pixels in [0, 1].
    assert.ok(losses[0] > 250 && losses[0] < 450, `BETA scales the reconstruction term: ${losses[0]}`);
  });

  it("a train_step reading self.beta set in __init__ and a loss object kept on the model (self.bce = BinaryCrossentropy(reduction='sum'))", async () => {
    const source = TRAIN_STEP(`            reconstruction_loss = self.bce(data, reconstruction) / 32.0
            kl_loss = tf.reduce_mean(tf.reduce_sum(-0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var)), axis=1))
            total_loss = reconstruction_loss + self.beta * kl_loss`)
      .replace('def __init__(self, encoder, decoder, **kwargs):', 'def __init__(self, encoder, decoder, beta=1.0, **kwargs):')
      .replace('        self.decoder = decoder\n', '        self.decoder = decoder\n        self.beta = beta\n        self.bce = keras.losses.BinaryCrossentropy(reduction="sum")\n')
      .replace('vae = VAE(encoder, decoder)', 'vae = VAE(encoder, decoder, beta=4.0)');
    const plan = planOf(await modelOf(source));
    const added = JSON.stringify(plan.compile.addedLosses?.[0]);
    assert.match(added, /"value":4\b/, 'self.beta is the 4.0 the model was built with');
    assert.match(added, /"op":"sum","x":\{"op":"mean"/, 'the loss object sums the per-sample losses');
    assertFalls(await train(plan));
  });

  it('a loss the tape differentiates that cannot be translated is refused, naming its line', async () => {
    const model = await modelOf(
      TRAIN_STEP(`            total_loss = tf.reduce_mean(tf.image.sobel_edges(data - reconstruction))`),
    );
    assert.match(refusalOf(model), /^VAE trains in its own train_step \(line 38\), and the loss it differentiates \(line 43\) cannot be translated: line 42: `tf\.image\.sobel_edges\(data - reconstruction\)` calls sobel_edges, which nanguard does not translate/);
    // Compile's loss of the batch and the reconstruction is not Keras's own step (that one reads fit's targets, x, y = data).
    const compiled = await modelOf(TRAIN_STEP(`            total_loss = self.compute_loss(data, reconstruction)`));
    assert.match(refusalOf(compiled), /^VAE trains in its own train_step \(line 38\), and the loss it differentiates \(line 43\) is compile's loss of values other than fit's targets/);
  });
});

// keras.io's "Customizing what happens in fit()": a train_step differentiating compile's loss of fit's targets and the model's output.
const COMPILED_LOSS_STEP = (members: string, loss: string, model: string) => `
import numpy as np
import tensorflow as tf
from tensorflow import keras

class CustomModel(keras.Model):
${members}
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = ${loss}
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}

x = np.random.rand(256, 16).astype("float32")
${model}
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, x, epochs=3, batch_size=32)
`;

describe("a train_step that differentiates compile's loss (self.compute_loss, self.compiled_loss)", () => {
  it("a subclass of keras.Model built as a functional model (CustomModel(inputs, outputs)) trains as fit would, on compile's loss", async () => {
    const model = await modelOf(
      COMPILED_LOSS_STEP(
        '',
        'self.compute_loss(y=y, y_pred=y_pred)',
        `inputs = keras.Input(shape=(16,))
outputs = keras.layers.Dense(16, activation="sigmoid")(keras.layers.Dense(4, activation="relu")(inputs))
model = CustomModel(inputs, outputs)`,
      ),
    );
    const plan = planOf(model);
    assert.equal(plan.compile.loss, 'binary_crossentropy');
    assert.equal(plan.compile.addedLosses, undefined);
    assertFalls(await train(plan));
  });

  it('a subclass with call and a train_step calling self.compiled_loss(y, y_pred, regularization_losses=self.losses)', async () => {
    const members = `    def __init__(self):
        super().__init__()
        self.encoder = keras.layers.Dense(4, activation="relu")
        self.decoder = keras.layers.Dense(16, activation="sigmoid")

    def call(self, x):
        return self.decoder(self.encoder(x))
`;
    const plan = planOf(await modelOf(COMPILED_LOSS_STEP(members, 'self.compiled_loss(y, y_pred, regularization_losses=self.losses)', 'model = CustomModel()')));
    assert.equal(plan.compile.loss, 'binary_crossentropy');
    assert.equal(plan.compile.addedLosses, undefined);
    assertFalls(await train(plan));
    // Compile's loss of other values (the batch against itself) is refused by line.
    const other = await modelOf(COMPILED_LOSS_STEP(members, 'self.compiled_loss(x, x)', 'model = CustomModel()'));
    assert.match(refusalOf(other), /^CustomModel trains in its own train_step \(line 15\), and the loss it differentiates \(line 20\) is compile's loss of values other than fit's targets/);
  });
});

describe('the data of a VAE', () => {
  it("MNIST's train and test images joined (np.concatenate([x_train, x_test])) stand in as MNIST-like digits, not uniform noise", async () => {
    const plan = planOf(
      await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
mnist_digits = np.concatenate([x_train, x_test], axis=0)
mnist_digits = np.expand_dims(mnist_digits, -1).astype("float32") / 255
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Flatten()(inputs)
x = layers.Dense(8, activation="relu")(x)
x = layers.Dense(784, activation="sigmoid")(x)
outputs = layers.Reshape((28, 28, 1))(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(mnist_digits, mnist_digits, epochs=1, batch_size=128)
`),
      1,
    );
    assert.match(JSON.stringify(plan.data.x), /"pattern":"digit-strokes"/);
    assert.ok(plan.notes.some((n) => /keras\.datasets\.mnist train and test/.test(n.text) && /made up like MNIST's/.test(n.text)));
  });
});

describe('a VAE trained in a GradientTape loop of its own', () => {
  it("the TensorFlow tutorial's CVAE, never fitted, is refused naming the tape's line, not for lacking a call method", async () => {
    const model = await modelOf(`
import numpy as np
import tensorflow as tf

class CVAE(tf.keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.encoder = tf.keras.Sequential([tf.keras.layers.InputLayer(input_shape=(8,)), tf.keras.layers.Dense(latent_dim * 2)])
        self.decoder = tf.keras.Sequential([tf.keras.layers.InputLayer(input_shape=(latent_dim,)), tf.keras.layers.Dense(8)])

def train_step(model, x, optimizer):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model.decoder(model.encoder(x)[:, :2]) - x))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))

model = CVAE(2)
optimizer = tf.keras.optimizers.Adam(1e-4)
for x in np.random.rand(4, 16, 8):
    train_step(model, x, optimizer)
`);
    assert.match(refusalOf(model), /^model is trained by a GradientTape loop of the program's own \(line 12\) and never by fit/);
  });
});

describe('the noise of the sampling step', () => {
  it('is drawn afresh at each call, in the shape it reads from its input, and a run repeats under its seed', async () => {
    const noise: TensorExpr = { op: 'random_normal', shape: [{ of: { op: 'arg', index: 0 }, axis: 0 }, 3], mean: 0, stddev: 1 };
    assert.deepEqual(exprOutputShapeOf(noise, [[null, 2]]), [null, 3]);
    assert.deepEqual(exprOutputShapeOf({ op: 'flatten', x: { op: 'arg', index: 0 } }, [[null, 4, 4, 1]]), [null]);
    assert.deepEqual(exprOutputShapeOf({ op: 'batch_flatten', x: { op: 'arg', index: 0 } }, [[null, 4, 4, 1]]), [null, 16]);
    const z = tf.zeros([5, 2]);
    const a = evaluateExpr(noise, [z]);
    const b = evaluateExpr(noise, [z]);
    assert.deepEqual(a.shape, [5, 3]);
    assert.notDeepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([z, a, b]);
    const plan = planOf(await modelOf(PACKT_STYLE), 2);
    const first = (await train(plan)).history.loss;
    assert.deepEqual((await train(plan)).history.loss, first, 'the same seed gives the same run');
    assert.notDeepEqual((await train({ ...plan, seed: 1 })).history.loss, first, 'another seed draws other noise and weights');
  });
});

describe('noise of a fixed batch size', () => {
  it("K.random_normal(shape=(batch_size, latent_dim)) of the first Keras examples trains and validates in the fit's batches", async () => {
    const summary = await train(
      planOf(
        await modelOf(`
import numpy as np
from keras.layers import Input, Dense, Lambda
from keras.models import Model
from keras import backend as K
batch_size = 16
latent_dim = 2
def sampling(args):
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., stddev=1.0)
    return z_mean + K.exp(z_log_var / 2) * epsilon
x = np.random.rand(64, 6)
x_in = Input(shape=(6,))
h = Dense(8, activation='relu')(x_in)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)
z = Lambda(sampling)([z_mean, z_log_var])
out = Dense(6, activation='sigmoid')(Dense(8, activation='relu')(z))
vae = Model(x_in, out)
vae.compile(optimizer='rmsprop', loss='binary_crossentropy')
vae.fit(x, x, shuffle=True, epochs=2, batch_size=batch_size, validation_data=(x, x))
`),
        2,
      ),
    );
    assert.equal(summary.history.val_loss.length, 2);
    assert.ok(summary.history.val_loss.map(fromWire).every(Number.isFinite));
  });
});
