/**
 * The IR every front-end produces and every rule reads: a plain, serialisable description
 * of a Keras model, how it is compiled and fitted, and the data that reaches it.
 *
 * Keras's own vocabulary is kept for layers (`Dense`, `units`, `activation`, snake_case
 * config keys as `model.to_json()` writes them) so that a layer from Python source and a
 * layer from Keras JSON look the same. Every value that a rule may quote carries where it
 * came from (an {@link Origin}), so that a message can say "0.5, from config.json:3".
 */

import type { TensorExpr } from './tensorExpr';

export type { TensorExpr } from './tensorExpr';

/** 0-based, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file. `path` is the file as the caller named it (workspace-relative in the CLI). */
export interface SourceLocation {
  path: string;
  range: Range;
  /** For notebooks, after mapping to cells: the 0-based index of the cell (among all cells); `range` is then cell-relative. */
  cell?: number;
}

/** Where a value came from. */
export type Origin =
  /** Written in the code (or JSON topology) at this place. */
  | { kind: 'literal'; location: SourceLocation }
  /** Read from a key of a JSON config file; `location` points into that JSON file. */
  | { kind: 'config'; key: string; location: SourceLocation; via?: SourceLocation }
  /** Not written anywhere: Keras's default. `note` says which default, e.g. "Adam's default learning rate". */
  | { kind: 'default'; note: string }
  /** Derived by the analysis (e.g. `X.shape[1]`), with the place it was derived from if any. */
  | { kind: 'inferred'; note: string; location?: SourceLocation };

/** A value with its provenance. */
export interface Valued<T> {
  value: T;
  origin: Origin;
}

/** Keras layer class names that the rules and the reproduction understand; others pass through as strings. */
export type KnownLayerClass =
  | 'InputLayer'
  | 'Dense'
  | 'Dropout'
  | 'BatchNormalization'
  | 'LayerNormalization'
  | 'Normalization'
  | 'Activation'
  | 'Conv1D'
  | 'Conv2D'
  | 'Conv2DTranspose'
  | 'MaxPooling1D'
  | 'MaxPooling2D'
  | 'UpSampling1D'
  | 'UpSampling2D'
  | 'Flatten'
  | 'Reshape'
  | 'LSTM'
  | 'GRU'
  | 'SimpleRNN'
  | 'RepeatVector'
  | 'TimeDistributed'
  | 'GaussianNoise'
  | 'Lambda'
  | 'ActivityRegularization';

export type LayerClass = KnownLayerClass | (string & {});

/**
 * A layer's output in `LayerSpec.inbound`: its name for the first (or only) output, `name#i` for
 * output i (`output, h, c = LSTM(..., return_state=True)(x)`: `lstm#1` is h, `lstm#2` is c).
 */
export function outputReference(layer: string, index: number): string {
  return index === 0 ? layer : `${layer}#${index}`;
}

/** The layer and output index an `inbound` entry names (see `outputReference`). */
export function referencedOutput(reference: string): { layer: string; index: number } {
  const match = /^(.*)#(\d+)$/.exec(reference);
  return match ? { layer: match[1], index: Number(match[2]) } : { layer: reference, index: 0 };
}

