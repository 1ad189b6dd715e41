/**
 * The abstract values the front-end's evaluator computes for Python expressions: just enough
 * of Python, numpy, pandas, scikit-learn and Keras to rebuild the model, its training setup
 * and the data that reaches it.
 */
import type {
  ArrayAssignment,
  CallbackSpec,
  DataSource,
  DataTransform,
  FeatureStats,
  LayerSpec,
  LegacySpelling,
  LossSpec,
  TensorExpr,
  ModelSpec,
  OptimizerSpec,
  Origin,
  SourceLocation,
  FitSpec,
  CompileSpec,
  Valued,
} from '../../ir';
import { lookupConfig, type ConfigDocument, type JsonPathSegment } from './config';
import type { ExpressionContext, InlinedFunction } from './expressions';
import type { PyNode } from './syntax';

export interface LayerObj {
  spec: LayerSpec;
  /** For `Input(...)`: the shape without the batch dimension. */
  inputShape?: (number | null)[];
  /**
   * For `Input(shape=x.shape[1:])` on data nanguard could not see: a shape of unknown rank assumed
   * to be (n, n), where the node it was written at is kept; an image layer applied to it adds the
   * channel axis (1) its input needs (see withAssumedChannels).
   */
  assumedRankAt?: PyNode;
  /** The stand-in input a subclassed model's `call` is traced with: not a layer of the user's. */
  placeholder?: true;
  /** A custom layer's call reads these tensors of the program besides its inputs (they follow its inputs when it is applied). */
  closure?: TensorObj[];
  /** How many inputs the layer was first applied to: where its closure's tensors are numbered. */
  closureAt?: number;
  /**
   * A custom layer whose `call` could not be translated and that has a `build` of its own: its
   * instance, to run `build(input_shape)` on at its first call (the layers it makes there turn it
   * into `composite`).
   */
  unbuilt?: { cls: ClassValue; self: Extract<Value, { k: 'object' }> };
  /** A custom layer whose `build` made layers: the model its traced `call` rebuilds, applied in its place. */
  composite?: ModelObj;
  /** The tensor of the layer's first call on tensors of the graph: `layer.input` and `layer.output`. */
  applied?: TensorObj;
  /**
   * A custom layer whose `call` returns the list of tensors it is given (a VAE's
   * `KLDivergenceLayer`, which only adds its loss): applied to several, it gives them back.
   */
  passThrough?: true;
  /**
   * `normalizer.adapt(x)` of a Normalization layer whose statistics are not known from the code
   * alone (x read from a file): x, whose per-column mean and variance the reproduction reads.
   */
  adapted?: ArrayObj;
}

/** A symbolic tensor of the functional API: which layer or model produced it from which tensors. */
export interface TensorObj {
  producer?: LayerObj | ModelObj;
  inputs: TensorObj[];
  /** Which output of a producer with several (`z_mean, z_log_var, z = encoder(x)`); absent for the first or only one. */
  outputIndex?: number;
}

