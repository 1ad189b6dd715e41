/**
 * Keras's vocabulary of optimizers and losses, in one place: their names as code, JSON and
 * configs write them (`"adam"`, `"Custom>Adam"`, `{"class_name": "Adam"}`, `"optimizer": "ADAM"`,
 * `loss="mean_squared_error"`), their defaults (Keras 3, `keras.optimizers.*`), and which of them
 * the reproduction trains. The front-ends, the rules and the reproduction all read it from here.
 */
import type { OptimizerClassName } from './format';

interface OptimizerFacts {
  /** The optimizer's Keras 3 config defaults, in Keras's own (snake_case) keys; `learning_rate` always. */
  config: Readonly<Record<string, number | boolean | null>> & { learning_rate: number; epsilon?: number };
  /** Divides by a running gradient magnitude, which bounds each step near the learning rate. */
  adaptive: boolean;
  /** A wrapper around another optimizer (its learning rate is the inner one's); no default of its own. */
  wrapper?: true;
}

const OPTIMIZERS: Record<OptimizerClassName, OptimizerFacts> = {
  Adam: { config: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }, adaptive: true },
  AdamW: { config: { learning_rate: 0.001, weight_decay: 0.004, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }, adaptive: true },
  Adamax: { config: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }, adaptive: true },
  Nadam: { config: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }, adaptive: true },
  RMSprop: { config: { learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }, adaptive: true },
  SGD: { config: { learning_rate: 0.01, momentum: 0, nesterov: false }, adaptive: false },
  Adagrad: { config: { learning_rate: 0.001, initial_accumulator_value: 0.1, epsilon: 1e-7 }, adaptive: true },
  Adadelta: { config: { learning_rate: 0.001, rho: 0.95, epsilon: 1e-7 }, adaptive: true },
  Ftrl: { config: { learning_rate: 0.001, learning_rate_power: -0.5, initial_accumulator_value: 0.1, l1_regularization_strength: 0, l2_regularization_strength: 0, l2_shrinkage_regularization_strength: 0, beta: 0 }, adaptive: false },
  Lion: { config: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.99 }, adaptive: true },
  Adafactor: { config: { learning_rate: 0.001, beta_2_decay: -0.8, epsilon_1: 1e-30, epsilon_2: 1e-3, clip_threshold: 1, relative_step: true }, adaptive: true },
  Lamb: { config: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }, adaptive: true },
  LossScaleOptimizer: { config: { learning_rate: 0.001 }, adaptive: false, wrapper: true },
};

const OPTIMIZER_BY_LOWER = new Map((Object.keys(OPTIMIZERS) as OptimizerClassName[]).map((name) => [name.toLowerCase(), name]));

/** The optimizers the reproduction trains, each with Keras's update rule (repro/engine/optimizersFlat.ts). */
export const REPRODUCED_OPTIMIZERS = ['Adam', 'SGD', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'Nadam', 'AdamW', 'Lion', 'Ftrl', 'Lamb', 'Adafactor'] as const satisfies readonly OptimizerClassName[];
export type ReproducedOptimizer = (typeof REPRODUCED_OPTIMIZERS)[number];

/** The class name of a name Keras accepts, in any case (`'adam'`, `'RMSprop'`), or undefined. */
export function optimizerClassName(name: string): OptimizerClassName | undefined {
  return OPTIMIZER_BY_LOWER.get(name.toLowerCase());
}

/**
 * `"adam"`, `"Adam"`, `"Custom>Adam"`, `"keras.optimizers.Adam"`, `"tf.keras.optimizers.legacy.Adam"` -> `Adam`.
 * Unknown names come back as written (trimmed, prefix removed), so a message can still quote them.
 */
export function normalizeOptimizerName(name: string): string {
  let n = name.trim();
  const gt = n.lastIndexOf('>');
  if (gt >= 0) n = n.slice(gt + 1);
  const dot = n.lastIndexOf('.');
  if (dot >= 0) n = n.slice(dot + 1);
  return optimizerClassName(n) ?? n;
}

export function isKnownOptimizer(name: string): name is OptimizerClassName {
  return Object.prototype.hasOwnProperty.call(OPTIMIZERS, name);
}

