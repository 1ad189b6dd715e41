/**
 * Custom layers that call layers of their own (`class Encoder(layers.Layer)` keeping a Dense as
 * `self.hidden_layer` and passing its input through it): rebuilt with those layers' weights, in
 * functional, Sequential and subclassed models, nested, made in `__init__` or in
 * `build(input_shape)`; what cannot be followed is refused naming the class and the line.
 * Parameter counts are those real Keras 3 reports for the same programs (`model.count_params()`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { fromWire } from '../../src/repro/protocol';
import type { ReproPlan } from '../../src/repro/plan';
import type { ReproSummary } from '../../src/repro/summary';
import { planned, refusalOf, trainOnCpu } from './repro-plans';

async function fitted(source: string): Promise<ModelSpec> {
  const model = (await analyzeFile('train.py', source, NO_FILES)).models.find((m) => m.fit);
  assert.ok(model, 'a fitted model');
  return model;
}

/** Each layer as `name<-inbound` (the graph nanguard rebuilt), InputLayers left out. */
const wiring = (model: ModelSpec) => model.layers.filter((l) => l.className !== 'InputLayer').map((l) => `${l.name}<-${(l.inbound ?? []).join(',')}`);

const layerClasses = (plan: ReproPlan) => plan.kerasJson.config.layers.map((l) => l.class_name);

function assertFalls(s: ReproSummary): void {
  const losses = s.history.loss.map(fromWire);
  assert.ok(losses.every(Number.isFinite), `finite losses: ${losses.join(', ')}`);
  assert.ok(losses.at(-1)! < losses[0], `the loss falls: ${losses.join(', ')}`);
}

// Deep Learning with TensorFlow 2 and Keras (Packt), chapter 9's denoising autoencoder, on data of its own.
const PACKT = `
import numpy as np
import tensorflow as tf
import tensorflow.keras as K

x_train = np.random.rand(512, 64).astype(np.float32)
x_train_noisy = x_train + np.random.normal(loc=0.5, scale=0.5, size=x_train.shape)

class Encoder(K.layers.Layer):
    def __init__(self, hidden_dim):
        super(Encoder, self).__init__()
        self.hidden_layer = K.layers.Dense(units=hidden_dim, activation=tf.nn.relu)

    def call(self, input_features):
        activation = self.hidden_layer(input_features)
        return activation

class Decoder(K.layers.Layer):
    def __init__(self, hidden_dim, original_dim):
        super(Decoder, self).__init__()
        self.output_layer = K.layers.Dense(units=original_dim, activation=tf.nn.relu)

    def call(self, encoded):
        activation = self.output_layer(encoded)
        return activation

class Autoencoder(K.Model):
    def __init__(self, hidden_dim, original_dim):
        super(Autoencoder, self).__init__()
        self.loss = []
        self.encoder = Encoder(hidden_dim=hidden_dim)
        self.decoder = Decoder(hidden_dim=hidden_dim, original_dim=original_dim)

    def call(self, input_features):
        encoded = self.encoder(input_features)
        reconstructed = self.decoder(encoded)
        return reconstructed

model = Autoencoder(hidden_dim=16, original_dim=64)
model.compile(loss='mse', optimizer='adam')
model.fit(x_train_noisy, x_train, epochs=10, batch_size=32)
`;