export interface LayerSpec {
  /** Keras class name, e.g. `Dense`. */
  className: LayerClass;
  /** The layer's name: given (`name="bottleneck"`) or the one Keras would assign (`dense_1`). */
  name: string;
  /**
   * Keras config in Keras's vocabulary (snake_case): `units`, `activation`, `filters`,
   * `kernel_size`, `kernel_initializer`, `batch_input_shape`, ... Values are JSON values;
   * what the analysis could not resolve is absent.
   */
  config: Record<string, unknown>;
  /** Provenance per config key, for the keys whose value a message may quote. */
  origins?: Record<string, Origin>;
  /** Where the layer is constructed (the `Dense(...)` call, or the JSON object). */
  location?: SourceLocation;
  /**
   * For functional graphs: names of the layers feeding this one (`outputReference` names a layer's
   * further output, a recurrent layer's state). Empty or absent: the previous layer.
   */
  inbound?: string[];
  /**
   * A further call of a layer the graph already applies (a siamese tower applied to two inputs,
   * `shared(a)` then `shared(b)`): the name of the layer whose weights this call uses. Its own
   * name only names this call's output; it adds no weights.
   */
  sharedWith?: string;
  /**
   * `layer.trainable = False` (or a model's) written in the code, each with its place: the models
   * built from the analysis keep the value in force where each model is fitted (in `config.trainable`)
   * and drop these.
   */
  trainableAssignments?: Array<{ value: boolean; location: SourceLocation }>;
  /** A functional layer applied to an operation on tensors nanguard could not build (`keras.ops.concatenate` along the batch): why, naming the line. */
  inputProblem?: string;
  /** The sub-model this layer was defined in when an autoencoder composes an encoder and a decoder. */
  submodel?: string;
  /**
   * Arguments written in the code whose value the analysis could not follow (`units=cfg['hidden']`
   * with a config it cannot read): the argument, its source text and where it is. The reproduction
   * names them when it cannot build the layer without them.
   */
  unresolved?: UnresolvedArgument[];
  /** Arguments written with Keras 1's names (`output_dim=`, `border_mode=`), read as the current ones in `config`. */
  legacySpellings?: LegacySpelling[];
  /** `Lambda` layers: the function translated to tensor operations, when it is made of operations the reproduction knows. */
  expression?: TensorExpr;
  /**
   * A `Lambda` standing for an operation on tensors written in a functional graph (`inputs / 255.0`,
   * `keras.ops.mean(x, axis=-1)`), which Keras builds as a node of its own: the operation as written,
   * and the TensorFlow function when it is one (Keras 3 raises on a KerasTensor given to `tf.concat`; Keras 2 made a layer of it).
   */
  operation?: { text: string; tensorflowCall?: string };
  /**
   * A layer of a `keras.applications` backbone (`VGG16(include_top=False, weights='imagenet')`):
   * which one, its model's name, the weights the code asks for (`imagenet`, null for None, a path,
   * `unknown`) and whether its classifier is on top. The reproduction starts from Keras's initializers.
   */
  application?: { name: string; model: string; weights: string | null; includeTop: boolean };
  /** `Lambda` layers whose function could not be translated: why, naming the line. */
  expressionProblem?: string;
  /** An `activity_regularizer` of the program's own (a function or a `Regularizer` subclass): its penalty of the layer's output (argument 0) as tensor operations. */
  activityExpression?: TensorExpr;
  /** Such a regularizer that could not be translated: why, naming the line. */
  activityProblem?: string;
  /** A custom layer's `call` that adds losses (`self.add_loss(kl)`): each term, as an expression of the layer's inputs (argument i is input i). */
  addedLosses?: TensorExpr[];
}

/** A loss term added to the model (`model.add_loss(...)`, or a layer's `self.add_loss(...)`), which Keras adds to the compiled loss. */
export interface AddedLoss {
  /** The term; argument i is the output of the layer `tensors[i]`. Keras sums a term that is not a scalar. */
  expression: TensorExpr;
  /** Names of the layers whose outputs the term reads (an InputLayer: the model's input). */
  tensors: string[];
  /** The custom layer whose `call` adds the term; absent for `model.add_loss(...)` in the code. */
  layer?: string;
  location?: SourceLocation;
}

/** An argument written with Keras 1's name (`output_dim=`, `nb_epoch=`), read as the current one. */
export interface LegacySpelling {
  /** The name as written (`nb_epoch`, or `Convolution2D(nb_filter, nb_row, nb_col)` for a positional form). */
  written: string;
  /** The name it is read as (`epochs`); empty for an argument left out (Keras 2 dropped it: `consume_less`, Deconvolution2D's `output_shape`). */
  read: string;
  location: SourceLocation;
}

export interface UnresolvedArgument {
  /** The Keras argument (`units`, `input_shape`). */
  key: string;
  /** The expression as written (`cfg['hidden']`). */
  text: string;
  location: SourceLocation;
}

export type DataDistribution = 'rand' | 'randn' | 'uniform' | 'normal' | 'randint' | 'random' | 'standard_normal';

/** A draw of noise added to data: normal of `mean` and `std`, or uniform in [low, high). */
export type NoiseDraw = { distribution: 'normal'; mean: number; std: number } | { distribution: 'uniform'; low: number; high: number };

