/**
 * nanguard's kernels for the WebAssembly backend, registered once when the backend is set up
 * (backend.ts). They make conv autoencoders train on it, and at speed: tfjs-backend-wasm 4.22
 * lacks `Conv2DBackpropFilter` and `UnsortedSegmentSum` (an Embedding's gradient) and runs `Conv2DBackpropInput`, `MaxPoolGrad` and `GatherV2` (the
 * training loop's batches) and `Slice` (validation chunks) in slow loops; its `Sum` and `Mean` accumulate in float32, too
 * coarsely for a loss over a batch of images (docs/reproduction.md, "Backends", has the
 * measurements); its `ClipByValue`, `Relu`, `Relu6` and fused relus turn NaN into a bound (Relu
 * the NaN of 0/0, whose sign bit is set) and its pooling into -Infinity, where TensorFlow keeps NaN
 * (or, max pooling, passes over it); its products with a transposed operand (each Dense layer's
 * gradients) take a path several times slower than an explicit transpose and the plain product.
 * A kernel falls back to the backend's own where its rewrite does not cover the attributes.
 */
import { tf } from '../tf';
import { conv2dBackpropFilterViaConv, conv2dBackpropInputViaConv, type BackpropFilterAttrs, type BackpropInputAttrs, type WasmBackendLike } from './convGradients';
import { gatherSlices, segmentSumRows, sliceRows, type GatherAttrs, type SegmentSumAttrs, type SliceAttrs } from './gather';
import { clipKeepingNaN, poolWithNaN, relu6KeepingNaN, reluKeepingNaN, type ClipAttrs, type PoolAttrs } from './keepNaN';
import { matMulUntransposed } from './matMul';
import { maxPoolGradJs, type MaxPoolGradAttrs } from './poolGradients';
import { reduceFloat32, type ReduceAttrs } from './reductions';

type Info = tf.TensorInfo;
type KernelFunc = tf.KernelConfig['kernelFunc'];

let registered = false;

/**
 * Registers `kernelFunc` for `name` on `wasm`, keeping the backend's own kernel (if any) as
 * `fallback`: where `kernelFunc` gives null (attributes or data its rewrite does not cover), the
 * backend's own runs.
 */
function override(name: string, kernelFunc: (args: Parameters<KernelFunc>[0], fallback: KernelFunc | undefined) => Info | Info[] | null): void {
  const original = tf.getKernel(name, 'wasm');
  if (original) tf.unregisterKernel(name, 'wasm');
  const own = original?.kernelFunc;
  tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc, kernelFunc: (args) => kernelFunc(args, own) ?? (own ? own(args) : unsupported(name)) });
}

function unsupported(name: string): never {
  throw new Error(`${name}: these attributes are not supported on the WebAssembly backend`);
}

export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  override('Conv2DBackpropInput', (args) => {
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    return conv2dBackpropInputViaConv(args.backend as WasmBackendLike, dy, filter, args.attrs as unknown as BackpropInputAttrs);
  });
  override('Conv2DBackpropFilter', (args) => {
    const { x, dy } = args.inputs as { x: Info; dy: Info };
    return conv2dBackpropFilterViaConv(args.backend as WasmBackendLike, x, dy, args.attrs as unknown as BackpropFilterAttrs);
  });
  override('MaxPoolGrad', (args) => {
    const { dy, input, output } = args.inputs as { dy: Info; input: Info; output?: Info };
    return maxPoolGradJs(args.backend as WasmBackendLike, dy, input, output, args.attrs as unknown as MaxPoolGradAttrs);
  });
  for (const [name, mean] of [['Sum', false], ['Mean', true]] as const) {
    override(name, (args) => reduceFloat32(args.backend as WasmBackendLike, (args.inputs as { x: Info }).x, args.attrs as unknown as ReduceAttrs, mean));
  }
  // TensorFlow's clip keeps NaN; the backend's own gives the lower bound, which hid a NaN output from a cross-entropy.
  override('ClipByValue', (args) => clipKeepingNaN(args.backend as WasmBackendLike, (args.inputs as { x: Info }).x, args.attrs as unknown as ClipAttrs));
  override('Relu', (args) => reluKeepingNaN(args.backend as WasmBackendLike, (args.inputs as { x: Info }).x));
  override('Relu6', (args) => relu6KeepingNaN(args.backend as WasmBackendLike, (args.inputs as { x: Info }).x));
  // Pooling over NaN gives -Infinity on the backend; TensorFlow passes over it (max) or keeps it (average).
  for (const [name, kind] of [['MaxPool', 'max'], ['AvgPool', 'avg']] as const) {
    override(name, (args) => poolWithNaN(args.backend as WasmBackendLike, (args.inputs as { x: Info }).x, args.attrs as unknown as PoolAttrs, kind));
  }
  // A Dense or Conv2D layer's relu fused into its kernel clamps NaN to 0 on the backend (XNNPACK's output range); Keras keeps it:
  // the backend's own kernel runs linear, then the relu.
  for (const name of ['_FusedMatMul', 'FusedConv2D']) {
    override(name, (args, fallback) => {
      if (!fallback) return null;
      const fused = (call: Parameters<KernelFunc>[0]): Info | Info[] => {
        const activation = (call.attrs as { activation?: string }).activation;
        if (activation !== 'relu' && activation !== 'relu6') return fallback(call) as Info | Info[];
        const backend = call.backend as WasmBackendLike;
        const linear = fallback({ ...call, attrs: { ...call.attrs, activation: 'linear' } }) as Info;
        const activated = activation === 'relu6' ? relu6KeepingNaN(backend, linear) : reluKeepingNaN(backend, linear);
        backend.disposeData(linear.dataId);
        return activated ?? unsupported(name);
      };
      // A transposed operand made explicit first: the backend's transposed products are slower (matMul.ts).
      return (name === '_FusedMatMul' ? matMulUntransposed(args, fused) : null) ?? fused(args);
    });
  }
  override('BatchMatMul', (args, fallback) => (fallback ? matMulUntransposed(args, (call) => fallback(call) as Info | Info[]) : null));
  // A gather's gradient (an Embedding's): the backend has no kernel of its own.
  override('UnsortedSegmentSum', (args) => {
    const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
    return segmentSumRows(args.backend as WasmBackendLike, x, segmentIds, args.attrs as unknown as SegmentSumAttrs);
  });
  override('GatherV2', (args) => {
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    return gatherSlices(args.backend as WasmBackendLike, x, indices, args.attrs as unknown as GatherAttrs);
  });
  override('Slice', (args) => sliceRows(args.backend as WasmBackendLike, (args.inputs as { x: Info }).x, args.attrs as unknown as SliceAttrs));
}