/** Keras's default learning rate for an optimizer class, when it has one of its own. */
export function defaultLearningRate(optimizer: ReproducedOptimizer): number;
export function defaultLearningRate(optimizer: string): number | undefined;
export function defaultLearningRate(optimizer: string): number | undefined {
  return isKnownOptimizer(optimizer) && !OPTIMIZERS[optimizer].wrapper ? OPTIMIZERS[optimizer].config.learning_rate : undefined;
}

/** Keras's default epsilon for an optimizer class that has one. */
export function defaultEpsilon(optimizer: string): number | undefined {
  return isKnownOptimizer(optimizer) ? OPTIMIZERS[optimizer].config.epsilon : undefined;
}

export interface OptimizerDefaults {
  className: OptimizerClassName;
  learningRate: number;
  epsilon?: number;
}

/**
 * An optimizer by any name Keras accepts (`'adam'`, `Adam`), with the defaults the IR records
 * when code leaves them out. A wrapper (`LossScaleOptimizer`) records the common 0.001.
 */
export function optimizerDefaults(name: string): OptimizerDefaults | undefined {
  const className = optimizerClassName(name);
  if (!className) return undefined;
  const { learning_rate: learningRate, epsilon } = OPTIMIZERS[className].config;
  return epsilon === undefined ? { className, learningRate } : { className, learningRate, epsilon };
}

/** The optimizer's Keras config defaults (a copy). */
export function defaultOptimizerConfig(optimizer: OptimizerClassName): Record<string, number | boolean | null> {
  return { ...OPTIMIZERS[optimizer].config };
}

/** Whether the optimizer divides by a running gradient magnitude (Adam, RMSprop, ...), unlike SGD. */
export function isAdaptiveOptimizer(optimizer: string): boolean {
  return isKnownOptimizer(optimizer) && OPTIMIZERS[optimizer].adaptive;
}

// ---------------------------------------------------------------------------------------
// Layers

/**
 * Keras's other names for its layers (`layers.MaxPool2D` is a MaxPooling2D, Keras 2's
 * `Deconvolution2D` a Conv2DTranspose): `to_json()` writes the class they stand for, and so do
 * the IR and the reproduction.
 */
const LAYER_ALIASES: Record<string, string> = {
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  GlobalMaxPool3D: 'GlobalMaxPooling3D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalAvgPool3D: 'GlobalAveragePooling3D',
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution3D: 'Conv3D',
  Convolution1DTranspose: 'Conv1DTranspose',
  Convolution2DTranspose: 'Conv2DTranspose',
  Convolution3DTranspose: 'Conv3DTranspose',
  Deconvolution2D: 'Conv2DTranspose',
  Deconv2D: 'Conv2DTranspose',
  Deconvolution3D: 'Conv3DTranspose',
  Deconv3D: 'Conv3DTranspose',
  AtrousConvolution1D: 'Conv1D',
  AtrousConvolution2D: 'Conv2D',
  SeparableConvolution1D: 'SeparableConv1D',
  SeparableConvolution2D: 'SeparableConv2D',
  // Keras 2's GPU-only recurrent layers: the same computation as an LSTM and a GRU (with sigmoid gates, set where they are made).
  CuDNNLSTM: 'LSTM',
  CuDNNGRU: 'GRU',
};

/** The class a layer name stands for (`MaxPool2D` -> `MaxPooling2D`); other names come back as written. */
export function canonicalLayerClass(name: string): string {
  return Object.prototype.hasOwnProperty.call(LAYER_ALIASES, name) ? LAYER_ALIASES[name] : name;
}

// ---------------------------------------------------------------------------------------
// Keras 1's argument names

/** Where an argument is written: a layer's constructor, `Model(...)`, `fit(...)`, an optimizer's constructor. */
export type LegacyArgumentPlace = 'layer' | 'model' | 'fit' | 'optimizer';

/**
 * Keras 1's names of arguments that Keras 2 and 3 spell otherwise (Keras 2 read most of them with
 * a warning, Keras 3 raises on them), by where they are written: the one place the front-ends
 * read an old spelling as the current one.
 */