/** Where an array comes from, before any transform. */
export type DataSource =
  /** Written out in the code. `values` is row-major, one row per sample (a 1-D literal is one feature). */
  | { kind: 'literal'; values: number[][]; location: SourceLocation }
  /** `np.random.*` with a known shape and parameters. */
  | {
      kind: 'random';
      distribution: DataDistribution;
      shape: number[];
      low?: number;
      high?: number;
      mean?: number;
      std?: number;
      location: SourceLocation;
    }
  /** Loaded from a file (`np.load`, `np.loadtxt`, `pd.read_csv`, ...). `path` is as written in the code. */
  | { kind: 'file'; loader: string; path: string; location: SourceLocation; columns?: string[] }
  /** A slice or selection of another array (e.g. `X[:80]`): `of` names the variable. */
  | { kind: 'derived'; of: string; note: string; location: SourceLocation }
  /** Something the analysis cannot follow (a function's return value, a generator, ...). */
  | { kind: 'unknown'; note: string; location?: SourceLocation };

/** A transform applied on the way from the source to the network, in order. */
export type DataTransform =
  | { kind: 'scaler'; scaler: string; location: SourceLocation }
  /** `wholeArray`: one statistic of the whole array (`np.std(X)`, `X.max() - X.min()`), not one per column. */
  | { kind: 'divide'; by: number | 'std' | 'range' | 'max' | 'norm' | 'unknown'; epsilon: boolean; wholeArray?: true; location: SourceLocation }
  | { kind: 'subtract'; what: number | 'mean' | 'min' | 'unknown'; wholeArray?: true; location: SourceLocation }
  | { kind: 'multiply'; by: number | 'unknown'; location: SourceLocation }
  | { kind: 'log'; fn: string; guarded: boolean; location: SourceLocation }
  | { kind: 'clip'; min?: number; max?: number; location: SourceLocation }
  /** An element-wise numpy function (`np.sqrt(x)`, `np.round(x)`), by its name in core/arrays.ts's ELEMENTWISE_FUNCTIONS. */
  | { kind: 'map'; fn: string; location: SourceLocation }
  /** `np.where(x > above, high, low)`: each value past the threshold becomes `high`, the others `low` (MNIST binarized). */
  | { kind: 'threshold'; above: number; high: number; low: number; location: SourceLocation }
  | { kind: 'dropna' | 'fillna' | 'nan_to_num' | 'impute'; location: SourceLocation }
  | { kind: 'astype'; dtype: string; location: SourceLocation }
  /** `sampleWidth`: where the samples regroup (`seq.reshape((1, 9, 1))`: 9 rows of one value become one sample of 9), the values in each sample after. */
  | { kind: 'reshape'; sampleWidth?: number; location: SourceLocation }
  /** Random noise added to each value (`x + 0.5 * np.random.normal(size=x.shape)`): its draw, when known, scaled. */
  | { kind: 'noise'; draw?: NoiseDraw; location: SourceLocation }
  /**
   * `x @ m`: each row times a matrix of `columns` columns. `right` is the matrix when it is
   * `np.random.*` or written out (the reproduction then replays the product); otherwise unknown.
   */
  | { kind: 'matmul'; columns: number | null; right?: Extract<DataSource, { kind: 'random' } | { kind: 'literal' }>; location: SourceLocation }
  /**
   * `np.pad(x, ((0, 0), (2, 2), (2, 2)))`: each sample, of `sampleShape`, padded along each of its
   * axes by `widths` (before, after) with `value` (mode 'constant'); `value` null: another mode
   * (edge, reflect), whose values are not replayed.
   */
  | { kind: 'pad'; sampleShape: number[]; widths: Array<[number, number]>; value: number | null; location: SourceLocation }
  /**
   * Rows `start` to `stop` (exclusive) of the rows there are at this point, `of` in all
   * (`train = data[0:6500, :]`): kept on a data file's values so that the reproduction reads the
   * rows the program keeps, not the whole file.
   */
  | { kind: 'rows'; start: number; stop: number; of: number; location: SourceLocation }
  /**
   * `df.sample(frac=0.8, random_state=0)`: round(frac x n) of the n rows there are at this point,
   * drawn at random (`frac=1` shuffles them). The reproduction draws them with its own generator
   * seeded by `seed`, so inputs and targets cut from one sample keep the same rows; they are not
   * pandas's rows.
   */
  | { kind: 'sample'; frac: number; seed: number; location: SourceLocation }
  /**
   * `train_test_split(X, y, test_size=0.2, random_state=42)`: its train or test part of the rows
   * there are at this point, as many as scikit-learn gives (`test`, `train`: the sizes as written, a
   * fraction or a count; null when not given). The reproduction draws them with its own generator
   * seeded by `seed`, so the arrays split together keep the same rows; they are not scikit-learn's.
   */
  | { kind: 'split'; part: 'train' | 'test'; test: number | null; train: number | null; seed: number; location: SourceLocation }
  /** Columns picked by position from rows of `of` values (`x[:, 0]`, `x[:, 1:3]`), on a data file's values. */
  | { kind: 'columns'; indices: number[]; of: number; location: SourceLocation }
  /**
   * The sliding windows a sequence model trains on, cut in a loop (`X.append(x[i - 60:i, 0])`):
   * `count` samples, sample k the rows `first + k` to `first + k + width - 1` (of `of` rows)
   * one after the other, on a data file's values.
   */
  | { kind: 'windows'; first: number; count: number; width: number; of: number; location: SourceLocation }
  /** `to_categorical(y, classes)`: each integer label becomes a row of `classes` columns, 1 at its class. */
  | { kind: 'one_hot'; classes: number; location: SourceLocation }
  | { kind: 'other'; note: string; location: SourceLocation };