export interface ModelObj {
  id: number;
  /** The variable the model was first assigned to. */
  variable?: string;
  /** `name=` or Keras's default name. */
  kerasName: string;
  kind: 'sequential' | 'functional' | 'subclassed';
  /** Sequential: layers and sub-models in order; subclassed: attributes in assignment order. */
  items: Array<LayerObj | ModelObj>;
  /** Functional: the graph's inputs and outputs. */
  inputs: TensorObj[];
  outputs: TensorObj[];
  compile?: CompileSpec;
  /** Graph tensors compile's loss function reads without being given them (Keras 2's `vae_loss` reading `z_mean`): its arguments 2, 3, ... */
  lossClosure?: TensorObj[];
  fit?: FitSpec;
  train?: ArrayObj | Value;
  target?: ArrayObj | Value;
  /** `fit([x1, x2], y)`, `fit({"a": x1, "b": x2}, y)` on a model with several inputs: each input's array with its text, in the model's order. */
  trains?: Array<{ value: ArrayObj | Value; text: string }>;
  /** `fit(x, [y1, y2])` on a model with several outputs: each target with its text. */
  targets?: Array<{ value: ArrayObj | Value; text: string }>;
  trainText?: string;
  targetText?: string;
  location?: SourceLocation;
  /** Set when another model contains this one. */
  usedInside: boolean;
  /** For subclassed models: attributes set on `self`. */
  attributes?: Map<string, Value>;
  /** Subclassed models: the class, for its methods (`self.encode(x)`). */
  cls?: ClassValue;
  /** A custom layer (`class Encoder(layers.Layer)`) that holds layers of its own, rebuilt as a subclassed model is: its class name. */
  layerOfLayers?: string;
  /**
   * Subclassed models whose `call` is not a chain of their layers (or that train in their own
   * `train_step`): why the model cannot be rebuilt, naming the line.
   */
  callProblem?: { message: string; location?: SourceLocation };
  /**
   * Subclassed models whose `call` scales its input by statistics of an array (`(x - self.mean) /
   * tf.sqrt(self.var)` with `var = nums.var(axis=0)`): that array as the division leaves it.
   */
  scaledInCall?: ArrayObj[];
  /** Arrays whose per-column statistics a traced `call` computes with (`self.mean` of `nums.mean(axis=0)`): numbered as its expressions' `statistic` terms number them. */
  statistics?: ArrayObj[];
  /** Built by a library module's trainer that nothing in the file calls (run with unknown arguments): its name and place. */
  uncalledTrainer?: { name: string; location: SourceLocation };
  /** Given by the analysis to a trainer nothing calls that trains a model it is passed (`def train_model(model, data)`): that trainer. */
  givenToTrainer?: { name: string; location: SourceLocation };
  /** The input shape given to `model.build(...)`, without the batch dimension. */
  builtShape?: (number | null)[];
  /** A model that trains in its own `train_step`, translated: where the step is (its loss is the model's only one, in `addedLosses`). */
  trainStep?: SourceLocation;
  /** A GradientTape loop of the program's own that trains the model: where its step is; why it is not translated, if it is not. */
  trainingLoop?: NonNullable<ModelSpec['trainingLoop']>;
  /** `model.add_loss(term)`: each term as an expression of graph tensors, or why it could not be translated. */
  addedLosses?: Array<{ expr: TensorExpr; tensors: TensorObj[]; location: SourceLocation } | { problem: string; location: SourceLocation }>;
  /** `model_from_json(...)`: the topology read from a JSON file in the workspace, or why it could not be read. */
  fromJson?: { spec: ModelSpec } | { problem: string; location?: SourceLocation };
  /** `Model(input=..., output=...)`: the definition's arguments written with Keras 1's names. */
  legacySpellings?: LegacySpelling[];
  /** Keras 1's `Merge([left, right], mode='concat')` of models: the graph of the branches joined, to start a Sequential. */
  legacyMerge?: true;
  /** A Sequential started by a Keras 1 `Merge`: a functional graph that `add` extends from its output. */
  grownByAdd?: true;
}

export type IntegerDtype = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