describe('custom layers that call layers of their own', () => {
  it("the Packt book's Encoder and Decoder layers inside a subclassed model: the decoder reads the encoder, and it trains", async () => {
    const model = await fitted(PACKT);
    assert.equal(model.definitionProblem, undefined);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense_1<-dense']);
    assert.deepEqual(
      model.layers.map((l) => l.submodel),
      ['encoder', 'decoder'],
    );
    const plan = planned(model, { epochs: 4 });
    const summary = await trainOnCpu(plan);
    // Keras: 64*16+16 + 16*64+64
    assert.equal(summary.model.parameters, 2128);
    assertFalls(summary);
  });

  it('the same layers, as keras.Model subclasses, are wired the same (a nested model reads what it is applied to)', async () => {
    const model = await fitted(PACKT.replace(/K\.layers\.Layer/g, 'K.Model'));
    assert.equal(model.definitionProblem, undefined);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense_1<-dense']);
  });

  const FUNCTIONAL = `
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.random.default_rng(0).random((256, 64)).astype("float32")

class MLPBlock(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)

    def call(self, inputs):
        return tf.nn.relu(self.dense(inputs))

class Encoder(layers.Layer):
    def __init__(self, sizes, latent_dim=8, name="encoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.blocks = [MLPBlock(n) for n in sizes]
        self.to_code = layers.Dense(latent_dim)

    def run_blocks(self, x):
        for block in self.blocks:
            x = block(x)
        return x

    def call(self, inputs):
        x = self.run_blocks(inputs)
        return self.to_code(x)

class Decoder(layers.Layer):
    def __init__(self, original_dim, intermediate_dim=32, name="decoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_output = layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        x = self.dense_proj(inputs)
        return self.dense_output(x)

inputs = keras.Input(shape=(64,))
code = Encoder([48, 24])(inputs)
outputs = Decoder(64)(code)
autoencoder = keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x_train, x_train, epochs=3, batch_size=64)
`;

  it('nested in a functional model: a list of blocks run in a loop by a method, each block a layer with an activation around its Dense', async () => {
    const model = await fitted(FUNCTIONAL);
    assert.equal(model.definitionProblem, undefined);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'lambda<-dense', 'dense_1<-lambda', 'lambda_1<-dense_1', 'dense_2<-lambda_1', 'dense_3<-dense_2', 'dense_4<-dense_3']);
    // Named as Keras names the layers, not by the loop's variable.
    assert.deepEqual([...new Set(model.layers.map((l) => l.submodel).filter((s) => s !== undefined))], ['mlp_block', 'mlp_block_1', 'encoder', 'decoder']);
    const plan = planned(model, { epochs: 2 });
    const summary = await trainOnCpu(plan);
    // Keras: model.count_params() of the same program
    assert.equal(summary.model.parameters, 6896);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });

  it('layers made in build(input_shape) take their sizes from what the layer is applied to', async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras

x = np.random.rand(256, 20).astype("float32")

class Bottleneck(keras.layers.Layer):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim

    def build(self, input_shape):
        self.squeeze = keras.layers.Dense(self.latent_dim, activation="tanh")
        self.expand = keras.layers.Dense(input_shape[-1])

    def call(self, inputs, training=None):
        z = self.squeeze(inputs)
        return self.expand(z)

inputs = keras.Input(shape=(20,))
h = keras.layers.Dense(16, activation="relu")(inputs)
h = Bottleneck(4)(h)
outputs = keras.layers.Dense(20)(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
model.fit(x, x, epochs=8, batch_size=32)
`);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense_1<-dense', 'dense_2<-dense_1', 'dense_3<-dense_2']);
    assert.equal(model.layers.find((l) => l.name === 'dense_2')?.config.units, 16);
    const summary = await trainOnCpu(planned(model, { epochs: 8 }));
    // Keras: 20*16+16 + 16*4+4 + 4*16+16 + 16*20+20
    assert.equal(summary.model.parameters, 824);
    assertFalls(summary);
  });

  it('a layer with layers from __init__ and from build has both (built at its first call, as Keras does)', async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras

x = np.random.rand(64, 10).astype("float32")

class Block(keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.first = keras.layers.Dense(units, activation="relu")

    def build(self, input_shape):
        self.back = keras.layers.Dense(input_shape[-1])

    def call(self, inputs):
        return self.back(self.first(inputs))

inputs = keras.Input(shape=(10,))
outputs = Block(4)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=3, batch_size=32)
`);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense_1<-dense']);
    assert.deepEqual(
      model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units),
      [4, 10],
    );
  });

  it("a layer's build sizes its layers from the output of a layer of layers before it (the shape through its traced call)", async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(64, 6, 6, 1).astype("float32")

class DownBlock(layers.Layer):
    def __init__(self, filters):
        super().__init__()
        self.conv = layers.Conv2D(filters, 3, padding="same", activation="relu")
        self.pool = layers.MaxPooling2D(2)

    def call(self, x):
        return self.pool(self.conv(x))

class Head(layers.Layer):
    def build(self, input_shape):
        self.flat = layers.Flatten()
        self.out = layers.Dense(input_shape[1] * input_shape[2] * 4 * 4)
        self.reshape = layers.Reshape((input_shape[1] * 2, input_shape[2] * 2, 4))

    def call(self, x):
        return self.reshape(self.out(self.flat(x)))

inputs = keras.Input(shape=(6, 6, 1))
h = DownBlock(8)(inputs)
h = Head()(h)
outputs = layers.Conv2D(1, 3, padding="same")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=3, batch_size=32)
`);
    assert.equal(model.layers.find((l) => l.className === 'Dense')?.config.units, 144);
    assert.deepEqual(model.layers.find((l) => l.className === 'Reshape')?.config.target_shape, [6, 6, 4]);
    // Keras: 1*9*8+8 + 72*144+144 + 4*9+1
    assert.equal((await trainOnCpu(planned(model, { epochs: 1 }))).model.parameters, 10629);
  });

  it('in a Sequential, each layer of layers reads the one before it', async () => {
    const model = await fitted(`
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, Sequential