const LEGACY_ARGUMENTS: Record<LegacyArgumentPlace, Readonly<Record<string, string>>> = {
  layer: {
    output_dim: 'units',
    init: 'kernel_initializer',
    inner_init: 'recurrent_initializer',
    inner_activation: 'recurrent_activation',
    W_regularizer: 'kernel_regularizer',
    b_regularizer: 'bias_regularizer',
    U_regularizer: 'recurrent_regularizer',
    W_constraint: 'kernel_constraint',
    b_constraint: 'bias_constraint',
    U_constraint: 'recurrent_constraint',
    bias: 'use_bias',
    nb_filter: 'filters',
    filter_length: 'kernel_size',
    border_mode: 'padding',
    subsample: 'strides',
    subsample_length: 'strides',
    pool_length: 'pool_size',
    stride: 'strides',
    dropout_W: 'dropout',
    dropout_U: 'recurrent_dropout',
    concat_axis: 'axis',
    dim_ordering: 'data_format',
    atrous_rate: 'dilation_rate',
    forget_bias_init: 'unit_forget_bias',
  },
  model: { input: 'inputs', output: 'outputs' },
  fit: { nb_epoch: 'epochs' },
  optimizer: { lr: 'learning_rate' },
};

/** Keras 1's arguments that Keras 2 left out, as they change nothing computed (`consume_less='gpu'`, an implementation choice). */
const DROPPED_LAYER_ARGUMENTS = new Set(['consume_less']);

/** Whether a layer argument is one of Keras 1's that Keras 2 dropped. */
export function isDroppedArgument(written: string): boolean {
  return DROPPED_LAYER_ARGUMENTS.has(written);
}

/** Layers whose current arguments carry a name that is old elsewhere (`Embedding`'s `output_dim` is its own). */
const CURRENT_LAYER_ARGUMENTS: Readonly<Record<string, readonly string[]>> = { Embedding: ['output_dim'] };

/** Keras 1's names that only one layer used (`UpSampling1D(length=2)`). */
const LEGACY_ARGUMENTS_OF_LAYER: Readonly<Record<string, Readonly<Record<string, string>>>> = { UpSampling1D: { length: 'size' } };

/**
 * The current name of an argument written with Keras 1's (`output_dim` -> `units` in a Dense,
 * `nb_epoch` -> `epochs` in fit), or undefined when the name is current (or not one of these).
 */
export function currentArgumentName(place: LegacyArgumentPlace, written: string, layerClass?: string): string | undefined {
  const ownNames = place === 'layer' && layerClass !== undefined ? LEGACY_ARGUMENTS_OF_LAYER[layerClass] : undefined;
  if (ownNames && Object.prototype.hasOwnProperty.call(ownNames, written)) return ownNames[written];
  const names = LEGACY_ARGUMENTS[place];
  if (!Object.prototype.hasOwnProperty.call(names, written)) return undefined;
  if (place === 'layer' && layerClass !== undefined && CURRENT_LAYER_ARGUMENTS[layerClass]?.includes(written)) return undefined;
  return names[written];
}

/** Keras 1's 2D convolutions, whose window is written as two numbers (`Convolution2D(32, 3, 3)`, `nb_row=3, nb_col=3`). */
const LEGACY_WINDOWED_CLASSES = new Set(['Convolution2D', 'Deconvolution2D', 'AtrousConvolution2D', 'SeparableConvolution2D']);

/** Whether a class name as written is one of Keras 1's 2D convolutions, whose window is `nb_row, nb_col`. */
export function takesLegacyWindow(writtenClass: string): boolean {
  return LEGACY_WINDOWED_CLASSES.has(writtenClass);
}

/** Keras 1's values of arguments whose current name takes other values (`dim_ordering='th'` is `data_format='channels_first'`). */
const LEGACY_ARGUMENT_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = { dim_ordering: { th: 'channels_first', tf: 'channels_last' } };

/** The current value of a Keras 1 argument's string value (`forget_bias_init='one'` is `unit_forget_bias=True`), or the value as written. */
export function currentArgumentValue(written: string, value: string): string | boolean {
  // Keras 2 set unit_forget_bias for `'one'` only.
  if (written === 'forget_bias_init') return value === 'one';
  const values = LEGACY_ARGUMENT_VALUES[written];
  return values && Object.prototype.hasOwnProperty.call(values, value) ? values[value] : value;
}

/** Keras 1's `merge(..., mode=...)` modes and the merge layer each is in Keras 2 and 3. */
const LEGACY_MERGE_MODES: Readonly<Record<string, string>> = { concat: 'Concatenate', sum: 'Add', mul: 'Multiply', ave: 'Average', max: 'Maximum' };