/** Statistics of one feature (column) of an array. NaN and infinite values are counted, not folded in. */
export interface FeatureStats {
  /** Column name when known (CSV header), else undefined. */
  name?: string;
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  nanCount: number;
  infCount: number;
  /** Median of |x| when known; used to spot outliers. */
  medianAbs?: number;
  /** Data files only: empty cells (CSV), counted in `nanCount` too, as pandas reads them as NaN. */
  emptyCount?: number;
  /** Data files only: every finite value of the column is the same. */
  constant?: boolean;
  /**
   * Data files only: the rows (from 0) of the column's NaN cells other than empty ones, its empty
   * cells and its infinite cells, while there are at most 4,096 of them; a selection of rows
   * (the `rows` and `windows` transforms) then knows which of them reach the network.
   */
  nonFiniteRows?: { nan: number[]; empty: number[]; inf: number[] };
  /** Data files only: a few values dwarf the bulk (max |x| over 50 times the median |x|). */
  heavyTail?: boolean;
}

/** How the statistics of a workspace data file were obtained (read whole, or sampled beyond a cap). */
export interface DataFileInfo {
  /** The file as the host names it. */
  path: string;
  format: 'csv' | 'npy' | 'json';
  /** Data rows (or samples) the statistics rest on. */
  rows: number;
  size: number;
  /** True when only part of the file was read. */
  sampled: boolean;
  /** One sentence: "read all 2,000 rows of data/sensors.csv", or how it was sampled. */
  note: string;
  shape?: number[];
  dtype?: string;
  /** Columns the code selected, by name, when it selected some. */
  selected?: string[];
  /** The rows the code keeps (`data[0:6500]`, windows cut in a loop), from `first` to one before `end` (from 0). */
  keptRows?: { first: number; end: number };
  problems: string[];
}

/** An array that reaches the network: training inputs, targets, or validation data. */
export interface DataSpec {
  /** The variable name in the code (`X_train`), or a description. */
  name: string;
  source: DataSource;
  transforms: DataTransform[];
  /** Shape after transforms, where known; `null` for an unknown dimension. */
  shape?: (number | null)[];
  /**
   * Per-feature statistics of the values as they reach the network (after the transforms)
   * where they are statically known: literal data, workspace files, or bounded random data.
   */
  stats?: FeatureStats[];
  /**
   * How `stats` were obtained. `bounds` means derived from a distribution's support, not from
   * values; `observed`: measured on the arrays the program passed to fit, by running it (exact,
   * after every transform).
   */
  statsKind?: 'exact' | 'sampled' | 'bounds' | 'observed';
  /**
   * The workspace data file whose values these are, followed through the code (row slices,
   * windows, reshapes, column selections by name): its path as the code names it, and the columns
   * kept (undefined: all), and where those lie in the file when the code named the columns itself
   * (`names=[...]` on a header-less file). The values are some of the file's rows, so its column ranges bound them.
   */
  valuesFrom?: { path: string; columns?: string[]; positions?: number[] };
  /**
   * Bound-based statistics of random data rescaled by its own sample statistics (a scaler fitted
   * on `np.random.*` data, `(x - x.mean(0)) / x.std(0)`), computed with the distribution's mean
   * and std standing for the sample's: the sample's extremes may pass `min` and `max` by up to
   * this much. NaN and value counts stay exact.
   */
  statsSlack?: number;
  /**
   * Statistics of the source file itself, before any transform (numeric columns the code uses),
   * when the data comes from a workspace data file. `stats` holds the values after the transforms
   * only when every transform on the way is understood.
   */
  sourceStats?: FeatureStats[];
  /** The workspace data file behind `sourceStats`. */
  dataFile?: DataFileInfo;
  /** Where the variable is defined (its last assignment before use). */
  location?: SourceLocation;
  /**
   * Assignments into the array (`X[:, 7] = 0.0`), each after the first `after` transforms. The
   * reproduction replays a constant written to a whole column or a block and names the others;
   * rules do not read them.
   */
  assignments?: ArrayAssignment[];
  /**
   * The source is an array of this one value too large to keep whole (`np.zeros((64, 64, 64,
   * 3))`): the reproduction makes it, for the assignments into it to be replayed.
   */
  filled?: { value: number; shape: number[] };
  /**
   * `pct_change()` or `diff()` on the way to this array through assignments the analysis did not
   * otherwise follow (`returns = prices.pct_change()`), with no `dropna`, `fillna` or imputer
   * after it: the statement and the method.
   */
  differenced?: { method: 'pct_change' | 'diff'; location: SourceLocation };
  /**
   * Rows of a slice (`X[1000:]`) whose shape the analysis left unknown, counted from the literal
   * row count the sliced array was made with (`X = np.random.rand(1000, 8)`).
   */
  sliceRows?: number;
  /**
   * Class labels: integers 0..classes-1 (one per sample), or (`oneHot`) their one-hot rows of
   * `classes` columns (`to_categorical`). A stand-in for them draws random classes.
   */
  labels?: { classes: number; oneHot: boolean };
  /**
   * The values as they reach the network, computed exactly by the analysis from a literal source
   * through arithmetic the reproduction has no transform for (`y = x ** 2 + 3`): the reproduction
   * trains on these rather than replaying the transforms.
   */
  values?: number[][];
}

