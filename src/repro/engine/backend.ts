/**
 * Backend choice. Explicit choices are honoured or refused with a reason; `auto` picks by
 * model (docs/reproduction.md, "Backends", has the measurements behind it):
 *
 * - a small chain of Dense / BatchNormalization / Dropout / Activation layers runs on the
 *   CPU backend, where nanguard's dense kernels train it: loading native TensorFlow alone
 *   takes longer than such a whole run;
 * - convolutional, recurrent and large models run on native TensorFlow (`@tensorflow/tfjs-node`)
 *   when it is installed and loads;
 * - without it, WebAssembly for convolutional models (with nanguard's convolution and pooling
 *   gradients, ./wasm/) and for other models of SMALL_MODEL_PARAMETERS or WASM_DENSE_WORK or
 *   more, else plain CPU.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadTfjsNode } from '../native/locate';
import type { ReproPlan } from '../plan';
import type { BackendChoice, BackendName } from '../protocol';
import { ensureCpuBackend, tf } from './tf';
import { registerCpuKernels } from './cpu/resizeNearestGrad';
import { registerWasmKernels } from './wasm/register';

/** Below this many parameters `auto` prefers CPU to WebAssembly (per-op overhead dominates). */
export const SMALL_MODEL_PARAMETERS = 50_000;

/**
 * A model (other than conv and recurrent ones, which always prefer native) whose training does at
 * least this much arithmetic (parameters × samples × epochs) goes to native TensorFlow under
 * `auto`. Measured on dense autoencoders (`bench/backends.ts --crossover`, docs/reproduction.md):
 * at 2.5e8 the dense kernels reached the verdict in half the time native took (its ~1 s of
 * loading TensorFlow and first kernels), at 8.3e8 native took 0.77 of theirs, at 3e9 0.30.
 */
export const NATIVE_DENSE_WORK = 5e8;

/**
 * Without native TensorFlow, a model (other than conv and recurrent ones) whose training does at
 * least this much arithmetic runs on WebAssembly rather than CPU: loading the backend costs about
 * 0.3 s, which the faster products repay from here. Measured on the same dense autoencoders
 * (`bench/backends.ts --crossover`): WebAssembly took 1.31 of the dense kernels' time at 8.4e7,
 * 0.79 at 2.5e8, 0.41 at 8.3e8.
 */
export const WASM_DENSE_WORK = 1.5e8;

/** Layers nanguard's dense kernels can train (in a chain, on 1-D samples). */
const DENSE_CHAIN_LAYERS = new Set(['InputLayer', 'Dense', 'BatchNormalization', 'Dropout', 'Activation']);
const CONV_LAYERS = new Set(['Conv1D', 'Conv1DTranspose', 'Conv2D', 'Conv2DTranspose', 'MaxPooling1D', 'MaxPooling2D', 'UpSampling1D', 'UpSampling2D']);
const RECURRENT_LAYERS = new Set(['LSTM', 'GRU', 'SimpleRNN']);

/** What `auto` looks at. */
export interface ModelTraits {
  parameters: number;
  /** Keras class names of the layers (a TimeDistributed counts as its inner layer too). */
  layerClasses: string[];
  /** Dimensions of one sample (1 for a vector). */
  inputRank: number;
  /** Arithmetic of the whole run, in parameter-samples: parameters × samples per epoch × epochs. */
  work: number;
}

export type ModelKind = 'dense-chain' | 'conv' | 'recurrent' | 'other';

export function modelKind(traits: Pick<ModelTraits, 'layerClasses' | 'inputRank'>): ModelKind {
  if (traits.layerClasses.some((c) => CONV_LAYERS.has(c))) return 'conv';
  if (traits.layerClasses.some((c) => RECURRENT_LAYERS.has(c))) return 'recurrent';
  if (traits.inputRank === 1 && traits.layerClasses.every((c) => DENSE_CHAIN_LAYERS.has(c))) return 'dense-chain';
  return 'other';
}

/**
 * The backends `auto` tries, in order, for a model. Pure: the policy, testable without
 * TensorFlow. Native comes first where it wins, and is not even loaded where it does not.
 */
export function autoOrder(traits: ModelTraits | number): BackendName[] {
  const t: ModelTraits = typeof traits === 'number' ? { parameters: traits, layerClasses: [], inputRank: 1, work: 0 } : traits;
  const kind = modelKind(t);
  const wasmFirst: BackendName[] = t.parameters >= SMALL_MODEL_PARAMETERS || t.work >= WASM_DENSE_WORK ? ['wasm', 'cpu'] : ['cpu'];
  if (kind === 'conv') return ['node', 'wasm', 'cpu'];
  // A recurrent layer runs several small operations a time step, which WebAssembly dispatches faster than
  // plain JavaScript at any size: an LSTM(16) autoencoder over 20 steps trained an epoch in 0.54 s
  // against 1.18 s, an LSTM(64) one over 140 steps a batch of 32 in 1.0 s against 3.5 s.
  if (kind === 'recurrent') return ['node', 'wasm', 'cpu'];
  if (t.work >= NATIVE_DENSE_WORK) return ['node', ...wasmFirst];
  return wasmFirst;
}

