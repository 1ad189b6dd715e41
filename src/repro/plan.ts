/**
 * The reproduction plan: everything the worker needs to train the user's model in
 * TensorFlow.js, as plain serialisable data. Built from the IR (or a Keras JSON file);
 * the extension host and the CLI build plans, only the worker loads TensorFlow.js.
 */
import type { ArrayAssignment, AssumedSize, CallbackSpec, DataSource, DataSpec, LayerSpec, LegacySpelling, LossSpec, ModelSpec, OptimizerSpec, TensorExpr } from '../core/ir';
import { defaultOptimizerConfig, isReproducedLoss, lossName, REPRODUCED_LOSSES, REPRODUCED_OPTIMIZERS, type ReproducedLoss, type ReproducedOptimizer } from '../core/keras/names';
import { type DataKind, type DataRecipe, type StandInPattern, type TransformStep, PATTERN_WIDTH, applyTransform, applyTransforms, materializeRecipe, matmulShape, seededRandom } from './data';
import { isSelection } from '../core/data/transforms';
import { batchDependence } from '../core/tensorExpr';
import { isKnownActivation, isKnownInitializer, isKnownRegularizer } from './engine/topology';
import type { LossScale } from './engine/optimizers';
import { applicationWeightsFile } from '../core/frontends/python/libraries/kerasApplications';
import { datasetPartOf } from '../core/keras/datasets';
import { insideWorkspace, inKerasCache, loadWorkspaceData } from './files';
import type { ReproNote } from './notes';
import { type KerasModelJson, LAMBDA_EXPRESSION_KEY, batchNormOffLastAxis, declaredInputShape, emptiedLayer, embeddingParameters, isObject, estimateParameters, estimateWorkPerSample, inputShapeOfJson, kerasJsonFromModel, layersLeadingToOutputs, maskFlow, outputLayerName, outputShapeOfJson, outputShapesOfJson, recurrentStepValues, activationValues, sparsestBatchNormalization } from './kerasJson';


export interface Caps {
  maxParameters: number;
  maxEpochs: number;
  /** Training plus validation samples. */
  maxSamples: number;
  /** The run stops (verdict on what was seen) when training takes longer than this. */
  maxWallMs: number;
  /** The worker's V8 heap limit (`--max-old-space-size`); the data must fit in a fraction of it. */
  maxWorkerMemoryMb: number;
}

export const DEFAULT_CAPS: Caps = {
  // Where time and memory decide, not a count: the memory check refuses what would not fit (Adam's
  // weights and copies: about 100 million parameters in the 2 GB), the pace check a batch that would
  // outlast the time limit. Keras's issue 10847 (a Dense layer over 224x224x3 inputs, 77 million
  // parameters, plain SGD) trains 4 epochs here; VGG16 with its classifier (138 million) is refused.
  maxParameters: 100_000_000,
  maxEpochs: 2000,
  maxSamples: 200_000,
  maxWallMs: 120_000,
  maxWorkerMemoryMb: 2048,
};

/** Keras 3's ReduceLROnPlateau on a loss (mode min): the learning rate times `factor` after `patience` epochs without improvement. */
export interface ReduceLrPlan {
  monitor: 'loss' | 'val_loss';
  factor: number;
  patience: number;
  minDelta: number;
  cooldown: number;
  minLr: number;
}

export interface EarlyStoppingPlan {
  monitor: 'loss' | 'val_loss';
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
  startFromEpoch: number;
}

export interface ReproPlan {
  version: 1;
  /** The model's name in the user's code or JSON. */
  name: string;
  /** The file the model came from, as the caller named it. */
  source: string;
  /** The topology as Keras 3's `model.to_json()` writes it. */
  kerasJson: KerasModelJson;
  /** Input shape without the batch dimension. */
  inputShape: number[];
  compile: {
    /** `lossScale`: Keras's LossScaleOptimizer around it. */
    optimizer: OptimizerPlan;
    /**
     * A Keras loss, `custom`: the user's loss function translated to tensor operations
     * (`lossExpression`), or `none`: compiled without one, the model trains on its added losses.
     */
    loss: ReproducedLoss | 'custom' | 'none';
    /** For a custom loss: what it computes, of y_true (argument 0) and y_pred (1); Keras averages its result over every element. */
    lossExpression?: TensorExpr;
    /** `from_logits=True` on a cross-entropy: the output is taken as logits, whatever its activation (a softmax output is then softmaxed again, as in Keras). */
    fromLogits?: true;
    /**
     * Terms added to the loss (`add_loss`, in the code or in a custom layer's call), each of
     * named layers' outputs (argument i is the output of `tensors[i]`); Keras sums each term and
     * adds it to the compiled loss, and reports the total.
     */
    addedLosses?: Array<{ expression: TensorExpr; tensors: string[] }>;
  };
  fit: {
    epochs: number;
    batchSize: number;
    shuffle: boolean;
    /** Keras's `validation_split`: the last fraction of the samples, taken before shuffling. */
    validationSplit: number | null;
    earlyStopping: EarlyStoppingPlan | null;
    /** Absent in plans from before it was reproduced. */
    reduceLrOnPlateau?: ReduceLrPlan | null;
    /**
     * Samples per forward and backward pass when a whole batch's layer outputs would not fit in
     * memory: the batch's gradients are summed over its micro-batches, each weighted by its share of
     * the batch, before the one optimizer step. Absent: the whole batch in one pass.
     */
    microBatch?: number;
  };
  data: {
    x: DataRecipe;
    y: DataRecipe;
    valX: DataRecipe | null;
    valY: DataRecipe | null;
    provenance: { train: DataKind; validation: DataKind | 'split' | 'none' };
  };
  seed: number;
  caps: Caps;
  estimatedParameters: number;
  /** Notes for the user, each with its kind: stand-in data, shortened runs, settings not reproduced. */
  notes: ReproNote[];
  /** The line (1-based) of `source` where each layer is built, by Keras layer name, for messages that name a layer. */
  layerLines?: Record<string, number>;
  /** Half precision emulated on float32 (engine/float16.ts); absent: float32 throughout. */
  precision?: PrecisionPlan;
  /**
   * A model with several outputs compiled with a loss per output: each output's loss, weight and
   * targets, in the order of its outputs. Keras's loss is the weighted sum of theirs;
   * `compile.loss` and `data.y`/`data.valY` are then the first output's.
   */
  outputs?: PlanOutput[];
  /**
   * A model with several inputs: each input's name, shape and training data, in the order fit
   * takes them. Each sample's inputs are flattened and joined in one row (`inputShape` is that
   * row's width, `data.x` the first input's recipe); the model cuts them apart again.
   */
  inputs?: PlanInput[];
}

export interface PlanInput {
  name: string;
  /** Without the batch dimension. */
  shape: number[];
  x: DataRecipe;
}

export interface PlanOutput {
  /** The layer that gives the output. */
  name: string;
  loss: ReproducedLoss | 'custom';
  lossExpression?: TensorExpr;
  /** `loss_weights`' entry for it (1 when not written). */
  weight: number;
  y: DataRecipe;
  valY: DataRecipe | null;
}

/**
 * Where Keras computes in float16. `float16` (`set_floatx('float16')`, a float16 dtype policy, or
 * `dtype='float16'` layers): those layers' weights, outputs, gradients and optimizer slots are
 * float16, and under the global setting the loss too. `mixed_float16`: every layer computes in
 * float16 from float32 weights, and the optimizer scales the loss (Keras 3's LossScaleOptimizer).
 */
export interface PrecisionPlan {
  policy: 'float16' | 'mixed_float16';
  /** The float16 layers by Keras name; null: every layer. */
  layers: string[] | null;
  /** The loss in float16 too (`set_floatx('float16')`: Keras's losses take floatx); else float32. */
  float16Loss: boolean;
}

export interface PlanOptions {
  seed?: number;
  /** Overrides the epochs of `fit`. */
  epochs?: number;
  caps?: Partial<Caps>;
  /** Shorten a plan over the epoch or sample caps instead of refusing it. */
  shorten?: boolean;
  /** Data files are read only inside this folder; without it, file data becomes a stand-in. */
  workspaceRoot?: string;
  /**
   * The sizes an analysis with `assumeUnseenSize` assumed (see assumedSizes.ts): the plan says so,
   * and stands only on stand-in data.
   */
  assumedSizes?: AssumedSize[];
}

/**
 * `unseen-size`: refused because a size of the model (its input shape, a layer's units) is read
 * from data nanguard could not see; a plan on stand-in data may assume it (assumedSizes.ts).
 * `too-small`: the input is too short for the layers' pooling and strides (an assumed size may
 * be, where the real one is not).
 */
/** The size every dimension of data nanguard cannot see takes in a stand-in (a middling feature count or window length): assumedSizes.ts's, and a length `input_shape=(None, 1)` leaves to such data. */
export const ASSUMED_SIZE = 32;

export type PlanResult = { plan: ReproPlan } | { refused: string; cause?: 'unseen-size' | 'too-small' };

export type OptimizerPlan = { className: ReproducedOptimizer; config: Record<string, number | boolean | null>; lossScale?: LossScale };

export function optimizerPlan(spec: OptimizerSpec | undefined): OptimizerPlan | { refused: string } {
  const raw = spec?.className ?? 'Adam';
  if (raw === 'LossScaleOptimizer') {
    // Keras's dynamic loss scaling around another optimizer: that optimizer, with the scale's settings.
    if (!spec?.inner) return { refused: 'the LossScaleOptimizer wraps an optimizer nanguard could not read' };
    const inner = optimizerPlan(spec.inner);
    if ('refused' in inner) return inner;
    const setting = (key: string, fallback: number): number => (typeof spec.config?.[key] === 'number' ? (spec.config[key] as number) : fallback);
    return { ...inner, lossScale: { initialScale: setting('initial_scale', 2 ** 15), growthSteps: setting('dynamic_growth_steps', 2000) } };
  }
  if (raw === 'unknown') {
    // `optimizer=configs['model']['optimizer']` of a config that is not in the workspace: the expression and its line.
    const note = spec?.learningRate.origin.kind === 'inferred' ? spec.learningRate.origin.note : undefined;
    const text = note?.startsWith('not resolved: ') ? note.slice('not resolved: '.length) : undefined;
    const line = spec?.location ? ` on line ${spec.location.range.start.line + 1}` : '';
    if (text) return { refused: `the optimizer is given by \`${text}\`${line}, which nanguard could not work out without running the code` };
  }
  const className = REPRODUCED_OPTIMIZERS.find((c) => c.toLowerCase() === raw.toLowerCase());
  if (!className) return { refused: `the optimizer ${raw} is not reproduced (supported: ${REPRODUCED_OPTIMIZERS.join(', ')})` };
  const config: Record<string, number | boolean | null> = { ...defaultOptimizerConfig(className), clipnorm: null, clipvalue: null, global_clipnorm: null };
  if (spec?.learningRate) config.learning_rate = spec.learningRate.value;
  if (spec?.epsilon && 'epsilon' in config) config.epsilon = spec.epsilon.value;
  if (spec?.momentum && 'momentum' in config) config.momentum = spec.momentum.value;
  if (spec?.clipnorm) config.clipnorm = spec.clipnorm.value;
  if (spec?.clipvalue) config.clipvalue = spec.clipvalue.value;
  // Other arguments the code wrote (beta_2=0.99, weight_decay=1e-4, nesterov=True): those the optimizer has, and weight decay, which every Keras 3 optimizer takes.
  for (const [key, value] of Object.entries(spec?.config ?? {})) {
    if (key === 'global_clipnorm' && typeof value === 'number') {
      config.global_clipnorm = value;
      if (spec?.clipnorm?.value === value) config.clipnorm = null;
    } else if (key in config || key === 'weight_decay') config[key] = value;
  }
  return { className, config };
}

export function lossPlan(name: string | undefined, functionName?: string, spec?: LossSpec, addedLosses = false): { loss: ReproducedLoss | 'custom' | 'none'; lossExpression?: TensorExpr } | { refused: string } {
  if (!name) return { loss: 'mse' };
  if (name === 'none' && addedLosses) return { loss: 'none' };
  const key = name.toLowerCase().replace(/^(keras\.)?(losses\.)?/, '');
  const loss = lossName(key);
  if (isReproducedLoss(loss)) return { loss };
  if (key === 'custom') {
    if (spec?.expression) return { loss: 'custom', lossExpression: spec.expression };
    const why = spec?.expressionProblem ? `: ${spec.expressionProblem}` : ' (it is Python code)';
    return { refused: `the custom loss ${functionName ?? ''} cannot be reproduced${why}; nanguard translates losses made of element-wise tf, K (keras.backend) and keras.ops operations, means and sums`.replace('  ', ' ') };
  }
  if (key === 'none') return { refused: 'the model is compiled without a loss, and nanguard found no loss added to it that it could follow (add_loss of the model\'s tensors, in the code or in a custom layer\'s call)' };
  if (key === 'unknown') return { refused: 'nanguard could not tell which loss the model is compiled with' };
  if (key === 'multiple') return { refused: 'the model is compiled with a loss per output (a list or dict of losses), and nanguard reproduces a loss per output only for a functional model whose outputs it can follow, with one loss for each' };
  return { refused: `the loss ${name} is not reproduced (supported: ${REPRODUCED_LOSSES.join(', ')}, and custom losses of tensor operations)` };
}

/** A list of one loss given to a model of one output: that loss; any other loss as it is (a dict's key is not matched to a single output's name here). */
function soleOutputLoss(model: ModelSpec, spec: LossSpec): LossSpec {
  const only = spec.perOutput?.length === 1 ? spec.perOutput[0] : undefined;
  if (spec.name !== 'multiple' || !only || (model.outputNames ?? []).length > 1) return spec;
  // `loss={'recon': 'mse'}`: a dict of one loss, keyed by the one output's layer, at weight 1.
  if (only.output !== undefined) {
    const outputName = model.outputNames?.[0] ?? model.layers[model.layers.length - 1]?.name;
    const weights = spec.outputWeights;
    const weight = weights === undefined ? 1 : Array.isArray(weights) ? weights[0] : weights[only.output];
    if (only.output !== outputName || (weight !== undefined && weight !== 1)) return spec;
  }
  return only;
}

/**
 * The loss and weight of each output of a model compiled with a list or dict of losses
 * (`loss=['categorical_crossentropy', 'mse'], loss_weights=[1, 0.5]`), or why not.
 */