x_train = np.random.rand(128, 8, 8, 1).astype("float32")

class ConvBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding="same")
        self.bn = layers.BatchNormalization()
        self.pool = layers.MaxPooling2D(2)

    def call(self, x, training=False):
        x = self.conv(x)
        x = self.bn(x, training=training)
        x = tf.nn.relu(x)
        return self.pool(x)

class UpBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.up = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")

    def call(self, x):
        return self.up(x)

model = Sequential([
    layers.Input(shape=(8, 8, 1)),
    ConvBlock(4),
    UpBlock(4),
    layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, x_train, epochs=3, batch_size=32)
`);
    assert.equal(model.definitionProblem, undefined);
    const plan = planned(model, { epochs: 2 });
    assert.deepEqual(layerClasses(plan), ['InputLayer', 'Conv2D', 'BatchNormalization', 'Lambda', 'MaxPooling2D', 'Conv2DTranspose', 'Conv2D']);
    // Keras: 1*9*4+4 + 4*4 (BatchNormalization, 8 of them trainable) + 4*9*4+4 + 4*9*1+1
    assert.equal((await trainOnCpu(plan)).model.parameters, 40 + 16 + 148 + 37);
  });

  it('model.add of a layer that makes its layers in build: built on what the Sequential gives so far, its skip connection kept', async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(256, 12).astype("float32")

class Residual(layers.Layer):
    def build(self, input_shape):
        self.inner = layers.Dense(input_shape[-1] // 2, activation="relu")
        self.back = layers.Dense(input_shape[-1])

    def call(self, x):
        return x + self.back(self.inner(x))

model = keras.Sequential()
model.add(keras.Input(shape=(12,)))
model.add(layers.Dense(8, activation="relu"))
model.add(Residual())
model.add(layers.Dense(12))
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=3, batch_size=32)
`);
    assert.deepEqual(wiring(model), ['dense<-', 'dense_1<-dense', 'dense_2<-dense_1', 'lambda<-dense,dense_2', 'dense_3<-']);
    const summary = await trainOnCpu(planned(model, { epochs: 6 }));
    // Keras: 12*8+8 + 8*4+4 + 4*8+8 + 8*12+12
    assert.equal(summary.model.parameters, 288);
    assertFalls(summary);
  });

  it('a layer of layers whose call takes two tensors (call(self, z, cond)) reads each where it is given', async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(256, 10).astype("float32")
c = np.random.rand(256, 3).astype("float32")

class CondDecoder(layers.Layer):
    def __init__(self, out_dim):
        super().__init__()
        self.join = layers.Concatenate()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(out_dim)

    def call(self, z, cond):
        h = self.join([z, cond])
        return self.out(self.hidden(h))

x_in = keras.Input(shape=(10,))
c_in = keras.Input(shape=(3,))
z = layers.Dense(4, activation="relu")(x_in)
out = CondDecoder(10)(z, c_in)
model = keras.Model([x_in, c_in], out)
model.compile(optimizer="adam", loss="mse")
model.fit([x, c], x, epochs=3, batch_size=32)
`);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'concatenate<-dense,input_layer_1', 'dense_1<-concatenate', 'dense_2<-dense_1']);
    assert.deepEqual(model.inputNames, ['input_layer', 'input_layer_1']);
    // Keras: 10*4+4 + 7*16+16 + 16*10+10
    assert.equal((await trainOnCpu(planned(model, { epochs: 1 }))).model.parameters, 342);
  });

  it("the TensorFlow guide's VariationalAutoEncoder: the encoder layer's three outputs and the KL term its call adds", async () => {
    const model = await fitted(`
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = tf.shape(z_mean)[1]
        epsilon = tf.keras.backend.random_normal(shape=(batch, dim))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon

class Encoder(layers.Layer):
    def __init__(self, latent_dim=32, intermediate_dim=64, name="encoder", **kwargs):
        super(Encoder, self).__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_mean = layers.Dense(latent_dim)
        self.dense_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling()

    def call(self, inputs):
        x = self.dense_proj(inputs)
        z_mean = self.dense_mean(x)
        z_log_var = self.dense_log_var(x)
        z = self.sampling((z_mean, z_log_var))
        return z_mean, z_log_var, z

class Decoder(layers.Layer):
    def __init__(self, original_dim, intermediate_dim=64, name="decoder", **kwargs):
        super(Decoder, self).__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_output = layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        x = self.dense_proj(inputs)
        return self.dense_output(x)

class VariationalAutoEncoder(keras.Model):
    def __init__(self, original_dim, intermediate_dim=64, latent_dim=32, name="autoencoder", **kwargs):
        super(VariationalAutoEncoder, self).__init__(name=name, **kwargs)
        self.original_dim = original_dim
        self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
        self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)

    def call(self, inputs):
        z_mean, z_log_var, z = self.encoder(inputs)
        reconstructed = self.decoder(z)
        kl_loss = -0.5 * tf.reduce_mean(z_log_var - tf.square(z_mean) - tf.exp(z_log_var) + 1)
        self.add_loss(kl_loss)
        return reconstructed

