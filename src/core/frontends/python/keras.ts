/**
 * What the Python front-end knows about Keras's API: how import paths map to Keras symbols,
 * positional arguments of layers and default activations. Optimizer and loss names and defaults
 * are Keras's vocabulary of core/keras/names.ts.
 */

/** Answers of the name functions below: the same few dotted names come back on every line of a script. */
const MAX_REMEMBERED = 4096;

function remember<T>(answers: Map<string, T>, key: string, answer: T): T {
  if (answers.size >= MAX_REMEMBERED) answers.clear();
  answers.set(key, answer);
  return answer;
}

const canonicalPaths = new Map<string, string>();

/** `tensorflow.keras.layers.Dense`, `tf_keras.layers.Dense`, `keras.src.layers.Dense` -> `keras.layers.Dense`. */
export function canonicalPath(path: string): string {
  return (
    canonicalPaths.get(path) ??
    remember(
      canonicalPaths,
      path,
      path
        .replace(/^tensorflow\.python\.keras\b/, 'keras')
        .replace(/^tensorflow\.keras\b/, 'keras')
        .replace(/^tf_keras\b/, 'keras')
        .replace(/^keras\.src\b/, 'keras')
        // Keras 3 keeps the Keras 2 backend functions (K.random_normal, K.flatten) in keras.src.legacy.backend.
        .replace(/^keras\.legacy\.backend\b/, 'keras.backend')
        // Keras 1's name of the losses module, kept as an alias in Keras 2.
        .replace(/^keras\.objectives\b/, 'keras.losses')
        .replace(/^keras\.api\._v2\.keras\b/, 'keras'),
    )
  );
}

export function lastSegment(path: string): string {
  const i = path.lastIndexOf('.');
  return i >= 0 ? path.slice(i + 1) : path;
}

/** Positional parameters of layer constructors, in Keras's order. */
export const LAYER_POSITIONAL: Record<string, string[]> = {
  Dense: ['units', 'activation'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  SpatialDropout2D: ['rate'],
  AlphaDropout: ['rate'],
  GaussianDropout: ['rate'],
  GaussianNoise: ['stddev'],
  Activation: ['activation'],
  Conv1D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv2D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv3D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv1DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv2DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv3DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding'],
  MaxPooling1D: ['pool_size', 'strides', 'padding'],
  MaxPooling2D: ['pool_size', 'strides', 'padding'],
  MaxPooling3D: ['pool_size', 'strides', 'padding'],
  AveragePooling1D: ['pool_size', 'strides', 'padding'],
  AveragePooling2D: ['pool_size', 'strides', 'padding'],
  MaxPool1D: ['pool_size', 'strides', 'padding'],
  MaxPool2D: ['pool_size', 'strides', 'padding'],
  UpSampling1D: ['size'],
  UpSampling2D: ['size'],
  UpSampling3D: ['size'],
  ZeroPadding1D: ['padding'],
  ZeroPadding2D: ['padding'],
  Cropping1D: ['cropping'],
  Cropping2D: ['cropping'],
  LSTM: ['units', 'activation', 'recurrent_activation'],
  GRU: ['units', 'activation', 'recurrent_activation'],
  SimpleRNN: ['units', 'activation'],
  ConvLSTM2D: ['filters', 'kernel_size', 'strides', 'padding'],
  RepeatVector: ['n'],
  Reshape: ['target_shape'],
  Permute: ['dims'],
  TimeDistributed: ['layer'],
  Bidirectional: ['layer', 'merge_mode'],
  BatchNormalization: ['axis', 'momentum', 'epsilon'],
  LayerNormalization: ['axis', 'epsilon'],
  GroupNormalization: ['groups', 'axis', 'epsilon'],
  UnitNormalization: ['axis'],
  Normalization: ['axis', 'mean', 'variance'],
  Rescaling: ['scale', 'offset'],
  LeakyReLU: ['negative_slope'],
  ReLU: ['max_value', 'negative_slope', 'threshold'],
  ELU: ['alpha'],
  PReLU: [],
  Softmax: ['axis'],
  Lambda: ['function', 'output_shape'],
  Embedding: ['input_dim', 'output_dim'],
  MultiHeadAttention: ['num_heads', 'key_dim', 'value_dim', 'dropout', 'use_bias', 'output_shape', 'attention_axes'],
  Flatten: ['data_format'],
  GlobalAveragePooling1D: [],
  GlobalAveragePooling2D: [],
  GlobalMaxPooling1D: [],
  GlobalMaxPooling2D: [],
  Concatenate: ['axis'],
  Add: [],
  Subtract: [],
  Multiply: [],
  Average: [],
  Maximum: [],
  Minimum: [],
  Masking: ['mask_value'],
  ActivityRegularization: ['l1', 'l2'],
  InputLayer: ['shape', 'batch_size', 'dtype'],
};

/** Layers whose Keras config always carries an activation; its default when not written. */
export const DEFAULT_ACTIVATION: Record<string, string> = {
  Dense: 'linear',
  Conv1D: 'linear',
  Conv2D: 'linear',
  Conv3D: 'linear',
  Conv1DTranspose: 'linear',
  Conv2DTranspose: 'linear',
  Conv3DTranspose: 'linear',
  SeparableConv2D: 'linear',
  DepthwiseConv2D: 'linear',
  LSTM: 'tanh',
  GRU: 'tanh',
  SimpleRNN: 'tanh',
  ConvLSTM2D: 'tanh',
};

export const DEFAULT_RECURRENT_ACTIVATION: Record<string, string> = { LSTM: 'sigmoid', GRU: 'sigmoid', ConvLSTM2D: 'sigmoid' };

/** Layer class names recognised even without an import (half-written code, notebook fragments). */
export function isLayerClassName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(LAYER_POSITIONAL, name);
}