export interface ArrayAssignment {
  after: number;
  /** The column when the assignment writes one whole column (`X[:, 7]`), else null. */
  column: number | null;
  /** The constant written, when it is one. */
  value: number | null;
  /**
   * A block written whole (`images[:, 16:48, 16:48, :] = np.random.rand(64, 32, 32, 3)`): the
   * indices along each axis (rows first), and what is written there: a constant, or draws of
   * `np.random.*` of exactly the block's shape. The reproduction replays it.
   */
  block?: { axes: number[][]; fill: { kind: 'constant'; value: number } | { kind: 'random'; distribution: DataDistribution; low?: number; high?: number; mean?: number; std?: number } };
  /** The statement, as written. */
  text: string;
  location: SourceLocation;
}

export type OptimizerClass = 'Adam' | 'SGD' | 'RMSprop' | 'Adagrad' | 'Adadelta' | 'Adamax' | 'Nadam' | 'AdamW' | 'Ftrl' | (string & {});

export interface OptimizerSpec {
  className: OptimizerClass;
  learningRate: Valued<number>;
  epsilon?: Valued<number>;
  clipnorm?: Valued<number>;
  clipvalue?: Valued<number>;
  momentum?: Valued<number>;
  /**
   * Other arguments written as numbers or booleans, in Keras's names (`beta_1`, `beta_2`,
   * `weight_decay`, `rho`, `amsgrad`, `nesterov`, `global_clipnorm`, ...), for the reproduction.
   */
  config?: Record<string, number | boolean>;
  /** A wrapper (`LossScaleOptimizer(Adam(...))`): the optimizer it wraps. */
  inner?: OptimizerSpec;
  /** The optimizer expression (`'adam'` or `Adam(...)`). */
  location?: SourceLocation;
  /** Arguments written with Keras 1's names (`lr=`). */
  legacySpellings?: LegacySpelling[];
}

export interface LossSpec {
  /** Keras loss name in snake_case (`mse`, `binary_crossentropy`, ...) or `custom`. */
  name: string;
  /** For custom losses: the Python function name. */
  functionName?: string;
  location?: SourceLocation;
  /** Custom losses: the function translated to tensor operations (argument 0 is y_true, 1 is y_pred), when it could be. */
  expression?: TensorExpr;
  /** Custom losses that could not be translated: why, naming the line. */
  expressionProblem?: string;
  /**
   * Keras 2 only: the layers whose outputs a custom loss reads without being given them (the 2016
   * keras VAE's `vae_loss` reading `z_mean`), as the expression's arguments 2, 3, ...; Keras 3
   * raises at the first batch on such a loss.
   */
  closure?: string[];
  /** The names the program gives the tensors of `closure` (`z_mean`), in the same order, for messages. */
  closureNames?: string[];
  /** `from_logits=True` on the loss, in the compile call or on the loss object it names. */
  fromLogits?: boolean;
  /**
   * `name === 'multiple'` (a loss per output): each output's loss, in the list's order, or with
   * the output's name (`output`) when compile was given a dict.
   */
  perOutput?: Array<LossSpec & { output?: string }>;
  /** `loss_weights` of compile: by position (a list) or by output name (a dict); undefined when not written or not read. */
  outputWeights?: number[] | Record<string, number>;
}