/** The traits of a plan's model, with the number of training samples once the data is drawn. */
export function modelTraits(plan: Pick<ReproPlan, 'kerasJson' | 'inputShape' | 'estimatedParameters' | 'fit'>, samples: number): ModelTraits {
  const layerClasses: string[] = [];
  for (const layer of plan.kerasJson.config.layers ?? []) {
    layerClasses.push(layer.class_name);
    const inner = (layer.config?.layer as { class_name?: unknown } | undefined)?.class_name;
    if (typeof inner === 'string') layerClasses.push(inner);
  }
  const parameters = plan.estimatedParameters;
  return { parameters, layerClasses, inputRank: plan.inputShape.length, work: parameters * samples * plan.fit.epochs };
}

/** The folder holding `tfjs-backend-wasm*.wasm`: beside the bundle, or the package's own `dist/`. */
export function wasmFolder(): string | undefined {
  const candidates = [__dirname, join(__dirname, '..', '..', '..', 'dist')];
  try {
    candidates.push(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // not resolvable from a bundle; the copies beside it are used
  }
  return candidates.find((d) => existsSync(join(d, 'tfjs-backend-wasm.wasm')));
}

async function tryWasm(): Promise<boolean> {
  const folder = wasmFolder();
  if (!folder) return false;
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount?.(1);
    wasm.setWasmPaths(folder.endsWith('/') ? folder : `${folder}/`);
    if (!(await tf.setBackend('wasm'))) return false;
    // Convolution and pooling gradients the backend lacks or runs slowly (src/repro/engine/wasm/).
    registerWasmKernels();
    return true;
  } catch {
    return false;
  }
}

/** Why native TensorFlow did not load, when it was tried and did not (for the notes and the error). */
let nativeProblem: string | undefined;

async function tryNode(nativeFolder: string | undefined): Promise<boolean> {
  const loaded = loadTfjsNode(nativeFolder);
  if (!loaded.ok) {
    nativeProblem = loaded.reason;
    return false;
  }
  try {
    if (tf.findBackend('tensorflow') === null && !tf.findBackendFactory('tensorflow')) {
      nativeProblem = 'tfjs-node loaded but registered no tensorflow backend';
      return false;
    }
    return await tf.setBackend('tensorflow');
  } catch (error) {
    nativeProblem = `the tensorflow backend did not start: ${error instanceof Error ? error.message : String(error)}`;
    return false;
  }
}

export interface SelectOptions {
  /** A folder holding an installed `@tensorflow/tfjs-node` (else `NANGUARD_TFJS_NODE`, else ordinary resolution). */
  nativeFolder?: string;
}

/**
 * Activates a backend; returns the one that runs, or a message when an explicit choice
 * cannot. `model`: the model's traits (or, as before, its parameter count alone).
 */
export async function selectBackend(choice: BackendChoice, model: ModelTraits | number, options: SelectOptions = {}): Promise<{ backend: BackendName; nativeProblem?: string } | { problem: string }> {
  const order: BackendName[] = choice === 'auto' ? autoOrder(model) : [choice];
  for (const backend of order) {
    const problem = order.includes('node') && nativeProblem ? { nativeProblem } : {};
    if (backend === 'node' && (await tryNode(options.nativeFolder))) return { backend };
    if (backend === 'wasm' && (await tryWasm())) return { backend, ...problem };
    if (backend === 'cpu') {
      ensureCpuBackend();
      // UpSampling2D's gradient, which tfjs-backend-cpu 4.22 computes wrongly (src/repro/engine/cpu/).
      registerCpuKernels();
      if (await tf.setBackend('cpu')) return { backend, ...problem };
    }
  }
  if (choice === 'node') return { problem: `@tensorflow/tfjs-node is not installed or does not load on this machine (${nativeProblem ?? 'unknown reason'}); use --backend wasm or cpu, or set up the native backend (README, "The native backend")` };
  if (choice === 'wasm') return { problem: 'the WebAssembly backend did not load (its .wasm files were not found beside the worker)' };
  ensureCpuBackend();
  registerCpuKernels();
  if (await tf.setBackend('cpu')) return { backend: 'cpu', ...(nativeProblem ? { nativeProblem } : {}) };
  return { problem: 'no TensorFlow.js backend could be started' };
}
