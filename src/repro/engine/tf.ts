/**
 * The one place TensorFlow.js is imported (worker side only). tfjs-node, when installed,
 * is loaded at run time by `backend.ts`; it is never bundled.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

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

export { tf, tfl };