export interface CompileSpec {
  optimizer: OptimizerSpec;
  loss: LossSpec;
  location?: SourceLocation;
}

export interface CallbackSpec {
  className: string;
  /** Config as written, e.g. `{monitor: 'val_loss', patience: 10}`. */
  config: Record<string, unknown>;
  location?: SourceLocation;
}

export type ValidationSpec =
  | { kind: 'data'; x?: DataSpec; y?: DataSpec; location?: SourceLocation; /** A model with several outputs: one target per output. */ ys?: DataSpec[] }
  | { kind: 'split'; fraction: Valued<number> }
  | { kind: 'none' };

export interface FitSpec {
  epochs: Valued<number>;
  batchSize: Valued<number>;
  shuffle: Valued<boolean>;
  validation: ValidationSpec;
  callbacks: CallbackSpec[];
  location?: SourceLocation;
  /** Arguments written with Keras 1's names (`nb_epoch=`). */
  legacySpellings?: LegacySpelling[];
}

/** A numerically delicate call found in the code, for rules about log/exp/sqrt/division. */
export interface NumericOp {
  /**
   * `nan-mask`: a NaN or finiteness test, or a NaN replacement (`tf.math.is_nan`, `isfinite`,
   * `nan_to_num`, `multiply_no_nan`), on a computed value inside a loss or a `train_step`: it
   * replaces a non-finite loss instead of preventing it. Tests of the targets (missing labels) are not recorded.
   */
  fn: 'log' | 'exp' | 'sqrt' | 'pow' | 'divide' | 'reciprocal' | 'nan-mask';
  /** Where it appears: a data transform, a loss or metric function, a layer (Lambda, custom call), or elsewhere. */
  context: 'data' | 'loss' | 'layer' | 'other';
  /** The enclosing function's name, when inside a `def`. */
  functionName?: string;
  /** The enclosing class's name, when inside a `class` (a custom `Regularizer`'s `__call__`). */
  className?: string;
  /** The source text of the argument (or divisor), for messages. */
  argument: string;
  /** True when the argument is visibly kept in range: `+ eps`, `clip`, `maximum`, `softplus`, `log1p`, `abs(...) + ...`. */
  guarded: boolean;
  location: SourceLocation;
  /** The function called (`log1p`, `power`), for calls. */
  call?: string;
  /** `pow` calls: the exponent, when it is a constant (`np.power(x, 1/3)`). */
  exponent?: number;
  /** A statement `X = np.log(counts)`: the variable the result is assigned to. */
  assignedTo?: string;
  /**
   * The argument is a variable first assigned a draw of counts (`np.random.poisson`, `binomial`,
   * `randint`, `integers`, `geometric`, `negative_binomial`, `np.zeros`): the generator, whose
   * values include 0.
   */
  countsFrom?: string;
  /** Variables of the argument that an assignment in the file bounds (a clip, or a tanh, sigmoid or softplus). */
  boundedVariables?: string[];
  /** An earlier assignment in the same function clips or offsets a variable of the argument (`y_pred = K.clip(y_pred, ...)`). */
  guardedBefore?: boolean;
  /**
   * `log(1 - p)` with p clipped below an upper bound that float32 rounds to 1.0 (`1 - 1e-8`): the
   * bound and where it is written. The clip keeps nothing off 1, so 1 - p can still be exactly 0.
   */
  absorbedBound?: { value: number; location: SourceLocation };
  /** `log(1e-10 + 1 - p)`: an epsilon added to 1 before p is subtracted, which float32 rounds away (1 + 1e-10 is 1.0). */
  absorbedEpsilon?: number;
  /**
   * The custom activity regularizers (a function's or a Regularizer class's name) whose input, the
   * layer's activations, flows into the argument, in the regularizer or in a function of the file it calls.
   */
  activationsOf?: string[];
}