/** Keras's `to_snake_case`: the prefix of default layer names (`LeakyReLU` -> `leaky_re_lu`). */
const snakeCases = new Map<string, string>();

export function snakeCase(name: string): string {
  return (
    snakeCases.get(name) ??
    remember(
      snakeCases,
      name,
      name
        .replace(/\W+/g, '')
        .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toLowerCase(),
    )
  );
}

export const CALLBACK_CLASSES = new Set([
  'EarlyStopping',
  'TerminateOnNaN',
  'ReduceLROnPlateau',
  'ModelCheckpoint',
  'LearningRateScheduler',
  'TensorBoard',
  'CSVLogger',
  'LambdaCallback',
  'BackupAndRestore',
  'History',
  'ProgbarLogger',
  'RemoteMonitor',
]);

/** Activation functions as written in code (`tf.nn.relu`, `keras.activations.sigmoid`) -> Keras names. */
export function activationName(path: string): string | undefined {
  const canonical = canonicalPath(path);
  const last = lastSegment(canonical);
  if (/^(keras\.activations|tensorflow\.nn|tensorflow\.math|tensorflow\.keras\.activations|keras\.ops|tensorflow)\./.test(canonical) || /^(activations)\./.test(path)) {
    const map: Record<string, string> = { leaky_relu: 'leaky_relu', relu6: 'relu6', softplus: 'softplus', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', elu: 'elu', selu: 'selu', gelu: 'gelu', swish: 'swish', silu: 'silu', softmax: 'softmax', linear: 'linear', exponential: 'exponential', hard_sigmoid: 'hard_sigmoid', mish: 'mish', softsign: 'softsign' };
    return map[last];
  }
  return undefined;
}

/** Pixel statistics of Keras's bundled datasets (uint8, 0-255), for `keras.datasets.X.load_data()`. */
export const DATASETS: Record<string, { trainShape: number[]; testShape: number[]; mean: number; std: number; classes: number }> = {
  mnist: { trainShape: [60000, 28, 28], testShape: [10000, 28, 28], mean: 33.32, std: 78.57, classes: 10 },
  fashion_mnist: { trainShape: [60000, 28, 28], testShape: [10000, 28, 28], mean: 72.94, std: 90.02, classes: 10 },
  cifar10: { trainShape: [50000, 32, 32, 3], testShape: [10000, 32, 32, 3], mean: 120.71, std: 64.15, classes: 10 },
  cifar100: { trainShape: [50000, 32, 32, 3], testShape: [10000, 32, 32, 3], mean: 121.94, std: 68.39, classes: 100 },
};