x_train = np.random.rand(256, 32).astype("float32")
vae = VariationalAutoEncoder(32, 16, 4)
vae.compile(tf.keras.optimizers.Adam(learning_rate=1e-3), loss=tf.keras.losses.MeanSquaredError())
vae.fit(x_train, x_train, epochs=2, batch_size=64)
`);
    assert.equal(model.definitionProblem, undefined);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense_1<-dense', 'dense_2<-dense', 'sampling<-dense_1,dense_2', 'dense_3<-sampling', 'dense_4<-dense_3']);
    assert.deepEqual(
      model.addedLosses?.map((a) => a.tensors),
      [['dense_2', 'dense_1']],
    );
    const summary = await trainOnCpu(planned(model, { epochs: 3 }));
    // Keras: 32*16+16 + 2*(16*4+4) + 4*16+16 + 16*32+32
    assert.equal(summary.model.parameters, 1288);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });

  it("a subclassed VAE whose helper method draws noise of tf.shape(z_mean)[0] rows: the batch's size as it runs, the last batch's smaller one too", async () => {
    const model = await fitted(`
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class VAE(keras.Model):
    def __init__(self, input_dim, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.enc = layers.Dense(16, activation='relu')
        self.z_mean = layers.Dense(latent_dim)
        self.z_log_std = layers.Dense(latent_dim)
        self.dec = layers.Dense(input_dim)

    def reparameterize(self, z_mean, z_log_std):
        batch = tf.shape(z_mean)[0]
        epsilon = tf.random.normal(shape=(batch, self.latent_dim), stddev=1.0)
        return z_mean + tf.exp(0.5 * z_log_std) * epsilon

    def call(self, x):
        h = self.enc(x)
        z_mean = self.z_mean(h)
        z_log_std = self.z_log_std(h)
        z = self.reparameterize(z_mean, z_log_std)
        return self.dec(z)

x_train = np.random.rand(500, 8).astype('float32')
vae = VAE(8, 2)
vae.compile(optimizer='adam', loss='mse')
vae.fit(x_train, x_train, epochs=3, batch_size=64)
`);
    assert.equal(model.definitionProblem, undefined);
    const summary = await trainOnCpu(planned(model, { epochs: 3 }));
    // Keras: 8*16+16 + 2*(16*2+2) + 2*8+8; 500 rows in batches of 64 end with one of 52.
    assert.equal(summary.model.parameters, 236);
    assertFalls(summary);
  });

  it('a call that does something else than pass its input through layers is refused, naming the layer, its class and the line', async () => {
    const model = await fitted(`
import numpy as np
import tensorflow as tf
from tensorflow import keras

x = np.random.rand(64, 16).astype("float32")

class Mixer(keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.proj = keras.layers.Dense(units)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], input_shape[-1]), initializer="random_normal")

    def call(self, inputs):
        mixed = tf.matmul(inputs, self.w)
        return self.proj(mixed)