/** What the script does to the order of its rows before fit. */
export interface DataOrder {
  /** The first statement that sorts (`sort_values`, `sort_index`, `np.sort`, `sorted`, `argsort`). */
  sortedAt?: SourceLocation;
  /** The script shuffles somewhere (`shuffle`, `permutation`, `sample(frac=...)`, `train_test_split`). */
  shuffled: boolean;
  /** The order is time: a sort by a date or time column, or dates read or made (`parse_dates`, `to_datetime`, `date_range`). */
  chronological: boolean;
}

/** One Keras model as the analysis understands it. */
export interface ModelSpec {
  /** The variable name (`autoencoder`), or the JSON `name`. */
  name: string;
  /** The file the model is defined in. */
  path: string;
  /** How the model was defined. */
  kind: 'sequential' | 'functional' | 'subclassed' | 'json';
  /** Layers from input to output. For functional models, in topological order with `inbound` set. */
  layers: LayerSpec[];
  /** Input shape without the batch dimension, where known. */
  inputShape?: (number | null)[];
  compile?: CompileSpec;
  fit?: FitSpec;
  data: {
    /** `x` of `fit`. */
    train?: DataSpec;
    /** `y` of `fit` (for an autoencoder usually the same array as `train`). */
    target?: DataSpec;
    /**
     * Arrays a subclassed model's own `call` scales by their statistics (`(x - self.mean) /
     * tf.sqrt(self.var)`, the statistics computed from `nums` in the code): `nums` as that division leaves it.
     */
    scaledInCall?: DataSpec[];
    /** A model with several outputs fitted to a list of targets: one per output, in order. */
    targets?: DataSpec[];
    /** Arrays whose per-column statistics the model's layers compute with (TensorExpr `statistic` terms number them), as the code has them. */
    statistics?: DataSpec[];
    /** A model with several inputs (`inputNames`) fitted to a list or dict of arrays: one per input, in order. */
    trains?: DataSpec[];
  };
  /** A model with several inputs: the InputLayer of each, in the order fit takes their arrays. */
  inputNames?: string[];
  /** A functional model with several outputs: the layers that give them, in the order of `Model(outputs=[...])`. */
  outputNames?: string[];
  /** Mixed-precision policy in force (`mixed_float16`), with where it was set. */
  dtypePolicy?: Valued<string>;
  /** Numerically delicate calls in the same file (losses, sampling layers, data transforms). */
  numerics: NumericOp[];
  /** The Keras JSON topology when the model came from a JSON file (or could be rendered as one). */
  kerasJson?: unknown;
  /** The definition: the `Sequential(...)`/`Model(...)` call or the JSON object. */
  location?: SourceLocation;
  /**
   * Why the model's layers cannot be rebuilt as Keras would run them, naming the line: a
   * subclassed model whose `call` is not a chain of its layers, or that trains in its own
   * `train_step`; a `model_from_json` whose JSON nanguard cannot read. Absent when they can.
   */
  definitionProblem?: string;
  /** `Model(input=..., output=...)`: the definition's arguments written with Keras 1's names. */
  legacySpellings?: LegacySpelling[];
  /**
   * The function or method of a library module that builds and trains the model and that nothing
   * in the file calls (`LstmAutoEncoder.fit`): the analysis ran it with its arguments unknown, so
   * sizes taken from them (the data's shape) are not known.
   */
  uncalledTrainer?: { name: string; location: SourceLocation };
  /**
   * A library module's trainer that nothing in the file calls and that trains a model it is given
   * (`def train_model(model, data)`): the analysis gave it this model, which the module's builder
   * makes, and the fit is that trainer's.
   */
  givenToTrainer?: { name: string; location: SourceLocation };
  /** Source files only: what the file does to the order of its rows. */
  dataOrder?: DataOrder;
  /** A subclassed model that trains in its own `train_step`, translated: where the step is. Its loss is then `addedLosses` alone. */
  trainStep?: SourceLocation;
  /** Loss terms added to the model (add_loss, in the code or in a custom layer's call, or a translated train_step's loss). */
  addedLosses?: AddedLoss[];
  /** An added loss term that could not be translated: why, naming the line. */
  addedLossProblem?: string;
  /**
   * A GradientTape loop of the program's own that trains this model (`for x in dataset:` calling a
   * step that differentiates a loss w.r.t. `model.trainable_variables`): where its step is. When
   * translated, `compile`, `fit` and `addedLosses` hold its fit-equivalent; otherwise `problem`
   * says why not, naming the line. `minimize`: where the step calls `optimizer.minimize`, which
   * Keras 2's optimizers had and Keras 3's do not. `summed`: the loss differentiated is not reduced to
   * a number (`tf.keras.losses.MSE(x, y)` per pixel), so `tape.gradient` differentiates its sum.
   * `modelLosses`: the step's loss adds `model.losses` (`sum(vae.losses)`), which the run then adds
   * as fit does. `compiledLoss`: the step's loss is a Keras loss of the targets and the model's
   * output, read as compile's loss.
   */
  trainingLoop?: { location: SourceLocation; problem?: string; minimize?: SourceLocation; summed?: true; modelLosses?: true; compiledLoss?: true };
  /** A training loop written with `GradientTape` in a file that never calls `fit`: the first tape, and whether a `LossScaleOptimizer` appears. */
  customTrainingLoop?: { location: SourceLocation; lossScaled: boolean };
  /** A `keras.utils.Sequence` or `PyDataset` in the file whose `__len__` returns `len(...) // batch_size + 1`: that return statement. */
  sequenceLengthPlusOne?: SourceLocation;
}

