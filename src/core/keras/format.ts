/**
 * The Keras JSON format, as `model.to_json()` and `model.save()` write it, typed in the
 * style of tfjs-layers' `keras_format/`: every serialised object is `{class_name, config}`,
 * keys stay snake_case exactly as Python writes them, and the camelCase IR is produced
 * in one place only (`../frontends/kerasJson.ts`).
 *
 * Two generations are covered:
 * - Keras 2 (tf.keras up to TF 2.15): `keras_version`/`backend` at the top, inbound nodes as
 *   nested lists `[[["dense", 0, 0, {}]]]`, `batch_input_shape`, `lr` in old optimizers,
 *   `model_config` + `training_config` in HDF5 attributes.
 * - Keras 3: `module`/`registered_name` beside `class_name`, inbound nodes as
 *   `{args, kwargs}` with `__keras_tensor__` args carrying `keras_history`, `batch_shape`,
 *   `build_config`, `compile_config` (also in a `.keras` archive's `config.json`).
 */

/** A value inside Keras JSON. Keys of nested dicts are snake_case, as Python writes them. */
export type PyJsonValue = boolean | number | string | null | PyJsonArray | PyJsonDict;
export type PyJsonArray = PyJsonValue[];
export interface PyJsonDict {
  [key: string]: PyJsonValue;
}

/** Known keys typed; any other key passes through. */
export interface OpenConfig {
  [key: string]: unknown;
}

/** `{class_name, config}`: how Keras serialises any object (layer, optimizer, initializer, loss). */
export interface BaseSerialization<N extends string = string, C extends OpenConfig = OpenConfig> {
  class_name: N;
  config: C;
  /** Keras 3: the Python module (`keras.layers`). */
  module?: string;
  /** Keras 3: the name a custom object was registered under. */
  registered_name?: string | null;
}

/** Top-level model classes `to_json()` writes. `Model` is Keras 2's name for an older Functional. */
export type ModelClassName = 'Sequential' | 'Functional' | 'Model';
export const MODEL_CLASS_NAMES: readonly ModelClassName[] = ['Sequential', 'Functional', 'Model'];

export function isModelClassName(name: unknown): name is ModelClassName {
  return typeof name === 'string' && (MODEL_CLASS_NAMES as readonly string[]).includes(name);
}

/** A shape with the batch dimension first; `null` is an unknown dimension. */
export type BatchShape = (number | null)[];

/** The config keys of a layer that the analysis reads. Others pass through untouched. */
export interface LayerConfig extends OpenConfig {
  name?: string;
  units?: number;
  activation?: string | PyJsonDict;
  filters?: number;
  kernel_size?: number | number[];
  /** Keras 2 InputLayer and first layers of a Sequential. */
  batch_input_shape?: BatchShape;
  /** Keras 3 InputLayer. */
  batch_shape?: BatchShape;
  input_shape?: BatchShape;
  /** Keras 2: `"float32"` or a `Policy`; Keras 3: a `DTypePolicy` serialization. */
  dtype?: string | PyJsonDict;
}

/** Keras 2 inbound node: a list of `[layer_name, node_index, tensor_index, kwargs?]`. */
export type Keras2InboundNode = [string, number, number, PyJsonDict?][];

/** Keras 3 inbound node: call arguments, where tensors appear as `__keras_tensor__` serializations. */
export interface Keras3InboundNode {
  args: PyJsonValue[];
  kwargs: PyJsonDict;
}

export interface Keras3TensorSerialization extends BaseSerialization<'__keras_tensor__'> {
  config: { shape?: BatchShape; dtype?: string; keras_history: [string, number, number] };
}

/** One entry of a model's `config.layers`. */
export interface LayerSerialization extends BaseSerialization<string, LayerConfig> {
  /** Functional models only. Keras 2 repeats the name here; Keras 3 too. */
  name?: string;
  inbound_nodes?: (Keras2InboundNode | Keras3InboundNode)[];
  build_config?: { input_shape?: BatchShape | null };
}

/** `[layer_name, node_index, tensor_index]`; Keras 2 always lists them, Keras 3 flattens a single one. */
export type TensorReference = [string, number, number];

export interface SequentialConfig extends OpenConfig {
  name?: string;
  layers: LayerSerialization[];
}

export interface FunctionalConfig extends OpenConfig {
  name?: string;
  layers: LayerSerialization[];
  input_layers: TensorReference[] | TensorReference;
  output_layers: TensorReference[] | TensorReference;
}

export type SequentialSerialization = BaseSerialization<'Sequential', SequentialConfig>;
export type FunctionalSerialization = BaseSerialization<'Functional' | 'Model', FunctionalConfig>;
export type ModelSerialization = SequentialSerialization | FunctionalSerialization;

/** Optimizer class names Keras ships (Keras 2 HDF5 files may prefix them with `Custom>`). */
export type OptimizerClassName = 'Adam' | 'AdamW' | 'Adamax' | 'Adagrad' | 'Adadelta' | 'Nadam' | 'RMSprop' | 'SGD' | 'Ftrl' | 'Lion' | 'Adafactor' | 'Lamb' | 'LossScaleOptimizer';

export interface LearningRateScheduleSerialization extends BaseSerialization<string> {
  config: OpenConfig & { initial_learning_rate?: number };
}

export interface OptimizerConfig extends OpenConfig {
  name?: string;
  learning_rate?: number | PyJsonDict;
  /** Keras 2 before 2.3. */
  lr?: number;
  epsilon?: number;
  clipnorm?: number | null;
  clipvalue?: number | null;
  global_clipnorm?: number | null;
  momentum?: number;
}

export type OptimizerSerialization = BaseSerialization<string, OptimizerConfig>;

/** A loss as Keras writes it: a name, or a serialised loss object. */
export type LossIdentifier = string | BaseSerialization;

/** Keras 2: `training_config` of an HDF5 file. */
export interface TrainingConfig extends OpenConfig {
  optimizer_config: OptimizerSerialization;
  loss: PyJsonValue;
}

/** Keras 3: `compile_config` of `to_json()` and of a `.keras` archive. */
export interface CompileConfig extends OpenConfig {
  optimizer: OptimizerSerialization | string;
  loss: PyJsonValue;
}

/** What `model.to_json()` writes (both generations). */
export type ModelTopology = ModelSerialization & {
  keras_version?: string;
  backend?: string;
  build_config?: { input_shape?: BatchShape | null };
  compile_config?: CompileConfig;
};

/** HDF5 attributes as JSON, or a hand-made wrapper: the topology under `model_config`. */
export interface SavedModelConfig {
  model_config: ModelTopology;
  training_config?: TrainingConfig;
  keras_version?: string;
  backend?: string;
}