/** An array on its way to the network: where it came from and what was done to it. */
export interface ArrayObj {
  name?: string;
  /** Inside a `Dataset.map` function before `.batch`: the array stands for one element, and a reshape's shape is each sample's. */
  perElement?: true;
  source: DataSource;
  transforms: DataTransform[];
  shape?: (number | null)[];
  /** Exact values after the transforms, while small enough to keep. */
  rows?: number[][];
  /**
   * A selection of whole rows of another array (`data[idx]`, `x[i:i + batch_size]`): that array
   * (the first one selected from), for a generator's batches to stand for the data they are cut from.
   */
  rowsOf?: ArrayObj;
  stats?: FeatureStats[];
  statsKind?: 'exact' | 'sampled' | 'bounds';
  location?: SourceLocation;
  columnNames?: string[];
  /** The file's own header names, by position, where the code renamed the columns (`df.columns = ['image', 'speed', 'angle']`): a column selected by its new name is read by its old. */
  fileColumnNames?: string[];
  assignments?: ArrayAssignment[];
  /** See DataSpec.filled: an array of one value, too large to keep its rows. */
  filled?: { value: number; shape: number[] };
  /** A pandas DataFrame or Series: its reductions (`df.std()`) run per column unless told otherwise. */
  frame?: boolean;
  /** `df.reset_index()`: df, whose columns are this frame's but for the first, 'index' (a selection by another name is df's). */
  resetIndexOf?: ArrayObj;
  /** The workspace data file the values come from, as the code names it, while the rows are still the file's. */
  filePath?: string;
  /** The data file these values are rows of (see DataSpec.valuesFrom): kept through slices, windows and selections by name. */
  valuesFrom?: { path: string; columns?: string[]; positions?: number[] };
  /**
   * Cells written one by one into an array known by its statistics only (`x[3, 1] = np.nan`): flat
   * offset to the value written, so that a second write to the same cell is not counted twice.
   */
  cells?: Map<number, number>;
  /** `np.random.permutation(n)`: an index array holding each of 0..n-1 once (indexing with it reorders the rows). */
  permutation?: boolean;
  /** An integer index array (`np.random.choice(n, k)`): indexing with it picks as many rows. */
  index?: boolean;
  /** A boolean array from a comparison (`x[:, 0] > 0.5`), usable as a mask. */
  mask?: boolean;
  /** `np.isnan(x)`: the mask of x's NaN cells. */
  nanMaskOf?: ArrayObj;
  /** `x > 0.5`: a boolean array, true where the array compared is above the number. */
  aboveMaskOf?: { array: ArrayObj; above: number };
  /** `x - x.min(axis=0)` (or `x - x.min()`, not per column): x, for the range that may divide it next. */
  shiftedByMinOf?: { of: ArrayObj; perColumn: boolean };
  /**
   * `float32` when known to be (numpy then rounds every result to float32, and overflows past
   * 3.4e38); an integer type after a cast to one (integer arithmetic then wraps past its range);
   * otherwise float64, or integers of a type not followed.
   */
  dtype?: 'float32' | IntegerDtype;
  /** Bound-based statistics rescaled with a distribution's moments standing for the sample's: how far the sample may pass them (see DataSpec). */
  statsSlack?: number;
  /**
   * Independent draws of `np.random.*` (maybe mapped by constants, sliced or reordered): the only
   * data whose sample mean and std the distribution's stand for, given rows enough.
   */
  distributional?: true;
  /**
   * Class labels: integers 0..classes-1, every class present (a `keras.datasets` loader's labels,
   * `LabelEncoder` output), or (`oneHot`) their `to_categorical` rows of `classes` columns.
   */
  labels?: ClassLabels;
}

export interface ClassLabels {
  classes: number;
  oneHot: boolean;
}

/** A per-column statistic of an array (`X.mean(0)`, `X.max() - X.min()`), used in hand-written scaling. */
export interface ColumnVector {
  label: 'mean' | 'std' | 'var' | 'min' | 'max' | 'range' | 'norm' | 'unknown';
  values?: number[];
  epsilon: boolean;
  /**
   * One statistic per column (`X.std(axis=0)`, `df.std()`), not one scalar of the whole array
   * (`np.std(X)`): only a per-column statistic can meet a constant column.
   */
  perColumn: boolean;
  /**
   * The values are the data's distribution's (its mean and std standing for the sample's), for
   * data known by bounds: what they scale is then only approximately what numpy gives.
   */
  approximate?: true;
  /** The array the statistic is of. */
  of?: ArrayObj;
  /**
   * A std of a column constant but for rounding (or constant with a sum that rounds): whether numpy
   * gets 0 or a tiny number depends on its order of summation, so what it divides is not known.
   */
  unsteady?: true;
}