/** A hyperparameter config file, keys resolved to values with their ranges. */
export interface ConfigEntry {
  key: string;
  value: unknown;
  location: SourceLocation;
}

/** Something the front-end wants the user to know about the input itself (not a NaN risk). */
export interface InputProblem {
  severity: 'error' | 'warning' | 'info';
  message: string;
  location?: SourceLocation;
  /**
   * `not-understood`: code that trains something the analysis did not follow. Shown on its line
   * in the editor too (other problems go to the log), so that "no findings" never means "checked".
   */
  code?: 'not-understood';
}

/** What a front-end returns for one file. */
export interface FileAnalysis {
  path: string;
  language: 'python' | 'notebook' | 'keras-json' | 'config-json' | 'unknown';
  models: ModelSpec[];
  /** Recognised hyperparameter keys when the file is a config JSON. */
  config?: ConfigEntry[];
  problems: InputProblem[];
  /** Suppression comments, by 0-based line of the analysed text. */
  suppressions: Suppression[];
  /**
   * Notebooks only: the code cells joined into the text that was analysed, and where each
   * cell sits in it. Locations in the IR are in this text's coordinates until mapped to cells.
   */
  notebook?: NotebookMap;
  /**
   * Python only: the calls into the program's own modules (`build_autoencoder(...)` from
   * `models.py`). What that code builds is placed at these calls; its own text is in the module,
   * so no fix edits there.
   */
  moduleCalls?: SourceLocation[];
  /**
   * Python only: lines analysed as other text than the file's (an exported notebook's
   * `get_ipython().run_cell_magic('time', '', '...')`, analysed as the code in its string).
   * Positions on them do not match the file's characters, so no fix edits there.
   */
  rewrittenLines?: SourceLocation[];
  /**
   * Only in an analysis asked to assume sizes (`AnalysisOptions.assumeUnseenSize`, for a
   * reproduction on stand-in data): each shape read from data nanguard could not see, and the
   * size its unseen dimensions took.
   */
  assumedSizes?: AssumedSize[];
}

/** A shape the code reads from data nanguard could not see (`x_good.shape` of a CSV not in the workspace), and the size assumed for it. */
export interface AssumedSize {
  /** The code, as written (`x_good.shape`). */
  text: string;
  size: number;
  location: SourceLocation;
  /** The channel axis an image layer needs past an assumed (samples, n, n) shape, assumed to be 1 (a grey image), not the unseen size. */
  channels?: true;
}

/** How a file is analysed; the defaults serve the findings. */
export interface AnalysisOptions {
  /** See EvaluationInput.assumeUnseenSize: for a reproduction on stand-in data, never for findings. */
  assumeUnseenSize?: number;
}

/** One code cell's place in a notebook's joined text. */
export interface NotebookCellSpan {
  /** Index of the cell among all cells of the notebook (markdown included), as VS Code numbers them. */
  cell: number;
  /** First line of the cell in the joined text. */
  startLine: number;
  lineCount: number;
}

/** A notebook's code cells joined in order, with the way back from a line to its cell. */
export interface NotebookMap {
  path: string;
  /** The joined Python text (IPython magics and shell lines blanked, line counts kept). */
  source: string;
  /** Code cells in order. */
  cells: NotebookCellSpan[];
  lineCount: number;
}

export interface Suppression {
  line: number;
  /** Rule ids silenced; empty means all. */
  rules: string[];
  range: Range;
}