export function outputLossesPlan(model: ModelSpec): Array<{ name: string; loss: ReproducedLoss | 'custom'; lossExpression?: TensorExpr; weight: number }> | { refused: string } {
  const spec = model.compile?.loss;
  const outputs = model.outputNames ?? [];
  const generic = lossPlan('multiple');
  if (!spec?.perOutput || outputs.length < 2) return 'refused' in generic ? generic : { refused: 'the loss per output could not be read' };
  const byName = spec.perOutput.every((l) => l.output !== undefined);
  if (!byName && spec.perOutput.length !== outputs.length) {
    return { refused: `the model has ${outputs.length} outputs (${outputs.join(', ')}) but is compiled with ${spec.perOutput.length} losses` };
  }
  const out: Array<{ name: string; loss: ReproducedLoss | 'custom'; lossExpression?: TensorExpr; weight: number }> = [];
  for (const [i, name] of outputs.entries()) {
    const part = byName ? spec.perOutput.find((l) => l.output === name) : spec.perOutput[i];
    if (!part) return { refused: `output ${name} has no loss in the dict given to compile, and nanguard reproduces a loss for every output` };
    const choice = lossPlan(part.name, part.functionName, part);
    if ('refused' in choice) return { refused: `the loss of output ${name}: ${choice.refused}` };
    if (choice.loss === 'none') return { refused: `output ${name} has no loss in the list given to compile, and nanguard reproduces a loss for every output` };
    const loss = choice.loss;
    if (part.fromLogits) return { refused: `the loss of output ${name} is computed from logits (from_logits=True), which nanguard does not reproduce for a model with several outputs` };
    const weights = spec.outputWeights;
    const weight = weights === undefined ? 1 : Array.isArray(weights) ? weights[i] : weights[name] ?? 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) return { refused: `loss_weights could not be read for output ${name}` };
    out.push({ name, loss, ...(choice.lossExpression ? { lossExpression: choice.lossExpression } : {}), weight });
  }
  if (out.length === 0) return { refused: 'no output of the model has a loss in the dict given to compile' };
  return out;
}

/** Arguments a layer cannot be built without, and what they must be. */
const REQUIRED_ARGUMENTS: Record<string, Array<{ key: string; kind: 'count' | 'counts' | 'shape' }>> = {
  Dense: [{ key: 'units', kind: 'count' }],
  LSTM: [{ key: 'units', kind: 'count' }],
  GRU: [{ key: 'units', kind: 'count' }],
  SimpleRNN: [{ key: 'units', kind: 'count' }],
  Conv1D: [{ key: 'filters', kind: 'count' }, { key: 'kernel_size', kind: 'counts' }],
  Conv2D: [{ key: 'filters', kind: 'count' }, { key: 'kernel_size', kind: 'counts' }],
  Conv1DTranspose: [{ key: 'filters', kind: 'count' }, { key: 'kernel_size', kind: 'counts' }],
  Conv2DTranspose: [{ key: 'filters', kind: 'count' }, { key: 'kernel_size', kind: 'counts' }],
  RepeatVector: [{ key: 'n', kind: 'count' }],
  Embedding: [{ key: 'input_dim', kind: 'count' }, { key: 'output_dim', kind: 'count' }],
  Reshape: [{ key: 'target_shape', kind: 'shape' }],
};

/** Arguments that are optional but, when written, must be positive whole numbers. */
const OPTIONAL_COUNTS: Record<string, string[]> = {
  Conv1D: ['strides', 'dilation_rate'],
  Conv2D: ['strides', 'dilation_rate'],
  Conv1DTranspose: ['strides'],
  Conv2DTranspose: ['strides'],
  MaxPooling1D: ['pool_size', 'strides'],
  MaxPooling2D: ['pool_size', 'strides'],
  AveragePooling1D: ['pool_size', 'strides'],
  AveragePooling2D: ['pool_size', 'strides'],
  UpSampling1D: ['size'],
  UpSampling2D: ['size'],
};

const INPUT_SHAPE_KEYS = new Set(['input_shape', 'input_dim', 'shape', 'batch_input_shape', 'batch_shape']);

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function lineOf(layer: LayerSpec, model: ModelSpec): string {
  return layer.location && layer.location.path === model.path ? `, line ${layer.location.range.start.line + 1}` : '';
}

/** Why a layer cannot be built from what the analysis read (an argument it could not follow, a wrong value), or undefined. */
export function layerProblem(model: ModelSpec): string | undefined {
  for (const layer of model.layers) {
    const label = `layer ${layer.name} (${layer.className}${lineOf(layer, model)})`;
    if (layer.className !== 'InputLayer' && layer.inbound !== undefined && layer.inbound.length === 0) {
      if (layer.inputProblem) return `${label} takes its input from an operation on tensors nanguard does not build: ${layer.inputProblem}`;
      return `${label} takes its input from a value nanguard could not follow (a layer or model nanguard does not build, such as one of keras.applications or one imported from another module, or an operation on tensors rather than a Keras layer), so the model's graph cannot be rebuilt`;
    }
    const checks = [
      ...(REQUIRED_ARGUMENTS[layer.className] ?? []).map((a) => ({ ...a, required: true })),
      ...(OPTIONAL_COUNTS[layer.className] ?? []).map((key) => ({ key, kind: 'counts' as const, required: false })),
    ];
    for (const { key, kind, required } of checks) {
      const value = layer.config[key];
      const what = kind === 'count' ? 'a positive whole number' : kind === 'counts' ? 'a positive whole number or a tuple of them' : 'a tuple of whole numbers';
      const unread = layer.unresolved?.find((u) => u.key === key);
      if (unread && (value === undefined || value === null)) {
        const line = unread.location.range.start.line + 1;
        return value === null
          ? `${label}: ${key} must be ${what}, and nanguard read None from \`${unread.text}\` on line ${line}`
          : `${label}: ${key} must be ${what}, and nanguard could not work out \`${unread.text}\` on line ${line} without running the code`;
      }
      if (value === undefined) {
        if (required) return `${label}: ${key} is not given, and the layer cannot be built without it`;
        continue;
      }
      const ok = kind === 'count' ? isCount(value) : kind === 'counts' ? isCount(value) || (Array.isArray(value) && value.length > 0 && value.every(isCount)) : Array.isArray(value) && value.length > 0 && value.every((d) => typeof d === 'number' && Number.isInteger(d) && (d > 0 || d === -1));
      if (!ok) return `${label}: ${key} must be ${what}, not ${JSON.stringify(value)}`;
    }
    // A regularizer, initializer, constraint or activation written as code nanguard could not follow (an object of the program's own class):
    // dropping it would train another model.
    if (layer.activityProblem) {
      const written = layer.unresolved?.find((u) => u.key === 'activity_regularizer')?.text ?? String(layer.config.activity_regularizer ?? '');
      return `${label}: its activity_regularizer \`${written}\` cannot be reproduced: ${layer.activityProblem}; nanguard translates regularizers made of element-wise tf, K (keras.backend) and keras.ops operations, means and sums`;
    }
    // A regularizer of the program's own that was translated (`activityExpression`) is reproduced.
    const unreadPart = layer.unresolved?.find((u) => /_(regularizer|initializer|constraint)$|^(recurrent_)?activation$/.test(u.key) && !(u.key === 'activity_regularizer' && layer.activityExpression));
    if (unreadPart) return `${label}: its ${unreadPart.key} \`${unreadPart.text}\` (line ${unreadPart.location.range.start.line + 1}) is code of the program's own, which nanguard does not reproduce`;
    for (const [key, value] of Object.entries(layer.config)) {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      if (key === 'activity_regularizer' && layer.activityExpression) continue;
      if (key.endsWith('_regularizer') && !isKnownRegularizer(value)) return `${label}: its ${key} \`${shown}\` is code of the program's own (nanguard reproduces the l1, l2 and l1_l2 regularizers)`;
      if (key.endsWith('_initializer') && !isKnownInitializer(value)) return `${label}: its ${key} \`${shown}\` is not one of Keras's initializers nanguard reproduces`;
      if ((key === 'activation' || key === 'recurrent_activation') && !isKnownActivation(value)) return `${label}: its ${key} \`${shown}\` is not one of Keras's activations nanguard reproduces`;
    }
    if (layer.className.endsWith('Transpose') && layer.config.output_padding !== undefined && layer.config.output_padding !== null) {
      return `${label}: output_padding is not reproduced (TensorFlow.js's transposed convolutions have none)`;
    }
    if (layer.className.endsWith('Transpose') && layer.config.dilation_rate !== undefined && [layer.config.dilation_rate].flat().some((d) => d !== 1)) {
      return `${label}: a dilated transposed convolution is not reproduced (TensorFlow.js has none)`;
    }
    if (/^Global(Average|Max)Pooling[12]D$/.test(layer.className) && layer.config.keepdims === true) {
      return `${label}: keepdims=True is not reproduced (TensorFlow.js's global pooling drops the pooled axes)`;
    }
    if (layer.className === 'Rescaling' && [layer.config.scale, layer.config.offset].some((v) => v !== undefined && typeof v !== 'number')) {
      return `${label}: a scale or offset per channel is not reproduced (nanguard reproduces Rescaling by one number)`;
    }
    if (layer.className === 'MultiHeadAttention') {
      if (layer.config.attention_axes !== undefined && layer.config.attention_axes !== null) return `${label}: attention over chosen axes (attention_axes) is not reproduced; nanguard's MultiHeadAttention attends over a sequence's steps`;
      if (layer.config.attention_mask !== undefined) return `${label}: an attention_mask is not reproduced (use_causal_mask=True is)`;
      if (layer.config.return_attention_scores === true) return `${label}: return_attention_scores=True is not reproduced`;
    }
    if (layer.className === 'Lambda' && !layer.expression) {
      return `${label} cannot be reproduced: ${layer.expressionProblem ?? 'its function is Python code nanguard could not read'}; nanguard translates Lambda functions made of element-wise tf, K (keras.backend) and keras.ops operations, means and sums`;
    }
  }
  return undefined;
}

/**
 * The shape of an autoencoder's input from its output layer, when the first layer takes any width
 * (Dense, or Flatten of an image that the output Reshapes back): undefined otherwise.
 */
function autoencoderShape(model: ModelSpec): number[] | undefined {
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  const first = layers[0];
  const last = layers[layers.length - 1];
  if (!first || !last) return undefined;
  if (first.className === 'Dense' && last.className === 'Dense' && isCount(last.config.units)) return [last.config.units as number];
  const target = last.config.target_shape;
  if (first.className === 'Flatten' && last.className === 'Reshape' && Array.isArray(target) && target.every(isCount)) return target as number[];
  return undefined;
}

/** Whether a shape nanguard worked out agrees with the dimensions of the data it knows (null: not known). */
function fitsKnownDims(shape: number[], dataShape: (number | null)[] | undefined): boolean {
  return !dataShape || (dataShape.length === shape.length && dataShape.every((d, i) => d === null || d === shape[i]));
}

/**
 * An autoencoder's input shape whose last dimension the code takes from data nanguard cannot see
 * (`Input(shape=(x.shape[1], x.shape[2]))` on windows of a CSV read from a URL): that dimension
 * from the output layer (its filters or units), kept only when the model then gives back a shape
 * equal to its input. Undefined otherwise.
 */
function lastDimensionFromOutput(model: ModelSpec, declared: (number | null)[], dataShape: (number | null)[] | undefined): { shape: number[]; from: string } | undefined {
  const known = declared.slice(0, -1);
  if (declared.length < 2 || declared[declared.length - 1] !== null || !known.every(isCount)) return undefined;
  // Only a part the code writes but nanguard could not work out: None in the code is a dimension of any size, not one to fill.
  if (!model.layers.some((l) => l.unresolved?.some((u) => INPUT_SHAPE_KEYS.has(u.key)))) return undefined;
  const last = model.layers[model.layers.length - 1];
  const size = last?.config.filters ?? last?.config.units;
  if (!last || !isCount(size)) return undefined;
  const shape = [...(known as number[]), size as number];
  if (!fitsKnownDims(shape, dataShape)) return undefined;
  const built = kerasJsonFromModel(model, shape);
  if ('problem' in built) return undefined;
  const output = outputShapeOfJson(built.json, shape);
  if (!output || JSON.stringify(output) !== JSON.stringify(shape)) return undefined;
  return { shape, from: `${last.name} (${last.config.filters !== undefined ? 'filters' : 'units'}=${size})` };
}

/** Whether a layer's size is an argument nanguard could not work out (`Dense(x.shape[1])` on unseen data): a plan may assume it. */
function unresolvedSize(model: ModelSpec): boolean {
  return model.layers.some((layer) =>
    (REQUIRED_ARGUMENTS[layer.className] ?? []).some(({ key }) => layer.config[key] === undefined && layer.unresolved?.some((u) => u.key === key)),
  );
}

/** What a plan built on assumed sizes says: which code, where, and what to do for a run of the user's own sizes. */
function assumedSizesNote(assumed: readonly AssumedSize[], model: ModelSpec, why: string): string {
  const where = (a: AssumedSize) => (a.location.path === model.path ? ` (line ${a.location.range.start.line + 1})` : ` (${a.location.path}, line ${a.location.range.start.line + 1})`);
  // The same code read on several lines (`x.shape` for the input and for the output layer) is named once, at its first line.
  const firsts = assumed.filter((a, i) => assumed.findIndex((b) => b.text === a.text) === i);
  const codes = firsts.slice(0, 3).map((a) => `\`${a.text}\`${where(a)}`);
  const more = firsts.length > 3 ? ` and ${firsts.length - 3} more` : '';
  const size = (assumed.find((a) => !a.channels) ?? assumed[0]).size;
  const channels = assumed.some((a) => a.channels) ? ", and the channel axis an image layer needs past such a shape to be 1 (a grey image)" : '';
  return `the model's sizes come from data nanguard could not see: ${codes.join(', ')}${more}; ${why}. Each unseen dimension is assumed to be ${size}${channels}, and the model is built and trained to it on stand-in data; ${model.uncalledTrainer ? `a run of the program that calls ${model.uncalledTrainer.name}` : 'with the data in the workspace, the run'} uses your sizes and values.`;
}

