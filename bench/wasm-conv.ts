/**
 * Conv autoencoders, one epoch on the default backend without native TensorFlow against Keras,
 * side by side in one run: the TensorFlow tutorial's, and the fixture of bench/backends.ts
 * (Conv2D 32 twice, batch 128).
 *
 * The tutorial's model (https://www.tensorflow.org/tutorials/generative/autoencoder, "denoising"):
 * Input 28x28x1, Conv2D(16, 3, relu, same) + MaxPooling2D(2), Conv2D(8, 3, relu, same) +
 * MaxPooling2D(2), Conv2DTranspose(8, 3, strides 2, relu, same), Conv2DTranspose(16, 3,
 * strides 2, relu, same), Conv2D(1, 3, sigmoid, same); 2,000 images, batch 32, Adam, binary
 * cross-entropy. The reproduction runs in the bundled worker under `auto` with no native
 * TensorFlow reachable (what a user without tfjs-node gets); Keras trains the same plan through
 * test/fidelity/keras_runner.py. Rounds alternate the two; per epoch is the median of the epochs
 * after each run's first (which includes warm-up), and the ratio is of the medians. With native
 * TensorFlow built (scripts/setup-tfjs-node.sh), its row is added for reference.
 *
 *   node --import tsx bench/wasm-conv.ts [--quick]
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { materializeData, type ReproPlan } from '../src/repro/plan';
import { NATIVE_BACKEND_ENV } from '../src/repro/native/locate';
import { startReproduction } from '../src/repro/runner';
import { bundleWorker, CONV, kerasPerEpoch, nativeFolderOrReason, planOf } from './backends';
import { formatMs, formatRatio, formatTable, median } from './harness';

export const TUTORIAL_CONV_AUTOENCODER = [
  'import numpy as np',
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  'x_train = np.random.rand(2000, 28, 28, 1).astype("float32")',
  'inputs = keras.Input(shape=(28, 28, 1))',
  'x = layers.Conv2D(16, (3, 3), activation="relu", padding="same")(inputs)',
  'x = layers.MaxPooling2D((2, 2), padding="same")(x)',
  'x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(x)',
  'x = layers.MaxPooling2D((2, 2), padding="same")(x)',
  'x = layers.Conv2DTranspose(8, (3, 3), strides=2, activation="relu", padding="same")(x)',
  'x = layers.Conv2DTranspose(16, (3, 3), strides=2, activation="relu", padding="same")(x)',
  'outputs = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)',
  'autoencoder = keras.Model(inputs, outputs)',
  'autoencoder.compile(optimizer="adam", loss="binary_crossentropy")',
  'autoencoder.fit(x_train, x_train, epochs=5, batch_size=32, shuffle=True)',
].join('\n');

interface Epochs {
  backend: string;
  /** Milliseconds of each epoch after the first. */
  later: number[];
  first: number;
}

/** Epoch times of one run in the bundled worker (from its `epoch` events). */
async function workerEpochs(workerPath: string, plan: ReproPlan, backend: 'auto' | 'node', nativeFolder?: string): Promise<Epochs | { error: string }> {
  const ends: number[] = [];
  let ready = NaN;
  try {
    const summary = await startReproduction(plan, {
      workerPath,
      backend,
      nativeFolder,
      onEvent: (e) => {
        if (e.type === 'ready') ready = e.loadMs;
        if (e.type === 'epoch') ends.push(e.elapsedMs);
      },
    }).done;
    if (ends.length === 0) return { error: `no epoch in ${Math.round(plan.caps.maxWallMs / 1000)} s` };
    return { backend: summary.backend, first: ends[0] - ready, later: ends.slice(1).map((t, i) => t - ends[i]) };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 160) };
  }
}

type Row = 'auto' | 'keras' | 'node';