/** The merge layer class of a Keras 1 `merge` mode (`'concat'` -> `Concatenate`); undefined for `dot`, `cos` and a function. */
export function legacyMergeLayer(mode: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(LEGACY_MERGE_MODES, mode) ? LEGACY_MERGE_MODES[mode] : undefined;
}

// ---------------------------------------------------------------------------------------
// Losses

/** Keras's losses by the name the IR gives them. */
export type LossName =
  | 'mse'
  | 'mae'
  | 'mape'
  | 'msle'
  | 'binary_crossentropy'
  | 'binary_focal_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'huber'
  | 'log_cosh'
  | 'kl_divergence'
  | 'cosine_similarity'
  | 'poisson'
  | 'hinge'
  | 'squared_hinge';

/** Every name Keras accepts for a loss (function, alias, class name), lower case, to the IR's name. */
const LOSS_ALIASES: Record<string, LossName> = {
  mse: 'mse',
  mean_squared_error: 'mse',
  meansquarederror: 'mse',
  mae: 'mae',
  mean_absolute_error: 'mae',
  meanabsoluteerror: 'mae',
  mape: 'mape',
  mean_absolute_percentage_error: 'mape',
  meanabsolutepercentageerror: 'mape',
  msle: 'msle',
  mean_squared_logarithmic_error: 'msle',
  meansquaredlogarithmicerror: 'msle',
  binary_crossentropy: 'binary_crossentropy',
  binarycrossentropy: 'binary_crossentropy',
  bce: 'binary_crossentropy',
  binary_focal_crossentropy: 'binary_focal_crossentropy',
  binaryfocalcrossentropy: 'binary_focal_crossentropy',
  categorical_crossentropy: 'categorical_crossentropy',
  categoricalcrossentropy: 'categorical_crossentropy',
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
  sparsecategoricalcrossentropy: 'sparse_categorical_crossentropy',
  huber: 'huber',
  huber_loss: 'huber',
  log_cosh: 'log_cosh',
  logcosh: 'log_cosh',
  kld: 'kl_divergence',
  kl_divergence: 'kl_divergence',
  kullback_leibler_divergence: 'kl_divergence',
  kldivergence: 'kl_divergence',
  cosine_similarity: 'cosine_similarity',
  cosinesimilarity: 'cosine_similarity',
  poisson: 'poisson',
  hinge: 'hinge',
  squared_hinge: 'squared_hinge',
  squaredhinge: 'squared_hinge',
};

/** The same names with only their letters (`binary-crossentropy`, `BinaryCrossentropy` -> `binarycrossentropy`). */
const LOSS_BY_LETTERS = new Map(Object.entries(LOSS_ALIASES).map(([alias, name]) => [alias.replace(/[^a-z]/g, ''), name]));

/** The IR's name of a loss written as a string, a class name or a function name (any case); undefined if unknown. */
export function lossName(name: string): LossName | undefined {
  const lower = name.toLowerCase();
  return LOSS_ALIASES[lower] ?? LOSS_BY_LETTERS.get(lower.replace(/[^a-z]/g, ''));
}

/** The losses the reproduction trains. */
export const REPRODUCED_LOSSES = ['mse', 'mae', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'huber', 'msle', 'log_cosh', 'poisson', 'mape', 'kl_divergence', 'hinge', 'squared_hinge'] as const satisfies readonly LossName[];
export type ReproducedLoss = (typeof REPRODUCED_LOSSES)[number];

export function isReproducedLoss(name: LossName | undefined): name is ReproducedLoss {
  return (REPRODUCED_LOSSES as readonly string[]).includes(name ?? '');
}

/** `MeanSquaredError` -> `mean_squared_error`; `mse` stays `mse`; `Custom>MyLoss` -> `my_loss`. */
export function normalizeLossName(name: string): string {
  let n = name.trim();
  const gt = n.lastIndexOf('>');
  if (gt >= 0) n = n.slice(gt + 1);
  const dot = n.lastIndexOf('.');
  if (dot >= 0) n = n.slice(dot + 1);
  if (/[A-Z]/.test(n) && !n.includes('_')) {
    return n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
  }
  return n.toLowerCase();
}