/** Why the data a model's input shape is taken from is not known, for the refusal. */
function unseenDataReason(model: ModelSpec, options: PlanOptions): string {
  const trainer = model.uncalledTrainer;
  if (trainer) return `it comes from the arguments of ${trainer.name} (line ${trainer.location.range.start.line + 1}), which nothing in this file calls: the program that imports this module passes the data`;
  const path = model.data.train?.valuesFrom?.path;
  if (path && /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return `the training data is read from ${path}, which nanguard does not download`;
  if (path && options.workspaceRoot && !insideWorkspace(options.workspaceRoot, model.path, path)) return `the training data is read from ${path}, which is not in the workspace`;
  return 'it is taken from data that is not a file in the workspace nanguard reads: .csv, .npy or .json';
}

/** The argument that gives the input shape but could not be followed (`input_dim=x.shape[1]` on data nanguard cannot see), for the refusal. */
function unreadInputShape(model: ModelSpec): string | undefined {
  for (const layer of model.layers) {
    const unread = layer.unresolved?.find((u) => INPUT_SHAPE_KEYS.has(u.key));
    if (unread) return `\`${unread.text}\` on line ${unread.location.range.start.line + 1}`;
  }
  return undefined;
}

/** The callbacks the run reproduces (EarlyStopping, ReduceLROnPlateau on a loss, TerminateOnNaN); a note for each other. */
function callbackPlans(callbacks: CallbackSpec[], notes: ReproNote[]): { earlyStopping: EarlyStoppingPlan | null; reduceLrOnPlateau: ReduceLrPlan | null } {
  let plan: EarlyStoppingPlan | null = null;
  let reduceLr: ReduceLrPlan | null = null;
  for (const cb of callbacks) {
    const c = cb.config;
    const number = (key: string, fallback: number): number => (typeof c[key] === 'number' ? (c[key] as number) : fallback);
    if (cb.className === 'ReduceLROnPlateau') {
      const monitor = c.monitor === undefined ? 'val_loss' : c.monitor;
      const factor = number('factor', 0.1);
      if ((monitor !== 'loss' && monitor !== 'val_loss') || c.mode === 'max' || !(factor > 0 && factor < 1)) {
        notes.push({ kind: 'not-reproduced', text: `The ReduceLROnPlateau callback (monitor ${JSON.stringify(monitor)}${c.mode === 'max' ? ', mode max' : ''}) is not reproduced: nanguard follows it on loss or val_loss.` });
        continue;
      }
      reduceLr = { monitor, factor, patience: number('patience', 10), minDelta: Math.abs(number('min_delta', 1e-4)), cooldown: number('cooldown', 0), minLr: number('min_lr', 0) };
    } else if (cb.className === 'EarlyStopping') {
      plan = {
        monitor: c.monitor === 'loss' ? 'loss' : 'val_loss',
        patience: typeof c.patience === 'number' ? c.patience : 0,
        minDelta: typeof c.min_delta === 'number' ? Math.abs(c.min_delta) : 0,
        restoreBestWeights: c.restore_best_weights === true,
        startFromEpoch: typeof c.start_from_epoch === 'number' ? c.start_from_epoch : 0,
      };
    } else if (cb.className !== 'TerminateOnNaN') {
      notes.push({ kind: 'not-reproduced', text: `The ${cb.className} callback is not reproduced.` });
    }
  }
  return { earlyStopping: plan, reduceLrOnPlateau: reduceLr };
}

/** The shape of one sample's targets for an output of `shape`: integer labels for a sparse cross-entropy (the classes' axis gone, or 1). */
export function targetShapeOf(loss: string, shape: number[]): number[] {
  if (loss !== 'sparse_categorical_crossentropy') return shape;
  return shape.length > 1 ? shape.slice(0, -1) : [1];
}

interface RecipeContext {
  model: ModelSpec;
  options: PlanOptions;
  inputShape: number[];
  /** The model's output shape (without batch), when known: the shape of stand-in targets. */
  outputShape?: number[];
  /** The classes of an output trained with a sparse cross-entropy: its stand-in targets are labels of them. */
  sparseClasses?: number;
  notes: ReproNote[];
  stream: number;
  /** The stream of each part of a Keras dataset already drawn (`keras.datasets.mnist train`). */
  datasetStreams: Map<string, number>;
  /** The stream of each `np.random.*` array already drawn, by where it is made: inputs and targets made from one array draw the same values. */
  randomStreams: Map<string, number>;
  defaultRows: number;
}

/** Streams of the cells drawn for a block assignment, apart from the recipes' own (see data.ts). */
const BLOCK_STREAMS = 1 << 24;

/** The stream a block assignment draws from: its place in the code, so every array made from the one it writes draws the same. */
function blockStream(a: ArrayAssignment): number {
  const { line, character } = a.location.range.start;
  return BLOCK_STREAMS + line * 1000 + character;
}

/**
 * The shape of the array an assignment writes: the source's as made (`np.zeros(shape)`,
 * `np.random.rand(...)`), else the fitted array's. A reshape between the two that changes the
 * width is caught by the replay, which then names the assignment as not replayed.
 */
function blockShape(spec: DataSpec): number[] {
  if (spec.filled) return spec.filled.shape;
  if (spec.source.kind === 'random') return spec.source.shape;
  return spec.shape as number[];
}

/** The transforms to replay, with the assignments into the array in their places. */
function steps(spec: DataSpec): TransformStep[] {
  const out: TransformStep[] = [];
  const assignments = spec.assignments ?? [];
  const assignmentsAt = (i: number) => {
    for (const a of assignments) {
      if (a.after !== i) continue;
      if (a.column !== null && a.value !== null) out.push({ kind: 'setColumn', column: a.column, value: a.value });
      else if (a.block && spec.shape?.every((d) => typeof d === 'number')) out.push({ kind: 'setBlock', shape: blockShape(spec), axes: a.block.axes, fill: a.block.fill, stream: blockStream(a) });
      else out.push({ kind: 'other', note: `${a.text}, an assignment into the array` });
    }
  };
  spec.transforms.forEach((t, i) => {
    assignmentsAt(i);
    const { location: _location, ...rest } = t as typeof t & { location?: unknown };
    void _location;
    out.push(rest as TransformStep);
  });
  assignmentsAt(spec.transforms.length);
  return out;
}

function describe(spec: DataSpec | undefined, role: string): string {
  return spec?.name ? `${role} (${spec.name})` : role;
}

/** Losses that compare the output with targets of its own shape, value by value. */
const ELEMENTWISE_LOSSES = new Set(['mse', 'mae', 'mean_squared_error', 'mean_absolute_error', 'binary_crossentropy', 'huber', 'huber_loss', 'logcosh', 'log_cosh', 'msle', 'mean_squared_logarithmic_error', 'mape', 'mean_absolute_percentage_error']);

/**
 * Targets of a known shape that the model's output does not have, under a loss that compares
 * them value by value (a decoder that gives back 56x56 images of 28x28 ones): Keras raises on such
 * a fit, and a run would train on targets shaped after the output instead. Undefined when they
 * agree or either is not known.
 */
function targetShapeMismatch(model: ModelSpec, outputShape: (number | null)[] | undefined, loss: string | undefined): string | undefined {
  const target = model.data.target;
  const targetShape = target?.shape?.slice(1);
  if (!loss || !ELEMENTWISE_LOSSES.has(loss) || !outputShape || !targetShape || targetShape.length === 0) return undefined;
  if (![...outputShape, ...targetShape].every((d) => typeof d === 'number')) return undefined;
  const size = (dims: (number | null)[]) => (dims as number[]).reduce((a, b) => a * b, 1);
  if (size(outputShape) === size(targetShape)) return undefined;
  return `${model.name}'s output has shape ${JSON.stringify(outputShape)} (${size(outputShape)} values a sample) but its training targets (${target?.name ?? 'the targets'}) have shape ${JSON.stringify(targetShape)} (${size(targetShape)}), which ${loss} compares value by value: Keras raises on this fit (the layers do not give back the targets' shape)`;
}

/** The made-up images standing in for a dataset's part (`keras.datasets.fashion_mnist train: ...`), if it has some. */
function datasetPattern(note: string): StandInPattern | undefined {
  const dataset = datasetPartOf(note)?.dataset;
  if (dataset === 'mnist') return 'digit-strokes';
  if (dataset === 'fashion_mnist') return 'garments';
  if (dataset === 'cifar10' || dataset === 'cifar100') return 'colour-fields';
  return undefined;
}

const PATTERN_WORDS: Record<StandInPattern, string> = {
  'digit-strokes': "MNIST's, a ring, a line or both on zeros (about 82% of the pixels, where MNIST has 81%)",
  garments: "Fashion-MNIST's, a filled box or ellipse of a shaded grey on zeros",
  'colour-fields': "CIFAR's, smooth colour fields (random colours interpolated from a 5x5 grid) with noise",
};

function syntheticFor(spec: DataSpec | undefined, role: string, why: string, ctx: RecipeContext): { recipe: DataRecipe; kind: DataKind } {
  // Targets of a model that is not an autoencoder are shaped like its output, not like its input.
  const sampleShape = ctx.outputShape && /target/.test(role) ? ctx.outputShape : ctx.inputShape;
  const width = sampleShape.reduce((a, b) => a * b, 1);
  const rows = typeof spec?.shape?.[0] === 'number' ? (spec.shape[0] as number) : ctx.defaultRows;
  const stats = spec?.stats?.filter((s) => Number.isFinite(s.min) && Number.isFinite(s.max));
  let low = [0];
  let high = [1];
  let scale = 'its scale is unknown, so values are drawn uniformly from [0, 1]';
  // Inputs the model's first layer scales as pixels (`Lambda(lambda x: x / 127.5 - 1.0)`, Rescaling(1./255)) are pixels of 0 to 255.
  const pixels = !/target/.test(role) && !(stats && stats.length > 0) ? pixelRangeOfModel(ctx.model) : undefined;
  if (pixels !== undefined) {
    high = [pixels];
    scale = `values are drawn uniformly from [0, ${pixels}], the pixels the model's first layer (${firstLayer(ctx.model)?.name}) scales`;
  }
  if (stats && stats.length > 0) {
    low = stats.map((s) => s.min);
    high = stats.map((s) => s.max);
    scale = `values are drawn uniformly within the known range of each feature (${Math.min(...low)} to ${Math.max(...high)})`;
  }
  // Class labels stand in as random classes, one-hot where the code one-hot encodes them; the targets
  // of a sparse cross-entropy are such labels whatever the code shows of them.
  const isTarget = /target/.test(role);
  const sparseLabels = isTarget && ctx.sparseClasses !== undefined && width === 1 && !(stats && stats.length > 0) ? { classes: ctx.sparseClasses, oneHot: false } : undefined;
  const labels = (spec?.labels && (spec.labels.oneHot ? width === spec.labels.classes : width === 1) ? spec.labels : undefined) ?? sparseLabels;
  // Token indices into an Embedding the model starts with: random tokens of its vocabulary, not fractions of [0, 1] (every one of which is token 0).
  const vocabulary = !isTarget && !(stats && stats.length > 0) ? embeddingVocabulary(ctx.model) : undefined;
  if (vocabulary !== undefined) {
    const reason = `${describe(spec, role)}: ${why}; a stand-in of ${rows} samples x ${width} random token indices (0 to ${vocabulary - 1}, the vocabulary of the Embedding the model starts with) is used instead.`;
    ctx.notes.push({ kind: 'stand-in', text: reason });
    return { recipe: { kind: 'synthetic', shape: [rows, ...sampleShape], low: [0], high: [1], stream: ctx.stream++, reason, transforms: [], labels: { classes: vocabulary, oneHot: false } }, kind: 'synthetic' };
  }
  if (labels) {
    const reason = `${describe(spec, role)}: ${why}; a stand-in of ${rows} random class labels (0 to ${labels.classes - 1}${labels.oneHot ? ', one-hot' : ''}) is used instead, so the model learns no real relation between inputs and classes.`;
    ctx.notes.push({ kind: 'stand-in', text: reason });
    return { recipe: { kind: 'synthetic', shape: [rows, ...sampleShape], low: [0], high: [1], stream: ctx.stream++, reason, transforms: [], labels }, kind: 'synthetic' };
  }
  // Images are not uniform noise: in its place no autoencoder learns anything, and the run would stall where Keras trains.
  const pattern = spec?.source.kind === 'unknown' ? datasetPattern(spec.source.note) : undefined;
  const patterned = pattern !== undefined && width === PATTERN_WIDTH[pattern];
  if (patterned) scale = `its images are made up like ${PATTERN_WORDS[pattern]}, scaled to the known range (${Math.min(...low)} to ${Math.max(...high)})`;
  const reason = `${describe(spec, role)}: ${why}; a stand-in of ${rows} samples x ${width} features is used instead, and ${scale}.`;
  ctx.notes.push({ kind: 'stand-in', text: reason });
  // The same part of a dataset draws the same stand-ins: a denoising autoencoder's noisy inputs and clean targets, `fit(x, x / 255.0)`.
  const datasetPart = spec?.source.kind === 'unknown' ? datasetPartOf(spec.source.note) : undefined;
  const part = datasetPart !== undefined ? `${datasetPart.source} ${datasetPart.part} ${width}` : undefined;
  let stream = part !== undefined ? ctx.datasetStreams.get(part) : undefined;
  if (stream === undefined) {
    stream = ctx.stream++;
    if (part !== undefined) ctx.datasetStreams.set(part, stream);
  }
  return { recipe: { kind: 'synthetic', shape: [rows, ...sampleShape], low, high, stream, reason, transforms: [], ...(patterned ? { pattern } : {}) }, kind: 'synthetic' };
}

/** The model's first layer after its inputs, which sees the data as it comes. */
function firstLayer(model: ModelSpec): LayerSpec | undefined {
  return model.layers.find((l) => l.className !== 'InputLayer');
}

/**
 * The pixel range the model's first layer says its inputs have: a Rescaling by 1/255 or 1/127.5,
 * or a Lambda dividing by 255 or 127.5 (`lambda x: x / 127.5 - 1.0`), scales 0-255 pixels. Undefined otherwise.
 */
function pixelRangeOfModel(model: ModelSpec): number | undefined {
  const first = firstLayer(model);
  const isPixelScale = (v: unknown, divides: boolean): boolean => typeof v === 'number' && [255, 127.5, 256].some((d) => Math.abs((divides ? v : 1 / v) - d) < 1e-3 * d);
  if (first?.className === 'Rescaling') return isPixelScale(first.config.scale, false) ? 255 : undefined;
  const scalesInput = (e: TensorExpr | undefined, depth = 0): boolean => {
    if (!e || depth > 4) return false;
    if (e.op === 'div' && e.a.op === 'arg' && e.b.op === 'const') return isPixelScale(e.b.value, true);
    if (e.op === 'mul' && e.a.op === 'arg' && e.b.op === 'const') return isPixelScale(e.b.value, false);
    return (e.op === 'sub' || e.op === 'add') && scalesInput(e.a, depth + 1);
  };
  return first?.className === 'Lambda' && scalesInput(first.expression) ? 255 : undefined;
}

/** The `input_dim` of an Embedding that is the model's first layer (its input token indices), when known. */
function embeddingVocabulary(model: ModelSpec): number | undefined {
  const first = firstLayer(model);
  const size = first?.className === 'Embedding' ? first.config.input_dim : undefined;
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : undefined;
}

/** The stream of an `np.random.*` array: one per place in the code that makes it. */
function randomStream(source: Extract<DataSource, { kind: 'random' }>, ctx: RecipeContext): number {
  const key = JSON.stringify(source);
  const known = ctx.randomStreams.get(key);
  if (known !== undefined) return known;
  const stream = ctx.stream++;
  ctx.randomStreams.set(key, stream);
  return stream;
}

function recipeFor(spec: DataSpec | undefined, role: string, ctx: RecipeContext): { recipe: DataRecipe; kind: DataKind } {
  if (!spec) return syntheticFor(spec, role, 'the analysis could not find it', ctx);
  const source = spec.source;
  // A blank buffer the program makes (`x = np.zeros((batch_size, 784))`) and then fills in a way not replayed
  // (`x[s] = tr_pairs[sh[s], 0]` in a loop): its made values are not the data, which stands in.
  const unreplayedWrite = (spec.assignments ?? []).find((a) => !(a.column !== null && a.value !== null) && !(a.block && spec.shape?.every((d) => typeof d === 'number')));
  if (unreplayedWrite && (spec.filled !== undefined || (source.kind === 'literal' && new Set(source.values.flat()).size <= 1))) {
    return syntheticFor({ ...spec, stats: undefined }, role, `the program writes its values (\`${unreplayedWrite.text}\`, line ${unreplayedWrite.location.range.start.line + 1}) in a way the reproduction does not replay`, ctx);
  }
  // No rows at all: a list filled in a loop over data that the analysis follows one item at most
  // (Keras refuses empty data, so the program's own list is not empty when it trains).
  if (source.kind === 'literal' && source.values.length === 0) {
    return syntheticFor({ ...spec, shape: undefined, stats: undefined }, role, 'nanguard followed the code that builds it to no rows (it replays a loop over data only in part)', ctx);
  }
  // Values the analysis computed exactly: nothing left to replay.
  if (source.kind === 'literal' && spec.values) return { recipe: { kind: 'literal', values: spec.values.map((r) => r.slice()), transforms: [] }, kind: 'literal' };
  const transforms = steps(spec);
  // Replaying on no rows costs nothing and names the transforms that cannot be replayed.
  const replayNotes = applyTransforms([], transforms).notes;
  for (const note of replayNotes) ctx.notes.push({ kind: note.kind, text: `${describe(spec, role)}: ${note.text}.` });
  if (transforms.some((t) => t.kind === 'sample')) {
    const text = "The rows df.sample keeps are drawn by nanguard's own generator, not pandas's: as many rows, other ones (the same for the inputs and targets cut from one sample).";
    if (!ctx.notes.some((n) => n.text === text)) ctx.notes.push({ kind: 'assumed', text });
  }
  if (transforms.some((t) => t.kind === 'split')) {
    const text = "The rows train_test_split gives each part are drawn by nanguard's own generator, not scikit-learn's: as many rows, other ones (the same for the arrays split together).";
    if (!ctx.notes.some((n) => n.text === text)) ctx.notes.push({ kind: 'assumed', text });
  }
  const made = madeRecipe(spec, role, transforms, ctx);
  // A step not replayed leaves other values than the program's: the run's verdict is then one on stand-in data.
  return replayNotes.some((n) => n.kind === 'not-replayed') ? { ...made, kind: 'synthetic' } : made;
}

/** The recipe of an array's values as the program makes them, its transforms to be replayed. */
function madeRecipe(spec: DataSpec, role: string, transforms: TransformStep[], ctx: RecipeContext): { recipe: DataRecipe; kind: DataKind } {
  const source = spec.source;
  switch (source.kind) {
    case 'literal':
      return { recipe: { kind: 'literal', values: source.values.map((r) => r.slice()), transforms }, kind: 'literal' };
    case 'random':
      return {
        recipe: { kind: 'random', distribution: source.distribution, shape: source.shape, low: source.low, high: source.high, mean: source.mean, std: source.std, stream: randomStream(source, ctx), transforms },
        kind: 'random',
      };
    case 'file': {
      if (!ctx.options.workspaceRoot) return syntheticFor(spec, role, `it is read from ${source.path}, and no workspace folder was given to read it from`, ctx);
      const loaded = loadWorkspaceData(ctx.options.workspaceRoot, ctx.model.path, source.path, source.columns);
      if ('problem' in loaded) return syntheticFor(spec, role, loaded.problem, ctx);
      const selected = fileSelection(loaded.values, loaded.columns ? numericColumnPositions(transforms, loaded.columns) : transforms);
      if ('problem' in selected) return syntheticFor(spec, role, `${source.path}: ${selected.problem}`, ctx);
      return { recipe: { kind: 'file', path: loaded.path, values: selected.values, transforms: selected.rest }, kind: 'file' };
    }
    case 'derived':
      return syntheticFor(spec, role, `it is derived from ${source.of} (${source.note}) in a way the reproduction does not follow`, ctx);
    default: {
      // `np.zeros(shape)` too large to keep, then written into: made here, the writes replayed.
      const filled = spec.filled;
      if (filled && JSON.stringify(filled.shape) === JSON.stringify(spec.shape)) return { recipe: { kind: 'filled', shape: filled.shape, value: filled.value, transforms }, kind: 'literal' };
      return syntheticFor(spec, role, `its values are not known before running the code (${source.note})`, ctx);
    }
  }
}

/**
 * The code's first column selection counts the file's columns, text ones too (`np.array(df)[:, 1:]`
 * past a date column); the replay reads the numeric ones alone: the selection's positions among
 * them. A selection that takes a text column is left as it is (and stands in, saying so).
 */
function numericColumnPositions(transforms: TransformStep[], columns: { kept: number[]; width: number }): TransformStep[] {
  const at = transforms.findIndex((t) => t.kind === 'columns');
  const first = transforms[at];
  if (!first || first.kind !== 'columns' || first.of !== columns.width) return transforms;
  const indices = first.indices.map((j) => columns.kept.indexOf(j));
  if (indices.some((j) => j < 0)) return transforms;
  return transforms.map((t, i) => (i === at ? { ...first, indices, of: columns.kept.length } : t));
}

/**
 * A file's values with the rows, columns and windows the code selects already cut (and the steps
 * before them replayed), so that each value row is one of the program's samples: shortened runs
 * and batches then take the program's samples, and inputs and targets cut from the same rows stay
 * in step. The steps after the last selection are left to the worker. A selection that does not
 * fit the file (the code's row count is not the file's) is a problem: the data then stands in.
 */
function fileSelection(values: number[][], transforms: TransformStep[]): { values: number[][]; rest: TransformStep[] } | { problem: string } {
  let last = -1;
  transforms.forEach((t, i) => {
    if (isSelection(t)) last = i;
  });
  if (last < 0) return { values, rest: transforms };
  const before = transforms.slice(0, last + 1);
  // Noise drawn before a selection would be drawn again in the worker from another stream: not replayed here.
  if (before.some((t) => t.kind === 'noise' || t.kind === 'setBlock' || (t.kind === 'matmul' && t.right?.kind === 'random'))) return { problem: 'random values are drawn before the rows are selected, which the reproduction does not replay' };
  let x = values;
  for (const t of before) {
    const r = applyTransform(x, t);
    if (r.note && isSelection(t)) return { problem: r.note.text };
    // The rows are selected from the program's values: a step before them not replayed (pct_change) leaves other values there.
    if (r.note?.kind === 'not-replayed') return { problem: `${r.note.text} before the rows are selected` };
    x = r.x;
  }
  if (x.length === 0) return { problem: 'the rows the code selects are none' };
  return { values: x, rest: transforms.slice(last + 1) };
}

/** Steps that change each value alone, by numbers the replay knows. */
function perValueStep(t: TransformStep): boolean {
  if (t.kind === 'noise') return t.draw !== undefined;
  if (t.kind === 'divide' || t.kind === 'multiply') return typeof t.by === 'number';
  if (t.kind === 'subtract') return typeof t.what === 'number';
  return t.kind === 'clip' || t.kind === 'astype';
}

/**
 * Inputs made from the targets by adding noise (`x_noisy = np.clip(x + 0.5 * np.random.normal(size=x.shape), 0., 1.)`,
 * then `fit(x_noisy, x)`): the targets' recipe with the noise and what follows it, so that the
 * pairs are the same images, noisy and clean, as in the program. Undefined for anything else.
 */
function noisyInputs(x: DataSpec | undefined, y: DataSpec | undefined, yRecipe: DataRecipe | null | undefined): DataRecipe | undefined {
  if (!x || !y || !yRecipe || yRecipe.kind === 'same-as-x' || JSON.stringify(x.source) !== JSON.stringify(y.source)) return undefined;
  const [xSteps, ySteps] = [steps(x), steps(y)];
  if (xSteps.length <= ySteps.length || JSON.stringify(xSteps.slice(0, ySteps.length)) !== JSON.stringify(ySteps)) return undefined;
  const tail = xSteps.slice(ySteps.length);
  if (tail[0].kind !== 'noise' || !tail.every(perValueStep)) return undefined;
  return { ...yRecipe, transforms: [...yRecipe.transforms, ...tail] };
}

/** Rows and features a recipe will produce (before transforms that drop rows). */
function recipeSize(recipe: DataRecipe, x?: DataRecipe): { rows: number; width: number } {
  switch (recipe.kind) {
    case 'literal':
    case 'file':
      return sizeAfter(recipe.transforms, recipe.values.length, recipe.values[0]?.length ?? 0);
    case 'random':
    case 'synthetic':
    case 'filled':
      return sizeAfter(recipe.transforms, recipe.shape[0] ?? 0, recipe.shape.length <= 1 ? 1 : recipe.shape.slice(1).reduce((a, b) => a * b, 1));
    case 'same-as-x':
      return x ? recipeSize(x) : { rows: 0, width: 0 };
  }
}

/** Rows and width after the matrix products (`x @ m` with m known and fitting), the regrouping reshapes and the one-hot encodings (of each label of a row) the replay performs. */
function sizeAfter(transforms: TransformStep[], rows: number, width: number): { rows: number; width: number } {
  for (const t of transforms) {
    const shape = t.kind === 'matmul' && t.right ? matmulShape(t.right) : null;
    if (shape && shape[0] === width) width = shape[1];
    if (t.kind === 'one_hot') width *= t.classes;
    if (t.kind === 'pad' && t.value !== null && width === t.sampleShape.reduce((a, b) => a * b, 1)) width = t.sampleShape.reduce((a, n, k) => a * (n + t.widths[k][0] + t.widths[k][1]), 1);
    if (t.kind === 'reshape' && t.sampleWidth !== undefined && t.sampleWidth >= 1 && (rows * width) % t.sampleWidth === 0) {
      rows = (rows * width) / t.sampleWidth;
      width = t.sampleWidth;
    }
  }
  return { rows, width };
}

function sameArray(a: DataSpec | undefined, b: DataSpec | undefined): boolean {
  if (!a || !b) return !b;
  return a === b || (a.name === b.name && JSON.stringify(a.source) === JSON.stringify(b.source));
}

function shorten(recipe: DataRecipe, rows: number): DataRecipe {
  switch (recipe.kind) {
    case 'literal':
    case 'file':
      return { ...recipe, values: recipe.values.slice(0, rows) };
    case 'random':
    case 'synthetic':
    case 'filled':
      return { ...recipe, shape: [rows, ...recipe.shape.slice(1)] };
    default:
      return recipe;
  }
}

/**
 * Rows a shortened epoch keeps when fit shuffles: `rows` of the `total`, drawn at random (seeded),
 * in order. Keras's first batches of a shuffled epoch come from all the samples, so a NaN or an
 * outlier row anywhere in a time series reaches them; the first rows alone would miss it. Only
 * where every recipe holding values holds exactly one row per sample (no reshape regroups them);
 * undefined otherwise, and the first rows are kept.
 */
function drawnRows(recipes: DataRecipe[], total: number, rows: number, seed: number): number[] | undefined {
  const valued = recipes.filter((r): r is Extract<DataRecipe, { kind: 'literal' | 'file' }> => r.kind === 'literal' || r.kind === 'file');
  if (valued.length === 0 || valued.some((r) => r.values.length !== total || sizeAfter(r.transforms, total, r.values[0]?.length ?? 0).rows !== total)) return undefined;
  const uniform = seededRandom(seed, SHORTENED_EPOCH_STREAM);
  const order = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < rows; i++) {
    const j = i + Math.floor(uniform() * (total - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, rows).sort((a, b) => a - b);
}

/** The stream of the shortened epoch's draw, apart from the data's own streams. */
const SHORTENED_EPOCH_STREAM = (1 << 20) - 1;

/** The rows `indices` of a recipe holding values; the first as many of one drawn (its rows are alike). */
function pickRows(recipe: DataRecipe, indices: number[]): DataRecipe {
  if (recipe.kind === 'literal' || recipe.kind === 'file') return { ...recipe, values: indices.map((i) => recipe.values[i]) };
  return shorten(recipe, indices.length);
}

function epochsOverCap(epochs: number, caps: Caps): string {
  return `${epochs} epochs is over the limit of ${caps.maxEpochs} (maxEpochs); ask for fewer epochs or a shortened run`;
}

function samplesOverCap(samples: number, caps: Caps): string {
  return `${samples} samples is over the limit of ${caps.maxSamples} (maxSamples)`;
}

/** Samples the analysis says an array holds (its first dimension), or 0 when that is not known. */
function declaredSampleCount(spec: DataSpec | undefined): number {
  const rows = spec?.shape?.[0];
  return typeof rows === 'number' && Number.isFinite(rows) && rows > 0 ? rows : 0;
}

/** Memory a data value takes in the worker, for the plan's memory check (see where it is used). */
const BYTES_PER_DATA_VALUE = 16;

/**
 * Copies of the weights an optimizer keeps besides them, as Keras 3 does: Adam's two moments
 * (three with amsgrad), SGD's velocity when it has momentum, RMSprop's average (and its
 * momentum and mean when asked for). Adafactor's factored moments are counted as one.
 */
function optimizerSlots(optimizer: OptimizerPlan): number {
  const on = (key: string): boolean => {
    const v = optimizer.config[key];
    return typeof v === 'number' ? v !== 0 : v === true;
  };
  switch (optimizer.className) {
    case 'SGD':
      return on('momentum') ? 1 : 0;
    case 'RMSprop':
      return 1 + (on('momentum') ? 1 : 0) + (on('centered') ? 1 : 0);
    case 'Adagrad':
    case 'Lion':
    case 'Adafactor':
      return 1;
    case 'Adam':
    case 'AdamW':
      return on('amsgrad') ? 3 : 2;
    default:
      return 2;
  }
}

/**
 * Work of one epoch (parameters x training samples) above which each epoch trains on the first
 * rows only: a 784-32-784 autoencoder (51,000 parameters) on 10,000 samples, 5e8, took about
 * 5 s an epoch on WebAssembly here and 10 s on the dense kernels; 60,000 MNIST samples took a
 * minute an epoch, so a run gave a verdict on one or two epochs, if any.
 */
export const EPOCH_WORK_BUDGET = 5e8;

/** How many copies of each layer's output a training step holds: the output, its gradient, and the backend's temporaries. */
const ACTIVATION_COPIES = 3;

/** The memory the unrolled steps of recurrent layers may take in a batch (see where it is used). */
const RECURRENT_STEP_BYTES = 1024 * 1048576;

/**
 * Why a batch cannot be computed as micro-batches with the same step, or undefined when it can.
 * Summing micro-batches' gradients weighted by their share of the batch gives the batch's own
 * where every term of the loss is a mean over the samples (`batchDependence`): a built-in loss, a
 * custom loss of per-sample values or batch means (Keras averages it), the weights' regularizers,
 * the activity regularizers (divided by the batch size), an added term that is a batch mean (the
 * Keras VAE's `K.mean(reconstruction_loss + kl_loss)`); and where no layer mixes the samples.
 */
function microBatchProblem(json: KerasModelJson, compiled: { lossExpression?: TensorExpr; addedLosses?: Array<{ expression: TensorExpr }>; outputLosses?: Array<{ lossExpression?: TensorExpr }>; precision?: PrecisionPlan }): string | undefined {
  if (compiled.addedLosses?.some((a) => !['mean', 'const'].includes(batchDependence(a.expression)))) return 'a term added to the loss (add_loss) is not a mean over the samples (a sum over the batch would grow with it)';
  const losses = [compiled.lossExpression, ...(compiled.outputLosses ?? []).map((o) => o.lossExpression)];
  if (losses.some((l) => l !== undefined && batchDependence(l) === 'other')) return 'the custom loss is not a mean over the samples (a sum, maximum or nonlinear function over the batch)';
  if (compiled.precision) return 'the model computes in float16, whose emulation is not split';
  const mixing = (json.config.layers ?? []).find((l) => {
    const expression = l.config?.[LAMBDA_EXPRESSION_KEY] as TensorExpr | undefined;
    return l.class_name === 'Lambda' && expression !== undefined && !['sample', 'const'].includes(batchDependence(expression));
  });
  if (mixing) return `layer ${mixing.name} (Lambda) mixes the samples of its batch (noise of a fixed batch size, or a reduction over the batch)`;
  return undefined;
}

/** The fewest values a BatchNormalization's statistics may be computed over in a micro-batch (see where it is used). */
const MIN_NORMALIZED_VALUES = 16;

/** The micro-batch size for a batch when at most `fits` samples fit at once: micro-batches as even as that allows (32 at 12 a pass: 11, 11, 10). */
function evenMicroBatch(batchSize: number, fits: number): number {
  const passes = Math.ceil(batchSize / Math.max(1, fits));
  return Math.ceil(batchSize / passes);
}

/** How many times the multiply-adds of a dense step a convolution does in the same time (see where it is used). */
const CONVOLUTION_SPEEDUP = 20;

/** `1.5 million`, `230 million`, `2.1 billion`: a count of operations for a note. */
function formatWork(n: number): string {
  // Two significant digits, never in exponent notation (126 million, not 1.3e+2 million).
  const twoDigits = (x: number): string => (x >= 100 ? String(Math.round(x / 10) * 10) : x.toPrecision(2));
  if (n >= 1e9) return `${twoDigits(n / 1e9)} billion`;
  if (n >= 1e6) return `${twoDigits(n / 1e6)} million`;
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Keras 2 let a loss function read tensors of the model's graph it was not given (the 2016 keras
 * VAE: `vae_loss(x, x_decoded_mean)` adding a KL term of `z_mean` and `z_log_var`), each batch's
 * own; Keras 3 raises at the first batch. On an autoencoder fitted to its own input, y_true is the
 * input: the loss is then a term of the input (argument 0), the output (1) and those tensors
 * (2, ...), its mean over every element as Keras 2 averaged it. The output's name is known once
 * the graph is rebuilt (an empty placeholder until then).
 */
function keras2ClosureLoss(model: ModelSpec, loss: LossSpec): { term: { expression: TensorExpr; tensors: string[] }; note: string } | { refused: string } {
  const name = loss.functionName ?? 'the loss';
  const read = (loss.closureNames?.length === loss.closure?.length ? loss.closureNames ?? [] : loss.closure ?? []).map((n) => `\`${n}\``).join(', ');
  const keras3 = `${name} reads ${read} of the model's graph without being given ${loss.closure?.length === 1 ? 'it' : 'them'}, which Keras 3 refuses at the first batch ("A KerasTensor cannot be used as input to a TensorFlow function"; Keras 2 allowed it)`;
  const inputs = model.layers.filter((l) => l.className === 'InputLayer');
  if (!loss.expression || inputs.length !== 1 || (model.outputNames?.length ?? 1) > 1) {
    return { refused: `the custom loss ${name} cannot be reproduced: ${keras3}, and nanguard follows Keras 2 there only for a model of one input and one output: pass the tensors in, or add the term with add_loss in a custom layer's call` };
  }
  if (!model.data.target || !sameArray(model.data.train, model.data.target)) {
    return { refused: `the custom loss ${name} cannot be reproduced: ${keras3}, and nanguard follows Keras 2 there only when the model is fitted to its own input (fit(x, x)), whose batch then stands for y_true` };
  }
  return {
    term: { expression: { op: 'mean', x: loss.expression, axis: null, keepdims: false }, tensors: [inputs[0].name, '', ...(loss.closure ?? [])] },
    note: `${keras3}. The run follows Keras 2, where the program trains: each batch's own ${read}, with the batch as y_true (the model is fitted to its input).`,
  };
}

/** Turns a model the analysis understood into a reproduction plan, or says why it cannot. */
export function buildPlan(given: ModelSpec, options: PlanOptions = {}): PlanResult {
  const caps: Caps = { ...DEFAULT_CAPS, ...(options.caps ?? {}) };
  const notes: ReproNote[] = [];
  // A loop's step adds model.losses only where it says so (`loss += sum(vae.losses)`); fit always does.
  let model = given.trainingLoop && !given.trainingLoop.problem && !given.trainingLoop.modelLosses ? withoutModelLosses(given, notes) : given;
  model = statelessRecurrence(model, notes);
  // A file that trains in its own GradientTape loop and never calls fit (the TensorFlow tutorial's CVAE): that loop is the training, not a model's definition.
  if (model.trainingLoop?.problem) return { refused: model.trainingLoop.problem };
  // compile() wraps the optimizer in a LossScaleOptimizer under mixed_float16, a loop of the program's own does not (unless it does so itself): the emulation scales as compile does.
  const loopPolicy = model.trainingLoop ? model.dtypePolicy?.value : undefined;
  if (loopPolicy && loopPolicy !== 'float32') {
    return { refused: `${model.name} is trained by a GradientTape loop of the program's own under the ${loopPolicy} policy; nanguard emulates float16 as compile sets it up (the loss scaled by a LossScaleOptimizer), which a loop of its own may not do` };
  }
  if (model.customTrainingLoop && !model.fit) {
    const where = model.customTrainingLoop.location.path === model.path ? ` (line ${model.customTrainingLoop.location.range.start.line + 1})` : '';
    return { refused: `${model.name} is trained by a GradientTape loop of the program's own${where} and never by fit; the TensorFlow.js reproduction trains what fit would (with compile's loss, add_loss or the model's train_step)` };
  }
  if (model.definitionProblem) return { refused: model.definitionProblem };
  model = withOldRecurrentDefaults(model, notes);
  if (model.kind === 'subclassed' && model.layers.length === 0) return { refused: `${model.name} is a subclassed model whose layers nanguard could not find; only Sequential, functional, Keras JSON models and subclassed models whose call chains layers built in __init__ can be reproduced` };
  if (!model.compile && model.kind !== 'json') return { refused: `${model.name} is never compiled, so there is no loss or optimizer to reproduce` };

  const optimizer = optimizerPlan(model.compile?.optimizer);
  if ('refused' in optimizer) return optimizer;
  if (model.addedLossProblem) {
    // A loss scaled by a size the analysis could not see (`reconstruction_loss *= n_features`) may be translated where sizes are assumed.
    return { refused: `the loss ${model.name} adds with add_loss cannot be reproduced: ${model.addedLossProblem}; nanguard translates added losses made of element-wise tf, K (keras.backend) and keras.ops operations, means and sums of the model's tensors`, ...(unresolvedSize(model) ? { cause: 'unseen-size' as const } : {}) };
  }
  let addedLosses = model.addedLosses?.map((a) => ({ expression: a.expression, tensors: a.tensors }));
  // Keras 2's loss reading graph tensors it is not given: the same mean, as a term of the input, the output and those tensors.
  const keras2Loss = model.compile?.loss.closure ? keras2ClosureLoss(model, model.compile.loss) : undefined;
  if (keras2Loss && 'refused' in keras2Loss) return keras2Loss;
  if (keras2Loss) {
    addedLosses = [...(addedLosses ?? []), keras2Loss.term];
    notes.push({ kind: 'assumed', text: keras2Loss.note });
  }
  // Compiled without a loss and none added that could be followed: a layer that cannot be rebuilt (a custom layer whose call adds the loss) says more.
  const earlyProblem = model.compile?.loss.name === 'none' && !addedLosses && !model.kerasJson ? layerProblem(model) : undefined;
  if (earlyProblem) return { refused: earlyProblem };
  // `loss=[focal_loss()]` on a model of one output: Keras takes the list's one loss as the model's.
  const compiledLoss = keras2Loss ? { name: 'none' } : model.compile ? soleOutputLoss(model, model.compile.loss) : undefined;
  const outputLosses = compiledLoss?.name === 'multiple' ? outputLossesPlan(model) : undefined;
  if (outputLosses && 'refused' in outputLosses) return outputLosses;
  const lossChoice = outputLosses ? outputLosses[0] : lossPlan(compiledLoss?.name, compiledLoss?.functionName, compiledLoss, addedLosses !== undefined);
  if ('refused' in lossChoice) return lossChoice;
  const { loss, lossExpression } = lossChoice;
  // The topology (engine/topology.ts) reads it for the cross-entropies alone, as Keras does.
  const fromLogits = model.compile?.loss.fromLogits ? (true as const) : undefined;
  if (!model.compile) notes.push({ kind: 'assumed', text: 'The JSON topology has no compile settings; Adam with Keras defaults and MSE are assumed.' });
  const modelTerm = model.addedLosses?.find((a) => a.layer === undefined);
  if (model.trainStep) {
    notes.push({ kind: 'assumed', text: `${model.name} trains in its own train_step (line ${model.trainStep.range.start.line + 1}): the run trains on the loss it differentiates, translated to tensor operations; the metrics it tracks are not computed, and compile's loss (if any) is not used, as in Keras.` });
  } else if (model.trainingLoop) {
    const trained = model.trainingLoop.compiledLoss
      ? `the run trains on the loss the step differentiates, a Keras loss of the batch's targets and the model's output, as compile's loss would be`
      : `the run trains on the loss the step differentiates, translated to tensor operations`;
    notes.push({ kind: 'assumed', text: `${model.name} is trained by a GradientTape loop of the program's own (tape.gradient at line ${model.trainingLoop.location.range.start.line + 1}), translated as fit: ${trained}, with the step's optimizer, over the dataset the loop iterates, for the epochs of its loop; what else the loop does (metrics, per-epoch test loops, saving images) is not run.` });
    if (model.trainingLoop.summed) notes.push({ kind: 'assumed', text: `The loss the step differentiates (line ${model.trainingLoop.location.range.start.line + 1}) is not reduced to one number: tape.gradient differentiates the sum of its values, and the run trains on and reports that sum (a mean the program prints of it is smaller by the number of values).` });
    const minimize = model.trainingLoop.minimize;
    if (minimize) notes.push({ kind: 'assumed', text: `The step calls optimizer.minimize (line ${minimize.range.start.line + 1}), which Keras 2's optimizers had and Keras 3's do not (it raises AttributeError there): the run takes the step Keras 2 took, the gradient of the loss applied by the optimizer.` });
  } else if (modelTerm) {
    const line = modelTerm.location && modelTerm.location.path === model.path ? ` (line ${modelTerm.location.range.start.line + 1})` : '';
    // A subclassed model's `self.add_loss(...)` in its call is Keras 3's own way; a functional model's add_loss is Keras 2's.
    if (model.kind === 'subclassed') notes.push({ kind: 'assumed', text: `${model.name}'s call adds a loss with self.add_loss${line}: the run trains, as Keras does, on the compiled loss (if any) plus the added term, summed.` });
    else notes.push({ kind: 'assumed', text: `The loss is added to ${model.name} with add_loss on its tensors${line}, which Keras 2 trained on and Keras 3 refuses (a functional model's add_loss raises NotImplementedError): the run trains as Keras 2 did, on the compiled loss (if any) plus the added term, summed.` });
  }
  const precision = precisionPlan(model, notes);
  notes.push(...applicationNotes(model), ...tensorflowCallNotes(model), ...legacySpellingNotes(model));
  if (model.givenToTrainer && model.uncalledTrainer) {
    const { givenToTrainer: trainer, uncalledTrainer: builder } = model;
    notes.push({ kind: 'assumed', text: `Nothing in this file calls ${trainer.name} (line ${trainer.location.range.start.line + 1}), which trains the model it is given: the run gives it ${model.name}, the model ${builder.name} (line ${builder.location.range.start.line + 1}) builds (the program that imports this module may give it another).` });
  }

  // A model of several inputs trains on each sample's inputs joined in one row (materializeData).
  const severalInputs = !model.kerasJson && model.inputNames && model.inputNames.length > 1 ? inputsPlan(model) : undefined;
  if (severalInputs && 'refused' in severalInputs) return severalInputs;
  const jsonShape = model.kerasJson ? inputShapeOfJson(model.kerasJson as KerasModelJson) : undefined;
  const declared = jsonShape ?? declaredInputShape(model);
  const dataShape = model.data.train?.shape?.slice(1);
  let shape = severalInputs
    ? [severalInputs.reduce((sum, i) => sum + i.shape.reduce((a, b) => a * b, 1), 0)]
    : declared && declared.every((d) => typeof d === 'number') ? (declared as number[]) : dataShape && dataShape.every((d) => typeof d === 'number') ? (dataShape as number[]) : undefined;
  if (!shape && !declared && model.data.train && sameArray(model.data.train, model.data.target)) {
    // An autoencoder fitted to give back its input (fit(x, x)) on data nanguard cannot see: its input has its output's shape.
    shape = autoencoderShape(model);
    // Data of a known rank (windows of a frame) is not the flat vector a Dense output gives back.
    if (shape && !fitsKnownDims(shape, dataShape)) shape = undefined;
    if (shape) notes.push({ kind: 'assumed', text: `The input shape ${JSON.stringify(shape)} is taken from the output layer ${model.layers[model.layers.length - 1].name}: the model is fitted to give back its input, whose shape nanguard could not see.` });
  }
  if (!shape && declared && model.data.train && sameArray(model.data.train, model.data.target)) {
    const filled = lastDimensionFromOutput(model, declared, model.data.train.shape?.slice(1));
    if (filled) {
      shape = filled.shape;
      notes.push({ kind: 'assumed', text: `The input shape ${JSON.stringify(shape)} takes its last dimension from the output layer ${filled.from}: the model is fitted to give back its input, and nanguard could not see ${unreadInputShape(model) ?? 'that dimension'}.` });
    }
  }
  // `input_shape=(None, 1)`: a length the code leaves to the data (a sequence of any length), on data nanguard cannot see:
  // the stand-in takes a middling length for it, said as such. Known data gives its own (dataShape, above).
  const unseenData = !model.data.train || model.data.train.source.kind === 'unknown';
  if (!shape && !severalInputs && declared && declared.length > 0 && declared.some((d) => d === null) && unseenData && !unreadInputShape(model)) {
    const filled = declared.map((d, i) => d ?? (typeof dataShape?.[i] === 'number' ? (dataShape[i] as number) : ASSUMED_SIZE));
    if (fitsKnownDims(filled, dataShape)) {
      shape = filled;
      const left = declared.filter((d) => d === null).length;
      notes.push({ kind: 'stand-in', text: `The input shape ${JSON.stringify(declared).replace(/null/g, 'None')} leaves ${left === 1 ? 'a dimension' : `${left} dimensions`} to the data (None: any size), which nanguard could not see: the stand-in data takes ${JSON.stringify(filled)}; a length of its own may train differently.` });
    }
  }
  if (!shape) {
    // The code gives a shape whose size nanguard could not work out (`Input(shape=(X.shape[1],))` on data it cannot read): say that, not "give a shape".
    const unread = unreadInputShape(model);
    const why = unseenDataReason(model, options);
    if (unread) return { refused: `the input shape of ${model.name} is given by ${unread}, which nanguard could not work out without running the code (${why})`, cause: 'unseen-size' };
    if (declared && declared.length > 0) return { refused: `the input shape of ${model.name} is taken from data nanguard cannot see, so its size is not known (the data is not a file in the workspace that nanguard reads: .csv, .npy or .json)`, cause: 'unseen-size' };
    // A subclassed model takes its input shape from the data fit gives it: data nanguard cannot see.
    if (model.data.train && !model.data.train.shape?.slice(1).every((d) => typeof d === 'number')) {
      return { refused: `the input shape of ${model.name} is taken from its training data, whose shape nanguard could not work out (${why})`, cause: 'unseen-size' };
    }
    return { refused: `the input shape of ${model.name} is not known (give the Input layer a shape)` };
  }

  const layerLines: Record<string, number> = {};
  for (const layer of model.layers) if (layer.location && layer.location.path === model.path) layerLines[layer.name] = layer.location.range.start.line + 1;
  const problem = model.kerasJson ? undefined : layerProblem(model);
  if (problem) return { refused: problem, ...(unresolvedSize(model) ? { cause: 'unseen-size' as const } : {}) };
  if (options.assumedSizes?.length) notes.push({ kind: 'stand-in', text: assumedSizesNote(options.assumedSizes, model, unseenDataReason(model, options)) });
  const built = kerasJsonFromModel(model, shape, severalInputs);
  if ('problem' in built) return { refused: built.problem };
  if (keras2Loss) {
    const output = outputLayerName(built.json);
    if (output === undefined) return { refused: `${model.compile?.loss.functionName ?? 'the loss'} reads tensors of the model's graph it is not given, and nanguard could not tell which layer gives ${model.name}'s output` };
    keras2Loss.term.tensors[1] = output;
  }
  // A loss term may read a sub-model's output that leads nowhere (a train_step decoding z_mean
  // and reading z_log_var only in its KL term): the rebuilt graph keeps only what leads to the output.
  const builtNames = addedLosses ? layersLeadingToOutputs(built.json) : undefined;
  const unbuilt = addedLosses?.flatMap((a) => a.tensors).find((name) => !builtNames!.has(name));
  if (unbuilt !== undefined) {
    return { refused: `the loss ${model.name} trains on reads the output of layer ${unbuilt}, which does not lead to the model's output, and nanguard rebuilds only the layers that do` };
  }
  const masks = maskFlow(built.json);
  if (masks.problem) return { refused: masks.problem };
  const estimatedParameters = estimateParameters(built.json);
  if (estimatedParameters > caps.maxParameters) {
    return { refused: `${model.name} has about ${estimatedParameters.toLocaleString('en-US')} parameters, over the limit of ${caps.maxParameters.toLocaleString('en-US')} (maxParameters): \`reproduce --max-parameters\` or the reproduction.maxParameters setting raises it` };
  }

  // Every cap that can be judged from the analysis is judged before any data file is read:
  // a plan the caps refuse (epochs=10**12) must not cost the user a read of a large file.
  const fit = model.fit;
  let epochs = options.epochs ?? fit?.epochs.value ?? 1;
  const batchSize = fit?.batchSize.value ?? 32;
  const shuffle = fit?.shuffle.value ?? true;
  const validation = fit?.validation ?? { kind: 'none' as const };
  const validationSplit: number | null = validation.kind === 'split' ? validation.fraction.value : null;
  if (!Number.isInteger(epochs) || epochs < 1) return { refused: `epochs must be a positive whole number (got ${epochs})` };
  if (!Number.isInteger(batchSize) || batchSize < 1) return { refused: `batch_size must be a positive whole number (got ${batchSize})` };
  if (validationSplit !== null && !(validationSplit > 0 && validationSplit < 1)) return { refused: `validation_split must be between 0 and 1 (got ${validationSplit})` };
  if (epochs > caps.maxEpochs) {
    if (!options.shorten) return { refused: epochsOverCap(epochs, caps) };
    notes.push({ kind: 'shortened', text: `Shortened to ${caps.maxEpochs} epochs (the limit) from ${epochs}.` });
    epochs = caps.maxEpochs;
  }
  const declaredRows = declaredSampleCount(model.data.train) + (validation.kind === 'data' ? declaredSampleCount(validation.x) : 0);
  if (!options.shorten && declaredRows > caps.maxSamples) return { refused: samplesOverCap(declaredRows, caps) };

  const outputShape = outputShapeOfJson(built.json, shape);
  // Pooling and strides on an input too short for them leave nothing (a deep conv stack on 32 values).
  const emptied = emptiedLayer(built.json, shape);
  if (emptied) {
    const line = layerLines[emptied.name];
    return { refused: `layer ${emptied.name} (${emptied.className}${line ? `, line ${line}` : ''}) gives an output of shape ${JSON.stringify(emptied.shape)}, with no values: the input of shape ${JSON.stringify(shape)} is too small for the layers' pooling and strides`, cause: 'too-small' };
  }
  const offAxis = batchNormOffLastAxis(built.json, shape);
  if (offAxis) {
    const line = layerLines[offAxis.name];
    return { refused: `layer ${offAxis.name} (BatchNormalization${line ? `, line ${line}` : ''}) normalizes axis ${offAxis.axis} of its ${offAxis.rank}-dimensional input, not the last (channels first): TensorFlow.js cannot train a batch normalization over another axis, so nanguard does not reproduce this model in TensorFlow.js; the Keras engine (\`--engine keras\`) runs it in your own Keras` };
  }
  const mismatch = !outputLosses ? targetShapeMismatch(model, outputShape, typeof loss === 'string' ? loss : undefined) : undefined;
  if (mismatch) return { refused: mismatch };
  const ctx: RecipeContext = { model, options, inputShape: shape, notes, stream: 0, datasetStreams: new Map(), randomStreams: new Map(), defaultRows: 256 };
  if (outputShape && outputShape.every((d) => typeof d === 'number')) ctx.outputShape = outputShape as number[];
  const inputRecipes = severalInputs?.map((input, i) => {
    ctx.inputShape = input.shape;
    return recipeFor(model.data.trains?.[i], `the training data of input ${input.name}`, ctx);
  });
  ctx.inputShape = shape;
  const train = inputRecipes ? { recipe: inputRecipes[0].recipe, kind: inputRecipes.find((r) => r.kind === 'synthetic')?.kind ?? inputRecipes[0].kind } : recipeFor(model.data.train, 'the training data', ctx);
  // One target per output; a model with one output has one.
  const outputNames = outputLosses ? outputLosses.map((o) => o.name) : [undefined];
  const outputShapes = outputLosses ? outputShapesOfJson(built.json, shape) : [outputShape];
  if (outputLosses && model.data.targets?.length !== outputNames.length) {
    return { refused: `the model has ${outputNames.length} outputs, and nanguard could not find one target for each in the call to fit (a list of ${outputNames.length} arrays)` };
  }
  // A model trained on added losses alone (`vae.fit(x_train)`) has no targets: its inputs stand in, unread by the loss.
  const targetRecipe = (x: DataSpec | undefined, y: DataSpec | undefined, i: number, role: string): DataRecipe => {
    if (sameArray(x, y) || (loss === 'none' && !y)) return { kind: 'same-as-x' };
    const known = outputShapes[i];
    const lossOfOutput = outputLosses ? outputLosses[i].loss : loss;
    ctx.outputShape = known && known.every((d) => typeof d === 'number') ? targetShapeOf(lossOfOutput, known as number[]) : undefined;
    const classes = known?.[known.length - 1];
    ctx.sparseClasses = lossOfOutput === 'sparse_categorical_crossentropy' && typeof classes === 'number' && classes > 1 ? classes : undefined;
    const made = recipeFor(y, outputNames[i] ? `${role} of output ${outputNames[i]}` : role, ctx);
    // Targets that stand in make the run's evidence a stand-in's, whatever the inputs are.
    if (made.kind === 'synthetic' && role === 'the training targets') train.kind = 'synthetic';
    return made.recipe;
  };
  const trainTargets = outputLosses ? model.data.targets : [model.data.target];
  let ys = outputNames.map((_, i) => targetRecipe(model.data.train, trainTargets?.[i], i, 'the training targets'));

  let valX: DataRecipe | null = null;
  let valYs: (DataRecipe | null)[] = outputNames.map(() => null);
  let validationKind: DataKind | 'split' | 'none' = validationSplit !== null ? 'split' : 'none';
  if (validation.kind === 'data' && severalInputs) {
    notes.push({ kind: 'not-reproduced', text: `The validation data of ${model.name}, a model of ${severalInputs.length} inputs, is not reproduced; the run has no validation loss.` });
  } else if (validation.kind === 'data') {
    ctx.defaultRows = 64;
    const vx = recipeFor(validation.x, 'the validation data', ctx);
    valX = vx.recipe;
    validationKind = vx.kind;
    const validationTargets = outputLosses ? validation.ys : [validation.y];
    valYs = outputNames.map((_, i) => targetRecipe(validation.x, validationTargets?.[i], i, 'the validation targets'));
  }
  // A denoising autoencoder (`fit(x_noisy, x)`): its inputs are its targets' values with the noise drawn again, not data of their own.
  if (!inputRecipes && !outputLosses) {
    const noisy = noisyInputs(model.data.train, model.data.target, ys[0]);
    if (noisy) {
      train.recipe = noisy;
      notes.push({ kind: 'assumed', text: `The training data (${model.data.train?.name}) is the targets (${model.data.target?.name}) with the noise the code adds drawn again from its distribution (not the same numbers as numpy's).` });
    }
    const noisyValidation = validation.kind === 'data' && valX ? noisyInputs(validation.x, validation.y, valYs[0]) : undefined;
    if (noisyValidation) valX = noisyValidation;
  }
  const { earlyStopping, reduceLrOnPlateau } = callbackPlans(fit?.callbacks ?? [], notes);

  const width = shape.reduce((a, b) => a * b, 1);
  const inputSizes = inputRecipes?.map((r) => recipeSize(r.recipe));
  const xSize = inputSizes ? { rows: Math.min(...inputSizes.map((z) => z.rows)), width: inputSizes.reduce((sum, z) => sum + z.width, 0) } : recipeSize(train.recipe);
  if (severalInputs && inputSizes) {
    const wrong = severalInputs.findIndex((input, i) => inputSizes[i].width !== input.shape.reduce((a, b) => a * b, 1));
    if (wrong >= 0) return { refused: `the training data of input ${severalInputs[wrong].name} has ${inputSizes[wrong].width} features per sample but the input expects ${severalInputs[wrong].shape.reduce((a, b) => a * b, 1)} (shape ${JSON.stringify(severalInputs[wrong].shape)})` };
  }
  if (xSize.width !== width) return { refused: `the training data has ${xSize.width} features per sample but the model expects ${width} (input shape ${JSON.stringify(shape)})` };
  const valSize = valX ? recipeSize(valX).rows : 0;

  let x = train.recipe;
  let xs = inputRecipes?.map((r) => r.recipe);
  if (xSize.rows + valSize > caps.maxSamples) {
    if (!options.shorten || valSize >= caps.maxSamples) return { refused: samplesOverCap(xSize.rows + valSize, caps) };
    const rows = caps.maxSamples - valSize;
    notes.push({ kind: 'shortened', text: `Shortened to the first ${rows} training samples (the limit) from ${xSize.rows}.` });
    x = shorten(x, rows);
    xs = xs?.map((r) => shorten(r, rows));
    ys = ys.map((y) => shorten(y, rows));
  }
  // Epochs of seconds, not minutes: a shortened epoch over the first rows, said plainly.
  const trainRows = Math.min(xSize.rows, caps.maxSamples - valSize);
  // A convolution's or a recurrent layer's work is its parameters times positions or steps: the
  // budget is on that work. Such a model's epoch may hold fewer than 1,000 samples (a 7,000-parameter
  // conv autoencoder on 60,000 MNIST images ran minutes on WebAssembly without finishing an epoch).
  const work = estimateWorkPerSample(built.json, shape);
  // Convolutions run about 20 times the multiply-adds a second of dense and recurrent steps on WebAssembly
  // (a conv autoencoder: 5e8 in 0.2 s; a GRU over 469 steps: 4.7e8 in 17 s), so they count a twentieth.
  // An Embedding's table is read a row per index, not multiplied through: a sample costs its rows, and
  // the optimizer's update of the whole table comes once a batch (Embedding(20000, 128) over 2,000
  // reviews was cut to 192 of them, as if each were a pass through 2.5 million weights).
  const table = embeddingParameters(built.json);
  const weightWork = estimatedParameters - table + table / Math.max(1, batchSize);
  const workPerSample = Math.max(1, weightWork, work ? work.total - work.convolution + work.convolution / CONVOLUTION_SPEEDUP : 0);
  const repeatedWeights = workPerSample > 2 * estimatedParameters;
  // At least 1,000 samples an epoch for a curve worth judging, unless that is four budgets of work (a 6-million-parameter classifier head: a minute an epoch).
  const minimumRows = repeatedWeights || 1000 * workPerSample > 4 * EPOCH_WORK_BUDGET ? 0 : 1000;
  // Whole batches: a shortened epoch ends where a batch does, as the full one may (the 2016 keras VAE
  // draws its noise of shape (batch_size, latent_dim), which a last, shorter batch does not fit).
  // As many batches as the budget holds, never fewer than the minimum's rows (rounded up to a batch) or one.
  const budgetRows = Math.max(minimumRows, Math.floor(EPOCH_WORK_BUDGET / workPerSample));
  const rowsPerEpoch = batchSize * Math.max(1, Math.floor(budgetRows / batchSize), Math.ceil(minimumRows / batchSize));
  if (trainRows > rowsPerEpoch) {
    const cost = repeatedWeights && work ? `about ${formatWork(work.total)} multiply-adds a sample` : `${estimatedParameters.toLocaleString('en-US')} parameters`;
    const drawn = shuffle ? drawnRows([x, ...(xs ?? []), ...ys], trainRows, rowsPerEpoch, options.seed ?? 0) : undefined;
    const which = drawn ? `${rowsPerEpoch.toLocaleString('en-US')} of the ${trainRows.toLocaleString('en-US')} training samples, drawn at random once (fit shuffles, so Keras's first batches come from all of them)` : `the first ${rowsPerEpoch.toLocaleString('en-US')} of the ${trainRows.toLocaleString('en-US')} training samples`;
    notes.push({ kind: 'shortened', text: `Each epoch trains on ${which}, so that an epoch takes seconds rather than minutes (${cost}); the curve is that of these shortened epochs.` });
    const cut = (r: DataRecipe): DataRecipe => (drawn ? pickRows(r, drawn) : shorten(r, rowsPerEpoch));
    x = cut(x);
    xs = xs?.map(cut);
    ys = ys.map(cut);
    if (valX && valSize > rowsPerEpoch) {
      valX = shorten(valX, rowsPerEpoch);
      valYs = valYs.map((valY) => (valY ? shorten(valY, rowsPerEpoch) : valY));
    }
  }
  // The data and the batch's activations must fit well inside half the worker's heap. A data
  // value is held as a JavaScript number in its row (8 bytes) and once more as float32 for the
  // tensors and the dense kernels (4): 16 bytes leaves room for the batch buffers. (32 refused
  // every MNIST-sized run: 60,000 x 784 values came to 1.7 GB.)
  const dataBytes = (Math.min(trainRows, rowsPerEpoch) + Math.min(valSize, rowsPerEpoch)) * width * BYTES_PER_DATA_VALUE;
  const limitBytes = caps.maxWorkerMemoryMb * 1024 * 1024 * 0.5;
  if (dataBytes > limitBytes) {
    return { refused: `the run needs about ${Math.ceil(dataBytes / 1048576)} MB for its data, over half the worker memory limit of ${caps.maxWorkerMemoryMb} MB (maxWorkerMemoryMb)` };
  }
  // The weights and their copies live in the backend's memory, not the heap (WebAssembly's grows to
  // 4 GB): they are held to the worker limit, the activations above to half of it, so both fit. Counted
  // by the optimizer: 6 copies for every optimizer refused Keras's own issue 10847 (77 million weights
  // under plain SGD, which keeps no copy of them: 0.9 GB).
  // In float32: the weights, their gradients, the update's new values and the optimizer's copies.
  const slots = optimizerSlots(optimizer);
  const modelBytes = estimatedParameters * 4 * (3 + slots);
  if (modelBytes > caps.maxWorkerMemoryMb * 1024 * 1024) {
    return {
      refused: `${model.name}'s ${estimatedParameters.toLocaleString('en-US')} parameters need about ${Math.ceil(modelBytes / 1048576).toLocaleString('en-US')} MB (the weights, their gradients, the update${slots > 0 ? ` and ${optimizer.className}'s ${slots} cop${slots === 1 ? 'y' : 'ies'} of them` : ''}, 4 bytes a value), over the worker memory limit of ${caps.maxWorkerMemoryMb} MB (maxWorkerMemoryMb)`,
    };
  }

  // Each layer's output for the batch is kept for the gradients, and the gradient and the backend's
  // temporaries take as much again or more: a conv autoencoder of 1059x1799 radar images, batches of 2,
  // ran the worker out of memory instead of giving a verdict.
  // A batch whose layer outputs do not fit is computed in micro-batches whose gradients are summed: the
  // same step (for a loss that is a mean over the samples), in the memory of the micro-batch.
  const splitProblem = microBatchProblem(built.json, { lossExpression, addedLosses, outputLosses, precision });
  const activations = activationValues(built.json, shape);
  const activationBytesPerSample = activations.perSample * 4 * ACTIVATION_COPIES;
  const activationBytes = activationBytesPerSample * batchSize;
  const activationRows = Math.floor((limitBytes - dataBytes) / Math.max(1, activationBytesPerSample));
  const activationsOver = activations.largest !== undefined && dataBytes + activationBytes > limitBytes;
  const batchNeeds = `about ${Math.ceil((dataBytes + activationBytes) / 1048576).toLocaleString('en-US')} MB for its layers' outputs and their gradients`;
  if (activations.largest && activationsOver && (splitProblem || activationRows < 1)) {
    const { name, className, shape: largestShape } = activations.largest;
    const line = layerLines[name] ? `, line ${layerLines[name]}` : '';
    const remedy = activationRows < 1 ? 'even one sample at a time would not fit; smaller inputs would' : `the batch is not split into smaller passes because ${splitProblem}; a smaller batch_size or smaller inputs would fit`;
    return {
      refused: `a batch of ${batchSize} needs ${batchNeeds} (the largest, layer ${name} (${className}${line}), gives ${largestShape.join('x')} values a sample), over half the worker memory limit of ${caps.maxWorkerMemoryMb} MB (maxWorkerMemoryMb); ${remedy}`,
    };
  }

  // A recurrent layer's unrolled steps live in the backend's own memory, not the worker's heap: over about a
  // gigabyte WebAssembly aborted (two LSTM(512) over 672 steps, batches of 32), so such a run is refused by name.
  // It is not split into micro-batches: recurrent steps run about 3e7 multiply-adds a second here, so a sample of
  // such a model takes tens of seconds, and a micro-batch cannot be stopped midway.
  const recurrent = recurrentStepValues(built.json, shape);
  const stepBytes = recurrent.reduce((sum, r) => sum + r.valuesPerSample, 0) * batchSize * 4;
  if (stepBytes > RECURRENT_STEP_BYTES) {
    const largest = recurrent.reduce((a, b) => (b.valuesPerSample > a.valuesPerSample ? b : a));
    const line = layerLines[largest.name] ? `, line ${layerLines[largest.name]}` : '';
    return {
      refused: `layer ${largest.name} (${largest.className}${line}) runs ${largest.units} units over ${largest.steps} steps: a batch of ${batchSize} keeps about ${Math.round(stepBytes / 1048576).toLocaleString('en-US')} MB of per-step values for the gradients${recurrent.length > 1 ? ` in the model's ${recurrent.length} recurrent layers` : ''} (4 bytes a float32 value), over the ${(RECURRENT_STEP_BYTES / 1048576).toLocaleString('en-US')} MB the reproduction allows them (TensorFlow.js's WebAssembly backend aborted on such runs); a smaller batch_size or shorter sequences would fit`,
    };
  }
  const microBatch = activationsOver ? evenMicroBatch(batchSize, activationRows) : undefined;
  if (microBatch !== undefined) {
    // A micro-batch's statistics stand for the batch's where they are over enough values: after a convolution
    // a sample gives height x width of them; after a Dense layer, one (a micro-batch of 1 would normalize every value to beta).
    const normalization = sparsestBatchNormalization(built.json, shape);
    if (normalization && microBatch * normalization.valuesPerSample < MIN_NORMALIZED_VALUES) {
      const line = layerLines[normalization.name] ? `, line ${layerLines[normalization.name]}` : '';
      return {
        refused: `a batch of ${batchSize} needs ${batchNeeds}, more than the reproduction's memory holds, and it is not split into micro-batches of ${microBatch} because layer ${normalization.name} (BatchNormalization${line}) would compute its statistics over ${microBatch * normalization.valuesPerSample} value${microBatch * normalization.valuesPerSample === 1 ? '' : 's'} of each, not the batch's ${batchSize * normalization.valuesPerSample}; a smaller batch_size or smaller inputs would fit`,
      };
    }
    const normalizationNote = normalization ? ` BatchNormalization normalizes each micro-batch by its own statistics (Keras: the whole batch's) and updates its moving averages once a micro-batch.` : '';
    notes.push({ kind: 'computed', text: `A batch of ${batchSize} needs ${batchNeeds}, more than the reproduction's memory holds: each batch runs as micro-batches of ${microBatch} samples whose gradients are summed before the one optimizer step, the same step Keras takes on the whole batch.${normalizationNote}` });
  }

  const statisticsProblem = fillStatistics(built.json, model, options);
  if (statisticsProblem) return { refused: statisticsProblem };

  return {
    plan: {
      version: 1,
      name: model.name,
      source: model.path,
      kerasJson: built.json,
      inputShape: shape,
      compile: { optimizer, loss, ...(lossExpression ? { lossExpression } : {}), ...(addedLosses ? { addedLosses } : {}), ...(fromLogits ? { fromLogits } : {}) },
      fit: { epochs, batchSize, shuffle, validationSplit, earlyStopping, ...(reduceLrOnPlateau ? { reduceLrOnPlateau } : {}), ...(microBatch !== undefined ? { microBatch } : {}) },
      data: { x, y: ys[0], valX, valY: valYs[0], provenance: { train: train.kind, validation: validationKind } },
      seed: options.seed ?? 0,
      caps,
      estimatedParameters,
      // The same note once (an assignment a loop repeats is one transform not replayed).
      notes: notes.filter((n, i) => notes.findIndex((m) => m.kind === n.kind && m.text === n.text) === i),
      ...(Object.keys(layerLines).length > 0 ? { layerLines } : {}),
      ...(precision ? { precision } : {}),
      ...(outputLosses ? { outputs: outputLosses.map((o, i) => ({ ...o, y: ys[i], valY: valYs[i] })) } : {}),
      ...(severalInputs && xs ? { inputs: severalInputs.map((input, i) => ({ ...input, x: xs![i] })) } : {}),
    },
  };
}

/**
 * A model trained by a GradientTape loop of the program's own trains on the loss its step
 * differentiates alone: Keras adds the layers' regularizers and add_loss terms (`model.losses`)
 * only in fit, so they are left out, with a note naming the layers.
 */
/**
 * A stateful recurrent layer (`LSTM(..., stateful=True)`, with its `batch_input_shape`) carries its
 * states from one batch to the next; TensorFlow.js builds one only for a fixed batch, which a
 * shortened or last partial batch breaks. The run starts each batch from zero states, and says so.
 */
function statelessRecurrence(model: ModelSpec, notes: ReproNote[]): ModelSpec {
  const stateful = (config: Record<string, unknown>): boolean => config.stateful === true || (isObject(config.layer) && isObject(config.layer.config) && config.layer.config.stateful === true);
  const named = model.layers.filter((l) => stateful(l.config));
  if (named.length === 0) return model;
  const lines = named.map((l) => `${l.name}${l.location && l.location.path === model.path ? ` (line ${l.location.range.start.line + 1})` : ''}`);
  notes.push({ kind: 'assumed', text: `${lines.join(', ')} ${named.length === 1 ? 'is' : 'are'} stateful: Keras carries the recurrent states from one batch to the next until reset_states; the run starts each batch from zero states, as a layer that is not stateful does.` });
  const withoutState = (config: Record<string, unknown>): Record<string, unknown> => {
    const { stateful: _stateful, ...rest } = config;
    void _stateful;
    return isObject(rest.layer) && isObject(rest.layer.config) ? { ...rest, layer: { ...rest.layer, config: withoutState(rest.layer.config) } } : rest;
  };
  return { ...model, layers: model.layers.map((l) => (stateful(l.config) ? { ...l, config: withoutState(l.config) } : l)) };
}

function withoutModelLosses(model: ModelSpec, notes: ReproNote[]): ModelSpec {
  const penalised: string[] = [];
  const layers = model.layers.map((layer) => {
    const regularizers = Object.keys(layer.config).filter((key) => key.endsWith('_regularizer') && layer.config[key] !== null && layer.config[key] !== undefined);
    if (regularizers.length === 0 && !layer.activityExpression && !layer.activityProblem && !layer.addedLosses) return layer;
    penalised.push(layer.name);
    const config = { ...layer.config };
    for (const key of regularizers) delete config[key];
    const { activityExpression: _expression, activityProblem: _problem, addedLosses: _added, ...rest } = layer;
    void _expression;
    void _problem;
    void _added;
    return { ...rest, config, ...(rest.unresolved ? { unresolved: rest.unresolved.filter((u) => !u.key.endsWith('_regularizer')) } : {}) };
  });
  if (penalised.length === 0) return model;
  const addedLosses = model.addedLosses?.filter((a) => a.layer === undefined);
  notes.push({ kind: 'assumed', text: `What ${penalised.join(', ')} ${penalised.length === 1 ? 'adds' : 'add'} to model.losses (regularizers, add_loss terms) is left out: the loop trains on the loss its step differentiates, and Keras adds model.losses to a loss only in fit.` });
  const { addedLosses: _all, ...rest } = model;
  void _all;
  return { ...rest, layers, ...(addedLosses && addedLosses.length > 0 ? { addedLosses } : {}) };
}

/**
 * A `keras.applications` backbone starts from Keras's initializers, not from the weights the code
 * loads (nanguard does not read HDF5), which the note says so that the run is not taken for the user's.
 */
function applicationNotes(model: ModelSpec): ReproNote[] {
  const notes: ReproNote[] = [];
  const seen = new Set<string>();
  for (const layer of model.layers) {
    const app = layer.application;
    if (!app || seen.has(app.model)) continue;
    seen.add(app.model);
    const frozen = model.layers.filter((l) => l.application?.model === app.model && l.className !== 'InputLayer' && l.config.trainable === false).length;
    const frozenText = frozen > 0 ? ` Its ${frozen} frozen layers (trainable = False) keep these initial weights.` : '';
    if (app.weights === null) {
      notes.push({ kind: 'assumed', text: `${app.name} starts from Keras's initializers (Glorot-uniform kernels, zero biases), as weights=None asks; the draws are nanguard's, not the program's.${frozenText}` });
      continue;
    }
    const file = applicationWeightsFile(app.name, app.includeTop);
    const wanted = app.weights === 'imagenet' ? `ImageNet's` : app.weights === 'unknown' ? 'the ones the code loads' : `those of ${app.weights}`;
    const where = app.weights === 'imagenet' ? (inKerasCache(file) ? `, which are in the Keras cache (models/${file})` : ` (Keras downloads them to models/${file} on first use)`) : '';
    notes.push({
      kind: 'not-reproduced',
      text: `${app.name} with freshly initialized weights, not ${wanted}: the code loads them${where}, and nanguard does not read HDF5 weight files, so its layers start from Keras's initializers (Glorot-uniform kernels, zero biases); the run is that of an untrained ${app.name}, not the program's.${frozenText}`,
    });
  }
  return notes;
}

/** The arguments written with Keras 1's names in a model's definition, its layers, its optimizer and its fit. */
function legacySpellingsOf(model: ModelSpec): LegacySpelling[] {
  return [...(model.legacySpellings ?? []), ...model.layers.flatMap((l) => l.legacySpellings ?? []), ...(model.compile?.optimizer.legacySpellings ?? []), ...(model.fit?.legacySpellings ?? [])];
}

/**
 * A model written with Keras 1's argument names runs in Keras 1 or 2, whose recurrent layers
 * default to `recurrent_activation='hard_sigmoid'` (Keras 2's 0.2·x + 0.5, clipped, which is
 * TensorFlow.js's) and a GRU to `reset_after=False`, where Keras 3 defaults to sigmoid and True:
 * the layers that leave them unwritten get the old defaults, and the run says so.
 */
function withOldRecurrentDefaults(model: ModelSpec, notes: ReproNote[]): ModelSpec {
  if (legacySpellingsOf(model).length === 0) return model;
  const hardSigmoid: string[] = [];
  const resetBefore: string[] = [];
  const layers = model.layers.map((layer) => {
    if (layer.className !== 'LSTM' && layer.className !== 'GRU') return layer;
    const config = { ...layer.config };
    if (layer.origins?.recurrent_activation?.kind === 'default') {
      config.recurrent_activation = 'hard_sigmoid';
      hardSigmoid.push(layer.name);
    }
    if (layer.className === 'GRU' && config.reset_after === undefined) {
      config.reset_after = false;
      resetBefore.push(layer.name);
    }
    return JSON.stringify(config) === JSON.stringify(layer.config) ? layer : { ...layer, config };
  });
  const parts = [
    ...(hardSigmoid.length > 0 ? [`recurrent_activation hard_sigmoid (0.2 × x + 0.5, clipped) in ${hardSigmoid.join(', ')}`] : []),
    ...(resetBefore.length > 0 ? [`reset_after=False in ${resetBefore.join(', ')}`] : []),
  ];
  if (parts.length === 0) return model;
  notes.push({ kind: 'assumed', text: `Recurrent layers that leave them unwritten take Keras 1 and 2's defaults, which Keras 3 changed: ${parts.join('; ')}.` });
  return { ...model, layers };
}

/** Arguments written with Keras 1's names, which Keras 3 raises on: the run reads them as Keras 2 did, and says so once; Keras 2's optimizer decay, which it does not run. */
function legacySpellingNotes(model: ModelSpec): ReproNote[] {
  const optimizer = model.compile?.optimizer;
  const notes: ReproNote[] = [];
  const decay = optimizer?.config?.decay;
  if (typeof decay === 'number' && decay > 0) {
    const line = optimizer?.location && optimizer.location.path === model.path ? ` (line ${optimizer.location.range.start.line + 1})` : '';
    notes.push({ kind: 'not-reproduced', text: `The optimizer's decay=${decay}${line}, with which Keras 2 lowered the learning rate at each step to lr / (1 + decay × step), is not reproduced: the run keeps the rate at ${optimizer?.learningRate.value}, as Keras 3 does (it ignores decay, with a warning).` });
  }
  const spellings = legacySpellingsOf(model);
  if (spellings.length === 0) return notes;
  const read = new Map<string, string>();
  for (const s of spellings) {
    const key = s.read ? `\`${s.written}\` as \`${s.read}\`` : `\`${s.written}\` left out`;
    if (!read.has(key)) read.set(key, s.location.path === model.path ? ` (line ${s.location.range.start.line + 1})` : '');
  }
  const list = [...read].map(([key, line]) => `${key}${line}`).join(', ');
  notes.push({ kind: 'assumed', text: `The program uses argument names of Keras 1 and 2 that Keras 3 raises on: ${list}. The run reads them as the current names, as Keras 2 did.` });
  return notes;
}

/** TensorFlow functions applied to Keras tensors in the graph (`tf.concat([z, label], 1)`): Keras 3 raises where Keras 2 made a layer. */
function tensorflowCallNotes(model: ModelSpec): ReproNote[] {
  return model.layers.flatMap((layer) => {
    const call = layer.operation?.tensorflowCall;
    if (!call) return [];
    const line = layer.location && layer.location.path === model.path ? ` (line ${layer.location.range.start.line + 1})` : '';
    return [{ kind: 'assumed' as const, text: `\`${layer.operation?.text}\`${line} gives Keras tensors to ${call}, which Keras 3 refuses (a KerasTensor cannot be used as input to a TensorFlow function); the run builds it as Keras 2 did, as a layer of the graph (${layer.name}).` }];
  });
}

/**
 * The inputs of a model of several, in the order fit takes them: each one's shape, as its Input
 * declares it or as the array fit gives it has it; or why not.
 */
function inputsPlan(model: ModelSpec): Array<{ name: string; shape: number[] }> | { refused: string } {
  const names = model.inputNames ?? [];
  const trains = model.data.trains;
  const declaredOf = (name: string): (number | null)[] | undefined => {
    const layer = model.layers.find((l) => l.className === 'InputLayer' && l.name === name);
    return layer ? declaredInputShape({ ...model, inputShape: undefined, layers: [layer] }) : undefined;
  };
  if (!trains || trains.length !== names.length) {
    // Data nanguard cannot follow (a generator yielding `[images, embeddings]`): each input a stand-in of the shape its Input declares.
    // One array fit is given for several inputs (which Keras refuses) is not such data.
    const declared = names.map(declaredOf);
    const unseen = !trains && (!model.data.train || model.data.train.source.kind === 'unknown');
    if (unseen && names.length > 0 && declared.every((d) => d && d.length > 0 && d.every((n) => typeof n === 'number'))) return names.map((name, i) => ({ name, shape: declared[i] as number[] }));
    return { refused: `${model.name} has ${names.length} inputs (${names.join(', ')}), and nanguard could not find one array for each in the call to fit (a list, tuple or dict of ${names.length} arrays)` };
  }
  const out: Array<{ name: string; shape: number[] }> = [];
  for (const [i, name] of names.entries()) {
    const declared = declaredOf(name);
    const fromData = trains[i].shape?.slice(1);
    const shape = declared && declared.every((d) => typeof d === 'number') ? declared : fromData && fromData.every((d) => typeof d === 'number') ? fromData : undefined;
    if (!shape) return { refused: `the shape of ${model.name}'s input ${name} is not known: ${declared ? 'its Input gives a size nanguard could not work out' : `the array fit gives it (${trains[i].name}) is of a shape nanguard could not work out`}` };
    // An input of one number per sample (`cats[:, 0]` fed on its own) is a column.
    out.push({ name, shape: shape.length === 0 ? [1] : (shape as number[]) });
  }
  return out;
}

/**
 * The per-column statistics the model's layers compute with (`(nums - self.mean) /
 * tf.sqrt(self.var)`, with `self.mean = nums.mean(axis=0)`), read from their data as the code
 * transforms it and written into the expressions as rows. A problem when the data is not seen.
 */
function fillStatistics(json: KerasModelJson, model: ModelSpec, options: PlanOptions): string | undefined {
  const layers = (json.config.layers ?? []).filter((l) => JSON.stringify(l.config?.[LAMBDA_EXPRESSION_KEY] ?? null).includes('"op":"statistic"'));
  if (layers.length === 0) return undefined;
  const rows = new Map<number, number[][] | string>();
  const scratch: RecipeContext = { model, options, inputShape: [], notes: [], stream: 1000, datasetStreams: new Map(), randomStreams: new Map(), defaultRows: 1 };
  const dataRows = (index: number, layer: string): number[][] | string => {
    const known = rows.get(index);
    if (known) return known;
    const spec = model.data.statistics?.[index];
    const recipe = spec ? recipeFor(spec, spec.name, scratch).recipe : undefined;
    const line = model.layers.find((l) => l.name === layer)?.location;
    const where = line && line.path === model.path ? ` (line ${line.range.start.line + 1})` : '';
    const result = !spec || !recipe || recipe.kind === 'synthetic' || recipe.kind === 'same-as-x'
      ? `${layer}${where} computes with statistics of ${spec?.name ?? 'an array'} that nanguard cannot read (its data is not a file in the workspace that nanguard reads, or is not followed to one)`
      : materializeRecipe(recipe, options.seed ?? 0);
    rows.set(index, result);
    return result;
  };
  let problem: string | undefined;
  const fill = (e: TensorExpr, layer: string): TensorExpr => {
    if (e.op === 'statistic') {
      const data = dataRows(e.data, layer);
      if (typeof data === 'string') {
        problem ??= data;
        return e;
      }
      return { op: 'row', values: columnStatistic(data, e.label, e.ddof) };
    }
    const parts = e as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = { ...parts };
    for (const key of ['x', 'a', 'b']) if (key in parts) out[key] = fill(parts[key] as TensorExpr, layer);
    return out as unknown as TensorExpr;
  };
  for (const layer of layers) {
    const config = layer.config as Record<string, unknown>;
    config[LAMBDA_EXPRESSION_KEY] = fill(config[LAMBDA_EXPRESSION_KEY] as TensorExpr, String(config.name ?? layer.name ?? 'a layer'));
  }
  return problem ? `layer ${problem}` : undefined;
}

/** numpy's per-column statistic of rows (NaN propagating, as numpy's); `ddof` for std and var. */
function columnStatistic(rows: number[][], label: 'mean' | 'std' | 'var' | 'min' | 'max', ddof: number): number[] {
  const width = rows[0]?.length ?? 0;
  const out: number[] = [];
  for (let j = 0; j < width; j++) {
    const column = rows.map((r) => r[j]);
    const n = column.length;
    const mean = column.reduce((a, b) => a + b, 0) / n;
    if (label === 'mean') out.push(mean);
    else if (label === 'min') out.push(column.some(Number.isNaN) ? NaN : Math.min(...column));
    else if (label === 'max') out.push(column.some(Number.isNaN) ? NaN : Math.max(...column));
    else {
      const variance = column.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - ddof);
      out.push(label === 'var' ? variance : Math.sqrt(variance));
    }
  }
  return out;
}

const FLOAT16_NAMES = new Set(['float16', 'half']);

/**
 * The float16 the program asks for, emulated (`PrecisionPlan`); other precisions than float32
 * (bfloat16, float64) are noted as not reproduced.
 */
function precisionPlan(model: ModelSpec, notes: ReproNote[]): PrecisionPlan | undefined {
  const policy = model.dtypePolicy?.value;
  const dtypeOf = (l: ModelSpec['layers'][number]): string | undefined => (typeof l.config.dtype === 'string' ? l.config.dtype : undefined);
  const computing = model.layers.filter((l) => l.className !== 'InputLayer');
  if (policy && policy !== 'float32') {
    if (FLOAT16_NAMES.has(policy) || policy === 'mixed_float16') {
      // A layer given dtype='float32' keeps float32 under the policy (the usual float32 output layer).
      const kept = computing.filter((l) => dtypeOf(l) === 'float32');
      const layers = kept.length > 0 ? computing.filter((l) => dtypeOf(l) !== 'float32').map((l) => l.name) : null;
      const except = kept.length > 0 ? ` (except ${kept.map((l) => l.name).join(', ')}, given float32)` : '';
      if (policy === 'mixed_float16') {
        notes.push({ kind: 'replayed', text: `The mixed_float16 policy is emulated: layers${except} compute in float16 (their inputs, weights and outputs rounded to float16) from float32 weights, with the loss scaled as Keras 3's LossScaleOptimizer does.` });
        return { policy: 'mixed_float16', layers, float16Loss: false };
      }
      notes.push({ kind: 'replayed', text: `float16 everywhere is emulated: layer outputs${except}, the loss, gradients, weights and the optimizer's state are rounded to float16 (overflow past 65504 to infinity) on a float32 computation.` });
      return { policy: 'float16', layers, float16Loss: true };
    }
    notes.push({ kind: 'not-reproduced', text: `The ${policy} policy is not reproduced; training runs in float32.` });
    return undefined;
  }
  const halfLayers = computing.filter((l) => FLOAT16_NAMES.has(dtypeOf(l) ?? ''));
  const otherLayers = computing.filter((l) => /^(bfloat16|float64|double)$/.test(dtypeOf(l) ?? ''));
  if (otherLayers.length > 0) {
    notes.push({ kind: 'not-reproduced', text: `${otherLayers.map((l) => l.name).join(', ')} ${otherLayers.length === 1 ? 'is' : 'are'} ${String(otherLayers[0].config.dtype)} in the code; ${otherLayers.length === 1 ? 'it runs' : 'they run'} in float32, so what that precision does to the loss is not reproduced.` });
  }
  if (halfLayers.length === 0) return undefined;
  const names = halfLayers.map((l) => l.name);
  notes.push({ kind: 'replayed', text: `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} float16 in the code, emulated: ${names.length === 1 ? 'its' : 'their'} outputs, gradients, weights and optimizer state are rounded to float16 (overflow past 65504 to infinity) on a float32 computation.` });
  return { policy: 'float16', layers: names, float16Loss: false };
}

export interface MaterializedData {
  x: number[][];
  y: number[][];
  valX?: number[][];
  valY?: number[][];
}

/**
 * The plan's arrays as numbers, flattened per sample: the same plan and seed always give
 * the same numbers. `validation_split` takes the last fraction of the samples, before any
 * shuffling, as Keras does (`int(n * (1 - split))` samples stay for training).
 */
export function materializeData(plan: ReproPlan): MaterializedData {
  const { data, seed } = plan;
  if (data.x.kind === 'same-as-x') throw new Error('the training inputs cannot refer to themselves');
  let x = plan.inputs ? joinedRows(plan.inputs.map((input) => (input.x.kind === 'same-as-x' ? [] : materializeRecipe(input.x, seed)))) : materializeRecipe(data.x, seed);
  let y = targetRows(plan.outputs?.map((o) => o.y) ?? [data.y], x, seed);
  if (y.length !== x.length) {
    const n = Math.min(x.length, y.length);
    x = x.slice(0, n);
    y = y.slice(0, n);
  }
  let valX: number[][] | undefined;
  let valY: number[][] | undefined;
  if (plan.fit.validationSplit !== null) {
    const splitAt = Math.floor(x.length * (1 - plan.fit.validationSplit));
    valX = x.slice(splitAt);
    valY = y.slice(splitAt);
    x = x.slice(0, splitAt);
    y = y.slice(0, splitAt);
  } else if (data.valX && data.valX.kind !== 'same-as-x') {
    valX = materializeRecipe(data.valX, seed);
    valY = targetRows(plan.outputs?.map((o) => o.valY) ?? [data.valY], valX, seed);
    // As for training: stand-ins of a known and an unknown row count (x_test_gray from a function, x_test from the dataset) pair up to the shorter.
    if (valY.length !== valX.length) {
      const n = Math.min(valX.length, valY.length);
      valX = valX.slice(0, n);
      valY = valY.slice(0, n);
    }
  }
  return valX ? { x, y, valX, valY } : { x, y };
}

/** Each sample's parts (a model's several inputs) flattened and joined in one row, as many rows as the shortest part has. */
function joinedRows(parts: number[][][]): number[][] {
  const n = Math.min(...parts.map((p) => p.length));
  return Array.from({ length: n }, (_, i) => parts.flatMap((p) => p[i]));
}

/**
 * The targets of each sample: with several outputs, each output's targets flattened and placed
 * one after the other in the row (the training loop cuts them apart again), so that shuffling,
 * batches and `validation_split` take a sample's targets together. A missing recipe, or
 * `same-as-x`, is the inputs.
 */
function targetRows(recipes: (DataRecipe | null)[], x: number[][], seed: number): number[][] {
  const parts = recipes.map((recipe) => (!recipe || recipe.kind === 'same-as-x' ? x : materializeRecipe(recipe, seed)));
  if (parts.length === 1) return parts[0] === x ? x.map((r) => r.slice()) : parts[0];
  const n = Math.min(...parts.map((p) => p.length));
  return Array.from({ length: n }, (_, i) => parts.flatMap((p) => p[i]));
}
