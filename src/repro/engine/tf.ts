/**
 * The one place TensorFlow.js is imported (worker side only). tfjs-node, when installed,
 * is loaded at run time by `backend.ts`; it is never bundled.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// tfjs-layers calls chained ops on tensors (the orthogonal initializer of LSTM and GRU: `r.flatten()`).
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

// tfjs's gradient of unstack passes `stack` the lone tensor of an unstack of one (an LSTM over a
// single timestep, `Input(shape=(1, 100))`), which stack refuses, so training stopped at the
// first step: the same gradient, given a list.
tf.registerGradient({
  kernelName: tf.Unpack,
  gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const parts = Array.isArray(dy) ? dy : [dy];
    const axis = (attrs as { axis?: number } | undefined)?.axis ?? 0;
    return { value: () => tf.stack(parts, axis) };
  },
});

// tfjs's gradient of tile adds one slice of dy a repetition, which grows with the repetitions:
// RepeatVector(1000) took 27 s a step, the tiled gamma of a LayerNormalization on a conv output
// minutes, and every recurrent layer's initial state (zeros tiled to its units) one slice a unit.
// The same sum in one reduction: dy split into (repetition, size) pairs along each axis, summed
// over the repetitions.
tf.registerGradient({
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const [x] = saved;
    const reps = (attrs as { reps: number[] }).reps;
    const gradient = Array.isArray(dy) ? dy[0] : dy;
    return {
      x: () => {
        const pairs = x.shape.flatMap((size, axis) => [reps[axis], size]);
        const repetitionAxes = x.shape.map((_size, axis) => 2 * axis);
        return tf.sum(tf.reshape(gradient, pairs), repetitionAxes);
      },
    };
  },
});

/** A gradient of zeros (float32, as the tape requires) for each of a kernel's inputs: nothing flows back through it. */
function noGradient(kernelName: string, inputs: string[]): void {
  tf.registerGradient({
    kernelName,
    inputsToSave: inputs,
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i].shape, 'float32')])),
  });
}

// The tape asks for these gradients when the values a mask is made of depend on weights (Masking after a
// BatchNormalization: `any(x != 0, -1)` of the normalized values), and training stopped at its first step.
// A boolean reduction's own gradient in tfjs is of its input's dtype (bool), which the tape refuses.
for (const kernelName of [tf.Any, tf.All]) noGradient(kernelName, ['x']);
// The comparisons that make a mask (`x != 0`), and the logic that joins masks, have none.
for (const kernelName of [tf.NotEqual, tf.Equal, tf.Greater, tf.Less, tf.LessEqual, tf.LogicalAnd, tf.LogicalOr]) {
  if (!tf.getGradient(kernelName)) noGradient(kernelName, ['a', 'b']);
}
if (!tf.getGradient(tf.LogicalNot)) noGradient(tf.LogicalNot, ['x']);

/** Keras's `exponential` activation, which tfjs-layers lacks (a VAE's `exp(log_var)`). */
class Exponential extends tf.serialization.Serializable {
  static className = 'exponential';
  override getClassName(): string {
    return 'exponential';
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.exp(x);
  }
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(Exponential);

/**
 * The CPU backend registers itself on import, but its package is marked side-effect free,
 * so a bundler would drop a bare import: registering it here keeps it (and its kernels).
 */
export function ensureCpuBackend(): void {
  if (!tf.findBackendFactory('cpu')) tf.registerBackend('cpu', () => new MathBackendCPU(), 1);
}

interface EngineInternals {
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
  makeTensorFromTensorInfo(info: { dataId: tf.DataId; shape: number[]; dtype: tf.DataType }, backend?: tf.KernelBackend): tf.Tensor;
  keep<T extends tf.Tensor>(t: T): T;
  state: { tensorInfo: { get(dataId: tf.DataId): { backend: tf.KernelBackend } | undefined } };
}

/** Backends whose data is immutable and reference-counted, so a tensor may share another's (their Reshape does). */
const SHARING_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * For the backward pass tfjs keeps a copy of every tensor a gradient needs, made by an
 * Identity kernel that also records a tape node: a third of the kernels of a small
 * model's training step. Tensors are immutable, so on backends that count references
 * the kept tensor can share the data instead (what their Reshape does). Same values, same
 * lifetime: the engine disposes the kept tensors after the backward pass as before.
 */
function shareTensorsSavedForGradients(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  const copying = engine.saveTensorsForBackwardMode.bind(engine);
  engine.saveTensorsForBackwardMode = (tensors) => {
    if (!SHARING_BACKENDS.has(tf.getBackend())) return copying(tensors);
    return tensors.map((t) => {
      const backend = engine.state.tensorInfo.get(t.dataId)?.backend;
      if (!backend) return copying([t])[0];
      backend.incRef(t.dataId);
      return engine.keep(engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend));
    });
  };
}
shareTensorsSavedForGradients();

export { tf, tfl };