export interface ScalerObj {
  className: string;
  /** Per-column `x * scale + shift` learned by `fit`. */
  scale?: number[];
  shift?: number[];
  featureRange?: [number, number];
  /** Fitted on data known by bounds: that data; `scale` and `shift` come from its distribution, not its sample. */
  fittedOn?: ArrayObj;
}

export type Value =
  | { k: 'num'; v: number; origin: Origin }
  | { k: 'str'; v: string; origin: Origin }
  | { k: 'bool'; v: boolean; origin: Origin }
  | { k: 'none' }
  /** `partial`: built by a loop not followed to its end (or cut at a length cap): its items are some of the real ones. */
  | {
      k: 'seq';
      items: Value[];
      tuple: boolean;
      partial?: true;
      /** `range(start, stop, step)` cut short (partial): the numbers it stands for in full. */
      range?: { start: number; stop: number; step: number };
      /** Sliding windows of an array appended in a loop too long to follow item by item: `np.array` of the list is this array. */
      windows?: ArrayObj;
    }
  /** `partial`: some entries are not known (a key nanguard could not work out, a `**` of something not followed): a missing key may be there. */
  | { k: 'dict'; entries: Map<string, Value>; partial?: true }
  | { k: 'ref'; path: string }
  | { k: 'layer'; layer: LayerObj }
  | { k: 'tensor'; tensor: TensorObj }
  | { k: 'model'; model: ModelObj }
  | { k: 'array'; array: ArrayObj }
  | { k: 'colvec'; vec: ColumnVector }
  | { k: 'scaler'; scaler: ScalerObj }
  | { k: 'optimizer'; optimizer: OptimizerSpec }
  /** A Keras loss; a loss object also keeps the arguments it was built with (`BinaryCrossentropy(from_logits=True)`), for when it is called on tensors. */
  | { k: 'loss'; loss: LossSpec; arguments?: { positional: Value[]; keywords: ReadonlyMap<string, Value> } }
  | { k: 'callback'; callback: CallbackSpec }
  /**
   * A JSON or YAML config read by the program, or a part of it (`segments` is the path from the
   * top). `written`: what the program assigned into this load of it (`cfg["units"] = 32`), by
   * the JSON text of the key path; shared by every part of one load, as Python's dicts are.
   */
  | { k: 'config'; doc: ConfigDocument; segments: JsonPathSegment[]; written?: Map<string, Value> }
  | { k: 'file'; path: string; text?: boolean }
  | { k: 'fn'; node: PyNode; name: string; scope: Scope; static?: boolean; home?: ModuleCode }
  | ClassValue
  /** An instance of a plain Python class (a config holder, a model builder), or an argparse parser or namespace. */
  | { k: 'object'; className: string; attrs: Map<string, Value>; cls?: ClassValue; arguments?: Map<string, Value> }
  | { k: 'lambda'; node: PyNode; scope?: Scope; home?: ModuleCode }
  | DatasetValue
  | { k: 'policy'; name: string; origin: Origin }
  | { k: 'rng' }
  /**
   * A term computed from graph tensors by tensor operations (`1 + z_log_var - K.square(z_mean)`),
   * for `add_loss`: argument i of the expression is `tensors[i]`.
   */
  | {
      k: 'texpr';
      expr: TensorExpr;
      tensors: TensorObj[];
      /** Where the operation is written, and its text: the layer Keras makes of it in a graph is named by them. */
      location?: SourceLocation;
      text?: string;
      /** A TensorFlow function (`tf.concat`) rather than a Python operator or a keras.ops one: Keras 3 raises on a KerasTensor given to it. */
      tensorflowCall?: string;
    }
  /** `why`: for a tensor operation nanguard could not translate, the reason, naming the line (an `add_loss` of it says so). */
  /**
   * `dimOf`: `tf.shape(z_mean)[0]` in a traced call, a size known only when the model runs (the
   * batch's): a noise draw of that size (`tf.random.normal(shape=(batch, latent_dim))`) reads it.
   * `shapeOf`: `tf.shape(z_mean)` itself, where the tensor's rank is not known yet: indexed, a `dimOf`.
   */
  | { k: 'unknown'; why?: string; dimOf?: { tensor: Value; axis: number }; shapeOf?: Value };