class AE(keras.Model):
    def __init__(self):
        super().__init__()
        self.mixer = Mixer(4)
        self.out = keras.layers.Dense(16)

    def call(self, x):
        return self.out(self.mixer(x))

model = AE()
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=2)
`);
    const refusal = refusalOf(model);
    assert.match(refusal, /layer mixer \(Mixer, line 23\) cannot be reproduced: Mixer\.call \(line 16\) is not a chain of its layers: line 17, `tf\.matmul\(inputs, self\.w\)`/);
    assert.doesNotMatch(refusal, /TensorFlow\.js|tfjs/);
  });

  it('a layer whose sizes come from an input shape nanguard does not know (in a subclassed model) is refused, naming the line', async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras

x = np.random.rand(64, 20).astype("float32")

class Bottleneck(keras.layers.Layer):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim

    def build(self, input_shape):
        self.squeeze = keras.layers.Dense(self.latent_dim, activation="tanh")
        self.expand = keras.layers.Dense(input_shape[-1])

    def call(self, inputs):
        return self.expand(self.squeeze(inputs))

class AE(keras.Model):
    def __init__(self):
        super().__init__()
        self.inp = keras.layers.Dense(16, activation="relu")
        self.bottleneck = Bottleneck(4)
        self.out = keras.layers.Dense(20)

    def call(self, x):
        return self.out(self.bottleneck(self.inp(x)))

model = AE()
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=3, batch_size=32)
`);
    assert.match(refusalOf(model), /line 14.*`input_shape\[-1\]`/);
  });

  it('a layer of layers applied again to its own output is three calls of one Dense, sharing its weights', async () => {
    const model = await fitted(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(64, 12).astype("float32")

class Block(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.dense = layers.Dense(units, activation="relu")

    def call(self, x):
        return self.dense(x)

class AE(keras.Model):
    def __init__(self):
        super().__init__()
        self.block = Block(12)
        self.out = layers.Dense(12)

    def call(self, x):
        for _ in range(3):
            x = self.block(x)
        return self.out(x)

model = AE()
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=3, batch_size=32)
`);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense (call 2)<-dense', 'dense (call 3)<-dense (call 2)', 'dense_1<-dense (call 3)']);
    const plan = planned(model);
    // One Dense entry with three nodes, the last read by the output layer.
    assert.deepEqual(layerClasses(plan), ['InputLayer', 'Dense', 'Dense']);
    const summary = await trainOnCpu(plan);
    // Keras: model.count_params() of the same program (the block's Dense counted once).
    assert.equal(summary.model.parameters, 312);
    assertFalls(summary);
  });

  it('a custom layer of element-wise operations alone stays one Lambda layer, as before', async () => {
    const model = await fitted(`
import numpy as np
import tensorflow as tf
from tensorflow import keras

x = np.random.rand(64, 8).astype("float32")

class Scale(keras.layers.Layer):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor
        self.unused = keras.layers.Dense(3)

    def call(self, inputs):
        return tf.tanh(inputs) * self.factor

inputs = keras.Input(shape=(8,))
h = keras.layers.Dense(8)(inputs)
outputs = Scale(2.0)(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=2)
`);
    assert.deepEqual(
      model.layers.map((l) => l.className),
      ['InputLayer', 'Dense', 'Lambda'],
    );
  });
});
