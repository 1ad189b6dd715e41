/**
 * `keras.applications` backbones (`VGG16(include_top=False, weights='imagenet', input_shape=(...))`)
 * as the functional models Keras 3.15 builds (keras/src/applications/vgg16.py, vgg19.py, resnet.py): the same
 * layers, names and configs, so that `base.output`, `base(inputs)` and `base.layers` lead into a
 * graph the reproduction rebuilds. The weights the code asks for are recorded on each layer; the
 * reproduction starts from Keras's initializers and says so.
 */
import type { LayerSpec, Origin, TensorExpr } from '../../../ir';
import { asGraphValue } from '../opLayers';
import type { PyNode } from '../syntax';
import type { LayerObj, TensorObj, Value } from '../values';
import type { Args, CallContext, CallPattern } from './library';

/** Filters of each block and the convolutions in it, as vgg16.py and vgg19.py write them. */
const VGG_BLOCKS: Record<string, Array<{ filters: number; convolutions: number }>> = {
  VGG16: [{ filters: 64, convolutions: 2 }, { filters: 128, convolutions: 2 }, { filters: 256, convolutions: 3 }, { filters: 512, convolutions: 3 }, { filters: 512, convolutions: 3 }],
  VGG19: [{ filters: 64, convolutions: 2 }, { filters: 128, convolutions: 2 }, { filters: 256, convolutions: 4 }, { filters: 512, convolutions: 4 }, { filters: 512, convolutions: 4 }],
};

/** Bottleneck filters and blocks of each stack (resnet.py's `stack_fn`); the first stack's first block has stride 1. */
const RESNET_STACKS: Record<string, Array<{ filters: number; blocks: number }>> = {
  ResNet50: [{ filters: 64, blocks: 3 }, { filters: 128, blocks: 4 }, { filters: 256, blocks: 6 }, { filters: 512, blocks: 3 }],
  ResNet101: [{ filters: 64, blocks: 3 }, { filters: 128, blocks: 4 }, { filters: 256, blocks: 23 }, { filters: 512, blocks: 3 }],
  ResNet152: [{ filters: 64, blocks: 3 }, { filters: 128, blocks: 8 }, { filters: 256, blocks: 36 }, { filters: 512, blocks: 3 }],
};

type LayerMaker = (className: string, layerName: string, config: Record<string, unknown>) => LayerObj;

/** ResNet v1's stem and stacks of bottleneck blocks (resnet.py's ResNet and residual_block_v1), from `input` to the last block's output. */
function resnet(application: string, input: TensorObj, layerOf: LayerMaker, unfollowed: string | undefined, done: (output: TensorObj) => void): void {
  let x = input;
  const on = (layer: LayerObj, from: TensorObj | TensorObj[] = x): TensorObj => {
    const inputs = (Array.isArray(from) ? from : [from]).filter((t) => t.producer !== undefined);
    if (inputs.length === 0 && unfollowed !== undefined) layer.spec.inputProblem = unfollowed;
    return { producer: layer, inputs };
  };
  const bn = (name: string): LayerObj => layerOf('BatchNormalization', name, { axis: 3, epsilon: 1.001e-5 });
  const conv = (name: string, filters: number, kernel: number, strides = 1, padding = 'valid'): LayerObj => layerOf('Conv2D', name, { filters, kernel_size: [kernel, kernel], strides: [strides, strides], padding });
  x = on(layerOf('ZeroPadding2D', 'conv1_pad', { padding: [[3, 3], [3, 3]] }));
  x = on(conv('conv1_conv', 64, 7, 2));
  x = on(bn('conv1_bn'));
  x = on(layerOf('Activation', 'conv1_relu', { activation: 'relu' }));
  x = on(layerOf('ZeroPadding2D', 'pool1_pad', { padding: [[1, 1], [1, 1]] }));
  x = on(layerOf('MaxPooling2D', 'pool1_pool', { pool_size: [3, 3], strides: [2, 2] }));
  RESNET_STACKS[application].forEach(({ filters, blocks }, s) => {
    for (let b = 1; b <= blocks; b++) {
      const name = `conv${s + 2}_block${b}`;
      const stride = b === 1 && s > 0 ? 2 : 1;
      let shortcut = x;
      if (b === 1) {
        shortcut = on(conv(`${name}_0_conv`, 4 * filters, 1, stride));
        shortcut = on(bn(`${name}_0_bn`), shortcut);
      }
      x = on(conv(`${name}_1_conv`, filters, 1, stride));
      x = on(bn(`${name}_1_bn`));
      x = on(layerOf('Activation', `${name}_1_relu`, { activation: 'relu' }));
      x = on(conv(`${name}_2_conv`, filters, 3, 1, 'same'));
      x = on(bn(`${name}_2_bn`));
      x = on(layerOf('Activation', `${name}_2_relu`, { activation: 'relu' }));
      x = on(conv(`${name}_3_conv`, 4 * filters, 1));
      x = on(bn(`${name}_3_bn`));
      x = on(layerOf('Add', `${name}_add`, {}), [shortcut, x]);
      x = on(layerOf('Activation', `${name}_out`, { activation: 'relu' }));
    }
  });
  done(x);
}

