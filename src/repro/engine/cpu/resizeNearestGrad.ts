/**
 * The gradient of a nearest-neighbour resize (UpSampling2D) on the plain JavaScript backend.
 * tfjs-backend-cpu 4.22's `ResizeNearestNeighborGrad` reads the wrong image from a batch's second
 * image on, so an UpSampling2D autoencoder trained on `cpu` learned from the wrong gradients. Each
 * output pixel's gradient goes back to the input pixel the forward resize read, as TensorFlow
 * picks it (align_corners: rounded; half_pixel_centers: floor((out + 0.5) * scale); else
 * floor(out * scale)).
 */
import { tf } from '../tf';

type Info = tf.TensorInfo;

interface CpuBackendLike extends tf.KernelBackend {
  data: { get(dataId: tf.DataId): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): Info;
}

export interface ResizeGradAttrs {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/** The source index of output index `out` along an axis of `inSize` resized to `outSize`. */
function sourceIndex(out: number, inSize: number, outSize: number, attrs: ResizeGradAttrs): number {
  const scale = attrs.alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const raw = attrs.alignCorners ? Math.round(out * scale) : attrs.halfPixelCenters ? Math.floor((out + 0.5) * scale) : Math.floor(out * scale);
  return Math.min(inSize - 1, Math.max(0, raw));
}

/** dx of `images` [batch, height, width, channels] from dy [batch, outHeight, outWidth, channels]. */
export function resizeNearestGrad(backend: CpuBackendLike, images: Info, dy: Info, attrs: ResizeGradAttrs): Info {
  const [batch, height, width, channels] = images.shape;
  const [, outHeight, outWidth] = dy.shape;
  const grads = backend.data.get(dy.dataId).values as Float32Array;
  const dx = new Float32Array(batch * height * width * channels);
  const rows = Array.from({ length: outHeight }, (_, y) => sourceIndex(y, height, outHeight, attrs));
  const cols = Array.from({ length: outWidth }, (_, x) => sourceIndex(x, width, outWidth, attrs));
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outHeight; y++) {
      const inRow = (b * height + rows[y]) * width;
      const outRow = (b * outHeight + y) * outWidth;
      for (let x = 0; x < outWidth; x++) {
        const to = (inRow + cols[x]) * channels;
        const from = (outRow + x) * channels;
        for (let c = 0; c < channels; c++) dx[to + c] += grads[from + c];
      }
    }
  }
  return backend.makeTensorInfo([batch, height, width, channels], 'float32', dx);
}

let registered = false;

/** Replaces the CPU backend's `ResizeNearestNeighborGrad` with `resizeNearestGrad`, once. */
export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  const original = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');
  if (original) tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  tf.registerKernel({
    kernelName: 'ResizeNearestNeighborGrad',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { images, dy } = inputs as { images: Info; dy: Info };
      return resizeNearestGrad(backend as CpuBackendLike, images, dy, attrs as unknown as ResizeGradAttrs);
    },
  });
}