/** One model: `rounds` alternating runs of `epochs` epochs each, printed as a table. */
async function benchModel(title: string, plan: ReproPlan, rounds: number, workerPath: string, native: string | undefined): Promise<void> {
  const fixed: ReproPlan = { ...plan, fit: { ...plan.fit, earlyStopping: null } };
  const samples: Record<Row, number[]> = { auto: [], keras: [], node: [] };
  const firsts: Record<Row, number[]> = { auto: [], keras: [], node: [] };
  const problems: string[] = [];
  let autoBackend = '';
  // `auto` without native TensorFlow: no folder given and none in the environment the worker inherits.
  const savedEnv = process.env[NATIVE_BACKEND_ENV];
  for (let round = 0; round < rounds; round++) {
    delete process.env[NATIVE_BACKEND_ENV];
    const auto = await workerEpochs(workerPath, fixed, 'auto');
    if (savedEnv !== undefined) process.env[NATIVE_BACKEND_ENV] = savedEnv;
    if ('error' in auto) problems.push(`auto: ${auto.error}`);
    else {
      autoBackend = auto.backend;
      samples.auto.push(...auto.later);
      firsts.auto.push(auto.first);
    }
    const keras = await kerasPerEpoch(fixed, title);
    if ('error' in keras) problems.push(`Keras: ${keras.error}`);
    else {
      samples.keras.push(...keras.laterMs);
      firsts.keras.push(keras.firstMs);
    }
    if (native) {
      const node = await workerEpochs(workerPath, fixed, 'node', native);
      if ('error' in node) problems.push(`native: ${node.error}`);
      else {
        samples.node.push(...node.later);
        firsts.node.push(node.first);
      }
    }
  }
  const keras = median(samples.keras);
  const row = (name: string, key: Row): string[] => [name, String(samples[key].length), formatMs(median(samples[key])), formatMs(Math.min(...samples[key])), formatMs(Math.max(...samples[key])), formatMs(median(firsts[key])), key === 'keras' ? '1.00x' : formatRatio(median(samples[key]) / keras)];
  console.log(`### ${title}: one epoch (${materializeData(plan).x.length} images ${plan.inputShape.join('x')}, batch ${plan.fit.batchSize}, ${plan.estimatedParameters.toLocaleString('en-US')} parameters)\n`);
  console.log(`${rounds} rounds of ${plan.fit.epochs} epochs, alternating; per epoch: the epochs after each run's first (in ms).\n`);
  const rows = [row(`nanguard, auto without native (${autoBackend || '?'})`, 'auto'), row('Keras (TensorFlow, CPU)', 'keras')];
  if (native) rows.push(row('nanguard, native (tfjs-node)', 'node'));
  console.log(formatTable(['run', 'epochs', 'median', 'min', 'max', 'first epoch', 'median / Keras'], rows));
  for (const p of [...new Set(problems)]) console.log(`- ${p}`);
  console.log('');
}

export async function runWasmConvBench(options: { quick: boolean }): Promise<void> {
  const rounds = options.quick ? 1 : 3;
  const epochs = options.quick ? 3 : 6;
  const found = nativeFolderOrReason();
  const native = 'folder' in found ? found.folder : undefined;
  if (!native) console.log(`native backend: ${'reason' in found ? found.reason : ''}; its rows are left out\n`);
  const workerPath = await bundleWorker();
  try {
    const caps = { caps: { maxWallMs: 120_000 } };
    await benchModel("The TensorFlow tutorial's conv autoencoder", await planOf('tutorial_conv_autoencoder.py', TUTORIAL_CONV_AUTOENCODER, { epochs, ...caps }), rounds, workerPath, native);
    await benchModel(`The conv fixture (${CONV})`, await planOf(CONV, undefined, { epochs: options.quick ? 2 : 4, ...caps }), options.quick ? 1 : 2, workerPath, native);
  } finally {
    rmSync(dirname(workerPath), { recursive: true, force: true });
  }
}

if (require.main === module) {
  runWasmConvBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