/** The positional parameters of the application functions, in Keras's order. */
const POSITIONAL = ['include_top', 'weights', 'input_tensor', 'input_shape', 'pooling', 'classes', 'classifier_activation'];

/** The `.h5` file Keras caches the ImageNet weights in (under `~/.keras/models/`), as `get_file` names it. */
export function applicationWeightsFile(application: string, includeTop: boolean): string {
  return `${application.toLowerCase()}_weights_tf_dim_ordering_tf_kernels${includeTop ? '' : '_notop'}.h5`;
}

function argument(args: Args, name: string): Value | undefined {
  const at = POSITIONAL.indexOf(name);
  return args.keywords.get(name) ?? (at >= 0 ? args.positional[at] : undefined);
}

function backbone(ctx: CallContext, application: string, args: Args, node: PyNode): Value {
  const location = ctx.loc(node);
  const origin: Origin = { kind: 'inferred', note: `${application} as Keras builds it`, location };
  const includeTopValue = argument(args, 'include_top');
  const includeTop = includeTopValue?.k === 'bool' ? includeTopValue.v : true;
  const weightsValue = argument(args, 'weights');
  const weights = weightsValue === undefined ? 'imagenet' : weightsValue.k === 'str' ? weightsValue.v : weightsValue.k === 'none' ? null : 'unknown';
  const poolingValue = argument(args, 'pooling');
  const pooling = poolingValue?.k === 'str' ? poolingValue.v : null;
  const classesValue = argument(args, 'classes');
  const classes = classesValue?.k === 'num' ? classesValue.v : 1000;
  const activationValue = argument(args, 'classifier_activation');
  const classifierActivation = activationValue?.k === 'str' ? activationValue.v : activationValue?.k === 'none' ? 'linear' : 'softmax';
  const shapeValue = argument(args, 'input_shape');
  const given = shapeValue?.k === 'seq' ? shapeValue.items.map((d) => (d.k === 'num' ? d.v : null)) : undefined;
  // keras imagenet_utils.obtain_input_shape: 224x224x3 with the classifier on top, any size without.
  const inputShape = given ?? (includeTop ? [224, 224, 3] : [null, null, 3]);

  const model = ctx.newModel('functional', node, args);
  const name = args.keywords.get('name');
  model.kerasName = name?.k === 'str' ? name.v : application.toLowerCase();
  // A backbone is part of the program's model, not a model of the program's own to report on.
  model.usedInside = true;
  const provenance: NonNullable<LayerSpec['application']> = { name: application, model: model.kerasName, weights, includeTop };
  const layerOf = (className: string, layerName: string, config: Record<string, unknown>): LayerObj => ({
    spec: { className, name: layerName, config: { name: layerName, ...config }, origins: Object.fromEntries(Object.keys(config).map((k) => [k, origin])), location, application: provenance },
  });

  const tensorArgument = argument(args, 'input_tensor');
  const inputTensor = tensorArgument ? asGraphValue(tensorArgument, (prefix) => ctx.nextName(prefix)) : undefined;
  let x: TensorObj;
  // An input_tensor nanguard could not follow (`preprocess_input(inputs)`) leaves the first layer without its input, and says why.
  let unfollowed: string | undefined;
  if (inputTensor?.k === 'tensor') x = inputTensor.tensor;
  else if (inputTensor !== undefined && inputTensor.k !== 'none') {
    x = { inputs: [] };
    const at = POSITIONAL.indexOf('input_tensor');
    const written = args.keywordNodes.get('input_tensor') ?? args.positionalNodes[at];
    unfollowed = inputTensor.k === 'unknown' && inputTensor.why ? inputTensor.why : `line ${location.range.start.line + 1}: ${application}'s input_tensor${written ? ` \`${ctx.src(written)}\`` : ''} is not a tensor of the graph nanguard could follow`;
  } else {
    const inputName = ctx.nextName('input_layer');
    const input = layerOf('InputLayer', inputName, { batch_shape: [null, ...inputShape] });
    input.inputShape = inputShape;
    x = { producer: input, inputs: [] };
  }
  const inputs = [x];
  const apply = (layer: LayerObj): void => {
    if (unfollowed !== undefined && x.producer === undefined) layer.spec.inputProblem = unfollowed;
    x = { producer: layer, inputs: x.producer === undefined ? [] : [x] };
  };
  if (application in RESNET_STACKS) {
    resnet(application, x, layerOf, unfollowed, (out) => (x = out));
    if (includeTop || pooling === 'avg') apply(layerOf('GlobalAveragePooling2D', 'avg_pool', {}));
    else if (pooling === 'max') apply(layerOf('GlobalMaxPooling2D', 'max_pool', {}));
    if (includeTop) apply(layerOf('Dense', 'predictions', { units: classes, activation: classifierActivation }));
    model.inputs = inputs;
    model.outputs = [x];
    return { k: 'model', model };
  }
  VGG_BLOCKS[application].forEach(({ filters, convolutions }, b) => {
    for (let c = 1; c <= convolutions; c++) {
      apply(layerOf('Conv2D', `block${b + 1}_conv${c}`, { filters, kernel_size: [3, 3], activation: 'relu', padding: 'same' }));
    }
    apply(layerOf('MaxPooling2D', `block${b + 1}_pool`, { pool_size: [2, 2], strides: [2, 2] }));
  });
  if (includeTop) {
    apply(layerOf('Flatten', 'flatten', {}));
    apply(layerOf('Dense', 'fc1', { units: 4096, activation: 'relu' }));
    apply(layerOf('Dense', 'fc2', { units: 4096, activation: 'relu' }));
    apply(layerOf('Dense', 'predictions', { units: classes, activation: classifierActivation }));
  } else if (pooling === 'avg') {
    apply(layerOf('GlobalAveragePooling2D', ctx.nextName('global_average_pooling2d'), {}));
  } else if (pooling === 'max') {
    apply(layerOf('GlobalMaxPooling2D', ctx.nextName('global_max_pooling2d'), {}));
  }
  model.inputs = inputs;
  model.outputs = [x];
  return { k: 'model', model };
}

/**
 * The mode of each keras.applications module's `preprocess_input` (imagenet_utils.py): "caffe",
 * RGB to BGR then ImageNet's mean pixel taken off; "tf", pixels scaled to [-1, 1].
 */
const PREPROCESSING_MODES: Record<string, 'caffe' | 'tf'> = {
  vgg16: 'caffe', vgg19: 'caffe', resnet: 'caffe', resnet50: 'caffe',
  mobilenet: 'tf', mobilenet_v2: 'tf', inception_v3: 'tf', xception: 'tf', inception_resnet_v2: 'tf', resnet_v2: 'tf', nasnet: 'tf',
};

/** The mean pixel `preprocess_input` takes off in the "caffe" mode, blue, green, red (imagenet_utils.py). */
const CAFFE_MEAN = [103.939, 116.779, 123.68];

/**
 * `vgg16.preprocess_input(inputs)` on a tensor of the graph: the term Keras 3 builds of it (its
 * channels reversed and ImageNet's mean pixel taken off, or scaled to [-1, 1]); undefined for
 * arrays, which are not this module's.
 */
function preprocessing({ path, args, node }: { path: string; args: Args; node: PyNode }, ctx: CallContext): Value | undefined {
  const x = args.positional[0] ?? args.keywords.get('x');
  const modeValue = args.keywords.get('mode');
  const mode = modeValue === undefined ? PREPROCESSING_MODES[path.split('.').slice(-2)[0]] : modeValue.k === 'str' ? modeValue.v : undefined;
  const term = x?.k === 'tensor' ? { expr: { op: 'arg', index: 0 } as TensorExpr, tensors: [x.tensor] } : x?.k === 'texpr' ? { expr: x.expr, tensors: x.tensors } : undefined;
  if (!term || (mode !== 'caffe' && mode !== 'tf')) return undefined;
  const expr: TensorExpr =
    mode === 'caffe'
      ? { op: 'channel_offset', x: { op: 'reverse_channels', x: term.expr }, values: CAFFE_MEAN.map((m) => -m) }
      : { op: 'sub', a: { op: 'div', a: term.expr, b: { op: 'const', value: 127.5 } }, b: { op: 'const', value: 1 } };
  return { k: 'texpr', expr, tensors: term.tensors, location: ctx.loc(node), text: ctx.src(node).replace(/\s+/g, ' ').slice(0, 80) };
}

export const APPLICATION_PATTERNS: CallPattern[] = [
  {
    matches: (path, last) => last === 'preprocess_input' && PREPROCESSING_MODES[path.split('.').slice(-2)[0]] !== undefined && path.includes('applications'),
    call: preprocessing,
  },
  {
    matches: (path, last) => (VGG_BLOCKS[last] !== undefined || RESNET_STACKS[last] !== undefined) && (path.includes('applications') || path === last),
    call: ({ last, args, node }, ctx) => backbone(ctx, last, args, node),
  },
];
