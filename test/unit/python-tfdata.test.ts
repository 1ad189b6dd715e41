/**
 * Input pipelines as people write them: `tf.data.Dataset.from_tensor_slices((x, y))` with
 * `shuffle`, `batch` and `map`, `tensorflow_datasets.load(...)` with a normalising map, and
 * `image_dataset_from_directory`: `model.fit(ds)` trains on the arrays the dataset yields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile, checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

async function findings(source: string): Promise<Finding[]> {
  return (await checkFile('pipeline.py', source, NO_FILES, DEFAULT_SETTINGS)).findings;
}

const rules = (fs: Finding[]) => fs.map((f) => f.rule).sort();
const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1}: ${f.rule} ${f.message}`).join('\n');

const SLICES = (scale: string) => `import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(1000, 20) * ${scale}
ds = tf.data.Dataset.from_tensor_slices((x, x)).shuffle(1000).batch(50, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(8, activation="relu"), layers.Dense(20)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
model.fit(ds, epochs=5)
`;

test('from_tensor_slices((x, x)).shuffle().batch(): fit trains on x, in the dataset\'s batches', async () => {
  const unscaled = await findings(SLICES('3000'));
  assert.ok(rules(unscaled).includes('NAN101'), show(unscaled));
  assert.match(unscaled.find((f) => f.rule === 'NAN101')!.message, /^x reaches the network unscaled: feature 0 spans 0-3000/);
  assert.deepEqual(await findings(SLICES('1.0')), []);
  const analysis = await analyzeFile('pipeline.py', SLICES('1.0'), NO_FILES);
  assert.equal(analysis.models[0].fit?.batchSize.value, 50);
  assert.deepEqual(analysis.models[0].data.train?.shape, [1000, 20]);
});

const TFDS = (name: string, normalize: string) => `import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow import keras
from tensorflow.keras import layers


def normalize(example):
    image = ${normalize}
    return image, image


train = tfds.load("${name}", split="train").map(normalize).shuffle(1024).batch(256)
test = tfds.load("${name}", split="test").map(normalize).batch(256)
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28, 1))])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train, validation_data=test, epochs=5)
`;

test('tfds.load("mnist") mapped by a function: its uint8 pixels, divided by 255 or not', async () => {
  const scaled = TFDS('mnist', 'tf.cast(example["image"], tf.float32) / 255.0');
  assert.deepEqual(await findings(scaled), []);
  const analysis = await analyzeFile('pipeline.py', scaled, NO_FILES);
  const model = analysis.models[0];
  assert.deepEqual(model.data.train?.shape, [60000, 28, 28, 1]);
  assert.equal(model.fit?.validation.kind, 'data');
  assert.equal(model.fit?.batchSize.value, 256);
  const raw = await findings(TFDS('fashion_mnist', 'tf.cast(example["image"], tf.float32)'));
  assert.ok(rules(raw).includes('NAN402'), show(raw));
  assert.match(raw.find((f) => f.rule === 'NAN402')!.message, /spans 0-255/);
});

test('a tfds MNIST pipeline is reproduced on MNIST-like stand-in images, said to be a stand-in', async () => {
  const analysis = await analyzeFile('pipeline.py', TFDS('mnist', 'tf.cast(example["image"], tf.float32) / 255.0'), NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string', String(model));
  const planned = buildPlan(model, { seed: 0 });
  assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
  assert.equal(planned.plan.data.x.kind, 'synthetic');
  assert.equal((planned.plan.data.x as { pattern?: string }).pattern, 'digit-strokes');
  assert.ok(planned.plan.notes.some((n) => n.kind === 'stand-in' && /tensorflow_datasets mnist train/.test(n.text)));
});

test('tfds.load("mnist") without a split: a dict of the train and test datasets, batched then mapped over their element dicts', async () => {
  const source = `import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow import keras

mnist = tfds.load('mnist')
train_ds, test_ds = mnist['train'], mnist['test']

def prepare(element):
    image = element['image']
    image = tf.cast(image, tf.float32)
    return image / 255.

def duplicate(element):
    return element, element

train_ds = train_ds.shuffle(1024).batch(64).map(prepare).map(duplicate).prefetch(tf.data.experimental.AUTOTUNE)
test_ds = test_ds.batch(64).map(prepare).map(duplicate)
model = keras.Sequential([keras.layers.Conv2D(8, 3, strides=2, padding='same', activation='relu'), keras.layers.Conv2DTranspose(1, 3, strides=2, padding='same')])
model.compile(optimizer='adam', loss='mse')
model.fit(train_ds, validation_data=test_ds, epochs=3)
`;
  const model = (await analyzeFile('train.py', source, NO_FILES)).models[0];
  assert.deepEqual(model.data.train?.shape, [60000, 28, 28, 1]);
  assert.deepEqual(model.data.target?.shape, [60000, 28, 28, 1]);
  assert.equal(model.fit?.validation.kind, 'data');
  assert.equal(model.fit?.batchSize.value, 64);
  const planned = buildPlan(model, { seed: 0 });
  assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
  assert.deepEqual(planned.plan.inputShape, [28, 28, 1]);
});

const FOLDER = (map: string) => `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

train = keras.utils.image_dataset_from_directory("images/", image_size=(64, 64), batch_size=16, label_mode=None)
train = train.map(${map})
model = keras.Sequential([keras.Input(shape=(64, 64, 3)), layers.Conv2D(16, 3, activation="relu", padding="same"), layers.Conv2D(3, 3, activation="sigmoid", padding="same")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train, epochs=5)
`;

test('image_dataset_from_directory: float pixels 0-255 of the image size, in batches of its batch_size', async () => {
  const raw = await findings(FOLDER('lambda x: (x, x)'));
  assert.ok(rules(raw).includes('NAN208'), show(raw));
  const analysis = await analyzeFile('pipeline.py', FOLDER('lambda x: (x, x)'), NO_FILES);
  assert.deepEqual(analysis.models[0].data.train?.shape, [null, 64, 64, 3]);
  assert.equal(analysis.models[0].fit?.batchSize.value, 16);
  assert.deepEqual(await findings(FOLDER('lambda x: (x / 255.0, x / 255.0)')), []);
});

test('a pipeline split over lines with backslashes (`tf.data.Dataset.\\` then `from_tensor_slices(...)`) is the same pipeline', async () => {
  const source = SLICES('1.0').replace(
    'ds = tf.data.Dataset.from_tensor_slices((x, x)).shuffle(1000).batch(50, drop_remainder=True).prefetch(tf.data.AUTOTUNE)',
    'ds = tf.data.Dataset.\\\n    from_tensor_slices((x, x)).\\\n    shuffle(1000).batch(50, drop_remainder=True)',
  );
  assert.match(source, /Dataset\.\\\n {4}from_tensor_slices/);
  const analysis = await analyzeFile('pipeline.py', source, NO_FILES);
  assert.equal(analysis.models[0].fit?.batchSize.value, 50);
  assert.deepEqual(analysis.models[0].data.train?.shape, [1000, 20]);
});

// DeepLearning.AI's deep autoencoder lab: each image flattened inside the map, before `.batch`.
const PER_ELEMENT_MAP = `import tensorflow as tf
import tensorflow_datasets as tfds

def map_image(image, label):
  image = tf.cast(image, dtype=tf.float32)
  image = image / 255.0
  image = tf.reshape(image, shape=(784,))
  return image, image

train_dataset = tfds.load('mnist', as_supervised=True, split="train")
train_dataset = train_dataset.map(map_image)
train_dataset = train_dataset.shuffle(1024).batch(128).repeat()
inputs = tf.keras.Input(shape=(784,))
outputs = tf.keras.layers.Dense(784, activation='sigmoid')(tf.keras.layers.Dense(32, activation='relu')(inputs))
model = tf.keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(), loss='binary_crossentropy')
model.fit(train_dataset, steps_per_epoch=60000 // 128, epochs=50)
`;

test("a reshape in a map before .batch shapes each sample: 60,000 images of 784 values, scaled to [0, 1]", async () => {
  const model = pickModel((await analyzeFile('lab.py', PER_ELEMENT_MAP, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  assert.deepEqual(model.data.train?.shape, [60000, 784]);
  assert.deepEqual(model.data.target?.shape, [60000, 784]);
  const stats = model.data.train?.stats ?? [];
  assert.ok(stats.length > 0 && stats.every((s) => s.min >= 0 && s.max <= 1), JSON.stringify(stats.slice(0, 2)));
  // A reshape after .batch keeps the batch's axis as written.
  const batched = pickModel((await analyzeFile('lab.py', PER_ELEMENT_MAP.replace("train_dataset = train_dataset.map(map_image)\ntrain_dataset = train_dataset.shuffle(1024).batch(128).repeat()", "train_dataset = train_dataset.batch(128).map(map_image)").replace('shape=(784,)', 'shape=(-1, 784)'), NO_FILES)).models);
  if (typeof batched === 'string') assert.fail(batched);
  assert.deepEqual(batched.data.train?.shape, [60000, 784]);
});

// Hands-On Computer Vision with TensorFlow 2, chapter 6: a tensorflow_datasets builder's info gives
// the input shape; its as_dataset is mapped with a functools.partial of a preparing function.
const BUILDER = `import functools
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

mnist_builder = tfds.builder("mnist")
mnist_builder.download_and_prepare()
mnist_info = mnist_builder.info

def _prepare_data_fn(features, target='label', flatten=True):
    image = features['image']
    image = tf.image.convert_image_dtype(image, tf.float32)
    if flatten:
        is_batched = len(image.shape) > 3
        flattened_shape = (-1, 784) if is_batched else (784,)
        image = tf.reshape(image, flattened_shape)
    features['image'] = image
    return (image, features[target])

def get_mnist_dataset(phase='train', target='label', batch_size=32):
    prepare_data_fn = functools.partial(_prepare_data_fn, target=target, flatten=True)
    mnist_dataset = mnist_builder.as_dataset(split=tfds.Split.TRAIN if phase == 'train' else tfds.Split.TEST)
    mnist_dataset = mnist_dataset.shuffle(10000).batch(batch_size)
    return mnist_dataset.map(prepare_data_fn, num_parallel_calls=4)

train_dataset = get_mnist_dataset(phase='train', target='image', batch_size=128)
num_classes = mnist_info.features['label'].num_classes
num_train_imgs = mnist_info.splits['train'].num_examples
input_shape = mnist_info.features['image'].shape
flattened_input_shape = [np.prod(input_shape)]
inputs = tf.keras.Input(shape=flattened_input_shape)
code = tf.keras.layers.Dense(num_classes * 3, activation='relu')(inputs)
decoded = tf.keras.layers.Dense(flattened_input_shape[0], activation='sigmoid')(code)
autoencoder = tf.keras.Model(inputs, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(train_dataset, epochs=2, steps_per_epoch=num_train_imgs // 128)
`;

test("a tensorflow_datasets builder: its info's shapes, classes and split sizes, as_dataset of a split, mapped by a functools.partial", async () => {
  const model = pickModel((await analyzeFile('builder.py', BUILDER, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  assert.deepEqual(model.inputShape, [784]);
  assert.equal(model.layers.find((l) => l.className === 'Dense')?.config.units, 30);
  assert.deepEqual(model.data.train?.shape, [60000, 784]);
  // convert_image_dtype of uint8 pixels: divided by 255.
  const stats = model.data.train?.stats ?? [];
  assert.ok(stats.length > 0 && stats.every((s) => s.min >= 0 && s.max <= 1), JSON.stringify(stats.slice(0, 2)));
});

// TensorFlow's time-series course (Moroney's windowed_dataset): a series cut into windows of n + 1
// by `.window(...).flat_map(lambda w: w.batch(n + 1))`, each mapped to its first n values and its last.
const WINDOWED = `import numpy as np
import tensorflow as tf
series = np.arange(1000, dtype="float32") / 100.0
x_train = series[:900]
window_size = 20

def windowed_dataset(series, window_size, batch_size, shuffle_buffer):
  dataset = tf.data.Dataset.from_tensor_slices(series)
  dataset = dataset.window(window_size + 1, shift=1, drop_remainder=True)
  dataset = dataset.flat_map(lambda window: window.batch(window_size + 1))
  dataset = dataset.shuffle(shuffle_buffer).map(lambda window: (window[:-1], window[-1]))
  dataset = dataset.batch(batch_size).prefetch(1)
  return dataset

dataset = windowed_dataset(x_train, window_size, 32, 1000)
model = tf.keras.models.Sequential([tf.keras.layers.Input(shape=[window_size]), tf.keras.layers.Dense(10, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(learning_rate=1e-6, momentum=0.9))
model.fit(dataset, epochs=100, verbose=0)
`;

test('a series windowed by tf.data: windows of the first n values, each with the value after them as its target', async () => {
  const model = pickModel((await analyzeFile('series.py', WINDOWED, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  assert.deepEqual([model.data.train?.shape, model.data.target?.shape], [[880, 20], [880]]);
  assert.equal(model.fit?.batchSize.value, 32);
});