/** A `tf.data` pipeline (or a loader's dataset): the arrays it yields, as `fit` receives them. */
export interface DatasetValue {
  k: 'dataset';
  /** The inputs: an array, or a dict of arrays (`tfds.load` without `as_supervised`). */
  x: Value;
  /** The targets, when the dataset yields pairs. */
  y?: Value;
  /** `.batch(n)`: the batch `fit` trains on. */
  batchSize?: Valued<number>;
  dropRemainder?: true;
  /** `.shuffle(n)` somewhere in the pipeline. */
  shuffled?: true;
  /** `.window(n, shift=1, drop_remainder=True)`: elements are windows of n, until a `flat_map` batches each whole. */
  windowed?: number;
  location: SourceLocation;
}

/** A class defined in the file: its body's names (class attributes, methods) and its bases. */
export interface ClassValue {
  k: 'class';
  node: PyNode;
  name: string;
  isModel: boolean;
  isLayer: boolean;
  scope: Scope;
  members?: Map<string, Value>;
  bases?: Value[];
  /** `@dataclass` (fields set from the constructor's arguments). */
  dataclass?: boolean;
  /** The names the body annotates (`hidden: int = 64`, `latent_dim: int`), in order: a dataclass's fields. */
  fields?: string[];
  /** Defined in another file of the program: its methods run there. */
  home?: ModuleCode;
}

/**
 * A module of the program's own (`models.py`), run by an interpreter of its own tree: the
 * importing file's calls of its functions and classes run there, placed at the importing call.
 */
export interface ModuleCode {
  callIn(fn: Extract<Value, { k: 'fn' }>, positional: Value[], keywords: ReadonlyMap<string, Value>, self: Value | undefined, site: SourceLocation): Value;
  instantiateIn(cls: ClassValue, positional: Value[], keywords: ReadonlyMap<string, Value>, site: SourceLocation): Value;
  callLambdaIn(fn: Extract<Value, { k: 'lambda' }>, positional: Value[], keywords: ReadonlyMap<string, Value>, site: SourceLocation): Value;
  /** A function of this module inlined in a translation made in another (its names resolve here). */
  inlined(fn: Extract<Value, { k: 'fn' }>, self: Value | undefined, options: { cls?: ClassValue; tensor?: ExpressionContext['tensor'] }): InlinedFunction;
}

export const UNKNOWN: Value = { k: 'unknown' };
export const NONE: Value = { k: 'none' };

export class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): Value | undefined {
    // Iterative: scopes chain through nested function calls only, but never trust depth.
    const own = this.vars.get(name);
    if (own !== undefined) return own;
    for (let s = this.parent; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/** Whether a value is true in Python, where that is known: plain values, sequences, dicts whose keys are all known, config sections. */
export function truthiness(v: Value): boolean | undefined {
  switch (v.k) {
    case 'bool':
      return v.v;
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v.length > 0;
    case 'none':
      return false;
    case 'seq':
      return v.items.length > 0;
    case 'dict':
      // Entries whose key was not known are left out: an empty one may not be.
      return v.entries.size > 0 ? true : undefined;
    case 'config': {
      const found = lookupConfig(v.doc, v.segments);
      return found && found.value && typeof found.value === 'object' ? Object.keys(found.value).length > 0 : undefined;
    }
    default:
      return undefined;
  }
}
