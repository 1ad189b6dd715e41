/**
 * Runs a Python script abstractly, statement by statement, over the values of `values.ts`:
 * statements, expressions, scopes, functions, classes and loops are here; calls of module
 * functions and classes go to one module per library in `libraries/` (numpy, pandas,
 * scikit-learn, Keras, ...), which build arrays with their statistics, layers and models, and
 * the training setup that `compile` and `fit` attach.
 *
 * Everything unknown becomes `unknown` and the walk goes on: bad input is normal input.
 * Recursion follows the syntax tree, whose depth `syntax.ts` bounds, and user-function calls,
 * whose depth is bounded here.
 */
import type { ArrayAssignment, AssumedSize, DataSource, DataTransform, Origin, SourceLocation, Valued } from '../../ir';
import { keyOf, lookupConfig, parseConfigDocument, parseYamlDocument, type ConfigDocument } from './config';
import {
  affine,
  divide,
  elementwise,
  literalArray,
  rowsArray,
  transformed,
  withNoise,
  matmul,
  subtractVector,
  divideVector,
  filledNaN,
  fileArray,
  applyScaler,
  fitScaler,
} from './data';
import { dataFormatOf, npzMemberKey } from '../../data/read';
import { callLibrary, type Args, type CallContext } from './libraries';
import { MAX_LAYER_LOOP_ITERATIONS, MAX_LOOP_ITERATIONS, oneLine, type FileRead } from './libraries/library';
import { addAssumedChannels, takesImages, tensorsOf } from './libraries/keras';
import { modelMethod } from './libraries/kerasModels';
import { scalerMethod } from './libraries/sklearn';
import { argparseMethod, PARTIAL } from './libraries/stdlib';
import { arrayMethod, reshapedAs } from './libraries/arrays';
import { randomCall } from './libraries/numpy';
import { datasetMethod } from './libraries/tfdata';
import { arangeArray, assignInto, createdFrom, currentShape, indexLists, slidingWindows, stackedArrays, indexArray, opaqueDerived, repeatedRows, selectColumns, transposed, type IndexPart } from './arrayOps';
import { keepsColumns } from '../../data/transforms';
import { canonicalPath, lastSegment, snakeCase } from './keras';
import { parseNumberText, parseStringText, pythonArithmetic, type NumericLiteral } from './literals';
import type { PyNode, PyTree } from './syntax';
import type { LineIndex } from '../../text';
import { configAttribute, layerTensors, modelLayer, modelLayers, modelTensors } from './layerAttributes';
import { topologicalOrder } from './graph';
import { recurrentStateCount, tensorShape } from './shapes';
import { asGraphValue } from './opLayers';
import { translateExpression, translateFunction, type ExpressionContext, type InlinedFunction, type Translation } from './expressions';
import { exprOutputShapeOf, exprWeights, reducesToScalar, substituteArgs, type IndexAxis, type TensorExpr } from '../../tensorExpr';
import { adaptedStatistics, normalizationExpression } from '../../keras/normalization';
import { NONE, Scope, truthiness, UNKNOWN, type ArrayObj, type ClassValue, type ColumnVector, type ModuleCode, type LayerObj, type ModelObj, type TensorObj, type Value } from './values';

/** Set in tests (NANGUARD_STRICT_EVALUATOR=1): an exception inside the evaluator fails the analysis instead of silently leaving values unknown. */
function strict(): boolean {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NANGUARD_STRICT_EVALUATOR === '1';
}
const MAX_CALL_DEPTH = 8;
/** Where a custom layer's expressions number the tensors its call closes over, until the layer is applied (see closedOver). */
const CLOSURE_ARG = 1000;

/** The arguments `CLOSURE_ARG + i` of a closure of `count` tensors renumbered `first + i`, for substituteArgs. */
function closureArguments(count: number, first: number): TensorExpr[] {
  const args: TensorExpr[] = [];
  for (let i = 0; i < count; i++) args[CLOSURE_ARG + i] = { op: 'arg', index: first + i };
  return args;
}
/** Functions never called that train, run once each after the module: a bound on the extra work. */
const MAX_UNCALLED_TRAINERS = 16;
/** Assignments into one array kept for the reproduction (a loop could write thousands). */
const MAX_ASSIGNMENTS = 32;
/** Lists and tuples are followed up to this many items (a list doubled in a loop would exhaust memory). */
const MAX_SEQ_ITEMS = 4096;
const STATEMENT_BUDGET = 400_000;
/** Methods of a Keras model that a subclass's own attributes and methods do not shadow here. */
const MODEL_METHODS = new Set(['add', 'compile', 'fit', 'fit_generator', 'build', 'summary', 'save', 'save_weights', 'load_weights', 'get_layer', 'predict', 'evaluate', 'add_loss', 'add_metric', 'to_json']);
/** The stand-in input a subclassed model's `call` is traced with; it becomes the Keras input layer's name. */
const SUBCLASS_INPUT = 'input_layer';
/** Keras's learning-rate schedules, by the end of the name they are called by. */
const LEARNING_RATE_SCHEDULE = /(^|\.)(ExponentialDecay|PiecewiseConstantDecay|CosineDecay|InverseTimeDecay|PolynomialDecay|CosineDecayRestarts|LearningRateSchedule)$/;
/** `tf.shape(x)` and its Keras spellings: a tensor's sizes as the model runs. */
const SHAPE_OF = /^(tensorflow\.shape|keras\.backend\.shape|keras\.ops\.shape|tensorflow\.keras\.backend\.shape)$/;
/** A call that trains a Keras model, as written (`vae.fit(`, `model.fit_generator(`). */
const FIT_CALL = /\.fit(_generator)?\s*\(/;

/** `model.train_on_batch(`: a loop of the program's own that trains step by step on the compiled loss. */
const TRAIN_ON_BATCH = /\.train_on_batch\s*\(/;

/** absl's flag values (`absl.flags.FLAGS`, `tf.compat.v1.flags.FLAGS`, `tf.app.flags.FLAGS`), by path. */
const FLAGS_OBJECT = /(^|\.)flags\.FLAGS$/;

/** Functions that draw normal noise (expressions.ts translates them), by canonical path. */
const NORMAL_DRAW = /^(keras\.backend\.random_normal|keras\.random\.normal|tensorflow\.random\.normal|tensorflow\.random_normal)$/;

/** Names that mean a module even without an import (notebook fragments, half-written files). */
const CONVENTIONAL_MODULES: Record<string, string> = {
  np: 'numpy',
  numpy: 'numpy',
  tf: 'tensorflow',
  tensorflow: 'tensorflow',
  keras: 'keras',
  layers: 'keras.layers',
  K: 'keras.backend',
  pd: 'pandas',
  pandas: 'pandas',
  json: 'json',
  os: 'os',
  math: 'math',
  ops: 'keras.ops',
  tfds: 'tensorflow_datasets',
};

const NUMERIC_CONSTANTS: Record<string, number> = {
  'numpy.e': Math.E,
  'numpy.pi': Math.PI,
  'numpy.nan': NaN,
  'numpy.NaN': NaN,
  'numpy.inf': Infinity,
  'numpy.Inf': Infinity,
  'math.e': Math.E,
  'math.pi': Math.PI,
  'math.nan': NaN,
  'math.inf': Infinity,
};


export type { FileRead } from './libraries/library';

export interface EvaluationInput {
  path: string;
  tree: PyTree;
  lines: LineIndex;
  /** Files read through the host, by the path as written in the code; null when unavailable. */
  files: Map<string, FileRead | null>;
  /** Shapes of workspace data files (`pd.read_csv("data.csv")`: rows and columns), by the path as written; fetched when the code asks for a shape. */
  dataShapes?: ReadonlyMap<string, (number | null)[]>;
  /** The header names of workspace CSV files, fetched with their shapes (by the path as written). */
  dataColumns?: ReadonlyMap<string, string[]>;
  /** The program's own modules the file imports, parsed, by module name (`models`, `nets.dense`). */
  modules?: ReadonlyMap<string, WorkspaceModule>;
  /**
   * For a reproduction on stand-in data only, never for findings: the size every dimension of a
   * data array's shape takes where nanguard cannot see it (`X.shape[1]` of a CSV that is not in the
   * workspace, of a module's `fit(self, data)` argument). Each use is recorded in `assumedSizes`.
   */
  assumeUnseenSize?: number;
}

/** A module of the program's own, parsed. */
export interface WorkspaceModule {
  path: string;
  tree: PyTree;
  lines: LineIndex;
  /** The program's own modules this one imports, by name as written (without leading dots). */
  imports?: ReadonlyMap<string, WorkspaceModule>;
}

// Most calls pass no keyword arguments: they share these instead of making two empty maps each.
const NO_KEYWORDS: ReadonlyMap<string, Value> = new Map();
const NO_KEYWORD_NODES: ReadonlyMap<string, PyNode> = new Map();

/** Attributes of a pandas DataFrame or Series that are not columns (`df.close` is one; `df.index` is not). */
const FRAME_ATTRIBUTES = new Set([
  'index', 'columns', 'dtypes', 'dtype', 'shape', 'size', 'ndim', 'values', 'T', 'iloc', 'loc', 'at', 'iat', 'empty', 'axes',
  'str', 'dt', 'cat', 'name', 'plot', 'array', 'flags', 'attrs', 'style', 'data', 'sparse', 'hasnans', 'is_unique', 'nbytes',
]);

/** `x.values` or `x.to_numpy()` of a pandas selection: the selection itself, for the windows it cuts. */
function withoutValues(t: PyTree, node: PyNode): PyNode {
  const call = t.type(node) === 'call' ? t.child(node, 'function') : undefined;
  const attribute = call ?? node;
  if (t.type(attribute) !== 'attribute') return node;
  const name = t.child(attribute, 'attribute');
  const object = t.child(attribute, 'object');
  if (!name || object === undefined) return node;
  const method = t.src(name);
  if ((call === undefined && method === 'values') || (call !== undefined && method === 'to_numpy')) return object;
  return node;
}

/**
 * What `a[parts] = value` writes, for the reproduction to replay: the indices along each axis and
 * a constant, or fresh `np.random.*` draws as many as the block has cells (independent draws, so
 * their order does not matter). Undefined for anything else.
 */
function writtenBlock(shape: (number | null)[], parts: IndexPart[], value: Value): ArrayAssignment['block'] {
  if (shape.some((d) => d === null)) return undefined;
  const axes = indexLists(shape as number[], parts);
  if (!axes) return undefined;
  if (value.k === 'num') return Number.isFinite(value.v) ? { axes, fill: { kind: 'constant', value: value.v } } : undefined;
  if (value.k !== 'array') return undefined;
  const drawn = value.array;
  const source = drawn.source;
  if (source.kind !== 'random' || drawn.transforms.length > 0 || !drawn.distributional) return undefined;
  const cells = axes.reduce((n, a) => n * a.length, 1);
  if (source.shape.reduce((n, d) => n * d, 1) !== cells) return undefined;
  const { distribution, low, high, mean, std } = source;
  return { axes, fill: { kind: 'random', distribution, low, high, mean, std } };
}

/** How many layers make up a model: a Sequential's items, a functional graph's producers (a bound on the walk). */
function layerCount(model: ModelObj): number {
  if (model.kind !== 'functional') return model.items.length;
  const seen = new Set<TensorObj>();
  const producers = new Set<unknown>();
  const stack = [...model.outputs];
  while (stack.length > 0 && seen.size < 10_000) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (t.producer) producers.add(t.producer);
    stack.push(...t.inputs);
  }
  return producers.size;
}

export class Evaluator implements CallContext, ModuleCode {
  readonly models: ModelObj[];
  dtypePolicy?: Valued<string>;
  /** Files the code reads that were not provided: the caller may fetch them and run again. */
  readonly missingFiles = new Set<string>();
  /** Data files whose shape the code used (`X.shape[1]`) while it was not known: the caller may read them and run again. */
  readonly wantedDataShapes = new Set<string>();
  /** Where a shape nanguard could not see took `assumeUnseenSize` (see EvaluationInput). */
  readonly assumedSizes: AssumedSize[] = [];
  /** Names of functions passed as `loss=`. */
  readonly lossFunctions = new Set<string>();
  /** Names of functions wrapped in a `Lambda` layer. */
  readonly layerFunctions = new Set<string>();
  readonly globals = new Scope();
  /** absl flags (`flags.DEFINE_integer('epochs', 10, ...)`) by name, with their defaults; one table for the file and the modules it imports, as absl keeps one. */
  readonly commandLineFlags: Map<string, Value>;

  private readonly layerCounters: Map<string, number>;
  /** The interpreters of the modules the file imports, by their path (the importing file's only). */
  private readonly moduleCode = new Map<string, Evaluator>();
  /** A module's interpreter: where, in the importing file, the code it runs now was called (every location is placed there). */
  private site: SourceLocation | undefined;
  /** The statement being run: the call site of a module's code it calls. */
  private statement: PyNode | undefined;
  /** The sites where a module's code ran (the importing file's only). */
  readonly moduleCalls: SourceLocation[] = [];
  private readonly configDocs = new Map<string, ConfigDocument>();
  private callDepth = 0;
  /** Functions and methods run at least once: the ones never run that train are run after the module. */
  private readonly calledFunctions = new Set<PyNode>();
  /** Inside a loop the walk does not follow to its end (a `while`, an unknown or cut iterable): appends leave lists partial. */
  private inexactLoops = 0;
  /** Inside a generator function's call: what its `yield`s gave so far, and the loop depth it was called at. */
  private generator: { items: Value[]; loopsAtCall: number; partial: boolean } | undefined;
  /** Whether each function called so far is a generator (a `yield` in its own body). */
  private readonly generatorFunctions = new Map<PyNode, boolean>();
  private budget = STATEMENT_BUDGET;
  private returned: Value | undefined;
  /**
   * A guard's return in a branch whose condition is not known (`if embed_size > limit: return None,
   * embed_size`): the function goes on past it, as it does when the guard does not fire, and gives
   * this back only if it returns nothing else.
   */
  private guardReturned: Value | undefined;
  /** How many `if` branches run now whose condition was not known (run as if true): a `break` under one is not the program's. */
  private undecidedBranches = 0;
  /** For each `for` loop being run over known items: the undecided branches at its start; -1 for a loop run once as a stand-in pass. */
  private readonly loopBases: number[] = [];
  /** A `break` or `continue` taken under decided branches only: the innermost loop acts on it. */
  private loopExit: 'break' | 'continue' | undefined;
  private modelIds = 0;
  /** Set while a subclassed model's `train_step` is traced: the loss its `tape.gradient` differentiates, once seen. */
  private tapeLoss: { value?: Value; node?: PyNode } | undefined;
  /**
   * The subclassed model whose `train_step` is traced: whether its `call` is running (`self(data)`
   * inside it runs `call`, once at a time), the batch it is given, the target `x, y = data` unpacks,
   * and `self.compute_loss(y=y, y_pred=y_pred)` (compile's loss) once called, with its answer.
   */
  private stepModel: { model: ModelObj; inCall: boolean; batch: TensorObj; target?: TensorObj; compiled?: { answer: Value; yTrue?: Value; yPred?: Value } } | undefined;
  /** Set while a training loop of the program's own runs its step on a stand-in batch: its gradients and optimizer steps. */
  private loopStep: LoopStep | undefined;
  /** The `for epoch in range(n)` being run, for a training loop inside it. */
  private epochLoop: { count: number; node: PyNode } | undefined;
  /** Training loops of the program's own already followed (an epoch loop runs its body several times). */
  private readonly followedLoops = new Set<PyNode>();
  /** Loop bodies by whether they train a model step by step (see trainsInLoop). */
  private readonly tapeBodies = new Map<PyNode, boolean>();
  /** Set while a subclassed model's `call` is traced: the first operation that is not a layer call. */
  private trace:
    | { first?: { node: PyNode; why: string }; scaled?: ArrayObj[]; inputs?: TracedInputs; statistics?: ArrayObj[]; layerCalls?: Map<PyNode, Value>; model?: ModelObj }
    | undefined;

  /** The syntax tree the statements are read from. */
  private readonly t: PyTree;

  constructor(
    private readonly input: EvaluationInput,
    /** For a module's interpreter: the importing file's, which holds the models and Keras's layer names. */
    private readonly importer?: Evaluator,
  ) {
    this.t = input.tree;
    this.models = importer ? importer.models : [];
    this.layerCounters = importer ? importer.layerCounters : new Map();
    this.commandLineFlags = importer ? importer.commandLineFlags : new Map();
  }

  // ---- locations and text

  loc(node: PyNode): SourceLocation {
    if (this.site) return this.site;
    const { lines, path } = this.input;
    return { path, range: { start: lines.positionAt(this.t.start(node)), end: lines.positionAt(this.t.end(node)) } };
  }

  src(node: PyNode): string {
    return this.t.src(node);
  }

  dataShape(path: string): readonly (number | null)[] | undefined {
    return this.input.dataShapes?.get(path);
  }

  dataColumns(path: string): readonly string[] | undefined {
    return this.input.dataColumns?.get(path);
  }

  /**
   * The array `name` of an `.npz` archive (`np.load(path)[name]`): a read of the file with the
   * member as its one "column", shaped as its `.npy` header says once the host has read it.
   */
  private npzMember(archive: Extract<DataSource, { kind: 'file' }>, name: string, location: SourceLocation): ArrayObj {
    const array = fileArray(archive.loader, archive.path, location);
    array.source = { ...archive, columns: [name], location };
    const key = npzMemberKey(archive.path, name);
    array.filePath = key;
    const shape = this.dataShape(key);
    if (shape) array.shape = [...shape];
    else this.wantDataShape(key);
    return array;
  }

  /** A frame as read from a data file, with the file's header names when they are known: `df.iloc[:, 1:2]` then reads column 'Open' by name. */
  private withHeaderNames(a: ArrayObj): ArrayObj {
    if (a.columnNames || !a.filePath || a.source.kind !== 'file' || a.source.columns || !keepsColumns(a.transforms) || a.assignments) return a;
    const names = this.dataColumns(a.filePath);
    const width = a.shape?.length === 2 ? a.shape[1] : null;
    return names && width === names.length ? { ...a, columnNames: [...names] } : a;
  }

  wantDataShape(path: string): void {
    if (!this.input.dataShapes?.has(path)) (this.importer ?? this).wantedDataShapes.add(path);
  }

  nodeType(node: PyNode): string {
    return this.t.type(node);
  }

  get scriptPath(): string {
    return this.input.path;
  }

  readFile(path: string): FileRead | null | undefined {
    const read = this.input.files.get(path);
    if (read === undefined) (this.importer ?? this).missingFiles.add(path);
    return read;
  }

  setDtypePolicy(policy: Valued<string>): void {
    this.dtypePolicy = policy;
  }

  noteLayerFunction(name: string): void {
    this.layerFunctions.add(name);
  }

  noteLossFunction(name: string): void {
    this.lossFunctions.add(name);
  }

  nodeChildren(node: PyNode): PyNode[] {
    return this.t.children(node);
  }

  private literal(node: PyNode): Origin {
    return { kind: 'literal', location: this.loc(node) };
  }

  // ---- statements

  run(): void {
    this.execBlock(this.t.children(this.t.root), this.globals);
    this.runUncalledTrainers();
  }

  /** The uncalled trainer running (see runUncalledTrainers), for the models it builds. */
  private uncalledTrainer?: { name: string; location: SourceLocation };

  /**
   * Library modules define the code that trains and never call it (`class LstmAutoEncoder` with a
   * `fit` method, a `train(data)` function for another script to import). Each module-level
   * function or method that calls `.fit(` and was not called above runs once with unknown
   * arguments, so that the model it builds and trains is still seen: its shapes are unknown
   * where they come from the arguments.
   */
  private runUncalledTrainers(): void {
    type Member = { fn: Extract<Value, { k: 'fn' }>; cls?: ClassValue };
    const uncalled: Member[] = [];
    for (const value of this.globals.vars.values()) {
      if (value.k === 'fn' && !this.calledFunctions.has(value.node)) uncalled.push({ fn: value });
      if (value.k === 'class' && !value.isModel && !value.isLayer) {
        for (const member of value.members?.values() ?? []) if (member.k === 'fn' && !this.calledFunctions.has(member.node)) uncalled.push({ fn: member, cls: value });
      }
    }
    const trainers = uncalled.filter(({ fn }) => this.callsFit(fn.node));
    // `def train_model(model, data, epochs)`: the model is an argument. The module's builders
    // (`def create_autoencoder(...)`: return Model(...)) run first, and the model they build is the one given.
    const takesModel = new Map(trainers.map(({ fn }) => [fn.node, this.fittedParameter(fn.node)]));
    const builders = [...takesModel.values()].some((p) => p !== undefined) ? uncalled.filter((m) => !trainers.includes(m) && this.buildsModel(m.fn.node)) : [];
    const nameOf = ({ fn, cls }: Member): string => (cls ? `${cls.name}.${fn.name}` : fn.name);
    // A class's builder and trainer share one instance: `self.autoencoder` set by one is read by the other.
    const instances = new Map<ClassValue, Value>();
    const instanceOf = (cls: ClassValue | undefined, fn: Extract<Value, { k: 'fn' }>): Value | undefined => {
      if (!cls || fn.static) return undefined;
      let self = instances.get(cls);
      if (!self) instances.set(cls, (self = this.instantiateObject(cls, { positional: [], positionalNodes: [], keywords: new Map(), keywordNodes: NO_KEYWORD_NODES })));
      return self;
    };
    const run = (member: Member, keywords: Map<string, Value>): Value | undefined => {
      const { fn, cls } = member;
      this.uncalledTrainer = { name: nameOf(member), location: this.loc(fn.node) };
      try {
        return this.callUser(fn, { positional: [], positionalNodes: [], keywords, keywordNodes: NO_KEYWORD_NODES }, instanceOf(cls, fn));
      } catch (error) {
        if (strict()) throw error;
        return undefined;
      } finally {
        this.uncalledTrainer = undefined;
      }
    };
    const built: ModelObj[] = [];
    for (const builder of builders.slice(0, MAX_UNCALLED_TRAINERS)) {
      if (this.budget <= 0) return;
      const before = this.models.length;
      const returned = run(builder, new Map());
      if (returned?.k === 'model') built.push(returned.model);
      else built.push(...this.models.slice(before).filter((m) => !m.usedInside && m.kind !== 'subclassed'));
    }
    // Of several (an encoder, a decoder and the autoencoder of both), the one with the most layers: the whole model.
    const given = built.reduce<ModelObj | undefined>((best, m) => (!best || layerCount(m) > layerCount(best) ? m : best), undefined);
    for (const trainer of trainers.slice(0, MAX_UNCALLED_TRAINERS)) {
      if (this.budget <= 0) return;
      if (this.calledFunctions.has(trainer.fn.node)) continue;
      const parameter = takesModel.get(trainer.fn.node);
      if (parameter !== undefined && given) given.givenToTrainer ??= { name: nameOf(trainer), location: this.loc(trainer.fn.node) };
      run(trainer, parameter !== undefined && given ? new Map([[parameter, { k: 'model', model: given } as Value]]) : new Map());
    }
  }

  /** The parameter of `fnNode` that a `.fit(` in its body is called on (`model` in `def train(model, x): model.fit(x, x)`). */
  private fittedParameter(fnNode: PyNode): string | undefined {
    const parameters = this.t.child(fnNode, 'parameters');
    const names = new Set((parameters === undefined ? [] : this.t.children(parameters)).map((p) => this.parameterName(p)));
    names.delete('self');
    for (const callee of this.calleesIn(fnNode)) {
      const receiver = this.methodOf(callee) === 'fit' ? this.t.child(callee, 'object') : undefined;
      if (receiver !== undefined && this.t.type(receiver) === 'identifier' && names.has(this.src(receiver))) return this.src(receiver);
    }
    return undefined;
  }

  /** Whether `fnNode` constructs a Keras model (`Model(...)`, `keras.Sequential(...)`). */
  private buildsModel(fnNode: PyNode): boolean {
    for (const callee of this.calleesIn(fnNode)) if (/(^|\.)(Model|Sequential)$/.test(this.src(callee))) return true;
    return false;
  }

  /** The callee of each call in a function (its body and defaults), in order. */
  private *calleesIn(fnNode: PyNode): Generator<PyNode> {
    const end = this.t.subtreeEnd(fnNode);
    const CALL = this.t.typeIdOf('call');
    for (let node = fnNode; node < end; node++) {
      if (this.t.typeId(node) !== CALL) continue;
      const callee = this.t.child(node, 'function');
      if (callee !== undefined) yield callee;
    }
  }

  /** `fit` of a callee `x.fit`; undefined for a plain name. */
  private methodOf(callee: PyNode): string | undefined {
    if (this.t.type(callee) !== 'attribute') return undefined;
    const attribute = this.t.child(callee, 'attribute');
    return attribute === undefined ? undefined : this.src(attribute);
  }

  /**
   * `for i in range(a, b): L.append(x[i:i + w])` over more starts than a loop is followed for:
   * the sliding windows a sequence model trains on, recognised whole. L (empty before the loop)
   * becomes the list of those windows, and `np.array(L)` or `np.stack(L)` their stacked array.
   * `ofFilesOnly`: only windows of a data file's values (a loop short enough to follow item by item otherwise).
   */
  private appendsWindows(target: PyNode, body: PyNode, range: LoopRange, scope: Scope, ofFilesOnly = false): boolean {
    // One append, or (the `create_dataset(X, y, time_steps)` of many LSTM tutorials) a window named
    // first, appended, and the value after it appended to a second list: `v = X.iloc[i:(i + w)].values;
    // Xs.append(v); ys.append(y.iloc[i + w])`. The `split_sequence` of others names the end first and
    // breaks past the data: `end_ix = i + n_steps; if end_ix > len(seq) - 1: break;
    // seq_x, seq_y = seq[i:end_ix], seq[end_ix]`.
    const statements = this.t.children(body).filter((n) => this.t.type(n) !== 'comment');
    if (statements.length === 0 || statements.length > 6) return false;
    const named = new Map<string, PyNode>();
    const appended: { list: Extract<Value, { k: 'seq' }>; rows: ArrayObj }[] = [];
    for (const statement of statements) {
      if (this.t.type(statement) === 'if_statement') {
        const stop = this.breakStop(statement, target, scope, named);
        if (stop === undefined) return false;
        range = { ...range, stop: Number.isNaN(range.stop) ? stop : Math.min(range.stop, stop) };
        continue;
      }
      if (this.t.type(statement) !== 'expression_statement') return false;
      const inner = this.t.children(statement)[0];
      if (inner !== undefined && this.t.type(inner) === 'assignment') {
        const left = this.t.child(inner, 'left');
        const right = this.t.child(inner, 'right');
        if (!left || !right) return false;
        if (this.t.type(left) === 'identifier') {
          named.set(this.src(left), right);
          continue;
        }
        // `seq_x, seq_y = seq[i:end_ix], seq[end_ix]`: each name its expression.
        // (The tree keeps no punctuation: a list's children are its items.)
        const names = this.t.type(left) === 'pattern_list' || this.t.type(left) === 'tuple_pattern' ? this.t.children(left) : [];
        const values = this.t.type(right) === 'expression_list' || this.t.type(right) === 'tuple' ? this.t.children(right) : [];
        if (names.length < 2 || names.length !== values.length || names.some((n) => this.t.type(n) !== 'identifier')) return false;
        names.forEach((n, k) => named.set(this.src(n), values[k]));
        continue;
      }
      if (inner === undefined || this.t.type(inner) !== 'call') return false;
      const callee = this.t.child(inner, 'function');
      const args = this.t.child(inner, 'arguments');
      if (!callee || !args || this.t.type(callee) !== 'attribute') return false;
      const method = this.t.child(callee, 'attribute');
      const owner = this.t.child(callee, 'object');
      const argNodes = this.t.children(args);
      if (!method || !owner || this.src(method) !== 'append' || this.t.type(owner) !== 'identifier' || argNodes.length !== 1) return false;
      const list = this.lookup(this.src(owner), scope);
      if (list.k !== 'seq' || list.tuple || list.items.length > 0 || list.windows || appended.some((a) => a.list === list)) return false;
      const argument = this.t.type(argNodes[0]) === 'identifier' ? named.get(this.src(argNodes[0])) ?? argNodes[0] : argNodes[0];
      const values = withoutValues(this.t, argument);
      const rows = this.windowsOf(target, values, range, scope, inner, named) ?? (appended.length > 0 ? this.rowsAfterWindows(target, values, range, scope, inner, named) : undefined);
      if (!rows || (ofFilesOnly && rows.source.kind !== 'file')) return false;
      appended.push({ list, rows });
    }
    if (appended.length === 0) return false;
    for (const { list, rows } of appended) {
      list.partial = true;
      list.windows = rows;
    }
    return true;
  }

  /**
   * `if end_ix > len(seq) - 1: break` in a loop over i, with `end_ix` i plus a number: the stop of
   * the values of i the loop runs through (`>`: up to the bound less the offset, `>=`: one fewer).
   * Undefined for any other `if`.
   */
  private breakStop(statement: PyNode, target: PyNode, scope: Scope, named: ReadonlyMap<string, PyNode>): number | undefined {
    const condition = this.unparenthesized(this.t.child(statement, 'condition'));
    const consequence = this.t.child(statement, 'consequence');
    if (!condition || !consequence || this.t.child(statement, 'alternative') !== undefined || this.t.type(target) !== 'identifier') return undefined;
    const body = this.t.children(consequence).filter((n) => this.t.type(n) !== 'comment');
    if (body.length !== 1 || this.t.type(body[0]) !== 'break_statement' || this.t.type(condition) !== 'comparison_operator') return undefined;
    const operands = this.t.children(condition);
    if (operands.length !== 2) return undefined;
    const [left, right] = operands;
    const operator = this.t.operatorBetween(left, right);
    const offset = this.loopVarOffset(left, this.src(target), scope, named);
    const bound = this.eval(right, scope);
    if (offset === undefined || bound.k !== 'num' || !Number.isInteger(bound.v)) return undefined;
    if (operator === '>=') return bound.v - offset;
    if (operator === '>') return bound.v - offset + 1;
    return undefined;
  }

  /** `i`, `i + k`, `i - k` (and `end_ix - 1` of those) with k a whole number the code gives, also through names the loop's body gives (`end_ix = i + n_steps`): the offset, else undefined. */
  private loopVarOffset(n: PyNode | undefined, loopVar: string, scope: Scope, named?: ReadonlyMap<string, PyNode>, depth = 0): number | undefined {
    let node = this.unparenthesized(n);
    for (let hops = 0; hops < 4 && node !== undefined && this.t.type(node) === 'identifier' && this.src(node) !== loopVar && named?.has(this.src(node)); hops++) {
      node = this.unparenthesized(named.get(this.src(node)));
    }
    if (node === undefined) return undefined;
    if (this.src(node) === loopVar) return 0;
    // `end_ix - 1`: an offset of i, plus or minus a number.
    const left = this.t.child(node, 'left');
    const right = this.t.child(node, 'right');
    if (this.t.type(node) !== 'binary_operator' || !left || !right || depth > 4) return undefined;
    const operator = this.t.operatorBetween(left, right);
    if (operator !== '+' && operator !== '-') return undefined;
    const base = this.loopVarOffset(left, loopVar, scope, named, depth + 1);
    const k = base === undefined ? undefined : this.eval(right, scope);
    if (base === undefined || k?.k !== 'num' || !Number.isInteger(k.v)) return undefined;
    return operator === '+' ? base + k.v : base - k.v;
  }

  /** The expression inside any parentheses around it. */
  private unparenthesized(n: PyNode | undefined): PyNode | undefined {
    while (n !== undefined && this.t.type(n) === 'parenthesized_expression') n = this.t.children(n)[0];
    return n;
  }

  /**
   * `y[i + w]` or `y.iloc[i + w]` appended beside windows of width w: the value that follows each
   * window, the rows of y from w on, as many as the loop runs (to the end when that is not known).
   * Any offset of i (`y[i]` beside windows that end at i, `y[end_ix]` with `end_ix = i + n_steps`).
   */
  private rowsAfterWindows(target: PyNode, expr: PyNode, range: LoopRange, scope: Scope, node: PyNode, named?: ReadonlyMap<string, PyNode>): ArrayObj | undefined {
    if (this.t.type(target) !== 'identifier' || this.t.type(expr) !== 'subscript' || range.step !== 1) return undefined;
    const object = this.t.child(expr, 'value');
    const subscripts = this.t.childrenOf(expr, 'subscript');
    if (!object || subscripts.length < 1 || subscripts.length > 2) return undefined;
    // `y[i, 0]` beside windows of one column: the rows of that column.
    const column = subscripts.length === 2 ? this.eval(subscripts[1], scope) : undefined;
    if (column !== undefined && (column.k !== 'num' || !Number.isInteger(column.v))) return undefined;
    const offset = this.loopVarOffset(subscripts[0], this.src(target), scope, named);
    const whole = this.eval(object, scope);
    if (offset === undefined || whole.k !== 'array' || range.start + offset < 0) return undefined;
    const start = range.start + offset;
    const stop = Number.isNaN(range.stop) ? undefined : range.stop + offset;
    const rows = indexArray(whole.array, [{ kind: 'slice', start, ...(stop !== undefined ? { stop } : {}) }, ...(column?.k === 'num' ? [{ kind: 'int' as const, value: column.v }] : [])], this.src(node), this.loc(node));
    return rows === undefined || typeof rows === 'number' ? undefined : rows;
  }

  /**
   * `range(len(values) - w + 1)` over values whose length is not known: the start and step, the
   * stop unknown (NaN). Windows cut over it have an unknown count but a known width.
   */
  private rangeOfUnknownStop(iterable: PyNode, scope: Scope): LoopRange | undefined {
    if (this.t.type(iterable) !== 'call') return undefined;
    const callee = this.t.child(iterable, 'function');
    const args = this.t.child(iterable, 'arguments');
    if (!callee || !args || this.src(callee) !== 'range') return undefined;
    const builtin = this.lookup('range', scope);
    if (builtin.k !== 'ref' || builtin.path !== 'range') return undefined;
    const argNodes = this.t.children(args);
    if (argNodes.length < 1 || argNodes.length > 3 || argNodes.some((a) => this.t.type(a) === 'keyword_argument' || this.t.type(a) === 'list_splat')) return undefined;
    const numberAt = (i: number, fallback: number): number => {
      if (argNodes[i] === undefined) return fallback;
      const v = this.eval(argNodes[i], scope);
      return v.k === 'num' ? v.v : NaN;
    };
    const start = argNodes.length === 1 ? 0 : numberAt(0, 0);
    const step = numberAt(2, 1);
    return Number.isFinite(start) && Number.isFinite(step) ? { start, stop: NaN, step } : undefined;
  }

  /**
   * `x[i:i + w]`, `x[i - w:i]` (any offsets of i at both ends, also through names the loop's body
   * gives) or either of some columns (`x[i - w:i, 0]`, `x[i:i + w, 0:3]`) with i the loop variable
   * over `range`: the stacked windows, when x is an array that holds them all.
   */
  private windowsOf(target: PyNode, expr: PyNode, range: LoopRange, scope: Scope, node: PyNode, named?: ReadonlyMap<string, PyNode>): ArrayObj | undefined {
    if (this.t.type(target) !== 'identifier' || this.t.type(expr) !== 'subscript' || range.step !== 1) return undefined;
    const loopVar = this.src(target);
    const object = this.t.child(expr, 'value');
    const subscripts = this.t.childrenOf(expr, 'subscript');
    if (!object || subscripts.length < 1 || subscripts.length > 2 || this.t.type(subscripts[0]) !== 'slice') return undefined;
    // `x[i - w:i, 0]`: the windows of column 0, as those of `x[:, 0]`; `x[i:i + w, 0:3]` those of `x[:, 0:3]`.
    const columns = subscripts.length === 2 ? this.indexParts([subscripts[1]], scope) : [];
    if (!columns || (columns.length === 1 && columns[0].kind !== 'int' && columns[0].kind !== 'slice')) return undefined;
    // A start and a stop around one colon (no step): `x[i:(i + w)]` as `x[i:i + w]`; `x[i:end_ix]` through `end_ix = i + n_steps`.
    const slice = subscripts[0];
    const parts = this.t.children(slice);
    const colon = this.src(slice).indexOf(':');
    if (parts.length !== 2 || colon < 0 || this.src(slice).indexOf(':', colon + 1) >= 0 || this.t.start(parts[0]) - this.t.start(slice) > colon || this.t.start(parts[1]) - this.t.start(slice) < colon) return undefined;
    const first = this.loopVarOffset(parts[0], loopVar, scope, named);
    const end = this.loopVarOffset(parts[1], loopVar, scope, named);
    if (first === undefined || end === undefined || end <= first) return undefined;
    const whole = this.eval(object, scope);
    if (whole.k !== 'array') return undefined;
    const array = columns.length === 0 ? whole.array : indexArray(whole.array, [{ kind: 'slice' }, ...columns], `${this.src(object)}[:, ${this.src(subscripts[1])}]`, this.loc(node));
    if (array === undefined || typeof array === 'number') return undefined;
    const firstStart = range.start + first;
    // A negative start counts from the end in Python: not a window of the rows in order.
    if (firstStart < 0) return undefined;
    // An unknown stop (the length of data nanguard cannot see): as many windows as the data holds, a count not known.
    const starts = Number.isNaN(range.stop) ? null : Math.max(0, Math.ceil(range.stop - range.start));
    return slidingWindows(array, end - first, firstStart, starts, this.src(node), this.loc(node));
  }

  /** Whether a function is a generator: a `yield` in its body, not in a function or lambda nested in it. */
  private isGenerator(fnNode: PyNode): boolean {
    // Asked at every call of the function (a loop calls it up to 64 times): its body is read once.
    const known = this.generatorFunctions.get(fnNode);
    if (known !== undefined) return known;
    let found = false;
    const end = this.t.subtreeEnd(fnNode);
    // By name: the grammar's `yield` keyword shares the expression's name, so its number is not the node's.
    for (let node = fnNode + 1; node < end && !found; node++) {
      const type = this.t.type(node);
      if (type === 'function_definition' || type === 'lambda') node = this.t.subtreeEnd(node) - 1;
      else if (type === 'yield') found = true;
    }
    this.generatorFunctions.set(fnNode, found);
    return found;
  }

  /** Whether a function's body calls `something.fit(...)` (a Keras fit, or a wrapper's). */
  private callsFit(fnNode: PyNode): boolean {
    for (const callee of this.calleesIn(fnNode)) if (this.methodOf(callee) === 'fit') return true;
    return false;
  }

  /** Executes statements in order; stops at `return`. */
  private execBlock(statements: PyNode[], scope: Scope): void {
    for (const statement of statements) {
      if (this.returned !== undefined || this.budget <= 0 || this.loopExit) return;
      this.budget--;
      this.statement = statement;
      try {
        this.execStatement(statement, scope);
      } catch (error) {
        // An analysis bug on one statement must not cost the user the rest of the file; tests
        // (NANGUARD_STRICT_EVALUATOR=1) want to see it instead.
        if (strict()) throw error;
      }
    }
  }

  private execStatement(node: PyNode, scope: Scope): void {
    switch (this.t.type(node)) {
      case 'expression_statement':
        for (const c of this.t.children(node)) this.evalStatementExpression(c, scope);
        return;
      case 'import_statement':
        return this.execImport(node, scope);
      case 'import_from_statement':
        return this.execImportFrom(node, scope);
      case 'function_definition': {
        const name = this.t.child(node, 'name');
        if (name) scope.vars.set(this.src(name), { k: 'fn', node, name: this.src(name), scope, ...(this.importer ? { home: this } : {}) });
        return;
      }
      case 'decorated_definition': {
        const def = this.t.child(node, 'definition');
        if (!def) return;
        const decorators = this.t.children(node).filter((c) => c !== def).map((c) => this.src(c));
        this.execStatement(def, scope);
        const name = this.t.child(def, 'name');
        const bound = name ? scope.vars.get(this.src(name)) : undefined;
        if (bound?.k === 'fn' && decorators.some((d) => /^@\s*staticmethod\b/.test(d))) bound.static = true;
        if (bound?.k === 'class' && decorators.some((d) => /^@\s*(dataclasses\.)?dataclass\b/.test(d))) bound.dataclass = true;
        return;
      }
      case 'class_definition':
        return this.execClass(node, scope);
      case 'if_statement':
        return this.execIf(node, scope);
      case 'for_statement':
        return this.execFor(node, scope);
      case 'while_statement': {
        const body = this.t.child(node, 'body');
        if (body) this.standInPass(body, scope);
        return;
      }
      case 'with_statement':
        return this.execWith(node, scope);
      case 'try_statement': {
        const body = this.t.childOfType(node, 'block');
        if (body) this.execBlock(this.t.children(body), scope);
        const fin = this.t.childOfType(node, 'finally_clause');
        const finBody = fin ? this.t.childOfType(fin, 'block') : undefined;
        if (finBody) this.execBlock(this.t.children(finBody), scope);
        return;
      }
      case 'break_statement':
      case 'continue_statement': {
        const base = this.loopBases[this.loopBases.length - 1];
        if (base !== undefined && base === this.undecidedBranches) this.loopExit = this.t.type(node) === 'break_statement' ? 'break' : 'continue';
        return;
      }
      case 'return_statement': {
        const value = this.t.children(node)[0];
        const returned = value ? this.eval(value, scope) : NONE;
        if (this.undecidedBranches > 0 && guardValue(returned)) this.guardReturned ??= returned;
        else this.returned = returned;
        return;
      }
      case 'block':
      case 'ERROR':
      case 'module':
        // Half-typed code: tree-sitter wraps what it could not place; statements inside still count.
        for (const c of this.t.children(node)) {
          if (this.returned !== undefined || this.loopExit) return;
          if (isStatementType(this.t.type(c))) this.execStatement(c, scope);
          else this.evalStatementExpression(c, scope);
        }
        return;
      default:
        return;
    }
  }

  private evalStatementExpression(node: PyNode, scope: Scope): void {
    if (this.t.type(node) === 'assignment') this.execAssignment(node, scope);
    else if (this.t.type(node) === 'augmented_assignment') this.execAugmented(node, scope);
    else this.eval(node, scope);
  }

  private execImport(node: PyNode, scope: Scope): void {
    for (const item of this.t.childrenOf(node, 'name')) {
      // `import models as m`: the module's names as attributes of an object.
      const moduleName = this.t.type(item) === 'aliased_import' ? this.t.child(item, 'name') : item;
      const code = moduleName !== undefined ? this.moduleOf(this.src(moduleName).replace(/\s+/g, ''), node) : undefined;
      if (code && moduleName !== undefined) {
        const alias = this.t.type(item) === 'aliased_import' ? this.t.child(item, 'alias') : undefined;
        const bound = alias !== undefined ? this.src(alias) : this.src(moduleName).replace(/\s+/g, '');
        if (!bound.includes('.')) scope.vars.set(bound, { k: 'object', className: 'module', attrs: code.globals.vars });
        continue;
      }
      if (this.t.type(item) === 'aliased_import') {
        const name = this.t.child(item, 'name');
        const alias = this.t.child(item, 'alias');
        if (name && alias) scope.vars.set(this.src(alias), { k: 'ref', path: this.src(name).replace(/\s+/g, '') });
      } else if (this.t.type(item) === 'dotted_name') {
        const full = this.src(item).replace(/\s+/g, '');
        const first = full.split('.')[0];
        scope.vars.set(first, { k: 'ref', path: first });
      }
    }
  }

  // ---- the program's own modules

  /** Where the code running now was called from, in the file analysed: a statement of it, or the site a module's code runs for. */
  private callSite(node?: PyNode): SourceLocation {
    if (this.site) return this.site;
    const at = this.statement ?? node;
    return at !== undefined ? this.loc(at) : { path: this.input.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  }

  /** The interpreter of a module the file imports, its top level run once (placed at the import). */
  private moduleOf(name: string, importNode: PyNode): Evaluator | undefined {
    const root = this.importer ?? this;
    // The modules this file imports (the script's, or a module's own), each run once however many import it.
    const module = this.input.modules?.get(name);
    if (!module || module.path === root.input.path) return undefined;
    const known = root.moduleCode.get(module.path);
    if (known) return known;
    const code = new Evaluator({ path: module.path, tree: module.tree, lines: module.lines, files: root.input.files, dataShapes: root.input.dataShapes, dataColumns: root.input.dataColumns, assumeUnseenSize: root.input.assumeUnseenSize, modules: module.imports }, root);
    root.moduleCode.set(module.path, code);
    code.site = this.callSite(importNode);
    root.moduleCalls.push(code.site);
    try {
      code.execBlock(code.t.children(code.t.root), code.globals);
    } finally {
      code.site = undefined;
    }
    return code;
  }

  private runAt<T>(site: SourceLocation, run: () => T): T {
    const saved = this.site;
    this.site = site;
    (this.importer ?? this).moduleCalls.push(site);
    try {
      return run();
    } finally {
      this.site = saved;
    }
  }

  callIn(fn: Extract<Value, { k: 'fn' }>, positional: Value[], keywords: ReadonlyMap<string, Value>, self: Value | undefined, site: SourceLocation): Value {
    return this.runAt(site, () => this.callUser(fn, { positional, positionalNodes: [], keywords, keywordNodes: NO_KEYWORD_NODES }, self));
  }

  instantiateIn(cls: ClassValue, positional: Value[], keywords: ReadonlyMap<string, Value>, site: SourceLocation): Value {
    return this.runAt(site, () => this.instantiate(cls, { positional, positionalNodes: [], keywords, keywordNodes: NO_KEYWORD_NODES }, cls.node));
  }

  callLambdaIn(fn: Extract<Value, { k: 'lambda' }>, positional: Value[], keywords: ReadonlyMap<string, Value>, site: SourceLocation): Value {
    return this.runAt(site, () => this.callFunction(fn, positional, keywords));
  }

  private execImportFrom(node: PyNode, scope: Scope): void {
    const moduleNode = this.t.child(node, 'module_name');
    if (!moduleNode) return;
    const modulePath = this.src(moduleNode).replace(/\s+/g, '').replace(/^\.+/, '');
    const code = this.moduleOf(modulePath, node);
    if (code) {
      // `from params import *`: every public name the module defines (a settings file beside the program).
      if (/\bimport\s*\*\s*$/.test(this.src(node))) {
        for (const [name, value] of code.globals.vars) if (!name.startsWith('_')) scope.vars.set(name, value);
        return;
      }
      // Names the module defines are its values; others (its own imports of libraries) stay names.
      for (const item of this.t.childrenOf(node, 'name')) {
        const nameNode = this.t.type(item) === 'aliased_import' ? this.t.child(item, 'name') : item;
        const aliasNode = this.t.type(item) === 'aliased_import' ? this.t.child(item, 'alias') : item;
        if (!nameNode || !aliasNode) continue;
        const value = code.globals.vars.get(this.src(nameNode));
        scope.vars.set(this.src(aliasNode), value ?? { k: 'ref', path: `${modulePath}.${this.src(nameNode)}` });
      }
      return;
    }
    for (const item of this.t.childrenOf(node, 'name')) {
      if (this.t.type(item) === 'aliased_import') {
        const name = this.t.child(item, 'name');
        const alias = this.t.child(item, 'alias');
        if (name && alias) scope.vars.set(this.src(alias), { k: 'ref', path: `${modulePath}.${this.src(name)}` });
      } else if (this.t.type(item) === 'dotted_name' || this.t.type(item) === 'identifier') {
        const name = this.src(item);
        scope.vars.set(name, { k: 'ref', path: `${modulePath}.${name}` });
      }
    }
  }

  private execClass(node: PyNode, scope: Scope): void {
    const nameNode = this.t.child(node, 'name');
    if (!nameNode) return;
    const bases = this.t.child(node, 'superclasses');
    let isModel = false;
    let isLayer = false;
    const baseClasses: Value[] = [];
    for (const base of bases ? this.t.children(bases) : []) {
      const value = this.eval(base, scope);
      const path = value.k === 'ref' ? canonicalPath(value.path) : value.k === 'class' ? (value.isModel ? 'keras.Model' : value.isLayer ? 'keras.layers.Layer' : '') : '';
      const last = lastSegment(path);
      if (last === 'Model' || last === 'Sequential') isModel = true;
      if (last === 'Layer') isLayer = true;
      if (value.k === 'class') baseClasses.push(value);
    }
    // The body's names: class attributes (`hidden = 64`) and methods, read when the class is defined, as Python does.
    const members = new Scope(scope);
    const body = this.t.child(node, 'body');
    const saved = this.returned;
    this.returned = undefined;
    if (body) this.execBlock(this.t.children(body), members);
    this.returned = saved;
    const fields = body !== undefined ? this.annotatedNames(body) : [];
    const cls: ClassValue = { k: 'class', node, name: this.src(nameNode), isModel, isLayer, scope, members: members.vars, bases: baseClasses, fields, ...(this.importer ? { home: this } : {}) };
    scope.vars.set(this.src(nameNode), cls);
  }

  /** The names a class body annotates, in order (`hidden: int = 64`, `latent_dim: int`). */
  private annotatedNames(body: PyNode): string[] {
    const names: string[] = [];
    for (const statement of this.t.children(body)) {
      const inner = this.t.type(statement) === 'expression_statement' ? this.t.children(statement)[0] : undefined;
      if (inner === undefined || this.t.type(inner) !== 'assignment') continue;
      const left = this.t.child(inner, 'left');
      const right = this.t.child(inner, 'right');
      const annotated = this.t.child(inner, 'type') !== undefined || (left !== undefined && right !== undefined && this.t.operatorBetween(left, right) === ':');
      if (annotated && left !== undefined && this.t.type(left) === 'identifier') names.push(this.src(left));
    }
    return names;
  }

  /** A class attribute or method, looked up through the bases. */
  private classMember(cls: ClassValue, name: string, depth = 0): Value | undefined {
    const own = cls.members?.get(name);
    if (own !== undefined || depth > 8) return own;
    for (const base of cls.bases ?? []) {
      if (base.k !== 'class') continue;
      const found = this.classMember(base, name, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private execIf(node: PyNode, scope: Scope): void {
    const condition = this.t.child(node, 'condition');
    const value = condition ? this.eval(condition, scope) : UNKNOWN;
    const known = truthiness(value);
    const consequence = this.t.child(node, 'consequence');
    // A training switch that is off (`TRAINING_MODE = False`, then `if TRAINING_MODE: vae.fit(...)` else
    // load the weights): the training the file does when it trains is the one to reproduce, so its branch is
    // followed, as one whose condition is not known.
    const trainingSwitch = known === false && condition !== undefined && this.t.type(condition) === 'identifier' && consequence !== undefined && FIT_CALL.test(this.src(consequence));
    if (known !== false || trainingSwitch) {
      if (consequence) this.execUnder(known === undefined || trainingSwitch, () => this.execBlock(this.t.children(consequence), scope));
      // The branches not followed may append to lists too (`if is_test: X_test.append(seq) else: X_train.append(seq)`): those lists hold only some of their items.
      if (known === undefined) for (const alt of this.t.childrenOf(node, 'alternative')) this.markAppendedPartial(alt, scope);
      return;
    }
    for (const alt of this.t.childrenOf(node, 'alternative')) {
      if (this.t.type(alt) === 'else_clause') {
        const body = this.t.childOfType(alt, 'block');
        if (body) this.execBlock(this.t.children(body), scope);
        return;
      }
      if (this.t.type(alt) === 'elif_clause') {
        const cond = this.t.child(alt, 'condition');
        const taken = cond ? truthiness(this.eval(cond, scope)) : undefined;
        if (taken === false) continue;
        const body = this.t.child(alt, 'consequence');
        if (body) this.execUnder(taken === undefined, () => this.execBlock(this.t.children(body), scope));
        return;
      }
    }
  }

  /** Marks the lists a block not followed appends to (`X.append(...)`, `X.extend(...)`) as partial: some of their items are not known. */
  private markAppendedPartial(block: PyNode, scope: Scope): void {
    const end = this.t.subtreeEnd(block);
    const CALL = this.t.typeIdOf('call');
    for (let node = block; node < end; node++) {
      if (this.t.typeId(node) !== CALL) continue;
      const callee = this.t.child(node, 'function');
      if (callee === undefined || this.t.type(callee) !== 'attribute') continue;
      const method = this.t.child(callee, 'attribute');
      const object = this.t.child(callee, 'object');
      if (method === undefined || object === undefined || this.t.type(object) !== 'identifier' || !/^(append|extend)$/.test(this.src(method))) continue;
      const list = scope.lookup(this.src(object));
      if (list?.k === 'seq') list.partial = true;
    }
  }

  /** Runs a branch, counted as undecided when its condition was not known. */
  private execUnder(undecided: boolean, run: () => void): void {
    if (undecided) this.undecidedBranches++;
    try {
      run();
    } finally {
      if (undecided) this.undecidedBranches--;
    }
  }

  private execFor(node: PyNode, scope: Scope): void {
    const target = this.t.child(node, 'left');
    const iterable = this.t.child(node, 'right');
    const body = this.t.child(node, 'body');
    if (!target || !iterable || !body) return;
    const value = this.eval(iterable, scope);
    if (this.followTrainingLoop(node, target, iterable, body, value, scope)) return;
    // `for epoch in range(n)`: a training loop of the program's own inside runs n epochs.
    const savedEpochs = this.epochLoop;
    const wrapped = this.progressBarOf(iterable);
    const epochs = wrapped !== undefined ? this.rangeLength(wrapped, this.eval(wrapped, scope)) : this.rangeLength(iterable, value);
    if (epochs !== undefined) this.epochLoop = { count: epochs, node: wrapped ?? iterable };
    try {
      this.iterate(target, iterable, body, value, scope);
    } finally {
      this.epochLoop = savedEpochs;
    }
  }

  /** A loop whose items are not known (or a while loop) runs its body once, as a stand-in pass: inexact, and no break or continue in it is the program's. */
  private standInPass(body: PyNode, scope: Scope): void {
    this.inexactLoops++;
    this.loopBases.push(-1);
    try {
      this.execBlock(this.t.children(body), scope);
    } finally {
      this.inexactLoops--;
      this.loopBases.pop();
      this.loopExit = undefined;
    }
  }

  private iterate(target: PyNode, iterable: PyNode, body: PyNode, value: Value, scope: Scope): void {
    const items = this.itemsOf(value, iterable);
    if (!items) {
      const openRange = this.rangeOfUnknownStop(iterable, scope);
      if (openRange && this.appendsWindows(target, body, openRange, scope)) return;
      this.bindTarget(target, UNKNOWN, scope);
      this.standInPass(body, scope);
      return;
    }
    if (value.k === 'seq' && value.partial && value.range && this.appendsWindows(target, body, value.range, scope)) return;
    // Some of the items, none of them known (a generator that yields in a loop nanguard could not follow): one stand-in pass, so that what the body appends is known to be partial.
    if (items.length === 0 && value.k === 'seq' && value.partial) {
      this.bindTarget(target, UNKNOWN, scope);
      this.standInPass(body, scope);
      return;
    }
    // A short loop cutting windows of a data file's values: recognised whole too, so that they stay the file's (replayed from it).
    if (value.k === 'seq' && !value.partial && value.range && this.appendsWindows(target, body, value.range, scope, true)) return;
    // A loop over a model's layers (`for layer in base.layers: layer.trainable = False` of a ResNet50's 175) goes through them all.
    const limit = items.length > 0 && items.every((i) => i.k === 'layer' || i.k === 'model') ? MAX_LAYER_LOOP_ITERATIONS : MAX_LOOP_ITERATIONS;
    // A loop cut short: lists it appends to hold only some of their items.
    const inexact = items.length > limit || (value.k === 'seq' && value.partial === true);
    if (inexact) this.inexactLoops++;
    this.loopBases.push(this.undecidedBranches);
    try {
      for (const item of items.slice(0, limit)) {
        if (this.returned !== undefined || this.budget <= 0) return;
        this.bindTarget(target, item, scope);
        this.execBlock(this.t.children(body), scope);
        const exit = this.loopExit;
        this.loopExit = undefined;
        if (exit === 'break') return;
      }
    } finally {
      if (inexact) this.inexactLoops--;
      this.loopBases.pop();
      this.loopExit = undefined;
    }
  }

  private execWith(node: PyNode, scope: Scope): void {
    const clause = this.t.childOfType(node, 'with_clause');
    for (const item of clause ? this.t.children(clause).filter((c) => this.t.type(c) === 'with_item') : []) {
      const inner = this.t.children(item)[0];
      if (!inner) continue;
      if (this.t.type(inner) === 'as_pattern') {
        const valueNode = this.t.child(inner, 'value');
        const alias = this.t.child(inner, 'alias');
        const value = valueNode ? this.eval(valueNode, scope) : UNKNOWN;
        const targetNode = alias ? (this.t.type(alias) === 'as_pattern_target' ? this.t.children(alias)[0] : alias) : undefined;
        if (targetNode) this.bindTarget(targetNode, value, scope);
      } else this.eval(inner, scope);
    }
    const body = this.t.child(node, 'body');
    if (body) this.execBlock(this.t.children(body), scope);
  }

  private execAssignment(node: PyNode, scope: Scope): void {
    const left = this.t.child(node, 'left');
    const right = this.t.child(node, 'right');
    if (!left || !right) return;
    // `latent_dim: int` annotates a name and binds nothing (the syntax copy reads the type as the right side).
    if (this.t.child(node, 'type') === undefined && this.t.operatorBetween(left, right) === ':') return;
    const value = this.t.type(right) === 'assignment' ? this.evalChainedAssignment(right, scope) : this.eval(right, scope);
    this.bindTarget(left, value, scope, node);
  }

  private evalChainedAssignment(node: PyNode, scope: Scope): Value {
    this.execAssignment(node, scope);
    const left = this.t.child(node, 'left');
    return left ? this.eval(left, scope) : UNKNOWN;
  }

  private execAugmented(node: PyNode, scope: Scope): void {
    const left = this.t.child(node, 'left');
    const right = this.t.child(node, 'right');
    if (!left || !right) return;
    const op = this.t.operatorBetween(left, right).replace(/=$/, '');
    const value = this.binary(op, this.eval(left, scope), this.eval(right, scope), node, left, right);
    this.bindTarget(left, value, scope, node);
  }

  private bindTarget(target: PyNode, value: Value, scope: Scope, statement?: PyNode): void {
    switch (this.t.type(target)) {
      case 'identifier': {
        const name = this.src(target);
        if (this.loopStep && value.k === 'texpr' && drawsNoise(value.expr)) value = this.noiseAsTensor(value, statement ?? target);
        scope.vars.set(name, value);
        if (value.k === 'array' && value.array.name === undefined) {
          value.array.name = name;
          value.array.location = this.loc(statement ?? target);
        }
        if (value.k === 'model' && value.model.variable === undefined) value.model.variable = name;
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'parenthesized_expression': {
        const targets = this.t.children(target);
        if (this.t.type(target) === 'parenthesized_expression') {
          if (targets[0]) this.bindTarget(targets[0], value, scope, statement);
          return;
        }
        // `x, y = data` (or `x, y, sample_weight = data`) in a traced train_step: the batch's inputs and fit's targets.
        const step = this.stepModel;
        if (value.k === 'tensor' && step && value.tensor === step.batch && (targets.length === 2 || targets.length === 3)) {
          step.target ??= { producer: { spec: { className: 'InputLayer', name: 'target', config: { name: 'target' } }, placeholder: true }, inputs: [] };
          const parts: Value[] = [value, { k: 'tensor', tensor: step.target }, UNKNOWN];
          targets.forEach((t, i) => this.bindTarget(t, parts[i], scope, statement));
          return;
        }
        // `cats, nums = inputs` in a traced call: the model's inputs, one each.
        const inputParts = value.k === 'tensor' ? this.inputParts(value.tensor, targets.length) : undefined;
        const outputs = value.k === 'tensor' ? (inputParts ?? this.modelOutputs(value.tensor, targets.length)) : undefined;
        if (value.k === 'tensor' && !outputs) this.untraced(statement ?? target, 'it unpacks a tensor');
        const items = value.k === 'seq' ? value.items : value.k === 'array' ? exactItems(value.array, targets.length, this.loc(statement ?? target)) : outputs;
        targets.forEach((t, i) => this.bindTarget(t, items?.[i] ?? UNKNOWN, scope, statement));
        return;
      }
      case 'subscript': {
        if (this.assignEntry(target, value, scope)) return;
        // `X[:, 7] = 0.0`, `df.iloc[3, 1] = np.nan`: written into the array's values or statistics; the reproduction replays it.
        let object = this.t.child(target, 'value');
        const attribute = object && this.t.type(object) === 'attribute' ? this.t.child(object, 'attribute') : undefined;
        const iloc = attribute !== undefined && this.src(attribute) === 'iloc';
        if (iloc && object) object = this.t.child(object, 'object');
        if (!object || this.t.type(object) !== 'identifier') return;
        const owner = this.lookup(this.src(object), scope);
        if (owner.k !== 'array') return;
        const subscripts = this.t.childrenOf(target, 'subscript');
        // `x[np.isnan(x)] = 0`: the NaN cells take the value, as `np.nan_to_num` or `fillna` would give (the reproduction replays a fill).
        if (subscripts.length === 1 && value.k === 'num' && !iloc && scope.vars.get(this.src(object)) === owner) {
          const mask = this.eval(subscripts[0], scope);
          if (mask.k === 'array' && mask.array.nanMaskOf === owner.array) {
            const location = this.loc(statement ?? target);
            const filled = filledNaN(owner.array, { kind: 'fillna', location }, value.v);
            filled.name = owner.array.name;
            filled.location = location;
            scope.vars.set(this.src(object), { k: 'array', array: filled });
            return;
          }
        }
        const positional = !owner.array.frame || iloc;
        const parts = positional ? this.indexParts(subscripts, scope) : undefined;
        // The shape before this write: assignInto may forget the rows that told it.
        const shapeBefore = currentShape(owner.array);
        assignInto(owner.array, parts, value.k === 'num' ? value.v : undefined);
        if ((owner.array.assignments?.length ?? 0) >= MAX_ASSIGNMENTS) return;
        const whole = subscripts.length === 2 && this.t.type(subscripts[0]) === 'slice' && this.src(subscripts[0]).trim() === ':';
        const column = whole ? this.eval(subscripts[1], scope) : UNKNOWN;
        const where = statement ?? target;
        const block = parts && shapeBefore ? writtenBlock(shapeBefore, parts, value) : undefined;
        owner.array.assignments = [
          ...(owner.array.assignments ?? []),
          {
            after: owner.array.transforms.length,
            column: column.k === 'num' && Number.isInteger(column.v) && column.v >= 0 ? column.v : null,
            value: value.k === 'num' ? value.v : null,
            ...(block ? { block } : {}),
            text: this.src(where).slice(0, 120),
            location: this.loc(where),
          },
        ];
        return;
      }
      case 'attribute': {
        const object = this.t.child(target, 'object');
        const attribute = this.t.child(target, 'attribute');
        if (!object || !attribute) return;
        const owner = this.eval(object, scope);
        const name = this.src(attribute);
        if (name === 'trainable' && value.k === 'bool' && (owner.k === 'layer' || owner.k === 'model')) {
          // `base.trainable = False`, `layer.trainable = False` in a loop over `base.layers`: frozen layers, as Keras trains them.
          const layers = owner.k === 'layer' ? [{ k: 'layer', layer: owner.layer } as Value] : modelLayers(owner.model);
          const assignment = { value: value.v, location: this.loc(target) };
          const assign = (layer: LayerObj): void => void (layer.spec.trainableAssignments ??= []).push(assignment);
          for (const item of layers) {
            if (item.k === 'layer') assign(item.layer);
            else if (item.k === 'model') for (const inner of modelLayers(item.model)) if (inner.k === 'layer') assign(inner.layer);
          }
          if (owner.k === 'layer') return;
        }
        // `df.columns = ['image_name', 'speed', 'angle']`: the frame's columns renamed, by position.
        if (owner.k === 'array' && name === 'columns' && value.k === 'seq' && value.items.every((i) => i.k === 'str')) {
          const a = owner.array;
          const header = a.columnNames ?? (a.filePath ? this.dataColumns(a.filePath) : undefined);
          if (!header && a.filePath) this.wantDataShape(a.filePath);
          if (header && header.length === value.items.length) {
            a.fileColumnNames ??= [...header];
            a.columnNames = value.items.map((i) => (i as { v: string }).v);
          }
          return;
        }
        if (owner.k === 'model') {
          owner.model.attributes ??= new Map();
          owner.model.attributes.set(name, value);
          if (value.k === 'model' && value.model.variable === undefined) value.model.variable = name;
        } else if (owner.k === 'config') {
          // `cfg.units = 32` on an attribute dict (EasyDict) of a loaded config.
          writeEntry(owner, name, value);
        } else if (owner.k === 'object') {
          owner.attrs.set(name, value);
          if (value.k === 'model' && value.model.variable === undefined) value.model.variable = name;
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * `params["units"] = 32`, `cfg["model"]["lr"] = 0.01`: an entry written into a dict or a loaded
   * config, read back by later lookups; false when the target is not one (an array's cells).
   */
  private assignEntry(target: PyNode, value: Value, scope: Scope): boolean {
    const object = this.t.child(target, 'value');
    const subscripts = this.t.childrenOf(target, 'subscript');
    if (object === undefined || subscripts.length !== 1 || this.t.type(subscripts[0]) === 'slice') return false;
    const type = this.t.type(object);
    if (type !== 'identifier' && type !== 'subscript' && type !== 'attribute') return false;
    const owner = type === 'identifier' ? this.lookup(this.src(object), scope) : this.eval(object, scope);
    if (owner.k !== 'dict' && owner.k !== 'config') return false;
    const key = this.eval(subscripts[0], scope);
    if (key.k === 'str' || (key.k === 'num' && owner.k === 'config')) writeEntry(owner, key.v, value);
    else if (owner.k === 'dict') owner.partial = true;
    return true;
  }

  // ---- expressions

  eval(node: PyNode, scope: Scope): Value {
    switch (this.t.type(node)) {
      case 'integer':
      case 'float': {
        const v = parseNumberText(this.src(node));
        return Number.isNaN(v) ? UNKNOWN : { k: 'num', v, origin: this.literal(node) };
      }
      case 'string': {
        const text = this.src(node);
        const s = /^[rRbBuU]?[fF]|^[fF][rR]/.test(text) ? this.formatted(parseStringText(text), scope) : parseStringText(text);
        return s === undefined ? UNKNOWN : { k: 'str', v: s, origin: this.literal(node) };
      }
      case 'concatenated_string': {
        let out = '';
        for (const part of this.t.children(node)) {
          const s = parseStringText(this.src(part));
          if (s === undefined) return UNKNOWN;
          out += s;
        }
        return { k: 'str', v: out, origin: this.literal(node) };
      }
      case 'true':
      case 'false':
        return { k: 'bool', v: this.t.type(node) === 'true', origin: this.literal(node) };
      case 'none':
        return NONE;
      case 'identifier':
        return this.lookup(this.src(node), scope);
      case 'attribute':
        return this.evalAttribute(node, scope);
      case 'call':
        return this.evalCall(node, scope);
      case 'numlist': {
        const numbers = this.t.numbers(node);
        return numbers ? { k: 'array', array: literalArray(numbers, this.loc(node)) } : UNKNOWN;
      }
      case 'list':
      case 'tuple':
      case 'expression_list':
        return { k: 'seq', items: this.t.children(node).map((c) => this.eval(c, scope)), tuple: this.t.type(node) !== 'list' };
      case 'parenthesized_expression': {
        const inner = this.t.children(node)[0];
        return inner ? this.eval(inner, scope) : UNKNOWN;
      }
      case 'dictionary': {
        const entries = new Map<string, Value>();
        let partial = false;
        for (const pair of this.t.children(node)) {
          const type = this.t.type(pair);
          if (type === 'dictionary_splat') {
            // `{**defaults, "units": 32}`: the other dict's entries, then the ones after override them.
            const inner = this.t.children(pair)[0];
            const merged = inner !== undefined ? this.entriesOf(this.eval(inner, scope), inner) : undefined;
            if (merged) for (const [k, v] of merged) entries.set(k, v);
            else partial = true;
            continue;
          }
          if (type !== 'pair') continue;
          const key = this.t.child(pair, 'key');
          const value = this.t.child(pair, 'value');
          const k = key ? this.eval(key, scope) : UNKNOWN;
          if (k.k === 'str' && value) entries.set(k.v, this.eval(value, scope));
          else partial = true;
        }
        return partial ? { k: 'dict', entries, partial: true } : { k: 'dict', entries };
      }
      case 'binary_operator': {
        const left = this.t.child(node, 'left');
        const right = this.t.child(node, 'right');
        if (!left || !right) return UNKNOWN;
        const op = this.t.operatorBetween(left, right);
        return this.binary(op, this.eval(left, scope), this.eval(right, scope), node, left, right);
      }
      case 'unary_operator': {
        const arg = this.t.child(node, 'argument');
        if (!arg) return UNKNOWN;
        const v = this.eval(arg, scope);
        const op = this.t.text.slice(this.t.start(node), this.t.start(arg)).trim();
        if (v.k === 'num') return { k: 'num', v: op === '-' ? -v.v : op === '~' ? ~v.v : v.v, origin: op === '-' && v.origin.kind === 'literal' ? this.literal(node) : v.origin };
        if (v.k === 'array' && op === '-') return { k: 'array', array: affine(v.array, { kind: 'multiply', by: -1, location: this.loc(node) }, -1, 0) };
        // `-tf.reduce_sum(cross_ent, axis=[1, 2, 3])`: the negated term (a loss's sign).
        if ((v.k === 'texpr' || v.k === 'tensor') && op === '-') return this.symbolicBinary('*', { k: 'num', v: -1, origin: { kind: 'inferred', note: this.src(node) } }, v, node);
        if (v.k === 'unknown' && v.why) return v;
        return UNKNOWN;
      }
      case 'subscript':
        return this.evalSubscript(node, scope);
      case 'comparison_operator': {
        // `x[:, 0] > 0.5`: a boolean array the shape of the array compared, for a mask.
        const operands = this.t.children(node);
        const values = operands.map((c) => this.eval(c, scope));
        const compared = values.find((v) => v.k === 'array');
        if (compared?.k !== 'array') return this.comparison(node, operands, values);
        const mask: ArrayObj = { ...opaqueDerived(compared.array, this.src(node), this.loc(node)), shape: currentShape(compared.array), mask: true };
        // `images > .5`: kept with the array and the number, for `np.where(images > .5, 1.0, 0.0)`.
        const [left, right] = values;
        const operator = values.length === 2 ? this.t.operatorBetween(operands[0], operands[1]) : '';
        if (left === compared && right.k === 'num' && operator === '>') mask.aboveMaskOf = { array: compared.array, above: right.v };
        // `rng.random(shape) < 0.3`: the same as -x > -0.3, for a mask made numbers (`.astype('float32')`).
        if (left === compared && right.k === 'num' && operator === '<') mask.aboveMaskOf = { array: affine(compared.array, { kind: 'multiply', by: -1, location: this.loc(node) }, -1, 0), above: -right.v };
        return { k: 'array', array: mask };
      }
      case 'not_operator': {
        const argument = this.t.child(node, 'argument');
        const t = argument !== undefined ? truthiness(this.eval(argument, scope)) : undefined;
        return t === undefined ? UNKNOWN : { k: 'bool', v: !t, origin: { kind: 'inferred', note: this.src(node), location: this.loc(node) } };
      }
      case 'lambda':
        return { k: 'lambda', node, scope, ...(this.importer ? { home: this } : {}) };
      case 'yield': {
        // A generator's items: its call returns them as a list, partial when a loop of its own was not followed to the end.
        const value = this.t.children(node)[0];
        if (this.generator && value !== undefined && this.src(node).startsWith('yield') && !/^yield\s+from\b/.test(this.src(node))) {
          this.generator.items.push(this.eval(value, scope));
          if (this.inexactLoops > this.generator.loopsAtCall) this.generator.partial = true;
        } else if (this.generator) this.generator.partial = true;
        return UNKNOWN;
      }
      case 'list_comprehension':
      case 'generator_expression':
      case 'set_comprehension':
        return this.evalComprehension(node, scope);
      case 'conditional_expression': {
        const cond = this.t.child(node, 'condition');
        const chosen = cond && truthiness(this.eval(cond, scope)) === false ? this.t.child(node, 'alternative') : this.t.child(node, 'consequence');
        return chosen ? this.eval(chosen, scope) : UNKNOWN;
      }
      case 'boolean_operator': {
        const left = this.t.child(node, 'left');
        const right = this.t.child(node, 'right');
        if (!left || !right) return UNKNOWN;
        const l = this.eval(left, scope);
        const op = this.t.operatorBetween(left, right);
        const t = truthiness(l);
        if (op === 'or') return t === true ? l : t === false ? this.eval(right, scope) : l.k === 'unknown' ? this.eval(right, scope) : l;
        return t === false ? l : this.eval(right, scope);
      }
      case 'assignment':
      case 'named_expression': {
        if (this.t.type(node) === 'assignment') this.execAssignment(node, scope);
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private lookup(name: string, scope: Scope): Value {
    const found = scope.lookup(name);
    if (found) return found;
    if (CONVENTIONAL_MODULES[name]) return { k: 'ref', path: CONVENTIONAL_MODULES[name] };
    if (name === 'True' || name === 'False') return { k: 'bool', v: name === 'True', origin: { kind: 'inferred', note: name } };
    // Builtins and Keras names used without an import resolve by their own name.
    return { k: 'ref', path: name };
  }

  private evalAttribute(node: PyNode, scope: Scope): Value {
    const object = this.t.child(node, 'object');
    const attribute = this.t.child(node, 'attribute');
    if (!object || !attribute) return UNKNOWN;
    const owner = this.eval(object, scope);
    const name = this.src(attribute);
    switch (owner.k) {
      case 'ref': {
        const path = `${owner.path}.${name}`;
        const constant = NUMERIC_CONSTANTS[path];
        if (constant !== undefined) return { k: 'num', v: constant, origin: this.literal(node) };
        // `FLAGS.epochs`: the flag's default, as a script run without flags sees it.
        const flag = FLAGS_OBJECT.test(owner.path) ? this.commandLineFlags.get(name) : undefined;
        if (flag) return flag;
        return { k: 'ref', path };
      }
      case 'array': {
        const a = owner.array;
        if (name === 'shape') {
          const shape = a.rows ? [a.rows.length, ...(a.shape ?? []).slice(1)] : a.shape;
          if ((!shape || shape.includes(null)) && a.filePath && !this.input.dataShapes?.has(a.filePath)) this.wantedDataShapes.add(a.filePath);
          if (this.input.assumeUnseenSize !== undefined && (!shape || shape.slice(1).includes(null))) return this.assumedShape(shape, node);
          if (!shape) return UNKNOWN;
          return {
            k: 'seq',
            tuple: true,
            items: shape.map((d) => (d === null ? UNKNOWN : { k: 'num', v: d, origin: { kind: 'inferred', note: `${this.src(node)}`, location: this.loc(node) } })),
          };
        }
        if (name === 'values') return a.frame ? { k: 'array', array: { ...a, frame: undefined } } : owner;
        // `df.close`: a column by attribute, as `df['close']` (columns of a file are known by their names in the code only).
        if (a.frame && (a.columnNames ? a.columnNames.includes(name) : !FRAME_ATTRIBUTES.has(name))) return { k: 'array', array: selectColumns(a, [name], true, this.src(node), this.loc(node)) };
        if (name === 'T') return { k: 'array', array: transposed(a, this.src(node), this.loc(node)) };
        // `df.iloc[...]` indexes by position, as numpy does (see evalSubscript).
        if (name === 'data' || (name === 'iloc' && a.frame)) return owner;
        return UNKNOWN;
      }
      case 'model': {
        const attr = owner.model.attributes?.get(name);
        if (attr) return attr;
        const member = owner.model.cls ? this.classMember(owner.model.cls, name) : undefined;
        if (member !== undefined && member.k !== 'fn') return member;
        if (name === 'layers') return { k: 'seq', tuple: false, items: modelLayers(owner.model) };
        // `vae.losses` in a training loop's step or a train_step: the terms its layers add, summed by summedModelLosses.
        if (name === 'losses' && (this.loopStep || this.stepModel)) return { k: 'object', className: MODEL_LOSSES, attrs: new Map([['model', owner]]) };
        if (name === 'name') return { k: 'str', v: owner.model.kerasName, origin: { kind: 'inferred', note: this.src(node), location: this.loc(node) } };
        // `model.optimizer.apply_gradients(...)` in a loop of the program's own: the optimizer compile gave it.
        if (name === 'optimizer' && owner.model.compile) return { k: 'optimizer', optimizer: owner.model.compile.optimizer };
        return this.tensorAttribute(modelTensors(owner.model), name, node);
      }
      case 'layer': {
        const tensors = layerTensors(owner.layer, this.models);
        if (['input', 'inputs', 'output', 'outputs', 'input_shape', 'output_shape'].includes(name)) return this.tensorAttribute(tensors, name, node);
        // A Dense layer's weights, read by another layer (a tied-weights decoder's `self.dense.weights[0]`, `self.dense.kernel`).
        const weights = owner.layer.spec.className === 'Dense' ? denseWeights(owner.layer, tensors ? tensorShape(tensors.input) : undefined, this.src(node)) : undefined;
        // denseWeights gives the kernel, then the bias when the layer has one.
        if (weights && name === 'kernel') return weights[0];
        if (weights && name === 'bias') return weights[1] ?? UNKNOWN;
        if (weights && ['weights', 'trainable_weights', 'variables', 'trainable_variables'].includes(name)) return { k: 'seq', tuple: false, items: weights };
        return configAttribute(owner.layer, name, this.loc(node), this.src(node)) ?? UNKNOWN;
      }
      case 'dict':
        // A nested dict of an attribute dict (`cfg.model.units` of an EasyDict).
        return owner.entries.get(name) ?? UNKNOWN;
      case 'config': {
        // An attribute dict (EasyDict) of a loaded config: `cfg.model.units` reads a key.
        const keys = configKeys(owner);
        return keys?.includes(name) ? this.configValue(owner, name, node) : UNKNOWN;
      }
      case 'file':
        if (name === 'parent') return { k: 'file', path: owner.path.includes('/') ? owner.path.replace(/\/[^/]*$/, '') : '.' };
        return UNKNOWN;
      case 'object': {
        const attr = owner.attrs.get(name);
        if (attr !== undefined) return attr;
        // `parser.parse_args().__dict__`: the attributes as a dict, as vars() gives them.
        if (name === '__dict__') return { k: 'dict', entries: new Map(owner.attrs) };
        const member = owner.cls ? this.classMember(owner.cls, name) : undefined;
        return member !== undefined && member.k !== 'fn' ? member : UNKNOWN;
      }
      case 'class': {
        // `Lambda(VAE.sampling)`: a function looked up on its class is the plain function (no self bound), as in Python 3.
        return this.classMember(owner, name) ?? UNKNOWN;
      }
      case 'tensor':
        if (name === 'shape') {
          const shape = tensorShape(owner.tensor);
          return shape ? this.shapeValue(shape, node) : UNKNOWN;
        }
        return UNKNOWN;
      case 'texpr': {
        // `(x + res).shape`, `inputs.shape[-1]` of a residual sum passed on: the operation's output shape.
        if (name !== 'shape') return UNKNOWN;
        const inputs = owner.tensors.map((t) => tensorShape(t));
        const shape = inputs.every((s) => s !== undefined) ? exprOutputShapeOf(owner.expr, inputs as (number | null)[][]) : null;
        return shape ? this.shapeValue(shape, node) : UNKNOWN;
      }
      case 'unknown':
        // A value nanguard could not follow whose shape the code reads is data (a module's `fit(self, data)` argument).
        if (name === 'shape' && this.input.assumeUnseenSize !== undefined) return this.assumedShape(undefined, node);
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /** `x.input`, `x.output` of a layer or model (a tensor of the graph), and Keras 2's `input_shape` and `output_shape` (their shapes). */
  private tensorAttribute(tensors: { input?: TensorObj; output?: TensorObj } | undefined, name: string, node: PyNode): Value {
    const tensor = name.startsWith('input') ? tensors?.input : tensors?.output;
    if (!tensor) return UNKNOWN;
    if (name === 'input_shape' || name === 'output_shape') {
      const shape = tensorShape(tensor);
      return shape ? this.shapeValue(shape, node) : UNKNOWN;
    }
    return ['input', 'inputs', 'output', 'outputs'].includes(name) ? { k: 'tensor', tensor } : UNKNOWN;
  }

  /**
   * A data array's shape with `assumeUnseenSize` where it is not known. The number of samples
   * stays unknown: it sizes no layer.
   */
  private assumedShape(shape: (number | null)[] | undefined, node: PyNode): Value {
    const size = this.input.assumeUnseenSize as number;
    const location = this.loc(node);
    const text = this.src(node);
    this.recordAssumedSize(text, size, location);
    // Of unknown rank: three dimensions, so that `x.shape[2]` (windows of features) reads one too; `n, d = x.shape` binds the first two.
    const dims = shape ?? [null, null, null];
    return {
      k: 'seq',
      tuple: true,
      items: dims.map((d, i) => {
        if (d !== null) return { k: 'num', v: d, origin: { kind: 'inferred', note: text, location } };
        if (i === 0) return UNKNOWN;
        return { k: 'num', v: size, origin: { kind: 'inferred', note: `${text}[${i}], assumed ${size}: nanguard could not see the data`, location } };
      }),
    };
  }

  /**
   * An f-string's text with each `{name}` replaced by the name's whole number or string (`f"p{i}"`
   * in a comprehension); undefined when a field is anything else (an expression, a format spec, a
   * float), rather than a wrong text.
   */
  private formatted(body: string | undefined, scope: Scope): string | undefined {
    if (body === undefined) return undefined;
    return filledFields(body, (name) => (/^[A-Za-z_]\w*$/.test(name) ? this.lookup(name, scope) : undefined));
  }

  assumedSize(node: PyNode): Value | undefined {
    const size = this.input.assumeUnseenSize;
    if (size === undefined) return undefined;
    const location = this.loc(node);
    const text = oneLine(this.src(node));
    this.recordAssumedSize(text, size, location);
    return { k: 'num', v: size, origin: { kind: 'inferred', note: `${text}, assumed ${size}: nanguard could not work it out`, location } };
  }

  assumedChannels(node: PyNode): void {
    this.recordAssumedSize(oneLine(this.src(node)), 1, this.loc(node), true);
  }

  /** Where a size was assumed, once for each text, line and kind (the analysis, or the module's importer, reports them). */
  private recordAssumedSize(text: string, size: number, location: SourceLocation, channels?: true): void {
    const root = this.importer ?? this;
    const same = (a: AssumedSize) => a.text === text && a.location.path === location.path && a.location.range.start.line === location.range.start.line && a.channels === channels;
    if (!root.assumedSizes.some(same)) root.assumedSizes.push(channels ? { text, size, location, channels } : { text, size, location });
  }

  /** A shape as Python sees it: a tuple of numbers, None where not known. */
  shapeValue(shape: (number | null)[], node: PyNode): Value {
    const origin: Origin = { kind: 'inferred', note: this.src(node), location: this.loc(node) };
    return { k: 'seq', tuple: true, items: shape.map((d) => (d === null ? NONE : { k: 'num', v: d, origin })) };
  }

  private evalSubscript(node: PyNode, scope: Scope): Value {
    const valueNode = this.t.child(node, 'value');
    const subscripts = this.t.childrenOf(node, 'subscript');
    if (!valueNode || subscripts.length === 0) return UNKNOWN;
    const owner = this.eval(valueNode, scope);
    const first = subscripts[0];
    if (owner.k === 'unknown' && owner.shapeOf && subscripts.length === 1) {
      const axis = this.eval(first, scope);
      if (axis.k === 'num' && Number.isInteger(axis.v) && axis.v >= 0) return { k: 'unknown', dimOf: { tensor: owner.shapeOf, axis: axis.v } };
    }
    if (owner.k === 'tensor' || owner.k === 'texpr') {
      // `encoder(inputs)[2]`: one output of a model with several; `inputs[0]`, `inputs["cats"]` in a traced call: one of the model's inputs.
      const index = subscripts.length === 1 && this.t.type(first) !== 'slice' ? this.eval(first, scope) : UNKNOWN;
      if (owner.k === 'tensor' && (index.k === 'num' || index.k === 'str')) {
        const part = this.inputPart(owner.tensor, index.v);
        if (part) return { k: 'tensor', tensor: part };
      }
      const outputs = owner.k === 'tensor' && index.k === 'num' && Number.isInteger(index.v) ? this.modelOutputs(owner.tensor) : undefined;
      const picked = outputs && index.k === 'num' ? outputs[index.v < 0 ? outputs.length + index.v : index.v] : undefined;
      if (picked) return picked;
      // `x[:, 0]`, `x[:, 2:5]`: positions and ranges after the batch's axis, as a tensor operation.
      const sliced = this.tensorIndex(owner, subscripts, scope);
      if (sliced) return sliced;
      this.untraced(node, 'a slice of a tensor rather than a layer');
      return UNKNOWN;
    }
    if (owner.k === 'seq' && this.t.type(first) === 'slice' && subscripts.length === 1) return this.sliceSeq(owner, first, scope);
    if (owner.k === 'str' && this.t.type(first) === 'slice') return UNKNOWN;
    if (owner.k === 'config' || owner.k === 'dict' || owner.k === 'seq') {
      const key = this.eval(first, scope);
      // `input_shape[2]` of `x.shape[1:]` on data nanguard could not see (a shape of unknown rank assumed
      // to be (samples, n, n)): the axis past it is an image's channels, assumed to be 1 as image layers take them.
      // (`x.shape[3]` of the whole shape, whose samples are not known, as well as `x.shape[1:][2]`.)
      const dims = owner.k === 'seq' && owner.items[0]?.k === 'unknown' ? owner.items.slice(1) : owner.k === 'seq' ? owner.items : [];
      if (owner.k === 'seq' && key.k === 'num' && key.v === owner.items.length && dims.length >= 2 && dims.every((i) => i.k === 'num' && i.origin.kind === 'inferred' && /assumed/.test(i.origin.note ?? ''))) {
        this.assumedChannels(node);
        return { k: 'num', v: 1, origin: { kind: 'inferred', note: `${this.src(node)}, assumed 1 (an image's channels): nanguard could not see the data`, location: this.loc(node) } };
      }
      return this.index(owner, key, node);
    }
    if (owner.k === 'array') {
      const a = owner.array;
      const note = this.src(node);
      const location = this.loc(node);
      const attribute = this.t.type(valueNode) === 'attribute' ? this.t.child(valueNode, 'attribute') : undefined;
      const iloc = attribute !== undefined && this.src(attribute) === 'iloc';
      let key: Value | undefined;
      if (this.t.type(first) !== 'slice' && subscripts.length === 1 && !iloc) {
        key = this.eval(first, scope);
        // DataFrame column selection: one name gives a Series (1-D), a list a frame of that many columns.
        // `np.load('data.npz')['x_train']`: an array of the archive, read by name.
        if (key.k === 'str' && a.source.kind === 'file' && !a.source.columns && a.transforms.length === 0 && dataFormatOf(a.source.path) === 'npz') {
          return { k: 'array', array: this.npzMember(a.source, key.v, location) };
        }
        // `df.reset_index()['power']`: the column of df itself.
        const named = (names: string[]): ArrayObj => this.withHeaderNames(a.resetIndexOf && !names.includes('index') ? a.resetIndexOf : a);
        if (key.k === 'str') return { k: 'array', array: selectColumns(named([key.v]), [key.v], true, note, location) };
        if (key.k === 'seq' && key.items.every((i) => i.k === 'str')) {
          const names = key.items.map((i) => (i as { v: string }).v);
          return { k: 'array', array: selectColumns(named(names), names, false, note, location) };
        }
        // A DataFrame indexed by anything but a slice of rows selects by label.
        if (a.frame) return { k: 'array', array: opaqueDerived(a, note, location) };
      }
      // numpy indexing (and a DataFrame's rows by position: `df[:80]`, `df.iloc[...]`) needs the array's shape: a data file's is read for the next pass.
      if (a.filePath && currentShape(a) === undefined) this.wantDataShape(a.filePath);
      const given = !a.frame || iloc || (subscripts.length === 1 && this.t.type(first) === 'slice') ? this.indexParts(subscripts, scope) : undefined;
      // One element of a dataset's map function (`window[:-1]` of a window): the index is each sample's.
      const parts = given && a.perElement ? [{ kind: 'slice' } as IndexPart, ...given] : given;
      const result = parts ? indexArray(iloc ? this.withHeaderNames(a) : a, parts, note, location) : undefined;
      if (typeof result === 'number') return { k: 'num', v: result, origin: { kind: 'inferred', note, location } };
      const batch = this.loopStep?.arrays ? this.arrayBatch(a, result, node, subscripts, scope) : undefined;
      if (batch) return batch;
      if (result) return { k: 'array', array: result };
      const opaque = opaqueDerived(a, note, location);
      // `data[idx]` with row numbers drawn at random (`np.random.randint(0, len(data), 32)`): some of data's rows, which ones not known.
      const numbers = key?.k === 'array' && !a.frame ? key.array : undefined;
      const lowest = numbers?.stats?.[0]?.min;
      if (numbers?.shape?.length === 1 && lowest !== undefined && Number.isInteger(lowest) && lowest >= 0) {
        opaque.rowsOf = a.rowsOf ?? a;
        const shape = currentShape(a);
        if (shape) opaque.shape = [numbers.shape[0], ...shape.slice(1)];
      }
      return { k: 'array', array: opaque };
    }
    return UNKNOWN;
  }

  /** `[start:stop:step]` of a slice whose parts are known integers (absent parts undefined), or undefined. */
  private sliceParts(slice: PyNode, scope: Scope): [number | undefined, number | undefined, number | undefined] | undefined {
    const parts: [number | undefined, number | undefined, number | undefined] = [undefined, undefined, undefined];
    // The colons' places decide which part each number is: `[::-1]` has only a step.
    const base = this.t.start(slice);
    const text = this.src(slice);
    const colons: number[] = [];
    for (let i = 0; i < text.length; i++) if (text[i] === ':') colons.push(i);
    for (const c of this.t.children(slice)) {
      const v = this.eval(c, scope);
      if (v.k === 'none') continue;
      if (v.k !== 'num' || !Number.isInteger(v.v)) return undefined;
      const index = colons.filter((x) => x < this.t.start(c) - base).length;
      if (index > 2) return undefined;
      parts[index] = v.v;
    }
    return parts;
  }

  /** The parts of a numpy index (`x[:n, 2]`, `x[..., np.newaxis]`, `x[idx]`, `x[mask]`), or undefined where one cannot be read. */
  private indexParts(subscripts: PyNode[], scope: Scope): IndexPart[] | undefined {
    const parts: IndexPart[] = [];
    for (const s of subscripts) {
      const type = this.t.type(s);
      if (type === 'slice') {
        const p = this.sliceParts(s, scope);
        if (!p) return undefined;
        parts.push({ kind: 'slice', start: p[0], stop: p[1], step: p[2] });
        continue;
      }
      if (type === 'ellipsis') {
        parts.push({ kind: 'ellipsis' });
        continue;
      }
      const v = this.eval(s, scope);
      if (v.k === 'none' || (v.k === 'ref' && /(^|\.)newaxis$/.test(v.path))) parts.push({ kind: 'newaxis' });
      else if (v.k === 'num' && Number.isInteger(v.v)) parts.push({ kind: 'int', value: v.v });
      else if (v.k === 'seq' && v.items.length > 0 && v.items.every((i) => i.k === 'num' && Number.isInteger(i.v))) {
        parts.push({ kind: 'take', count: v.items.length, positions: v.items.map((i) => (i as { v: number }).v) });
      } else if (v.k === 'array' && (v.array.mask || v.array.permutation || v.array.index)) {
        const shape = currentShape(v.array);
        if (!shape || shape.length === 0) return undefined;
        parts.push(v.array.mask ? { kind: 'take', count: null, axes: shape.length } : { kind: 'take', count: shape[0], permutation: v.array.permutation === true });
      } else return undefined;
    }
    return parts;
  }

  /** `items[2:]`, `items[::-1]`: a slice of a list or tuple whose bounds are known numbers. */
  private sliceSeq(owner: Extract<Value, { k: 'seq' }>, slice: PyNode, scope: Scope): Value {
    const parts = this.sliceParts(slice, scope);
    if (!parts) return UNKNOWN;
    const n = owner.items.length;
    const step = parts[2] ?? 1;
    if (step === 0) return UNKNOWN;
    const norm = (i: number | undefined, fallback: number): number => (i === undefined ? fallback : i < 0 ? Math.max(i + n, step < 0 ? -1 : 0) : Math.min(i, step < 0 ? n - 1 : n));
    const items: Value[] = [];
    if (step > 0) for (let i = norm(parts[0], 0), end = norm(parts[1], n); i < end; i += step) items.push(owner.items[i]);
    else for (let i = norm(parts[0], n - 1), end = norm(parts[1], -1); i > end; i += step) items.push(owner.items[i]);
    return { k: 'seq', items, tuple: owner.tuple };
  }

  /** `[f(x) for x in items]` over a known list: one item per element (unknown when a filter cannot be decided). */
  private evalComprehension(node: PyNode, scope: Scope): Value {
    const children = this.t.children(node);
    const body = children[0];
    const clauses = children.slice(1);
    const loop = clauses[0];
    if (body === undefined || loop === undefined || this.t.type(loop) !== 'for_in_clause') return UNKNOWN;
    if (clauses.slice(1).some((c) => this.t.type(c) !== 'if_clause')) return UNKNOWN;
    const [target, iterable] = this.t.children(loop);
    if (target === undefined || iterable === undefined) return UNKNOWN;
    const source = this.eval(iterable, scope);
    const items = this.itemsOf(source, iterable);
    const windowRange = source.k === 'seq' && source.partial && source.range ? source.range : items ? undefined : this.rangeOfUnknownStop(iterable, scope);
    if (windowRange && clauses.length === 1) {
      const windows = this.windowsOf(target, body, windowRange, scope, node);
      if (windows) return { k: 'seq', items: [], tuple: false, partial: true, windows };
    }
    if (!items || items.length > MAX_LOOP_ITERATIONS || (source.k === 'seq' && source.partial)) return UNKNOWN;
    const inner = new Scope(scope);
    const out: Value[] = [];
    for (const item of items) {
      this.bindTarget(target, item, inner);
      let keep: boolean | undefined = true;
      for (const c of clauses.slice(1)) {
        const condition = this.t.children(c)[0];
        const t = condition !== undefined ? truthiness(this.eval(condition, inner)) : undefined;
        if (t === undefined) return UNKNOWN;
        keep = keep && t;
      }
      if (keep) out.push(this.eval(body, inner));
    }
    return { k: 'seq', items: out, tuple: false };
  }

  private index(owner: Value, key: Value, node: PyNode): Value {
    if (owner.k === 'config' && (key.k === 'str' || key.k === 'num')) {
      return this.configValue(owner, key.v, node);
    }
    if (owner.k === 'dict' && key.k === 'str') return owner.entries.get(key.v) ?? UNKNOWN;
    if (owner.k === 'seq' && key.k === 'num') {
      const i = key.v < 0 ? owner.items.length + key.v : key.v;
      return owner.items[i] ?? UNKNOWN;
    }
    return UNKNOWN;
  }

  /**
   * `layer['type'] == 'lstm'`, `'neurons' in layer`, `args.units is None`, `0 < i < n`: True or
   * False where Python's answer follows from known values, so that a branch on a config's value
   * runs as the program runs it; unknown otherwise (the branch then runs as before).
   */
  private comparison(node: PyNode, operands: PyNode[], values: Value[]): Value {
    let result: boolean | undefined = true;
    for (let i = 0; i + 1 < values.length; i++) {
      const pair = this.compare(this.t.operatorBetween(operands[i], operands[i + 1]), values[i], values[i + 1], node);
      // Python stops at the first False: it decides the chain even after an unknown pair.
      if (pair === false) return { k: 'bool', v: false, origin: { kind: 'inferred', note: this.src(node), location: this.loc(node) } };
      if (pair === undefined) result = undefined;
    }
    return result === undefined ? UNKNOWN : { k: 'bool', v: true, origin: { kind: 'inferred', note: this.src(node), location: this.loc(node) } };
  }

  private compare(op: string, left: Value, right: Value, node: PyNode): boolean | undefined {
    switch (op) {
      case '==':
        return equalValues(left, right);
      case '!=': {
        const equal = equalValues(left, right);
        return equal === undefined ? undefined : !equal;
      }
      case '<':
      case '>':
      case '<=':
      case '>=': {
        const l = orderable(left);
        const r = orderable(right);
        if (l === undefined || r === undefined || typeof l !== typeof r) return undefined;
        return op === '<' ? l < r : op === '>' ? l > r : op === '<=' ? l <= r : l >= r;
      }
      case 'in':
      case 'notin': {
        const found = this.contains(right, left, node);
        return found === undefined ? undefined : op === 'in' ? found : !found;
      }
      case 'is':
      case 'isnot': {
        // Only None and the booleans are singletons whose identity a known value decides.
        const known = (v: Value): boolean => v.k !== 'unknown' && v.k !== 'ref';
        let same: boolean | undefined;
        if (right.k === 'none' || left.k === 'none') same = known(left) && known(right) ? left.k === right.k : undefined;
        else if (left.k === 'bool' && right.k === 'bool') same = left.v === right.v;
        return same === undefined ? undefined : op === 'is' ? same : !same;
      }
      default:
        return undefined;
    }
  }

  /** `item in container`: a config's or dict's keys, a list's items, a string's substrings. */
  private contains(container: Value, item: Value, node: PyNode): boolean | undefined {
    if (container.k === 'str') return item.k === 'str' ? container.v.includes(item.v) : undefined;
    if (container.k === 'dict') return item.k !== 'str' ? undefined : container.entries.has(item.v) ? true : container.partial ? undefined : false;
    if (container.k === 'config') {
      const keys = configKeys(container);
      if (keys) return item.k === 'str' ? keys.includes(item.v) : undefined;
    }
    const items = this.itemsOf(container, node);
    if (!items) return undefined;
    let unsure = container.k === 'seq' && container.partial === true;
    for (const candidate of items) {
      const equal = equalValues(candidate, item);
      if (equal === true) return true;
      if (equal === undefined) unsure = true;
    }
    return unsure ? undefined : false;
  }

  /**
   * What a `for` loop or a comprehension goes through: a list's items, a dict's keys, a config
   * array's items and a config object's keys (each read from the file, with its place there).
   */
  itemsOf(value: Value, via: PyNode): Value[] | undefined {
    if (value.k === 'dict' && value.partial) return undefined;
    if (value.k !== 'config') return iterationItems(value);
    const found = lookupConfig(value.doc, value.segments);
    if (found?.type === 'array' && Array.isArray(found.value)) {
      // A data table stored as JSON is not a list of settings: past MAX_SEQ_ITEMS it is not followed item by item.
      return found.value.length <= MAX_SEQ_ITEMS ? found.value.map((_, i) => this.configValue(value, i, via)) : undefined;
    }
    const keys = configKeys(value);
    return keys?.map((key) => ({ k: 'str', v: key, origin: { kind: 'inferred', note: 'config key' } }) as Value);
  }

  /** A dict's or config object's keys and values, in order; undefined when not all of them are known. */
  entriesOf(value: Value, via: PyNode): Map<string, Value> | undefined {
    if (value.k === 'dict') return value.partial ? undefined : value.entries;
    if (value.k !== 'config') return undefined;
    const keys = configKeys(value);
    return keys ? new Map(keys.map((key) => [key, this.configValue(value, key, via)])) : undefined;
  }

  /**
   * `cfg[key]` of a JSON or YAML config: what the program wrote there if it did (or into a part
   * above it), else the file's value with its range in the file; `fallback` (`cfg.get(key, 8)`)
   * when the file has no such key.
   */
  private configValue(config: Extract<Value, { k: 'config' }>, key: string | number, via: PyNode, fallback?: Value): Value {
    const { doc, written } = config;
    let segments = [...config.segments, key];
    for (let i = segments.length; written && i > 0; i--) {
      const assigned = written.get(JSON.stringify(segments.slice(0, i)));
      if (assigned === undefined) continue;
      let value = assigned;
      for (const rest of segments.slice(i)) value = this.index(value, typeof rest === 'number' ? { k: 'num', v: rest, origin: { kind: 'inferred', note: String(rest) } } : { k: 'str', v: rest, origin: { kind: 'inferred', note: rest } }, via);
      return value;
    }
    // `layers[-1]`: counted from the end, as Python does.
    if (typeof key === 'number' && key < 0) {
      const parent = lookupConfig(doc, config.segments);
      if (!Array.isArray(parent?.value) || parent.value.length + key < 0) return fallback ?? UNKNOWN;
      segments = [...config.segments, parent.value.length + key];
    }
    const found = lookupConfig(doc, segments);
    if (!found) return fallback ?? UNKNOWN;
    if (found.type === 'array' && (found.value as unknown[]).length <= MAX_SEQ_ITEMS && scalarsOnly(found.value, 0)) {
      // `"units": [64, 32]`, `"columns": ["Close", "Volume"]`: a Python list, each item with its place in the file. Kept
      // as written once read, so that the program's changes to it (`append`) stay with this load.
      const items = (found.value as unknown[]).map((_, i) => this.configValue({ k: 'config', doc, segments }, i, via));
      const list: Value = { k: 'seq', items, tuple: false };
      written?.set(JSON.stringify(segments), list);
      return list;
    }
    if (found.type === 'object' || found.type === 'array') return { k: 'config', doc, segments, ...(written ? { written } : {}) };
    const origin: Origin = { kind: 'config', key: keyOf(segments), location: found.location, via: this.loc(via) };
    if (typeof found.value === 'number') return { k: 'num', v: found.value, origin };
    if (typeof found.value === 'string') return { k: 'str', v: found.value, origin };
    if (typeof found.value === 'boolean') return { k: 'bool', v: found.value, origin };
    return NONE;
  }

  private binary(op: string, l: Value, r: Value, node: PyNode, leftNode: PyNode, rightNode: PyNode): Value {
    if (this.trace && op === '/' && r.k === 'colvec' && l.k !== 'array' && l.k !== 'colvec' && l.k !== 'num') this.scaledInCall(r.vec, node);
    if (l.k === 'tensor' || r.k === 'tensor' || l.k === 'texpr' || r.k === 'texpr') {
      // Translated, the operation is a step of the graph (a Lambda layer); otherwise the call is not a chain.
      const result = this.symbolicBinary(op, l, r, node);
      if (result.k !== 'texpr') this.untraced(node, 'an operation on tensors rather than a layer');
      return result;
    }
    // A tensor operation not translated stays so, with its reason, through the arithmetic that follows.
    if (l.k === 'unknown' && l.why) return l;
    if (r.k === 'unknown' && r.why) return r;
    if (l.k === 'str' && op === '%') return formatted(l, r, this.src(node), this.loc(node));
    const location = this.loc(node);
    if (l.k === 'num' && r.k === 'num') {
      const v = pythonArithmetic(op, l.v, r.v);
      return v === undefined ? UNKNOWN : { k: 'num', v, origin: { kind: 'inferred', note: this.src(node), location } };
    }
    if (l.k === 'str' && r.k === 'str' && op === '+') return { k: 'str', v: l.v + r.v, origin: { kind: 'inferred', note: this.src(node), location } };
    if (l.k === 'file' && r.k === 'str' && op === '/') return { k: 'file', path: l.path === '.' ? r.v : `${l.path}/${r.v}` };
    // `[[1.0, 2.0], [3.0, 4.0]] * 16`: a Python list repeated, not its numbers multiplied.
    const isList = (n: PyNode): boolean => this.t.type(n) === 'list' || this.t.type(n) === 'numlist';
    const listTimes = op === '*' ? (isList(leftNode) && r.k === 'num' ? { list: l, k: r.v } : isList(rightNode) && l.k === 'num' ? { list: r, k: l.v } : undefined) : undefined;
    if (listTimes) {
      const { list, k } = listTimes;
      if (!Number.isInteger(k) || k < 0) return UNKNOWN;
      if (list.k === 'seq') return list.items.length * k > MAX_SEQ_ITEMS ? UNKNOWN : { k: 'seq', items: Array.from({ length: k }, () => list.items).flat(), tuple: false, ...(list.partial ? { partial: true as const } : {}) };
      if (list.k === 'array') {
        // Known numbers stay known, repeated (the array's own shape, as a list of its rows).
        const rows = list.array.rows;
        const shape = list.array.shape;
        if (rows && shape && shape.every((d): d is number => typeof d === 'number') && shape[0] === rows.length && list.array.transforms.length === 0) {
          const flat = rows.flat();
          return { k: 'array', array: createdFrom([shape[0] * k, ...shape.slice(1)], (i) => flat[i % flat.length], this.src(node), location) };
        }
        return { k: 'array', array: repeatedRows(list.array, k, false, this.src(node), location) };
      }
      return UNKNOWN;
    }
    if (l.k === 'seq' && r.k === 'seq' && op === '+') return l.items.length + r.items.length > MAX_SEQ_ITEMS ? UNKNOWN : { k: 'seq', items: [...l.items, ...r.items], tuple: l.tuple, ...(l.partial || r.partial ? { partial: true as const } : {}) };
    if (l.k === 'colvec' || r.k === 'colvec') return this.columnArithmetic(op, l, r, rightNode);
    if (l.k === 'array') return this.arrayArithmetic(op, l.array, r, location, rightNode, false);
    if (r.k === 'array') return this.arrayArithmetic(op, r.array, l, location, leftNode, true);
    return UNKNOWN;
  }

  /**
   * Inside a subclassed model's `call`: its input divided by a per-column statistic of an array
   * the program computed (`/ tf.sqrt(self.var)`). The array, as that division leaves it, is kept for the model.
   */
  private scaledInCall(vec: ColumnVector, node: PyNode): void {
    if (!this.trace || !vec.of || !vec.perColumn || vec.epsilon || (vec.label !== 'std' && vec.label !== 'range' && vec.label !== 'max')) return;
    const t: DataTransform = { kind: 'divide', by: vec.label, epsilon: false, location: this.loc(node) };
    (this.trace.scaled ??= []).push(divideVector(vec.of, t, vec));
  }

  private columnArithmetic(op: string, l: Value, r: Value, rightNode: PyNode): Value {
    if (l.k === 'array') return this.arrayArithmetic(op, l.array, r, this.loc(rightNode), rightNode, false);
    if (l.k === 'colvec' && r.k === 'colvec') {
      const label = op === '-' && l.vec.label === 'max' && r.vec.label === 'min' ? 'range' : 'unknown';
      const values = l.vec.values && r.vec.values ? l.vec.values.map((v, i) => pythonArithmetic(op, v, r.vec.values![i] ?? NaN) ?? NaN) : undefined;
      // Statistics of one array stay of it (`x.max(0) - x.min(0)`); approximate or unsteady ones stay so.
      const of = l.vec.of === r.vec.of ? l.vec.of : undefined;
      const approximate = l.vec.approximate || r.vec.approximate ? { approximate: true as const } : {};
      const unsteady = l.vec.unsteady || r.vec.unsteady ? { unsteady: true as const } : {};
      return { k: 'colvec', vec: { label, values, epsilon: l.vec.epsilon || r.vec.epsilon, perColumn: l.vec.perColumn || r.vec.perColumn, of, ...approximate, ...unsteady } };
    }
    if (l.k === 'colvec' && r.k === 'num') {
      const epsilon = op === '+' && r.v > 0 && r.v < 1e-2;
      // Only an epsilon added keeps it a statistic of its array (what the array's own range bounds).
      return { k: 'colvec', vec: { ...l.vec, values: l.vec.values?.map((v) => pythonArithmetic(op, v, r.v) ?? NaN), epsilon: l.vec.epsilon || epsilon || (op === '+' && r.v > 0), of: op === '+' && r.v >= 0 ? l.vec.of : undefined } };
    }
    if (l.k === 'num' && r.k === 'colvec') {
      return { k: 'colvec', vec: { ...r.vec, values: r.vec.values?.map((v) => pythonArithmetic(op, l.v, v) ?? NaN), epsilon: r.vec.epsilon || (op === '+' && l.v > 0), of: op === '+' && l.v >= 0 ? r.vec.of : undefined } };
    }
    if (l.k === 'colvec' && r.k === 'unknown' && op === '+') {
      // `std + eps` with an epsilon defined elsewhere.
      return { k: 'colvec', vec: { ...l.vec, values: undefined, epsilon: /eps|1e-/i.test(this.src(rightNode)), of: undefined } };
    }
    return UNKNOWN;
  }

  /** `array op other` (or `other op array` when `reversed`). */
  private arrayArithmetic(op: string, a: ArrayObj, other: Value, location: SourceLocation, otherNode: PyNode, reversed: boolean): Value {
    const wrap = (array: ArrayObj): Value => ({ k: 'array', array });
    // `t[None, :] / rng.uniform(size=(256, 1))`: broadcast to a shape neither has; its values are not followed.
    if (other.k === 'array' && op !== '@') {
      // Only shapes known in full: a size nanguard has not read (None, or 0 for a part it could not see) says nothing of a broadcast.
      const known = (shape: (number | null)[] | undefined): shape is number[] => shape !== undefined && shape.length > 0 && shape.every((d) => typeof d === 'number' && d > 0);
      const [mine, theirs] = [currentShape(a), currentShape(other.array)];
      const shape = known(mine) && known(theirs) ? broadcastShape(mine, theirs) : undefined;
      if (known(mine) && known(theirs) && (!shape || JSON.stringify(shape) !== JSON.stringify(mine))) {
        const out = opaqueDerived(a, oneLine(this.src(otherNode)), location);
        if (shape) out.shape = shape;
        return wrap(out);
      }
    }
    if (other.k === 'num') {
      const n = other.v;
      if (!reversed) {
        if (op === '/') return wrap(divide(a, { kind: 'divide', by: n, epsilon: false, location }, n));
        if (op === '*') return wrap(affine(a, { kind: 'multiply', by: n, location }, n, 0));
        if (op === '-') return wrap(affine(a, { kind: 'subtract', what: n, location }, 1, -n));
        if (op === '+') return wrap(affine(a, { kind: 'subtract', what: -n, location }, 1, n));
        if (op === '**') return wrap(elementwise(a, { kind: 'other', note: `** ${n}`, location }, (x) => x ** n, n === 2 ? 'square' : undefined));
      } else {
        if (op === '*') return wrap(affine(a, { kind: 'multiply', by: n, location }, n, 0));
        if (op === '+') return wrap(affine(a, { kind: 'subtract', what: -n, location }, 1, n));
        if (op === '-') return wrap(affine(a, { kind: 'other', note: `${n} - x`, location }, -1, n));
        if (op === '/') return wrap(elementwise(a, { kind: 'other', note: `${n} / x`, location }, (x) => n / x));
      }
      return UNKNOWN;
    }
    if (other.k === 'colvec' && !reversed) {
      const vec = other.vec;
      if (op === '-') {
        const what = vec.label === 'mean' || vec.label === 'min' ? vec.label : 'unknown';
        const t: DataTransform = { kind: 'subtract', what, location, ...(vec.perColumn ? {} : { wholeArray: true as const }) };
        return wrap(subtractVector(a, t, vec));
      }
      if (op === '/') {
        const by = vec.label === 'std' || vec.label === 'range' || vec.label === 'max' || vec.label === 'norm' ? vec.label : 'unknown';
        const t: DataTransform = { kind: 'divide', by, epsilon: vec.epsilon, location, ...(vec.perColumn ? {} : { wholeArray: true as const }) };
        return wrap(divideVector(a, t, vec));
      }
      if (op === '*') return wrap(vec.values ? affine(a, { kind: 'multiply', by: 'unknown', location }, vec.values, 0) : transformed(a, { kind: 'multiply', by: 'unknown', location }));
      return wrap(transformed(a, { kind: 'other', note: `${op} column statistic`, location }));
    }
    if (op === '@' && !reversed && other.k === 'array') return wrap(matmul(a, other.array, location));
    if (other.k === 'array' && (op === '+' || op === '-') && other.array.source.kind === 'random') {
      return wrap(withNoise(a, other.array, op === '-' ? -1 : 1, location));
    }
    if (other.k === 'array' && !reversed && op === '+' && other.array.transforms.length === 1 && other.array.transforms[0].kind === 'multiply') {
      return wrap(withNoise(a, other.array, 1, location));
    }
    if (op === '/' && !reversed) {
      const epsilon = /eps|1e-\d|clip|maximum/i.test(this.src(otherNode));
      return wrap(transformed(a, { kind: 'divide', by: 'unknown', epsilon, location }));
    }
    if (op === '*') return wrap(transformed(a, { kind: 'multiply', by: 'unknown', location }));
    if (op === '-' && !reversed) return wrap(transformed(a, { kind: 'subtract', what: 'unknown', location }));
    return wrap(transformed(a, { kind: 'other', note: `${op} ${this.src(otherNode)}`.slice(0, 80), location }));
  }

  // ---- calls

  private evalArgs(node: PyNode | undefined, scope: Scope): Args {
    const positional: Value[] = [];
    const positionalNodes: PyNode[] = [];
    let keywords: Map<string, Value> | undefined;
    let keywordNodes: Map<string, PyNode> | undefined;
    for (const c of node ? this.t.children(node) : []) {
      if (this.t.type(c) === 'keyword_argument') {
        const name = this.t.child(c, 'name');
        const value = this.t.child(c, 'value');
        if (name && value) {
          (keywords ??= new Map()).set(this.src(name), this.eval(value, scope));
          (keywordNodes ??= new Map()).set(this.src(name), value);
        }
      } else if (this.t.type(c) === 'dictionary_splat') {
        const inner = this.t.children(c)[0];
        const v = inner ? this.eval(inner, scope) : UNKNOWN;
        // A dict some of whose keys are not known still passes the ones that are.
        const entries = v.k === 'dict' ? v.entries : this.entriesOf(v, c);
        for (const [k, val] of entries ?? []) (keywords ??= new Map()).set(k, val);
      } else if (this.t.type(c) === 'list_splat') {
        const inner = this.t.children(c)[0];
        const v = inner ? this.eval(inner, scope) : UNKNOWN;
        if (v.k === 'seq') for (const item of v.items) {
          positional.push(item);
          positionalNodes.push(c);
        }
      } else if (this.t.type(c) !== 'comment') {
        positional.push(this.eval(c, scope));
        positionalNodes.push(c);
      }
    }
    return { positional, positionalNodes, keywords: keywords ?? NO_KEYWORDS, keywordNodes: keywordNodes ?? NO_KEYWORD_NODES };
  }

  private evalCall(node: PyNode, scope: Scope): Value {
    const fn = this.t.child(node, 'function');
    if (!fn) return UNKNOWN;
    const argsNode = this.t.child(node, 'arguments');
    if (this.t.type(fn) === 'attribute') {
      const objectNode = this.t.child(fn, 'object');
      const attribute = this.t.child(fn, 'attribute');
      if (!objectNode || !attribute) return UNKNOWN;
      const owner = this.eval(objectNode, scope);
      const method = this.src(attribute);
      const args = this.evalArgs(argsNode, scope);
      const same = this.loopStep && owner.k === 'ref' ? this.sameBatch(canonicalPath(`${owner.path}.${method}`), args) : undefined;
      if (same) return same;
      // `tape.gradient(total_loss, self.trainable_weights)` in a traced train_step: the loss it differentiates.
      if (this.tapeLoss && method === 'gradient' && !this.tapeLoss.value && args.positional[0]) this.tapeLoss = { value: args.positional[0], node };
      if (this.loopStep) {
        const recorded = this.recordLoopStep(owner, method, args, node, argsNode, scope);
        if (recorded) return recorded;
      }
      if (owner.k === 'ref' && method === 'split') {
        const parts = this.splitTensor(args);
        if (parts) return parts;
      }
      if (owner.k === 'ref') return this.traced(this.callRef(`${owner.path}.${method}`, args, node), `${owner.path}.${method}`, node, args, scope);
      if (owner.k === 'model' && method === 'add_loss' && !this.trace) this.addModelLoss(owner.model, args, node);
      // `self.compute_loss(y=y, y_pred=y_pred)`, `self.compiled_loss(y, y_pred)` in a traced train_step: compile's loss, whichever it is.
      const step = this.stepModel;
      if (step && owner.k === 'model' && owner.model === step.model && (method === 'compute_loss' || method === 'compiled_loss')) {
        const [yTrue, yPred] = method === 'compiled_loss' ? [args.positional[0] ?? args.keywords.get('y_true'), args.positional[1] ?? args.keywords.get('y_pred')] : [args.keywords.get('y') ?? args.positional[1], args.keywords.get('y_pred') ?? args.positional[2]];
        step.compiled = { answer: { k: 'unknown' }, yTrue, yPred };
        return step.compiled.answer;
      }
      // `self.bce(data, reconstruction)`: a Keras loss object kept on the model (or another object) applied to tensors, as a term.
      const kept = owner.k === 'model' ? owner.model.attributes?.get(method) : owner.k === 'object' ? owner.attrs.get(method) : undefined;
      if (kept?.k === 'loss' && args.positional.some((a) => a.k === 'tensor' || a.k === 'texpr')) return this.symbolicCall(node, scope);
      return this.layerCall(node, this.callMethod(owner, method, args, node, objectNode));
    }
    const zipped = this.loopStep ? this.zippedGradients(fn, argsNode, scope) : undefined;
    if (zipped) return zipped;
    const callee = this.eval(fn, scope);
    const args = this.evalArgs(argsNode, scope);
    const same = this.loopStep && callee.k === 'ref' ? this.sameBatch(canonicalPath(callee.path), args) : undefined;
    if (same) return same;
    const modelLosses = this.loopStep || this.stepModel ? this.summedModelLosses(callee, args) : undefined;
    if (modelLosses) return modelLosses;
    if (callee.k === 'ref') return this.traced(this.callRef(callee.path, args, node), callee.path, node, args, scope);
    // `loss_fn(x, reconstruction)`: a Keras loss object applied to tensors, as a term.
    if (callee.k === 'loss' && [...args.positional, ...args.keywords.values()].some((a) => a.k === 'tensor' || a.k === 'texpr')) {
      const term = this.symbolicCall(node, scope);
      this.noteTargetLoss(callee, args, term, node);
      return term;
    }
    return this.layerCall(node, this.callValue(callee, args, node));
  }

  /**
   * In a training loop's step over (x, y) batches: `loss_object(y_true=y, y_pred=model(x))`, a
   * Keras loss of the targets and the model's output, is compile's loss, and the loop the fit it
   * amounts to (see adoptTrainingLoop). Remembered with the term it gave.
   */
  private noteTargetLoss(callee: Extract<Value, { k: 'loss' }>, args: Args, term: Value, node: PyNode): void {
    const step = this.loopStep;
    if (!step?.targets || step.targetLoss || args.keywords.has('sample_weight') || args.positional.length > 2) return;
    const yTrue = args.keywords.get('y_true') ?? args.positional[0];
    const yPred = args.keywords.get('y_pred') ?? args.positional[1];
    if (yTrue?.k !== 'tensor' || yTrue.tensor !== step.targets || yPred?.k !== 'tensor') return;
    const producer = yPred.tensor.producer;
    if (!producer || 'spec' in producer) return;
    // What the loss object was built with: from_logits, which compile's loss carries; anything else (a reduction, label smoothing) is not compile's default.
    const built = callee.arguments;
    const logits = built?.keywords.get('from_logits') ?? built?.positional[0];
    if (built && ([...built.keywords.keys()].some((k) => k !== 'from_logits' && k !== 'name') || built.positional.length > 1)) return;
    if (logits !== undefined && logits.k !== 'bool') return;
    step.targetLoss = { value: term, loss: { ...callee.loss, location: this.loc(node), ...(logits?.k === 'bool' && logits.v ? { fromLogits: true } : {}) }, yPred: yPred.tensor };
  }

  /** In a traced `call`, the tensor a call gave (`self.dense(x)`), for an operation around it (`tf.nn.relu(self.dense(x))`) to read rather than call it again. */
  private layerCall(node: PyNode, result: Value): Value {
    // In a training loop's step too: `tf.square(model(x) - x)` reads the model's call it made.
    const owner = this.trace ?? this.loopStep;
    if (owner && (result.k === 'tensor' || result.k === 'texpr')) (owner.layerCalls ??= new Map()).set(node, result);
    return result;
  }

  // ---- tensor terms for add_loss

  /** A tensor, or a term of tensors, as an expression over a shared list of tensors (extended as needed); a string: why not; undefined: not a tensor. */
  private tensorTerm(value: Value, tensors: TensorObj[]): TensorExpr | string | undefined {
    const indexOf = (t: TensorObj): number => {
      const i = tensors.indexOf(t);
      if (i >= 0) return i;
      tensors.push(t);
      return tensors.length - 1;
    };
    if (value.k === 'tensor') return { op: 'arg', index: indexOf(value.tensor) };
    const batch = value.k === 'array' ? this.wholeArrayBatch(value, undefined) : undefined;
    if (batch?.k === 'tensor') return { op: 'arg', index: indexOf(batch.tensor) };
    if (value.k === 'texpr') return substituteArgs(value.expr, value.tensors.map((t) => ({ op: 'arg', index: indexOf(t) })));
    if (value.k === 'unknown' && value.why) return value.why;
    return undefined;
  }

  /** `tf.split(h, 2, axis=1)` of a tensor whose size along the axis is known: its parts, as slices of it; undefined otherwise. */
  private splitTensor(args: Args): Value | undefined {
    const value = args.positional[0] ?? args.keywords.get('value');
    const splits = args.positional[1] ?? args.keywords.get('num_or_size_splits');
    const axisValue = args.positional[2] ?? args.keywords.get('axis');
    if (value?.k !== 'tensor' || !splits) return undefined;
    const producer = value.tensor.producer;
    // A sub-model on a stand-in batch of unknown shape: its own Input layer's shape gives its output's.
    const shape = tensorShape(value.tensor) ?? (producer && !('spec' in producer) ? tensorShape({ producer, inputs: [] }) : undefined);
    const given = axisValue?.k === 'num' ? axisValue.v : 0;
    const axis = given < 0 && shape ? shape.length + given : given;
    // Along the last axis of a tensor whose other sizes are not known (a Sequential encoder without an input shape): its last layer's units or filters.
    const size = shape?.[axis] ?? (given === -1 ? lastDimension(value.tensor) : undefined);
    let sizes: number[] | undefined;
    if (splits.k === 'num' && typeof size === 'number' && size % splits.v === 0) sizes = new Array<number>(splits.v).fill(size / splits.v);
    else if (splits.k === 'seq' && splits.items.every((i) => i.k === 'num')) sizes = splits.items.map((i) => (i as { v: number }).v);
    if (!sizes || (axis < 0 && given !== -1)) return undefined;
    let begin = 0;
    const items = sizes.map((n): Value => {
      const part: Value = { k: 'texpr', expr: { op: 'slice', x: { op: 'arg', index: 0 }, axis: axis < 0 ? -1 : axis, begin, size: n }, tensors: [value.tensor] };
      begin += n;
      return part;
    });
    return { k: 'seq', tuple: false, items };
  }

  /** `tf.math.log(2. * np.pi)`, `tf.exp(-0.)`: a tf function of numbers, computed; undefined when it is not one nanguard translates. */
  private foldedCall(node: PyNode, scope: Scope): Value | undefined {
    const term = this.symbolicCall(node, scope);
    const value = term.k === 'texpr' && term.tensors.length === 0 ? constantValue(term.expr) : undefined;
    return value === undefined ? undefined : { k: 'num', v: value, origin: { kind: 'inferred', note: oneLine(this.src(node)), location: this.loc(node) } };
  }

  /** `a + b` where one side is a tensor or a term of tensors: the term, or unknown with the reason. */
  private symbolicBinary(op: string, l: Value, r: Value, node: PyNode): Value {
    const ops: Record<string, TensorExpr['op']> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow' };
    const tensors: TensorObj[] = [];
    const side = (v: Value): TensorExpr | string | undefined => (v.k === 'num' ? { op: 'const', value: v.v } : v.k === 'colvec' ? this.statisticTerm(v.vec) : this.tensorTerm(v, tensors));
    const a = side(l) ?? this.assumedOperand(node, 'left');
    const b = side(r) ?? this.assumedOperand(node, 'right');
    const line = this.loc(node).range.start.line + 1;
    if (typeof a === 'string') return { k: 'unknown', why: a };
    if (typeof b === 'string') return { k: 'unknown', why: b };
    const binaryOp = ops[op];
    if (!binaryOp) return { k: 'unknown', why: `line ${line}: \`${oneLine(this.src(node))}\` uses the operator ${op}, which nanguard does not translate` };
    if (!a || !b) return { k: 'unknown', why: `line ${line}: \`${oneLine(this.src(node))}\` combines a tensor with a value nanguard does not know` };
    return { k: 'texpr', expr: { op: binaryOp, a, b } as TensorExpr, tensors, location: this.loc(node), text: oneLine(this.src(node)) };
  }

  /**
   * An operand that is a name whose size this analysis assumed where the model was built
   * (`Input(shape=(n_features,))`, then `reconstruction_loss *= n_features` in a class nothing
   * instantiates): the same assumed size, as a constant; undefined otherwise.
   */
  private assumedOperand(node: PyNode, field: 'left' | 'right'): TensorExpr | undefined {
    if (this.input.assumeUnseenSize === undefined) return undefined;
    const operand = this.t.child(node, field);
    if (operand === undefined || this.t.type(operand) !== 'identifier') return undefined;
    const name = this.src(operand);
    const path = this.loc(node).path;
    const assumed = (this.importer ?? this).assumedSizes.find((a) => a.text === name && a.location.path === path && !a.channels);
    if (!assumed) return undefined;
    this.recordAssumedSize(name, assumed.size, this.loc(operand));
    return { op: 'const', value: assumed.size };
  }

  /**
   * A statistic the program computed (`self.mean` of `nums.mean(axis=0)`) as a term: its values
   * when known (one per column, or one of the whole array); inside a traced call, a per-column
   * statistic of an array whose values are read later (by the plan) is kept by reference.
   */
  private statisticTerm(vec: ColumnVector): TensorExpr | undefined {
    const values = vec.values;
    if (values && values.length > 0) {
      if (!vec.perColumn) return new Set(values).size === 1 ? { op: 'const', value: values[0] } : undefined;
      return { op: 'row', values: values.slice() };
    }
    const label = vec.label;
    if (!this.trace || !vec.of || !vec.perColumn || vec.epsilon || (label !== 'mean' && label !== 'std' && label !== 'var' && label !== 'min' && label !== 'max')) return undefined;
    const statistics = (this.trace.statistics ??= []);
    if (!statistics.includes(vec.of)) statistics.push(vec.of);
    // pandas's std and var divide by n - 1, numpy's by n.
    return { op: 'statistic', label, data: statistics.indexOf(vec.of), ddof: vec.of.frame && (label === 'std' || label === 'var') ? 1 : 0 };
  }

  /** `K.exp(z_log_var)`, `keras.losses.mse(inputs, outputs)` on graph tensors: the term, or unknown with the reason. */
  private symbolicCall(node: PyNode, scope: Scope, path?: string): Value {
    const tensors: TensorObj[] = [];
    const layerCalls = this.trace?.layerCalls ?? this.loopStep?.layerCalls;
    const ctx = { ...this.expressionContext(scope, { tensor: (v) => this.tensorTerm(v, tensors) }), ...(layerCalls ? { evaluated: (n: PyNode) => layerCalls.get(n) } : {}) };
    const translation = translateExpression(ctx, node);
    if (!('expr' in translation)) return { k: 'unknown', why: translation.problem };
    // Inside a layer's or model's call, or a training step, TensorFlow functions get tensors Keras 3 accepts: only one on the graph's Keras tensors is refused.
    const tensorflowCall = path && path.startsWith('tensorflow.') && !this.inLayerCall() ? path.replace(/^tensorflow\./, 'tf.') : undefined;
    return { k: 'texpr', expr: translation.expr, tensors, location: this.loc(node), text: oneLine(this.src(node)), ...(tensorflowCall ? { tensorflowCall } : {}) };
  }

  /** `vae.add_loss(vae_loss)` outside the model's own methods: the term, translated, or why it is not. */
  private addModelLoss(model: ModelObj, args: Args, node: PyNode): void {
    const value = args.positional[0] ?? args.keywords.get('loss') ?? UNKNOWN;
    const location = this.loc(node);
    const tensors: TensorObj[] = [];
    const term = this.tensorTerm(value, tensors);
    const argNode = args.positionalNodes[0] ?? args.keywordNodes.get('loss');
    model.addedLosses ??= [];
    if (term !== undefined && typeof term !== 'string') {
      model.addedLosses.push({ expr: term, tensors, location });
      return;
    }
    const problem = term ?? `line ${location.range.start.line + 1}: \`${oneLine(argNode ? this.src(argNode) : this.src(node))}\` is not a term of the model's tensors that nanguard could follow`;
    model.addedLosses.push({ problem, location });
  }

  /** Calls a value: a user function, a class, a layer or a model. */
  private callValue(callee: Value, args: Args, node: PyNode): Value {
    const partial = partialCall(callee, args, node);
    if (partial) return partial.func.k === 'ref' ? this.callRef(partial.func.path, partial.args, node) : this.callValue(partial.func, partial.args, node);
    switch (callee.k) {
      case 'fn':
        return this.callUser(callee, args);
      // `f = lambda x: x ** 2 + 3; y = f(x)`: its body, as a def's.
      case 'lambda':
        return this.callFunction(callee, args.positional, args.keywords);
      case 'class':
        return this.instantiate(callee, args, node);
      case 'layer': {
        // `X_norm = normalizer(X)` on numpy data: the layer's standardization, as an array's transform.
        const data = args.positional[0];
        if (callee.layer.spec.className === 'Normalization' && data?.k === 'array') return { k: 'array', array: normalizedArray(callee.layer, data.array, this.src(node), this.loc(node)) };
        return this.applyLayer(callee.layer, this.termArgumentAsTensor(args, node));
      }
      case 'model': {
        // `model(x_train)` in a loop over numpy arrays: the whole array is the batch.
        const whole = this.wholeArrayBatch(args.positional[0], args.positionalNodes[0]);
        const given = whole ? { ...args, positional: [whole, ...args.positional.slice(1)] } : args;
        const arrays = this.loopStep?.arrays;
        if (arrays && !arrays.source && given.positional[0]?.k !== 'tensor') arrays.unfollowed ??= args.positionalNodes[0] ?? node;
        return this.applyModel(callee.model, this.termArgumentAsTensor(given, node));
      }
      default:
        if (this.trace && [...args.positional, ...args.keywords.values()].some((a) => a.k === 'tensor')) this.untraced(node, 'which nanguard cannot follow');
        return UNKNOWN;
    }
  }

  /**
   * A module function applied to a tensor that does not give a layer's tensor back (`tf.nn.relu(x)`,
   * `K.sum(kl, axis=-1)`): a term for add_loss; inside a traced `call`, not a chain of layers.
   */
  private traced(result: Value, path: string, node: PyNode, args: Args, scope: Scope): Value {
    const onTensors = (v: Value): boolean => v.k === 'tensor' || v.k === 'texpr' || (v.k === 'seq' && v.items.some(onTensors));
    const canonical = canonicalPath(path);
    // `tf.concat([a, b], axis=-1)`, `keras.ops.concatenate(...)`, `layers.concatenate(...)` of graph tensors: a Concatenate layer.
    // The graph builder (opLayers.ts) answers first: a layer's tensor, or why not (keras.ops.concatenate's default axis is the batch's, 0).
    const answered = result.k === 'tensor' || (result.k === 'unknown' && result.why !== undefined);
    const joined = !answered && CONCATENATIONS.test(canonical) ? args.positional[0] ?? args.keywords.get('values') ?? args.keywords.get('inputs') ?? args.keywords.get('xs') : undefined;
    const axis = args.keywords.get('axis') ?? args.positional[1];
    const alongBatch = axis === undefined ? canonical === 'keras.ops.concatenate' : axis.k === 'num' && axis.v === 0;
    if (!alongBatch && joined?.k === 'seq' && joined.items.length > 0 && joined.items.every((v) => v.k === 'tensor' || v.k === 'texpr')) {
      const layer = this.callRef('keras.layers.Concatenate', { positional: [], positionalNodes: [], keywords: new Map([['axis', axis?.k === 'num' ? axis : { k: 'num', v: -1, origin: { kind: 'default', note: "Concatenate's default axis" } } as Value]]), keywordNodes: NO_KEYWORD_NODES }, node);
      if (layer.k === 'layer') return this.applyLayer(layer.layer, { positional: [joined], positionalNodes: [], keywords: NO_KEYWORDS, keywordNodes: NO_KEYWORD_NODES });
    }
    const untranslated = [...args.positional, ...args.keywords.values()].find((v) => v.k === 'unknown' && v.why);
    // An operation the graph builder already refused (opLayers.ts) keeps its own reason.
    if (((result.k === 'unknown' && !result.why) || result.k === 'loss') && !/(^|\.)(int_shape|shape)$/.test(canonical)) {
      // `tf.random.normal(shape=mean.shape)`: noise shaped like a term reads no tensor among its arguments.
      if ([...args.positional, ...args.keywords.values()].some(onTensors) || NORMAL_DRAW.test(canonical)) result = this.symbolicCall(node, scope, canonical);
      else if (untranslated) result = untranslated;
      else if (args.positional.length > 0 && [...args.positional, ...args.keywords.values()].every((a) => a.k === 'num')) result = this.foldedCall(node, scope) ?? result;
    }
    // `batch = tf.shape(z_mean)[0]` in a call or a step: the sizes of a graph tensor, the batch's known only as the model runs.
    const shapeOfGiven = SHAPE_OF.test(canonical) && this.inLayerCall() ? args.positional[0] ?? args.keywords.get('input') ?? args.keywords.get('x') : undefined;
    // `tf.shape(mean)` of an operation's result (`mean, logvar = tf.split(h, 2, axis=-1)`): that result as a layer's tensor.
    const shapeOf = shapeOfGiven?.k === 'texpr' ? this.termAsTensor(shapeOfGiven, node) : shapeOfGiven;
    if (shapeOf?.k === 'tensor') {
      const shape = tensorShape(shapeOf.tensor);
      if (shape) return { k: 'seq', tuple: true, items: shape.map((d, axis) => (d !== null && axis > 0 ? ({ k: 'num', v: d, origin: { kind: 'inferred', note: this.src(node), location: this.loc(node) } } as Value) : { k: 'unknown', dimOf: { tensor: shapeOf, axis } })) };
      return { k: 'unknown', shapeOf };
    }
    if (!this.trace || result.k === 'tensor' || result.k === 'texpr') return result;
    if (/^(print|tensorflow\.print|logging\.|tensorflow\.debugging\.|isinstance|len|keras\.backend\.int_shape)\b/.test(canonical)) return result;
    if (![...args.positional, ...args.keywords.values()].some(onTensors)) return result;
    this.untraced(node, `${lastSegment(canonical)} is not a Keras layer`);
    return result;
  }

  /** A scope for a call of a `def` or a `lambda`: each parameter bound to its argument (by keyword, then in order), else its default, else unknown. */
  private boundParameters(fnNode: PyNode, definedIn: Scope | undefined, positional: Value[], keywords: ReadonlyMap<string, Value>): Scope {
    const scope = new Scope(definedIn);
    const params = this.t.child(fnNode, 'parameters');
    const named = new Set<string>();
    let index = 0;
    let rest: { args?: string; kwargs?: string } = {};
    for (const p of params ? this.t.children(params) : []) {
      const type = this.t.type(p);
      // `*args` and `**kwargs`: what the named parameters leave, bound below (`def fit(self, X, **kwargs): self.vae.fit(X, X, **kwargs)`).
      if (type === 'list_splat_pattern' || type === 'dictionary_splat_pattern') {
        const inner = this.t.children(p).find((c) => this.t.type(c) === 'identifier');
        if (inner) rest = { ...rest, [type === 'list_splat_pattern' ? 'args' : 'kwargs']: this.src(inner) };
        continue;
      }
      const name = this.parameterName(p);
      if (!name) continue;
      named.add(name);
      const defaultNode = type === 'default_parameter' || type === 'typed_default_parameter' ? this.t.child(p, 'value') : undefined;
      const given = keywords.get(name) ?? (rest.args === undefined ? positional[index] : undefined);
      if (rest.args === undefined) index++;
      scope.vars.set(name, given ?? (defaultNode && definedIn ? this.eval(defaultNode, definedIn) : UNKNOWN));
    }
    if (rest.args !== undefined) scope.vars.set(rest.args, { k: 'seq', items: positional.slice(index), tuple: true });
    if (rest.kwargs !== undefined) scope.vars.set(rest.kwargs, { k: 'dict', entries: new Map([...keywords].filter(([k]) => !named.has(k))) });
    return scope;
  }

  /** The name a parameter binds (`x`, `x=1`, `x: int`, `x: int = 1`); undefined for `*args`, `**kwargs` and separators. */
  private parameterName(p: PyNode): string | undefined {
    const type = this.t.type(p);
    if (type === 'identifier') return this.src(p);
    if (type === 'default_parameter' || type === 'typed_default_parameter') {
      const n = this.t.child(p, 'name');
      return n ? this.src(n) : undefined;
    }
    if (type === 'typed_parameter') {
      const n = this.t.children(p)[0];
      return n !== undefined && this.t.type(n) === 'identifier' ? this.src(n) : undefined;
    }
    return undefined;
  }

  private callUser(fn: Extract<Value, { k: 'fn' }>, args: Args, self?: Value): Value {
    if (this.callDepth >= MAX_CALL_DEPTH) return UNKNOWN;
    if (fn.home && fn.home !== this) return fn.home.callIn(fn, args.positional, args.keywords, self, this.callSite());
    this.calledFunctions.add(fn.node);
    const scope = this.boundParameters(fn.node, fn.scope, self ? [self, ...args.positional] : args.positional, args.keywords);
    const body = this.t.child(fn.node, 'body');
    if (!body) return UNKNOWN;
    this.callDepth++;
    const saved = this.returned;
    const savedGuard = this.guardReturned;
    this.guardReturned = undefined;
    const savedGenerator = this.generator;
    // A function's loops are its own: a break in the caller's loop is not one of them.
    const savedLoops = this.loopBases.splice(0);
    const savedUndecided = this.undecidedBranches;
    this.undecidedBranches = 0;
    this.returned = undefined;
    this.generator = this.isGenerator(fn.node) ? { items: [], loopsAtCall: this.inexactLoops, partial: false } : undefined;
    try {
      this.execBlock(this.t.children(body), scope);
      const generator = this.generator;
      if (generator) return { k: 'seq', items: generator.items, tuple: false, ...(generator.partial || this.budget <= 0 ? { partial: true as const } : {}) };
      return this.returned ?? this.guardReturned ?? NONE;
    } finally {
      this.returned = saved;
      this.guardReturned = savedGuard;
      this.generator = savedGenerator;
      this.loopBases.push(...savedLoops);
      this.undecidedBranches = savedUndecided;
      this.loopExit = undefined;
      this.callDepth--;
    }
  }

  private instantiate(cls: ClassValue, args: Args, node: PyNode): Value {
    if (cls.home && cls.home !== this) return cls.home.instantiateIn(cls, args.positional, args.keywords, this.callSite(node));
    if (!cls.isModel) return cls.isLayer ? this.customLayer(cls, args, node) : this.instantiateObject(cls, args);
    const model = this.newModel('subclassed', node, args);
    model.attributes = new Map();
    model.cls = cls;
    const self: Value = { k: 'model', model };
    const init = this.classMember(cls, '__init__');
    if (init?.k === 'fn') this.callUser(init, args, self);
    // Keras.Model's own __init__ given (inputs, outputs): the graph a functional model would have.
    const graphOf = (v: Value | undefined): TensorObj[] => (v ? tensorsOf(asGraphValue(v, (prefix) => this.nextName(prefix))) : []);
    const functional = init?.k !== 'fn' ? { inputs: graphOf(args.keywords.get('inputs') ?? args.positional[0]), outputs: graphOf(args.keywords.get('outputs') ?? args.positional[1]) } : undefined;
    this.collectItems(model);
    this.traceCall(model, cls, self, functional && functional.inputs.length > 0 && functional.outputs.length > 0 ? functional : undefined);
    return self;
  }

  /** A subclassed model's layers and sub-models, from its attributes in assignment order. */
  private collectItems(model: ModelObj): void {
    for (const v of model.attributes?.values() ?? []) {
      if (v.k === 'layer') model.items.push(v.layer);
      else if (v.k === 'model') {
        model.items.push(v.model);
        v.model.usedInside = true;
      } else if (v.k === 'seq') {
        for (const item of v.items) if (item.k === 'layer') model.items.push(item.layer);
      }
    }
  }

  /**
   * A custom layer that holds layers of its own (`self.hidden = Dense(64)` in `__init__` or
   * `build`) and whose call is not element-wise operations alone: rebuilt as a subclassed model
   * is (its `call` traced through its layers), and inlined into the model that applies it.
   */
  private layerOfLayers(cls: ClassValue, self: Extract<Value, { k: 'object' }>, name: string, node: PyNode): ModelObj {
    const model = this.newModel('subclassed', node, { positional: [], positionalNodes: [], keywords: NO_KEYWORDS, keywordNodes: NO_KEYWORD_NODES });
    model.kerasName = name;
    model.attributes = new Map(self.attrs);
    model.cls = cls;
    model.layerOfLayers = cls.name;
    // A layer is part of the model that applies it, never a model trained on its own.
    model.usedInside = true;
    this.collectItems(model);
    this.traceCall(model, cls, { k: 'model', model });
    return model;
  }

  /**
   * A custom layer whose layers are made in `build(input_shape)`: build run at its first call,
   * with the shape of what it is applied to (None where nanguard does not know it, as in a
   * subclassed model's `call`); the model of its layers, when it made some, undefined otherwise.
   */
  builtLayer(layer: LayerObj, shapes: ((number | null)[] | undefined)[]): ModelObj | undefined {
    const unbuilt = layer.unbuilt;
    if (!unbuilt) return layer.composite;
    layer.unbuilt = undefined;
    const build = this.classMember(unbuilt.cls, 'build');
    if (build?.k !== 'fn') return undefined;
    const shapeOf = (shape: (number | null)[] | undefined): Value => (shape ? this.shapeValue(shape, build.node) : UNKNOWN);
    const inputShape: Value = shapes.length > 1 ? { k: 'seq', tuple: false, items: shapes.map(shapeOf) } : shapeOf(shapes[0]);
    this.callUser(build, { positional: [inputShape], positionalNodes: [], keywords: NO_KEYWORDS, keywordNodes: NO_KEYWORD_NODES }, unbuilt.self);
    if (!holdsLayers(unbuilt.self.attrs)) {
      if (holdsWeights(unbuilt.self.attrs)) this.translateWeightedCall(layer, unbuilt.cls, unbuilt.self);
      return undefined;
    }
    if (this.readsOnlyWeights(layer, unbuilt.cls, unbuilt.self)) return undefined;
    layer.composite = this.layerOfLayers(unbuilt.cls, unbuilt.self, layer.spec.name, this.t.root);
    layer.composite.location = layer.spec.location;
    return layer.composite;
  }

  /**
   * The outputs of a model with several (`z_mean, z_log_var, z = encoder(x)`), as tensors of the
   * call: undefined when the tensor is not such a call (or `count` does not match).
   */
  private modelOutputs(tensor: TensorObj, count?: number): Value[] | undefined {
    const producer = tensor.producer;
    if (!producer || 'spec' in producer || tensor.outputIndex !== undefined) return undefined;
    const n = producer.outputs.length;
    if (n < 2 || (count !== undefined && count !== n)) return undefined;
    return producer.outputs.map((_, i) => ({ k: 'tensor', tensor: { producer, inputs: tensor.inputs, outputIndex: i } }) as Value);
  }

  /**
   * A custom layer (`class Sampling(layers.Layer)`): its `call` translated to tensor operations
   * (core/tensorExpr.ts), with the terms it adds by `self.add_loss`, stands as a Lambda layer;
   * a `call` that cannot be translated keeps the reason, naming the line, for the reproduction.
   */
  private customLayer(cls: ClassValue, args: Args, node: PyNode): Value {
    const self = this.instantiateObject(cls, args) as Extract<Value, { k: 'object' }>;
    const givenName = args.keywords.get('name');
    const name = givenName?.k === 'str' ? givenName.v : this.nextName(snakeCase(cls.name));
    const spec: LayerObj['spec'] = { className: 'Lambda', name, config: { name, function: `${cls.name}.call` }, location: this.loc(node) };
    const call = this.classMember(cls, 'call');
    if (call?.k !== 'fn') spec.expressionProblem = `${cls.name} has no call method that nanguard can read`;
    else {
      const scope = new Scope(call.scope);
      scope.vars.set('self', self);
      // `call(self, inputs, training=None)` takes one tensor (or a list of them); `call(self, z_mean, z_log_var)` takes two.
      const params = this.t.child(call.node, 'parameters');
      const tensorParams = (params ? this.t.children(params) : []).filter((p) => this.t.type(p) === 'identifier' || this.t.type(p) === 'typed_parameter').length - 1;
      // Tensors of the program the call (or a function it calls) closes over (`z_mean` in Keras 2's
      // CustomVariationalLayer.vae_loss) become inputs of the layer after its own, when it is applied.
      const closure: TensorObj[] = [];
      const tensor = this.closureReader(closure);
      const owner = this.memberAndClass(cls, 'call')?.cls ?? cls;
      const translation = translateFunction(this.expressionContext(scope, { cls: owner, tensor }), call.node, { arity: Math.max(1, tensorParams), method: true, addedLosses: true });
      if ('expr' in translation) {
        spec.expression = translation.expr;
        if (translation.losses) spec.addedLosses = translation.losses;
        if (closure.length > 0 || translation.passThrough) return { k: 'layer', layer: { spec, ...(closure.length > 0 ? { closure } : {}), ...(translation.passThrough ? { passThrough: true as const } : {}) } };
      } else spec.expressionProblem = `${cls.name}.call: ${translation.problem}`;
    }
    if (spec.expressionProblem === undefined || call?.k !== 'fn') return { k: 'layer', layer: { spec } };
    // Keras builds a layer at its first call: the layers its build makes (besides those of __init__) are known there.
    const build = this.memberAndClass(cls, 'build');
    if (build?.member.k === 'fn') return { k: 'layer', layer: { spec, unbuilt: { cls, self } } };
    if (holdsLayers(self.attrs)) {
      if (this.readsOnlyWeights({ spec }, cls, self)) return { k: 'layer', layer: { spec } };
      // A call that passes its input through layers of its own (`self.hidden_layer(inputs)`).
      return { k: 'model', model: this.layerOfLayers(cls, self, name, node) };
    }
    return { k: 'layer', layer: { spec } };
  }

  /** An instance of a plain class: `__init__` run on it, or a dataclass's fields set from the arguments. */
  private instantiateObject(cls: ClassValue, args: Args): Value {
    const self: Extract<Value, { k: 'object' }> = { k: 'object', className: cls.name, attrs: new Map(), cls };
    const init = this.classMember(cls, '__init__');
    if (init?.k === 'fn') {
      this.callUser(init, args, self);
      return self;
    }
    if (cls.dataclass && cls.members) {
      // The fields in order, a base dataclass's first; each from the arguments, else its default.
      const fields = [...new Set(this.dataclassFields(cls, 0))];
      args.positional.forEach((v, i) => {
        if (fields[i] !== undefined) self.attrs.set(fields[i], v);
      });
      for (const [k, v] of args.keywords) self.attrs.set(k, v);
      for (const name of fields) {
        if (self.attrs.has(name)) continue;
        const given = this.classMember(cls, name);
        // `field(default_factory=list)`: a fresh value for each instance.
        const value = given?.k === 'object' && given.className === 'dataclasses.field' ? (given.attrs.get('factory') ? this.callFunction(given.attrs.get('factory')!, []) : UNKNOWN) : given;
        if (value !== undefined) self.attrs.set(name, value);
      }
      const postInit = this.classMember(cls, '__post_init__');
      if (postInit?.k === 'fn') this.callUser(postInit, { positional: [], positionalNodes: [], keywords: NO_KEYWORDS, keywordNodes: NO_KEYWORD_NODES }, self);
    }
    return self;
  }

  private dataclassFields(cls: ClassValue, depth: number): string[] {
    if (depth > 8) return [];
    const inherited = (cls.bases ?? []).flatMap((b) => (b.k === 'class' && b.dataclass ? this.dataclassFields(b, depth + 1) : []));
    return [...inherited, ...(cls.fields ?? [])];
  }

  /**
   * Runs a subclassed model's `call` on a stand-in input: when it passes the input through the
   * layers built in `__init__` (a chain, nested models included), the model gets that graph, as
   * a functional model would. Otherwise the first line that does something else is kept, to be
   * named when the model is refused.
   */
  private traceCall(model: ModelObj, cls: ClassValue, self: Value, functional?: { inputs: TensorObj[]; outputs: TensorObj[] }): void {
    const trainStep = this.classMember(cls, 'train_step');
    // A train_step that differentiates compile's loss of (y, self(x)) is Keras's own: the model is read as without it.
    if (trainStep?.k === 'fn' && !this.traceTrainStep(model, cls, self, trainStep)) return;
    const call = this.classMember(cls, 'call');
    if (call?.k !== 'fn') {
      // `CustomModel(inputs, outputs)`: a subclass that overrides only its steps, built as a functional model.
      if (functional) {
        model.inputs = functional.inputs;
        model.outputs = functional.outputs;
        return;
      }
      model.callProblem = { message: `${cls.name} has no call method that nanguard can read` };
      return;
    }
    const input: LayerObj = { spec: { className: 'InputLayer', name: SUBCLASS_INPUT, config: { name: SUBCLASS_INPUT } }, placeholder: true };
    const inputTensor: TensorObj = { producer: input, inputs: [] };
    const keywords = new Map<string, Value>();
    const params = this.t.child(call.node, 'parameters');
    const paramText = params ? this.src(params) : '';
    // Keras calls `call(x, training=True)` inside `fit`: the training branch is the one that trains.
    if (/\btraining\b/.test(paramText)) keywords.set('training', { k: 'bool', v: true, origin: { kind: 'inferred', note: 'training=True inside fit' } });
    if (/\bmask\b/.test(paramText)) keywords.set('mask', NONE);
    const savedTrace = this.trace;
    const trace: NonNullable<Evaluator['trace']> = { inputs: { base: inputTensor, parts: new Map() }, model };
    this.trace = trace;
    let result: Value;
    try {
      // A custom layer's `call(self, z, cond)`: its required parameters after the first are tensors too, each an input of its own.
      const required = (params ? this.t.children(params) : []).filter((p) => this.t.type(p) === 'identifier' || this.t.type(p) === 'typed_parameter').length - 1;
      const positional: Value[] = model.layerOfLayers && required > 1 ? (this.inputParts(inputTensor, required) ?? []) : [{ k: 'tensor', tensor: inputTensor }];
      result = this.callUser(call, { positional, positionalNodes: [], keywords, keywordNodes: NO_KEYWORD_NODES }, self);
      // What call returns computed by tensor operations (`return x * 2.0`) is the last step of the graph.
      result = this.graphValue(result, call.node);
    } finally {
      this.trace = savedTrace;
    }
    if (trace.scaled) model.scaledInCall = trace.scaled;
    if (trace.statistics) model.statistics = trace.statistics;
    const callLine = this.loc(call.node).range.start.line + 1;
    const notChain = (what: string, where?: SourceLocation): void => {
      model.callProblem = {
        message: `${cls.name}.call (line ${callLine}) is not a chain of its layers: ${what}; nanguard rebuilds ${model.layerOfLayers ? 'a custom layer that holds layers' : 'a subclassed model'} only when call passes its input through layers built in __init__${model.layerOfLayers ? ' or build' : ''}`,
        location: where,
      };
    };
    if (trace.first) {
      const where = this.loc(trace.first.node);
      notChain(`line ${where.range.start.line + 1}, \`${oneLine(this.src(trace.first.node))}\`, ${trace.first.why}`, where);
      return;
    }
    // `return reconstruction, logits`: a model of several outputs.
    const outputs = result.k === 'tensor' ? [result.tensor] : result.k === 'seq' && result.items.length > 1 && result.items.every((v) => v.k === 'tensor') ? tensorsOf(result) : undefined;
    if (!outputs) {
      notChain(result.k === 'seq' ? 'it returns several values that are not all tensors of its layers' : 'nanguard could not follow what it returns');
      return;
    }
    // `cats, nums = inputs`, `inputs[0]`, `inputs["cats"]`: one input each (positions in order, dict keys as first read), as fit passes them.
    const parts = [...(trace.inputs?.parts ?? new Map<string | number, TensorObj>()).entries()];
    const positions = parts.filter(([k]) => typeof k === 'number').sort(([a], [b]) => (a as number) - (b as number));
    const inputs = parts.length === 0 ? [inputTensor] : positions.length === parts.length ? positions.map(([, t]) => t) : positions.length === 0 ? parts.map(([, t]) => t) : undefined;
    if (!inputs) {
      notChain('it reads its inputs both by position and by name');
      return;
    }
    if (positions.length > 0 && positions.some(([k], i) => k !== i)) {
      notChain(`it reads its inputs at positions ${positions.map(([k]) => k).join(', ')}, with a gap nanguard cannot match to fit's arrays`);
      return;
    }
    if (parts.length > 0 && outputs.some((o) => reaches(o, inputTensor))) {
      notChain('it reads its input both whole and unpacked');
      return;
    }
    if (!outputs.every((o) => inputs.some((i) => reaches(o, i)))) {
      notChain('its output does not come from its input through layers nanguard could follow');
      return;
    }
    model.inputs = inputs;
    model.outputs = outputs;
  }

  /**
   * A model that trains in its own `train_step` (the keras.io and Deep Learning with Python
   * VAEs): the step is run on a stand-in batch, its layers and sub-models build the graph, and
   * the loss `tape.gradient` differentiates, translated to tensor operations, becomes the model's
   * loss (what Keras trains on, whatever compile says); its output is the last tensor the loss
   * reads. What cannot be translated is refused, naming the line.
   */
  private traceTrainStep(model: ModelObj, cls: ClassValue, self: Value, trainStep: Extract<Value, { k: 'fn' }>): boolean {
    const where = this.loc(trainStep.node);
    const stepLine = where.range.start.line + 1;
    const refuse = (why: string, location: SourceLocation = where): false => {
      model.callProblem = { message: `${cls.name} trains in its own train_step (line ${stepLine}), and ${why}`, location };
      return false;
    };
    const input: LayerObj = { spec: { className: 'InputLayer', name: SUBCLASS_INPUT, config: { name: SUBCLASS_INPUT } }, placeholder: true };
    const inputTensor: TensorObj = { producer: input, inputs: [] };
    const savedTape = this.tapeLoss;
    const savedStepModel = this.stepModel;
    this.tapeLoss = {};
    this.stepModel = { model, inCall: false, batch: inputTensor };
    let seen: { value?: Value; node?: PyNode };
    const step = this.stepModel;
    const usedInside = model.usedInside;
    try {
      this.callUser(trainStep, { positional: [{ k: 'tensor', tensor: inputTensor }], positionalNodes: [], keywords: NO_KEYWORDS, keywordNodes: NO_KEYWORD_NODES }, self);
    } finally {
      seen = this.tapeLoss;
      this.tapeLoss = savedTape;
      this.stepModel = savedStepModel;
    }
    if (!seen.value || !seen.node) return refuse('nanguard found no tape.gradient(loss, ...) in it whose loss it could follow');
    const compiled = step.compiled;
    if (compiled && seen.value === compiled.answer) {
      // Compile's loss of fit's targets and the model's output on the batch: Keras's own train_step, which fit runs as usual.
      const onTargets = step.target !== undefined && compiled.yTrue?.k === 'tensor' && compiled.yTrue.tensor === step.target;
      const ownOutput = compiled.yPred?.k === 'tensor' && (compiled.yPred.tensor.producer === model || reaches(compiled.yPred.tensor, inputTensor));
      if (onTargets && ownOutput) {
        // `self(x)` there applied the model to the stand-in batch, not inside another model.
        model.usedInside = usedInside;
        return true;
      }
      return refuse(`the loss it differentiates (line ${this.loc(seen.node).range.start.line + 1}) is compile's loss of values other than fit's targets (x, y = data) and the model's output on the batch`, this.loc(seen.node));
    }
    const gradientLine = this.loc(seen.node).range.start.line + 1;
    const tensors: TensorObj[] = [];
    const term = this.tensorTerm(seen.value, tensors);
    if (typeof term === 'string') return refuse(`the loss it differentiates (line ${gradientLine}) cannot be translated: ${term}`, this.loc(seen.node));
    if (term === undefined) {
      const args = this.t.child(seen.node, 'arguments');
      const first = args ? this.t.children(args).find((c) => this.t.type(c) !== 'comment') : undefined;
      const named = first ? ` \`${oneLine(this.src(first))}\`` : '';
      return refuse(`the loss it differentiates${named} (line ${gradientLine}) is not made of the model's tensors by operations nanguard translates (element-wise tf, K and keras.ops operations, means, sums and Keras losses)`, this.loc(seen.node));
    }
    // The model's output: the loss's tensor furthest from the input (the reconstruction, not z_mean).
    const depth = new Map<TensorObj, number>();
    for (const t of topologicalOrder(tensors)) depth.set(t, t.inputs.length === 0 ? 0 : 1 + Math.max(...t.inputs.map((i) => depth.get(i) ?? 0)));
    const output = tensors.filter((t) => t !== inputTensor && reaches(t, inputTensor)).reduce<TensorObj | undefined>((best, t) => (best === undefined || (depth.get(t) ?? 0) > (depth.get(best) ?? 0) ? t : best), undefined);
    if (!output) return refuse(`the loss it differentiates (line ${gradientLine}) reads no tensor computed from the batch by layers nanguard could follow`, this.loc(seen.node));
    model.inputs = [inputTensor];
    model.outputs = [output];
    model.addedLosses = [{ expr: term, tensors, location: this.loc(seen.node) }];
    model.trainStep = where;
    return false;
  }

  // ---- training loops of the program's own (GradientTape)

  /** `range(...)` iterated by a `for`: how many times; undefined for anything else. */
  private rangeLength(iterable: PyNode, value: Value): number | undefined {
    if (value.k !== 'seq' || this.t.type(iterable) !== 'call') return undefined;
    const callee = this.t.child(iterable, 'function');
    if (!callee || this.src(callee) !== 'range') return undefined;
    if (!value.range) return value.items.length;
    const { start, stop, step } = value.range;
    return step === 0 ? undefined : Math.max(0, Math.ceil((stop - start) / step));
  }

  /** Whether a `for` body trains a model step by step, with a GradientTape or `train_on_batch`: inline, or in a function of the program's own it calls. */
  private trainsInLoop(body: PyNode, scope: Scope): boolean {
    // Asked each time a loop runs, for every loop: its body is read once.
    const known = this.tapeBodies.get(body);
    if (known !== undefined) return known;
    const found = this.readsTape(body, scope);
    this.tapeBodies.set(body, found);
    return found;
  }

  private readsTape(body: PyNode, scope: Scope): boolean {
    const own = this.src(body);
    if (/\bGradientTape\b/.test(own) || TRAIN_ON_BATCH.test(own)) return true;
    const end = this.t.subtreeEnd(body);
    const CALL = this.t.typeIdOf('call');
    // The step in a function of its own (`train_step(x)`), or the tape in one and the gradients
    // applied in the body (the TensorFlow walkthrough's `loss_value, grads = grad(model, x, y)`).
    const applies = /\bapply_gradients\b/.test(own);
    for (let node = body; node < end; node++) {
      if (this.t.typeId(node) !== CALL) continue;
      const callee = this.t.child(node, 'function');
      if (callee === undefined || this.t.type(callee) !== 'identifier') continue;
      const fn = scope.lookup(this.src(callee));
      if (fn?.k === 'fn' && /\bGradientTape\b/.test(this.src(fn.node)) && (applies || /\bapply_gradients\b/.test(this.src(fn.node)))) return true;
      if (fn?.k === 'fn' && TRAIN_ON_BATCH.test(this.src(fn.node))) return true;
    }
    return false;
  }

  /**
   * A training loop of the program's own (the TensorFlow tutorials' `for x in train_dataset:
   * train_step(model, x, optimizer)`): the loop over a tf.data dataset whose body differentiates a
   * loss under a GradientTape and applies the gradients with an optimizer. Its body runs once with
   * the batch bound to a stand-in tensor, so that the loss `tape.gradient` differentiates is
   * translated as traceTrainStep does; the model then gets the fit this loop amounts to (see
   * adoptTrainingLoop). True when the loop was taken as training: its body is not run again.
   */
  private followTrainingLoop(node: PyNode, target: PyNode, iterable: PyNode, body: PyNode, value: Value, scope: Scope): boolean {
    if (this.followedLoops.has(node)) return true;
    if (this.tapeLoss || this.loopStep || this.trace) return false;
    let dataset = value.k === 'dataset' ? value : undefined;
    let batchTarget: PyNode | undefined = target;
    let counted = false;
    // `for step, x in enumerate(dataset)`: the batch is the second name.
    if (!dataset && this.t.type(iterable) === 'call' && this.src(this.t.child(iterable, 'function') ?? iterable) === 'enumerate') {
      const argsNode = this.t.child(iterable, 'arguments');
      const first = argsNode ? this.t.children(argsNode).find((c) => this.t.type(c) !== 'comment') : undefined;
      const inner = first ? this.eval(first, scope) : UNKNOWN;
      const names = ['pattern_list', 'tuple_pattern'].includes(this.t.type(target)) ? this.t.children(target) : [];
      if (inner.k === 'dataset' && names.length === 2) {
        dataset = inner;
        batchTarget = names[1];
        counted = true;
      }
    }
    if (!dataset && this.trainsInLoop(body, scope) && !this.nestsTrainingLoop(body, scope)) {
      // `tqdm(range(n))`: the range a progress bar wraps.
      const inner = this.progressBarOf(iterable) ?? iterable;
      const innerValue = inner === iterable ? value : this.eval(inner, scope);
      if (this.isRangeCall(inner)) return this.followArrayBatches(node, target, inner, body, innerValue, scope);
      const generator = this.generatorCall(inner, scope);
      if (generator) return this.followGeneratorBatches(node, target, inner, body, scope);
    }
    if (!dataset || !batchTarget || !this.trainsInLoop(body, scope)) return false;
    this.followedLoops.add(node);
    const inputTensor = loopInput();
    const batch: Value = { k: 'tensor', tensor: inputTensor };
    // A dataset of (x, x) pairs yields the batch twice; targets of their own are not followed.
    const pairTargets = ['pattern_list', 'tuple_pattern'].includes(this.t.type(batchTarget)) ? this.t.children(batchTarget) : undefined;
    const sameTargets = dataset.y !== undefined && (dataset.y === dataset.x || (dataset.y.k === 'array' && dataset.x.k === 'array' && dataset.y.array === dataset.x.array));
    // A pair given one name (`for batch in ds:` then `batch[0]`) is the same tuple.
    const pair = pairTargets ?? (dataset.y !== undefined ? [batchTarget, batchTarget] : undefined);
    // Targets of their own (`for x, y in ds`): a stand-in batch of them, which only a Keras loss of (y, model(x)) may read.
    const targets = dataset.y !== undefined && !sameTargets ? loopInput() : undefined;
    const second: Value = targets ? { k: 'tensor', tensor: targets } : UNKNOWN;
    const bound: Value = pair ? { k: 'seq', tuple: true, items: pair.map((_, i) => (i === 0 || (i === 1 && sameTargets) ? batch : i === 1 ? second : UNKNOWN)) } : batch;
    if (counted) this.bindTarget(target, { k: 'seq', tuple: true, items: [UNKNOWN, bound] }, scope);
    else this.bindTarget(batchTarget, bound, scope);
    const step: LoopStep = { gradients: [], applies: [], gradientLists: new Map(), zips: new Map(), ...(targets ? { targets } : {}) };
    this.runLoopStep(step, body, scope);
    this.adoptTrainingLoop(step, { node, dataText: this.datasetText(iterable), dataset, inputTensor, epochs: this.epochLoop });
    return true;
  }

  /** Runs a training loop's body once as its step (see followTrainingLoop). */
  private runLoopStep(step: LoopStep, body: PyNode, scope: Scope): void {
    const saved = this.loopStep;
    // Calling the model on the stand-in batch is training it, not using it inside another model.
    const usedInside = new Map(this.models.map((m) => [m, m.usedInside]));
    this.loopStep = step;
    try {
      this.execBlock(this.t.children(body), scope);
    } finally {
      this.loopStep = saved;
      for (const [m, used] of usedInside) m.usedInside = used;
    }
  }

  /** Whether a loop body holds a loop of its own that trains with a GradientTape (the body is then an epoch's, not a batch's). */
  private nestsTrainingLoop(body: PyNode, scope: Scope): boolean {
    const end = this.t.subtreeEnd(body);
    for (let node = body + 1; node < end; node++) {
      const type = this.t.type(node);
      if (type !== 'for_statement' && type !== 'while_statement') continue;
      const inner = this.t.child(node, 'body');
      if (inner !== undefined && this.trainsInLoop(inner, scope)) return true;
    }
    return false;
  }

  /**
   * A training loop over numpy arrays (`for i in range(0, len(x), batch_size): batch = x[i:i +
   * batch_size]`, `for b in range(n_batches)`): the innermost range loop whose body trains with a
   * GradientTape. Its body runs once, with the loop's first index, as the step; the first slice of
   * rows of an array in it is the batch (that array the data, the slice's rows the batch size), and
   * a model given a whole array trains on all of it at each pass (the loop then counts the epochs).
   */
  private followArrayBatches(node: PyNode, target: PyNode, iterable: PyNode, body: PyNode, value: Value, scope: Scope): boolean {
    this.followedLoops.add(node);
    const inputTensor = loopInput();
    this.bindTarget(target, this.itemsOf(value, iterable)?.[0] ?? this.rangeStart(iterable, scope), scope);
    const indexNames = this.indexNamesOf(target, body);
    const step: LoopStep = { gradients: [], applies: [], gradientLists: new Map(), zips: new Map(), arrays: { tensor: inputTensor, indexNames } };
    this.runLoopStep(step, body, scope);
    return this.adoptArrayBatches(step, node, iterable, value, inputTensor);
  }

  /**
   * `for batch in batches(x_train, 64):` over a generator of the program's own that yields slices
   * of an array's rows: the generator runs with those slices standing for the batch (see
   * arrayBatch), and the body runs once on what it yields first.
   */
  private followGeneratorBatches(node: PyNode, target: PyNode, iterable: PyNode, body: PyNode, scope: Scope): boolean {
    this.followedLoops.add(node);
    const inputTensor = loopInput();
    const step: LoopStep = { gradients: [], applies: [], gradientLists: new Map(), zips: new Map(), arrays: { tensor: inputTensor, indexNames: new Set() } };
    const saved = this.loopStep;
    this.loopStep = step;
    let yielded: Value;
    try {
      yielded = this.eval(iterable, scope);
    } finally {
      this.loopStep = saved;
    }
    this.bindTarget(target, (yielded.k === 'seq' ? yielded.items[0] : undefined) ?? UNKNOWN, scope);
    this.runLoopStep(step, body, scope);
    // A generator's slices are its batches: the epochs are those of a range loop around it.
    return this.adoptArrayBatches({ ...step, arrays: step.arrays && { ...step.arrays, source: step.arrays.source && { ...step.arrays.source, whole: undefined } } }, node, iterable, UNKNOWN, inputTensor);
  }

  /** `tqdm(range(n))`, `tqdm.tqdm(...)`, `trange`'s range aside: the iterable a progress bar wraps; undefined for anything else. */
  private progressBarOf(iterable: PyNode): PyNode | undefined {
    if (this.t.type(iterable) !== 'call') return undefined;
    const callee = this.t.child(iterable, 'function');
    if (callee === undefined || !/^(tqdm\.)?(tqdm|tqdm_notebook|notebook\.tqdm|auto\.tqdm)$/.test(this.src(callee))) return undefined;
    const argsNode = this.t.child(iterable, 'arguments');
    return argsNode ? this.t.children(argsNode).find((c) => this.t.type(c) !== 'comment' && this.t.type(c) !== 'keyword_argument') : undefined;
  }

  /** The first index of `range(...)` whose items are not known (`range(n_batches)` of an unknown count): its start, 0 unless given. */
  private rangeStart(range: PyNode, scope: Scope): Value {
    const argsNode = this.t.child(range, 'arguments');
    const args = argsNode ? this.t.children(argsNode).filter((c) => this.t.type(c) !== 'comment') : [];
    const start = args.length >= 2 ? this.eval(args[0], scope) : undefined;
    return start?.k === 'num' ? start : args.length === 1 ? { k: 'num', v: 0, origin: { kind: 'inferred', note: this.src(range) } } : UNKNOWN;
  }

  /** Whether a node is a call of the builtin `range`. */
  private isRangeCall(node: PyNode): boolean {
    const callee = this.t.type(node) === 'call' ? this.t.child(node, 'function') : undefined;
    return callee !== undefined && this.src(callee) === 'range';
  }

  /** A call of a generator function of the program's own (one that yields); undefined for anything else. */
  private generatorCall(node: PyNode, scope: Scope): Extract<Value, { k: 'fn' }> | undefined {
    const callee = this.t.type(node) === 'call' ? this.t.child(node, 'function') : undefined;
    if (callee === undefined || this.t.type(callee) !== 'identifier') return undefined;
    const fn = scope.lookup(this.src(callee));
    return fn?.k === 'fn' && (!fn.home || fn.home === this) && this.isGenerator(fn.node) ? fn : undefined;
  }

  /** The fit a loop over numpy arrays amounts to, once its step ran (see followArrayBatches); or, with no batch followed, why not. */
  private adoptArrayBatches(step: LoopStep, node: PyNode, iterable: PyNode, value: Value, inputTensor: TensorObj): boolean {
    const arrays = step.arrays!;
    const line = this.loc(node).range.start.line + 1;
    if (!arrays.source) {
      const models = new Set([...step.gradients, ...step.applies, ...(step.batchCalls ?? [])].map((g) => g.model).filter((m): m is ModelObj => m !== undefined));
      const where = this.loc(step.gradients[0]?.node ?? step.batchCalls?.[0]?.node ?? node);
      const given = arrays.unfollowed;
      const what = given !== undefined ? `: the model is given \`${oneLine(this.src(given)).slice(0, 60)}\` (line ${this.loc(given).range.start.line + 1}), which is not` : ', which would be';
      const how = step.gradients.length === 0 && step.batchCalls ? 'train_on_batch in a loop' : 'a GradientTape loop';
      for (const model of models) {
        if (model.fit) continue;
        model.trainingLoop = { location: where, problem: `${modelLabel(model)} is trained by ${how} of the program's own (line ${line}), and nanguard found no batch in its body that it could follow${what} a slice of the rows of an array (\`x[i:i + batch_size]\`) or a whole array` };
      }
      return true;
    }
    const source = arrays.source;
    const count = this.rangeLength(iterable, value) ?? 1;
    const rows = currentShape(source.array)?.[0];
    const dataset: Extract<Value, { k: 'dataset' }> = {
      k: 'dataset',
      x: { k: 'array', array: source.array },
      batchSize: source.whole
        ? { value: typeof rows === 'number' ? rows : 1, origin: { kind: 'inferred', note: `the whole of ${source.text} at each pass of the loop`, location: this.loc(source.node) } }
        : { value: source.rows, origin: { kind: 'inferred', note: oneLine(this.src(source.node)).slice(0, 80), location: this.loc(source.node) } },
      ...(source.shuffled ? { shuffled: true as const } : {}),
      location: this.loc(source.node),
    };
    // A whole array at each pass: this loop counts the epochs; batches of it: the range loop around it does.
    const epochs = source.whole ? { count: count * (this.epochLoop?.count ?? 1), node: iterable } : this.epochLoop;
    this.adoptTrainingLoop(step, { node, dataText: source.text, dataset, inputTensor, epochs });
    return true;
  }

  /**
   * Inside a loop over numpy arrays: a slice of an array's rows (`x[i:i + 32]`, `x[perm[i:i + 32]]`)
   * as the stand-in batch, the first array sliced being the data; undefined for anything else (an
   * index array, another array's rows, which stay arrays).
   */
  private arrayBatch(array: ArrayObj, result: ArrayObj | undefined, node: PyNode, subscripts: PyNode[], scope: Scope): Value | undefined {
    const arrays = this.loopStep?.arrays;
    const whole = currentShape(array);
    if (arrays && array.filePath && whole === undefined) this.wantDataShape(array.filePath);
    let part = result ? currentShape(result) : undefined;
    if (whole && part === undefined && subscripts.length === 1 && this.t.type(subscripts[0]) !== 'slice') {
      // `x[idx]` with `idx = perm[i:i + 64]`: as many rows as the index array holds.
      const index = this.eval(subscripts[0], scope);
      const positions = index.k === 'array' ? currentShape(index.array) : undefined;
      if (positions?.length === 1 && typeof positions[0] === 'number') part = [positions[0], ...whole.slice(1)];
    }
    if (!arrays || !whole || !part || whole.length < 2 || part.length !== whole.length || typeof part[0] !== 'number') return undefined;
    if (part.slice(1).some((d, i) => d !== whole[i + 1]) || (typeof whole[0] === 'number' && part[0] >= whole[0])) return undefined;
    if (arrays.source && arrays.source.array !== array) return undefined;
    const valueNode = this.t.child(node, 'value');
    // A plain slice of rows keeps their order; an index (a permutation's slice, random positions) shuffles them.
    const plain = subscripts.length === 1 && this.t.type(subscripts[0]) === 'slice';
    // The slice by the loop's own index gives the batch size, not one taken to look at a few rows (`x[:10]`).
    const byIndex = subscripts.some((sub) => this.mentionsName(sub, arrays.indexNames));
    if (!arrays.source || (byIndex && !arrays.source.byIndex)) {
      arrays.source = { array, rows: part[0], node, text: valueNode !== undefined ? this.src(valueNode) : 'data', ...(plain ? {} : { shuffled: true as const }), ...(byIndex ? { byIndex: true as const } : {}) };
    }
    return { k: 'tensor', tensor: arrays.tensor };
  }

  /** Whether an expression reads one of the names. */
  private mentionsName(node: PyNode, names: ReadonlySet<string>): boolean {
    if (names.size === 0) return false;
    const end = this.t.subtreeEnd(node);
    const IDENTIFIER = this.t.typeIdOf('identifier');
    for (let n = node; n < end; n++) if (this.t.typeId(n) === IDENTIFIER && names.has(this.src(n))) return true;
    return false;
  }

  /** A loop's index and the names its body assigns from it (`start = i * bs`, `idx = perm[start:end]`), in the body's order. */
  private indexNamesOf(target: PyNode, body: PyNode): Set<string> {
    const names = new Set(this.t.type(target) === 'identifier' ? [this.src(target)] : []);
    if (names.size === 0) return names;
    const end = this.t.subtreeEnd(body);
    const ASSIGNMENT = this.t.typeIdOf('assignment');
    for (let n = body; n < end; n++) {
      if (this.t.typeId(n) !== ASSIGNMENT) continue;
      const left = this.t.child(n, 'left');
      const right = this.t.child(n, 'right');
      if (left !== undefined && right !== undefined && this.t.type(left) === 'identifier' && this.mentionsName(right, names)) names.add(this.src(left));
    }
    return names;
  }

  /** Inside a loop over numpy arrays: an array given whole to the model, or read again in its loss (the one given), as the stand-in batch. */
  private wholeArrayBatch(value: Value | undefined, node: PyNode | undefined): Value | undefined {
    const arrays = this.loopStep?.arrays;
    if (!arrays || value?.k !== 'array') return undefined;
    if (arrays.source) return arrays.source.array === value.array ? { k: 'tensor', tensor: arrays.tensor } : undefined;
    const shape = currentShape(value.array);
    if (!shape && value.array.filePath) this.wantDataShape(value.array.filePath);
    if (!shape || shape.length < 2 || node === undefined) return undefined;
    arrays.source = { array: value.array, rows: typeof shape[0] === 'number' ? shape[0] : 1, node, text: this.src(node), whole: true };
    return { k: 'tensor', tensor: arrays.tensor };
  }

  /** Inside a training loop's step: `tape.gradient`, `tf.clip_by_global_norm` and `apply_gradients`, recorded; undefined for any other call. */
  private recordLoopStep(owner: Value, method: string, args: Args, node: PyNode, argsNode: PyNode | undefined, scope: Scope): Value | undefined {
    const step = this.loopStep;
    if (!step) return undefined;
    const argNodes = argsNode ? this.t.children(argsNode).filter((c) => this.t.type(c) !== 'comment') : [];
    // `tape.gradient(...)`, not `np.gradient(...)`: a tape is an object, never a module.
    if (method === 'gradient' && args.positional[0] && owner.k !== 'ref') {
      const gradients: Value = { k: 'object', className: 'gradients', attrs: new Map() };
      step.gradientLists.set(gradients, {});
      step.gradients.push({ loss: args.positional[0], node, model: this.variablesOwner(argNodes[1], scope) });
      return gradients;
    }
    if (method === 'clip_by_global_norm' && owner.k === 'ref') {
      const clipped = args.positional[0] && step.gradientLists.get(args.positional[0]);
      const norm = args.positional[1] ?? args.keywords.get('clip_norm');
      if (!clipped || norm?.k !== 'num') return undefined;
      const gradients: Value = { k: 'object', className: 'gradients', attrs: new Map() };
      step.gradientLists.set(gradients, { globalClipnorm: norm.v });
      return { k: 'seq', tuple: true, items: [gradients, UNKNOWN] };
    }
    if (method === 'minimize' && owner.k === 'optimizer') {
      // `optimizer.minimize(loss, var_list=model.trainable_variables, tape=tape)`: the gradient and its step in one; a loss given as a function is called.
      let loss = args.positional[0] ?? args.keywords.get('loss');
      if (loss?.k === 'fn') loss = this.callUser(loss, { positional: [], positionalNodes: [], keywords: NO_KEYWORDS, keywordNodes: NO_KEYWORD_NODES });
      const model = this.variablesOwner(argNodes[1] !== undefined && this.t.type(argNodes[1]) !== 'keyword_argument' ? argNodes[1] : args.keywordNodes.get('var_list'), scope);
      if (!loss) return undefined;
      const grads: Value = { k: 'object', className: 'gradients', attrs: new Map() };
      step.gradientLists.set(grads, {});
      step.gradients.push({ loss, node, model });
      step.applies.push({ optimizer: owner, node, grads, model, minimize: true });
      return NONE;
    }
    if (method === 'apply_gradients') {
      // `apply_gradients(zip(grads, model.trainable_variables))`, or of a name the zip was given to: the gradients and the model, read from the zip.
      const zipped = args.positional[0] ?? args.keywords.get('grads_and_vars');
      const pairs = zipped ? step.zips.get(zipped) : undefined;
      step.applies.push({ optimizer: owner, node, grads: pairs?.grads, model: pairs?.model });
      return NONE;
    }
    return undefined;
  }

  /**
   * In a training loop's step, `tf.cast(x, tf.float32)`, `tf.convert_to_tensor(x)`, `np.asarray(x)`
   * and the like of a tensor: the tensor itself (the batch as floats); undefined for anything else.
   */
  private sameBatch(path: string, args: Args): Value | undefined {
    const first = args.positional[0];
    if ((first?.k !== 'tensor' && first?.k !== 'texpr') || !SAME_VALUES.test(path)) return undefined;
    const dtype = args.positional[1] ?? args.keywords.get('dtype');
    const text = dtype?.k === 'str' ? dtype.v : dtype?.k === 'ref' ? dtype.path : undefined;
    if (dtype !== undefined && dtype.k !== 'none' && !(text !== undefined && /(^|\.)float(32|64)$/.test(text))) return undefined;
    return first;
  }

  /** `zip(grads, model.trainable_variables)` in a training loop's step: a value standing for the pairs, kept with the gradients and the model it pairs; undefined for any other call. */
  private zippedGradients(fn: PyNode, argsNode: PyNode | undefined, scope: Scope): Value | undefined {
    const step = this.loopStep;
    if (!step || this.t.type(fn) !== 'identifier' || this.src(fn) !== 'zip' || scope.lookup('zip') !== undefined) return undefined;
    const argNodes = argsNode ? this.t.children(argsNode).filter((c) => this.t.type(c) !== 'comment') : [];
    if (argNodes.length !== 2 || argNodes.some((a) => this.t.type(a) === 'keyword_argument' || this.t.type(a) === 'list_splat')) return undefined;
    const pairs: Value = { k: 'object', className: 'zip', attrs: new Map() };
    step.zips.set(pairs, { grads: this.eval(argNodes[0], scope), model: this.variablesOwner(argNodes[1], scope) });
    return pairs;
  }

  /**
   * `sum(vae.losses)` (or `tf.add_n`, `tf.reduce_sum` of them) in a training loop's step or a
   * train_step: what the model's layers add (add_loss terms, regularizers), which the run adds to
   * the loss as fit does; 0 in the step's own term. Undefined for any other call.
   */
  private summedModelLosses(callee: Value, args: Args): Value | undefined {
    const step = this.loopStep;
    const first = args.positional[0];
    if ((!step && !this.stepModel) || first?.k !== 'object' || first.className !== MODEL_LOSSES || args.positional.length !== 1) return undefined;
    const owner = first.attrs.get('model');
    const path = callee.k === 'ref' ? canonicalPath(callee.path) : '';
    if (owner?.k !== 'model' || !/^(sum|tensorflow\.(add_n|math\.add_n|reduce_sum|math\.reduce_sum)|keras\.ops\.sum)$/.test(path)) return undefined;
    // A train_step's `sum(self.losses)`: the run adds what the layers add to a model with a train_step.
    if (step) step.modelLosses = owner.model;
    return { k: 'num', v: 0, origin: { kind: 'inferred', note: `${owner.model.variable ?? owner.model.kerasName}.losses, added by the run as fit adds them` } };
  }

  /** `model.trainable_variables` (or `trainable_weights`): the model; undefined for anything else (a sum of two models' variables). */
  private variablesOwner(node: PyNode | undefined, scope: Scope): ModelObj | undefined {
    if (node === undefined || this.t.type(node) !== 'attribute') return undefined;
    const attribute = this.t.child(node, 'attribute');
    const object = this.t.child(node, 'object');
    if (!attribute || !object || !/^trainable_(variables|weights)$/.test(this.src(attribute))) return undefined;
    const owner = this.eval(object, scope);
    return owner.k === 'model' ? owner.model : undefined;
  }

  /** The fit a training loop of the program's own amounts to: the epochs of the range loop around it, the dataset's (or the slices') batches and order. */
  private loopFit(loop: { dataset: Extract<Value, { k: 'dataset' }>; epochs: { count: number; node: PyNode } | undefined }, location: SourceLocation): NonNullable<ModelObj['fit']> {
    const epochs = loop.epochs;
    return {
      epochs: epochs ? { value: epochs.count, origin: { kind: 'inferred', note: oneLine(this.src(epochs.node)), location: this.loc(epochs.node) } } : { value: 1, origin: { kind: 'default', note: 'one pass of the loop over the data' } },
      batchSize: loop.dataset.batchSize ?? { value: 1, origin: { kind: 'inferred', note: 'the dataset is not batched: each step trains on one element' } },
      shuffle: loop.dataset.shuffled ? { value: true, origin: { kind: 'inferred', note: 'the batches are drawn shuffled' } } : { value: false, origin: { kind: 'inferred', note: 'the batches are taken in order' } },
      validation: { kind: 'none' },
      callbacks: [],
      location,
    };
  }

  /**
   * A loop whose step calls `model.train_on_batch(x, y)`: the fit it amounts to, on the compiled
   * loss, with the batches the loop cuts (or the dataset it iterates), for the epochs of the
   * `for epoch in range(n)` around it. Targets that are not the batch itself, the dataset's targets
   * or a slice of another array's rows, and several models trained in one step (a GAN's loop),
   * are kept as the reason, naming the line.
   */
  private adoptBatchCalls(calls: NonNullable<LoopStep['batchCalls']>, step: LoopStep, loop: { node: PyNode; dataText: string; dataset: Extract<Value, { k: 'dataset' }>; inputTensor: TensorObj; epochs: { count: number; node: PyNode } | undefined }): void {
    const line = (n: PyNode): number => this.loc(n).range.start.line + 1;
    const models = [...new Set(calls.map((c) => c.model))];
    const where = this.loc(calls[0].node);
    const refuse = (why: string): void => {
      for (const model of models) if (!model.fit) model.trainingLoop = { location: where, problem: `${modelLabel(model)} is trained by train_on_batch in a loop of the program's own (line ${line(loop.node)}), and ${why}` };
    };
    if (models.length > 1) return refuse(`its step trains several models (lines ${[...new Set(calls.map((c) => line(c.node)))].join(', ')}), as a GAN's loop does; nanguard reproduces a loop that trains one model`);
    const [call] = calls;
    const model = call.model;
    if (model.fit || !model.compile) return;
    const isBatch = (v: Value | undefined): boolean => v?.k === 'tensor' && v.tensor === loop.inputTensor;
    if (!isBatch(call.x)) return refuse(`the inputs it is given (line ${line(call.node)}) are not a batch nanguard could follow: a slice of the rows of an array (\`x[i:i + batch_size]\`) or a dataset's batch`);
    let target: Value | undefined;
    let targetText = loop.dataText;
    if (call.y === undefined || call.y.k === 'none') target = undefined;
    else if (isBatch(call.y)) target = loop.dataset.x;
    else if (call.y.k === 'tensor' && step.targets && call.y.tensor === step.targets) target = loop.dataset.y;
    else if (call.y.k === 'array' && call.y.array.rowsOf) {
      target = { k: 'array', array: call.y.array.rowsOf };
      targetText = call.yNode !== undefined ? this.src(call.yNode) : targetText;
    }
    if (call.y && call.y.k !== 'none' && target === undefined) return refuse(`the targets it is given (\`${oneLine(call.yNode !== undefined ? this.src(call.yNode) : 'y').slice(0, 60)}\`, line ${line(call.node)}) are not the batch itself or a slice of another array's rows`);
    model.fit = this.loopFit(loop, this.loc(loop.node));
    model.train = loop.dataset.x;
    model.trainText = loop.dataText;
    model.target = target;
    model.targetText = target !== undefined ? targetText : undefined;
  }

  /**
   * Gives the model a training loop trains the fit it amounts to: compiled with the loop's
   * optimizer and no loss of compile's, the loss the step differentiates added (as a train_step's
   * is), fitted on the dataset the loop iterates for the epochs of the `for epoch in range(n)`
   * around it. What cannot be followed (several models, gradients edited before they are applied,
   * an optimizer nanguard does not know) is kept as the reason, naming the line.
   */
  private adoptTrainingLoop(step: LoopStep, loop: { node: PyNode; dataText: string; dataset: Extract<Value, { k: 'dataset' }>; inputTensor: TensorObj; epochs: { count: number; node: PyNode } | undefined }): void {
    const line = (n: PyNode): number => this.loc(n).range.start.line + 1;
    const models = [...new Set([...step.gradients, ...step.applies].map((g) => g.model).filter((m): m is ModelObj => m !== undefined))];
    const firstGradient = step.gradients[0];
    const where = this.loc(firstGradient?.node ?? loop.node);
    const refuse = (why: string): void => {
      for (const model of models) model.trainingLoop = { location: where, problem: `${modelLabel(model)} is trained by a GradientTape loop of the program's own (line ${line(loop.node)}), and ${why}` };
    };
    if (step.gradients.length === 0 && step.applies.length === 0 && step.batchCalls) return this.adoptBatchCalls(step.batchCalls, step, loop);
    if (models.some((m) => m.fit)) return;
    if (step.gradients.length > 1 || step.applies.length > 1 || models.length > 1) {
      const lines = [...step.gradients, ...step.applies].map((g) => line(g.node));
      return refuse(`its step differentiates and applies several losses or models (lines ${[...new Set(lines)].join(', ')}), as a GAN's loop does; nanguard reproduces a loop that trains one model on one loss`);
    }
    const apply = step.applies[0];
    if (!firstGradient) return refuse(`nanguard found no tape.gradient(loss, model.trainable_variables) in its step that it could follow`);
    const model = models[0];
    if (!model) return;
    if (!firstGradient.model || !apply?.model) return refuse(`the variables its step differentiates by or applies to (line ${line(apply?.node ?? firstGradient.node)}) are not model.trainable_variables of one model`);
    if (!apply) return refuse(`nanguard found no optimizer.apply_gradients(zip(gradients, model.trainable_variables)) in its step`);
    const gradients = apply.grads ? step.gradientLists.get(apply.grads) : undefined;
    if (!gradients) return refuse(`the gradients are changed between tape.gradient (line ${line(firstGradient.node)}) and apply_gradients (line ${line(apply.node)}) in a way nanguard does not translate (it translates tf.clip_by_global_norm)`);
    if (apply.optimizer.k !== 'optimizer') return refuse(`the optimizer that applies the gradients (line ${line(apply.node)}) is not one nanguard could follow`);
    const schedule = this.learningRateSchedule();
    if (schedule !== undefined) return refuse(`its learning rate may follow the schedule made on line ${line(schedule)} (\`${oneLine(this.src(schedule)).slice(0, 60)}\`), which nanguard would replace by its initial rate`);
    const gradientLine = line(firstGradient.node);
    const stepOptimizer = apply.optimizer.optimizer;
    const optimizer = gradients.globalClipnorm === undefined ? stepOptimizer : { ...stepOptimizer, config: { ...stepOptimizer.config, global_clipnorm: gradients.globalClipnorm } };
    // A Keras loss of the targets and the model's output, and nothing else: compile's loss and fit(x, y).
    const targetLoss = step.targetLoss;
    if (targetLoss && firstGradient.loss === targetLoss.value && loop.dataset.y !== undefined) {
      const graph = this.loopGraph(model, [targetLoss.yPred], loop.inputTensor);
      if (typeof graph === 'string') return refuse(`the loss it differentiates (line ${gradientLine}) ${graph}`);
      const location = this.loc(loop.node);
      model.compile = { optimizer, loss: targetLoss.loss, location };
      model.fit = this.loopFit(loop, location);
      model.train = graph.reshapedBatch ? reshapedData(loop.dataset.x, graph.reshapedBatch) : loop.dataset.x;
      model.trainText = loop.dataText;
      model.target = loop.dataset.y;
      model.targetText = loop.dataText;
      model.trainingLoop = { location: where, ...(apply.minimize ? { minimize: this.loc(apply.node) } : {}), compiledLoss: true };
      return;
    }
    const tensors: TensorObj[] = [];
    const term = this.tensorTerm(firstGradient.loss, tensors);
    if (typeof term === 'string') return refuse(`the loss it differentiates (line ${gradientLine}) cannot be translated: ${term}`);
    if (term === undefined) return refuse(`the loss it differentiates (line ${gradientLine}) is not made of the model's tensors by operations nanguard translates (element-wise tf, K and keras.ops operations, means, sums and Keras losses)`);
    const graph = this.loopGraph(model, tensors, loop.inputTensor);
    if (typeof graph === 'string') return refuse(`the loss it differentiates (line ${gradientLine}) ${graph}`);
    if (graph.outputs) {
      model.inputs = [loop.inputTensor];
      model.outputs = graph.outputs;
      model.callProblem = undefined;
    }
    const location = this.loc(loop.node);
    model.compile = { optimizer, loss: { name: 'none' }, location };
    model.fit = this.loopFit(loop, location);
    model.train = graph.reshapedBatch ? reshapedData(loop.dataset.x, graph.reshapedBatch) : loop.dataset.x;
    model.trainText = loop.dataText;
    // A Sequential model's loss reads the reshaped batch as it stands: it is the batch the data now gives.
    const lossTensors = graph.reshapedBatch ? graph.tensors.map((t) => (t === graph.reshapedBatch ? loop.inputTensor : t)) : graph.tensors;
    model.addedLosses = [{ expr: term, tensors: lossTensors, location: this.loc(firstGradient.node) }];
    // A loss not reduced to one number (`tf.keras.losses.MSE(x, y)` of images): tape.gradient differentiates its sum, as the run does.
    model.trainingLoop = {
      location: where,
      ...(apply.minimize ? { minimize: this.loc(apply.node) } : {}),
      ...(reducesToScalar(term) ? {} : { summed: true as const }),
      ...(step.modelLosses === model ? { modelLosses: true as const } : {}),
    };
  }

  /**
   * The graph a training loop's loss is over. `model(x)` in the loss: the model's own graph, its
   * calls read as its outputs and the batch as its input. A subclassed model's methods and
   * sub-models (`model.encode(x)`): the graph they build from the batch, with the loss's tensor
   * furthest from the batch as the model's output (as traceTrainStep). A string: why neither.
   */
  private loopGraph(model: ModelObj, tensors: TensorObj[], batch: TensorObj): { tensors: TensorObj[]; outputs?: TensorObj[]; reshapedBatch?: TensorObj } | string {
    const calls = tensors.filter((t) => t.producer === model);
    if (calls.length > 0) {
      // `x = tf.reshape(x, [-1, image_size])` before `model(x)`: the batch is the data reshaped, as `x_train.reshape` before fit would give it.
      const given = calls[0].inputs.length === 1 ? calls[0].inputs[0] : undefined;
      const reshapedBatch = given && given !== batch && isReshapeOf(given, batch) && calls.every((t) => t.inputs.length === 1 && t.inputs[0] === given) && !tensors.includes(batch) ? given : undefined;
      const inputTensor = reshapedBatch ?? batch;
      if (calls.some((t) => t.inputs.length !== 1 || t.inputs[0] !== inputTensor)) return `calls ${modelLabel(model)} on something other than the batch`;
      const graph = this.calledGraph(model, tensors, inputTensor);
      return typeof graph === 'string' || !reshapedBatch ? graph : { ...graph, reshapedBatch };
    }
    return this.methodGraph(model, tensors, batch);
  }

  /** The loss's graph when it calls the model on the batch (`inputTensor`). */
  private calledGraph(model: ModelObj, tensors: TensorObj[], inputTensor: TensorObj): { tensors: TensorObj[] } | string {
    // A Sequential model's call is its output and the batch its input, as they stand (models.ts names them).
    if (model.kind === 'sequential') return tensors.every((t) => t === inputTensor || t.producer === model) ? { tensors } : `reads tensors besides the batch and ${modelLabel(model)}'s output`;
    if (model.outputs.length === 0 || model.inputs.length !== 1) return `calls ${modelLabel(model)}, whose own graph nanguard could not rebuild`;
    const mapped = tensors.map((t) => (t === inputTensor ? model.inputs[0] : t.producer === model ? model.outputs[t.outputIndex ?? 0] : undefined));
    if (mapped.some((t) => t === undefined)) return `reads tensors besides the batch and ${modelLabel(model)}'s outputs`;
    return { tensors: mapped as TensorObj[] };
  }

  /** The loss's graph when it calls the model's methods or sub-models on the batch, not the model itself. */
  private methodGraph(model: ModelObj, tensors: TensorObj[], inputTensor: TensorObj): { tensors: TensorObj[]; outputs?: TensorObj[] } | string {
    if (model.kind !== 'subclassed') return `does not call ${modelLabel(model)} on the batch`;
    const depth = new Map<TensorObj, number>();
    for (const t of topologicalOrder(tensors)) depth.set(t, t.inputs.length === 0 ? 0 : 1 + Math.max(...t.inputs.map((i) => depth.get(i) ?? 0)));
    const output = tensors.filter((t) => t !== inputTensor && reaches(t, inputTensor)).reduce<TensorObj | undefined>((best, t) => (best === undefined || (depth.get(t) ?? 0) > (depth.get(best) ?? 0) ? t : best), undefined);
    if (!output) return `reads no tensor computed from the batch by layers nanguard could follow`;
    return { tensors, outputs: [output] };
  }

  /** The first learning-rate schedule the file makes (`keras.optimizers.schedules.CosineDecay(...)`), if any. */
  private learningRateSchedule(): PyNode | undefined {
    const root = this.t.root;
    const end = this.t.subtreeEnd(root);
    const CALL = this.t.typeIdOf('call');
    for (let node = root; node < end; node++) {
      if (this.t.typeId(node) !== CALL) continue;
      const callee = this.t.child(node, 'function');
      if (callee !== undefined && LEARNING_RATE_SCHEDULE.test(this.src(callee))) return node;
    }
    return undefined;
  }

  /** `train_dataset`, or the dataset of `enumerate(train_dataset)`: the text the data is named by. */
  private datasetText(iterable: PyNode): string {
    if (this.t.type(iterable) === 'call' && this.src(this.t.child(iterable, 'function') ?? iterable) === 'enumerate') {
      const argsNode = this.t.child(iterable, 'arguments');
      const first = argsNode ? this.t.children(argsNode).find((c) => this.t.type(c) !== 'comment') : undefined;
      if (first) return this.src(first);
    }
    return this.src(iterable);
  }

  /** Inside a subclassed model's `call`: remembers the first operation that is not a layer call. */
  private untraced(node: PyNode, why: string): void {
    if (this.trace && !this.trace.first) this.trace.first = { node, why };
  }

  private callMethod(owner: Value, method: string, args: Args, node: PyNode, objectNode: PyNode): Value {
    const location = this.loc(node);
    switch (owner.k) {
      case 'model': {
        if (!MODEL_METHODS.has(method)) {
          // `self.encoder(x)`: a layer or model kept on the model; `self.encode(x)`: a method of the class.
          const attr = owner.model.attributes?.get(method);
          if (attr) return this.callValue(attr, args, node);
          const member = owner.model.cls ? this.classMember(owner.model.cls, method) : undefined;
          if (member?.k === 'fn') return this.callUser(member, args, member.static ? undefined : owner);
          if (member) return this.callValue(member, args, node);
        }
        // `self.add_loss(kl_loss)` in the traced call (the TensorFlow guide's VariationalAutoEncoder): a term of the graph, as `vae.add_loss` outside.
        if (method === 'add_loss' && this.trace?.model === owner.model) {
          this.addModelLoss(owner.model, args, node);
          return NONE;
        }
        if (method === 'add_loss' || method === 'add_metric') this.untraced(node, `it adds a loss of its own (${method}), which nanguard does not reproduce`);
        if (method === 'get_layer') return modelLayer(owner.model, args.keywords.get('name') ?? args.positional[0], args.keywords.get('index')) ?? UNKNOWN;
        // `model.train_on_batch(x_batch, y_batch)` in a loop's step: the batch it trains on (adoptBatchCalls reads the fit it amounts to).
        if (method === 'train_on_batch' && this.loopStep) {
          (this.loopStep.batchCalls ??= []).push({ model: owner.model, x: args.keywords.get('x') ?? args.positional[0], y: args.keywords.get('y') ?? args.positional[1], yNode: args.keywordNodes.get('y') ?? args.positionalNodes[1], node });
          return UNKNOWN;
        }
        return modelMethod(this, owner.model, method, args, node);
      }
      case 'object': {
        if (owner.arguments) return argparseMethod(owner, method, args);
        // `self.add_weight(...)` in a custom layer's build: the weight, which its call may read.
        if ((method === 'add_weight' || method === 'add_variable') && owner.cls && !owner.attrs.has(method) && !this.classMember(owner.cls, method)) return layerWeight(args, this.src(node));
        const attr = owner.attrs.get(method);
        // A library object's method is a path its library answers (`builder.as_dataset(...)` of tensorflow_datasets).
        if (attr?.k === 'ref') return this.callRef(attr.path, args, node);
        if (attr) return this.callValue(attr, args, node);
        const member = owner.cls ? this.classMember(owner.cls, method) : undefined;
        if (member?.k === 'fn') return this.callUser(member, args, member.static ? undefined : owner);
        return member ? this.callValue(member, args, node) : UNKNOWN;
      }
      case 'class': {
        const member = this.classMember(owner, method);
        return member?.k === 'fn' ? this.callUser(member, args) : member ? this.callValue(member, args, node) : UNKNOWN;
      }
      case 'num':
        return method === 'numpy' || method === 'item' || method === '__int__' ? owner : UNKNOWN;
      case 'tensor':
        if (method === 'get_shape') {
          const shape = tensorShape(owner.tensor);
          return shape ? this.shapeValue(shape, node) : UNKNOWN;
        }
        this.untraced(node, `${method} is not a Keras layer`);
        return UNKNOWN;
      case 'layer':
        if (method === '__call__' || method === 'call') return this.applyLayer(owner.layer, args);
        if (method === 'adapt' && owner.layer.spec.className === 'Normalization') adaptNormalization(owner.layer, args.positional[0]);
        return UNKNOWN;
      case 'array':
        return arrayMethod(this, owner.array, method, args, node);
      case 'scaler':
        return scalerMethod(this, owner, method, args, objectNode, location);
      case 'config':
        if (method === 'get') {
          const key = args.positional[0];
          const fallback = args.positional[1] ?? NONE;
          if (key?.k === 'str' || key?.k === 'num') return this.configValue(owner, key.v, node, fallback);
        }
        if (method === 'copy') return { ...owner, written: new Map(owner.written) };
        return this.mappingMethod(owner, method, args, node);
      case 'dict':
        if (method === 'get') {
          const key = args.positional[0];
          if (key?.k === 'str') return owner.entries.get(key.v) ?? (owner.partial ? UNKNOWN : args.positional[1] ?? NONE);
        }
        if (method === 'copy') return { ...owner, entries: new Map(owner.entries) };
        return this.mappingMethod(owner, method, args, node);
      case 'seq':
        if (method === 'as_list' || method === 'copy') return { k: 'seq', items: owner.items.slice(), tuple: method === 'copy' ? owner.tuple : false };
        if (method === 'index' && args.positional[0]?.k === 'str') {
          const wanted = args.positional[0].v;
          const i = owner.items.findIndex((item) => item.k === 'str' && item.v === wanted);
          return i >= 0 ? { k: 'num', v: i, origin: { kind: 'inferred', note: this.src(node), location } } : UNKNOWN;
        }
        // Lists that grow in a loop (`x.extend(x)` doubles) stop growing at MAX_SEQ_ITEMS: what matters is never that long.
        if (method === 'append' && args.positional[0] && owner.items.length < MAX_SEQ_ITEMS) owner.items.push(args.positional[0]);
        if (method === 'extend' && args.positional[0]?.k === 'seq') owner.items.push(...args.positional[0].items.slice(0, Math.max(0, MAX_SEQ_ITEMS - owner.items.length)));
        if ((method === 'append' || method === 'extend') && (this.inexactLoops > 0 || owner.items.length >= MAX_SEQ_ITEMS || (args.positional[0]?.k === 'seq' && args.positional[0].partial))) owner.partial = true;
        return NONE;
      case 'file':
        if (method === 'read' || method === 'read_text') return { k: 'file', path: owner.path, text: true };
        if (method === 'open') return { k: 'file', path: owner.path };
        return UNKNOWN;
      case 'rng':
        return randomCall(this, method, args, node);
      case 'dataset':
        return datasetMethod(this, owner, method, args, node);
      case 'str':
        if (method === 'format') return strFormat(owner, args);
        if (method === 'strip' || method === 'lower') return { k: 'str', v: method === 'strip' ? owner.v.trim() : owner.v.toLowerCase(), origin: owner.origin };
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /** A dict's or a loaded config's `items()`, `keys()`, `values()`, `update(...)`, `setdefault(...)`, `pop(...)`. */
  private mappingMethod(owner: Extract<Value, { k: 'dict' | 'config' }>, method: string, args: Args, node: PyNode): Value {
    if (method === 'items' || method === 'keys' || method === 'values') {
      const entries = this.entriesOf(owner, node);
      if (!entries) return UNKNOWN;
      const keyValue = (key: string): Value => ({ k: 'str', v: key, origin: { kind: 'inferred', note: this.src(node) } });
      const items = [...entries].map(([key, value]): Value => (method === 'keys' ? keyValue(key) : method === 'values' ? value : { k: 'seq', tuple: true, items: [keyValue(key), value] }));
      return { k: 'seq', tuple: false, items };
    }
    if (method === 'update') {
      const other = args.positional[0];
      const entries = other ? this.entriesOf(other, node) : undefined;
      if (other && !entries && owner.k === 'dict') owner.partial = true;
      for (const [key, value] of [...(entries ?? []), ...args.keywords]) writeEntry(owner, key, value);
      return NONE;
    }
    if (method === 'setdefault' || method === 'pop') {
      const key = args.positional[0];
      if (key?.k !== 'str') {
        if (owner.k === 'dict') owner.partial = true;
        return UNKNOWN;
      }
      const present = this.contains(owner, key, node);
      if (present === undefined) return UNKNOWN;
      const current = present ? this.index(owner, key, node) : (args.positional[1] ?? NONE);
      if (method === 'setdefault' && !present) writeEntry(owner, key.v, current);
      if (method === 'pop' && present) {
        // A key popped from a config stays in the file: later reads of it are not known.
        if (owner.k === 'dict') owner.entries.delete(key.v);
        else writeEntry(owner, key.v, UNKNOWN);
      }
      return current;
    }
    return UNKNOWN;
  }

  // ---- module functions and classes (numpy, pandas, sklearn, json, keras)

  private callRef(rawPath: string, args: Args, node: PyNode): Value {
    const path = canonicalPath(rawPath);
    return callLibrary({ path, last: lastSegment(path), args, node }, this) ?? UNKNOWN;
  }



  loadConfig(path: string): Value {
    const read = this.input.files.get(path);
    if (read === undefined) {
      // A module's config (`open("baseline.yaml")` in common.py): the analysis reads it for the next run, as the script's own.
      (this.importer ?? this).missingFiles.add(path);
      return UNKNOWN;
    }
    if (read === null) return UNKNOWN;
    let doc = this.configDocs.get(read.path);
    if (!doc) {
      doc = /\.ya?ml$/i.test(read.path) ? parseYamlDocument(read.path, read.text) : parseConfigDocument(read.path, read.text);
      this.configDocs.set(read.path, doc);
    }
    // Each load is a dict of its own: what the program writes into it stays with it.
    return { k: 'config', doc, segments: [], written: new Map() };
  }


  /** A Python value used as an array (`np.array([...])`, or a list passed to `fit`). */
  callFunction(fn: Value, positional: Value[], keywords: ReadonlyMap<string, Value> = NO_KEYWORDS): Value {
    const args: Args = { positional, positionalNodes: [], keywords, keywordNodes: NO_KEYWORD_NODES };
    // `ds.map(functools.partial(prepare, flatten=True))`: the function with its arguments given first.
    const partial = partialCall(fn, args, this.t.root);
    if (partial) return this.callFunction(partial.func, partial.args.positional, partial.args.keywords);
    if (fn.k === 'fn') return this.callUser(fn, args);
    if (fn.k !== 'lambda' || this.callDepth >= MAX_CALL_DEPTH) return UNKNOWN;
    if (fn.home && fn.home !== this) return fn.home.callLambdaIn(fn, positional, keywords, this.callSite());
    // A lambda: its parameters bound as a def's are, its body evaluated.
    const scope = this.boundParameters(fn.node, fn.scope, positional, keywords);
    const body = this.t.child(fn.node, 'body');
    if (body === undefined) return UNKNOWN;
    this.callDepth++;
    try {
      return this.eval(body, scope);
    } finally {
      this.callDepth--;
    }
  }

  toArray(v: Value | undefined, node: PyNode): ArrayObj | undefined {
    if (!v) return undefined;
    if (v.k === 'array') return v.array;
    // Windows of an unknown count: np.array of none would be shape (0,), not (0, steps, ...), but fit raises on no
    // samples, so a program that trains has some, of the windows' shape (as np.stack, which raises on none, gives it).
    if (v.k === 'seq' && v.windows) return v.windows;
    // Pictures appended in a loop over files nanguard does not list (`for f in os.listdir(d): x.append(cv2.imread(f))`):
    // as many as there are files, each of the shape and range of those the loop body gave.
    if (v.k === 'seq' && v.partial && v.items.length > 0 && v.items.every((i) => i.k === 'array' && i.array.source.kind === 'unknown')) {
      const items = v.items.map((i) => (i as { array: ArrayObj }).array);
      const stacked = stackedArrays(items, this.src(node), this.loc(node));
      const note = `${this.src(node)}: ${(items[0].source as { note: string }).note}, one for each pass of a loop over what nanguard cannot list`;
      return stacked?.shape ? { ...stacked, source: { kind: 'unknown', note, location: this.loc(node) }, shape: [null, ...stacked.shape.slice(1)], rows: undefined } : undefined;
    }
    // `np.array(range(200))`: the whole range, not the numbers a loop would follow.
    if (v.k === 'seq' && v.partial) return v.range ? arangeArray(v.range.start, v.range.stop, v.range.step, this.src(node), this.loc(node)) : undefined;
    // A list of arrays (windows cut in a loop): stacked along a new first axis.
    if (v.k === 'seq' && v.items.length > 0 && v.items.every((i) => i.k === 'array')) return stackedArrays(v.items.map((i) => (i as { array: ArrayObj }).array), this.src(node), this.loc(node));
    if (v.k === 'seq') {
      const literal = seqToLiteral(v);
      return literal ? (literal.rows ? rowsArray(literal.rows, literal.shape, this.loc(node)) : literalArray(literal, this.loc(node))) : undefined;
    }
    return undefined;
  }

  // ---- Keras objects

  inLayerCall(): boolean {
    return this.trace !== undefined || this.loopStep !== undefined || this.stepModel !== undefined;
  }

  nextName(prefix: string): string {
    const n = this.layerCounters.get(prefix) ?? 0;
    this.layerCounters.set(prefix, n + 1);
    return n === 0 ? prefix : `${prefix}_${n}`;
  }

  newModel(kind: ModelObj['kind'], node: PyNode, args: Args): ModelObj {
    const givenName = args.keywords.get('name');
    const model: ModelObj = {
      id: (this.importer ?? this).modelIds++,
      kerasName: givenName?.k === 'str' ? givenName.v : this.nextName(kind === 'sequential' ? 'sequential' : 'functional'),
      kind,
      items: [],
      inputs: [],
      outputs: [],
      location: this.loc(node),
      usedInside: false,
    };
    if (this.uncalledTrainer) model.uncalledTrainer = this.uncalledTrainer;
    this.models.push(model);
    return model;
  }

  /**
   * `self.decoder(eps * tf.exp(logvar * .5) + mean)`: a term of tensors given to a layer or a model
   * stands as a Lambda layer of those tensors computing it (as a custom sampling layer would).
   */
  private termArgumentAsTensor(args: Args, node: PyNode): Args {
    const first = args.positional[0];
    // Only in a training loop's step: elsewhere arithmetic on Keras tensors is left as it was read.
    if (!this.loopStep || first?.k !== 'texpr' || first.tensors.length === 0) return args;
    return { ...args, positional: [this.termAsTensor(first, args.positionalNodes[0] ?? node), ...args.positional.slice(1)] };
  }

  /** A term of tensors as the output of a Lambda layer of those tensors that computes it. */
  private termAsTensor(term: Extract<Value, { k: 'texpr' }>, where: PyNode): Value {
    return this.lambdaTensor(term, oneLine(this.src(where)), where);
  }

  /** The tensor of a new Lambda layer (`lambda_N`) computing a term of graph tensors; `text` is its function as the config shows it. */
  private lambdaTensor(term: Extract<Value, { k: 'texpr' }>, text: string, where: PyNode | undefined): Value {
    const name = this.nextName('lambda');
    const spec: LayerObj['spec'] = { className: 'Lambda', name, config: { name, function: text }, expression: term.expr };
    if (where !== undefined) spec.location = this.loc(where);
    return { k: 'tensor', tensor: { producer: { spec }, inputs: term.tensors } };
  }

  /**
   * A layer that holds another only to read its weights (a tied-weights decoder's `self.dense`):
   * its call translated as operations on them; when it cannot be, the layer's problem is left as it
   * was, for the layers it holds to be rebuilt as a layer of layers instead.
   */
  private readsOnlyWeights(layer: LayerObj, cls: ClassValue, self: Extract<Value, { k: 'object' }>): boolean {
    const untranslated = layer.spec.expressionProblem;
    if (this.translateWeightedCall(layer, cls, self)) return true;
    layer.spec.expressionProblem = untranslated;
    return false;
  }

  /**
   * A custom layer whose build makes weights (`self.clusters = self.add_weight(...)`, DEC's
   * clustering layer): its call translated again, now that they are known, each weight read as
   * one of the layer's own (tensorExpr's `weight`), trained with the model.
   */
  private translateWeightedCall(layer: LayerObj, cls: ClassValue, self: Extract<Value, { k: 'object' }>): boolean {
    const spec = layer.spec;
    const call = this.classMember(cls, 'call');
    if (call?.k !== 'fn') return false;
    const scope = new Scope(call.scope);
    scope.vars.set('self', self);
    const params = this.t.child(call.node, 'parameters');
    const tensorParams = (params ? this.t.children(params) : []).filter((p) => this.t.type(p) === 'identifier' || this.t.type(p) === 'typed_parameter').length - 1;
    const weights: Value[] = [];
    let refused: string | undefined;
    const weight = (value: Value): TensorExpr | undefined => {
      if (value.k === 'object' && value.className === LAYER_OF_WEIGHT) {
        const text = (key: string) => (value.attrs.get(key) as { v: string } | undefined)?.v ?? '';
        const shape = value.attrs.get('shape');
        const dims = shape?.k === 'seq' ? shape.items.map((d) => (d.k === 'num' ? d.v : NaN)) : undefined;
        const which = text('weight') === 'bias' ? 'bias' : 'kernel';
        if (dims && dims.every((d) => Number.isInteger(d) && d > 0)) return { op: 'layer_weight', layer: text('layer'), weight: which, shape: dims };
        refused ??= `reads the ${which} of ${text('layer')}, whose input width nanguard could not work out`;
        return { op: 'const', value: NaN };
      }
      if (value.k !== 'object' || value.className !== LAYER_WEIGHT) return undefined;
      const shape = value.attrs.get('shape');
      const dims = shape?.k === 'seq' && shape.items.every((d) => d.k === 'num' && Number.isInteger(d.v) && d.v > 0) ? shape.items.map((d) => (d as { v: number }).v) : undefined;
      const name = value.attrs.get('name');
      const initializer = value.attrs.get('initializer');
      const text = value.attrs.get('text');
      const what = text?.k === 'str' ? text.v : 'add_weight(...)';
      if (!dims) refused ??= `\`${what}\` makes a weight of a shape nanguard could not work out`;
      const trainable = value.attrs.get('trainable');
      if (dims && trainable?.k === 'bool' && !trainable.v) refused ??= `\`${what}\` makes a weight that is not trained, which nanguard does not reproduce`;
      if (!dims || refused) return { op: 'const', value: NaN };
      let index = weights.indexOf(value);
      if (index < 0) index = weights.push(value) - 1;
      return { op: 'weight', index, name: name?.k === 'str' ? name.v : `weight_${index}`, shape: dims, initializer: initializer?.k === 'str' ? initializer.v : 'glorot_uniform' };
    };
    const owner = this.memberAndClass(cls, 'call')?.cls ?? cls;
    const translation = translateFunction({ ...this.expressionContext(scope, { cls: owner }), weight }, call.node, { arity: Math.max(1, tensorParams), method: true, addedLosses: true });
    if (refused) spec.expressionProblem = `${cls.name}.call: ${refused}`;
    else if (!('expr' in translation)) spec.expressionProblem = `${cls.name}.call: ${translation.problem}`;
    else if (translation.passThrough || (translation.losses ?? []).some((l) => exprWeights(l).length > 0)) spec.expressionProblem = `${cls.name}.call: it adds a loss of its weights, which nanguard does not reproduce`;
    else {
      spec.expression = translation.expr;
      if (translation.losses) spec.addedLosses = translation.losses;
      spec.expressionProblem = undefined;
      return true;
    }
    return false;
  }

  /**
   * `eps = tf.random.normal(shape=mean.shape)` in a training loop's step: the noise, drawn once
   * per step, as a layer's output, so that every use of the name reads the same draw (a term
   * would be drawn again wherever it is used, and `z` decoded would not be the `z` the KL reads).
   */
  private noiseAsTensor(term: Extract<Value, { k: 'texpr' }>, where: PyNode): Value {
    return term.tensors.length > 0 ? this.termAsTensor(term, where) : term;
  }

  private applyLayer(layer: LayerObj, given: Args): Value {
    // Every term of graph tensors among the arguments is its layer's tensor from here on.
    let args = this.graphArgs(given);
    if (layer.spec.className === 'MultiHeadAttention') args = attentionArguments(layer, args);
    if (layer.unbuilt || layer.composite) {
      const composite = this.builtLayer(layer, tensorsOf(args.positional[0] ?? args.keywords.get('inputs')).map((t) => tensorShape(t)));
      if (composite) return this.applyModel(composite, args);
    }
    const untranslated = [args.positional[0] ?? args.keywords.get('inputs')].flatMap((v) => (v?.k === 'seq' ? v.items : v ? [v] : [])).find((v) => v.k === 'unknown' && v.why);
    if (untranslated?.k === 'unknown' && untranslated.why && layer.spec.className !== 'InputLayer') layer.spec.inputProblem ??= untranslated.why;
    // `self.sampler(z_mean, z_log_var)`: a layer whose call takes several tensors reads them in order.
    const positional = args.positional;
    const several = positional.length > 1 && positional.every((a) => a.k === 'tensor');
    const states = recurrentStateCount(layer.spec.className);
    // `LSTM(...)(x, initial_state=[h, c])`: the states follow the sequence among the layer's inputs, as Keras 2 wrote them.
    const initialState = states > 0 ? (args.keywords.get('initial_state') ?? (positional.length === 2 && positional[1].k === 'seq' ? positional[1] : undefined)) : undefined;
    const inputs = several && !initialState ? tensorsOf({ k: 'seq', items: positional, tuple: true }) : [...tensorsOf(positional[0] ?? args.keywords.get('inputs')), ...tensorsOf(initialState)];
    if (takesImages(layer.spec.className)) addAssumedChannels(this, inputs);
    const tensor: TensorObj = { producer: layer, inputs: layer.closure ? this.closedOver(layer, layer.closure, inputs) : inputs };
    if (inputs.length > 0) layer.applied ??= tensor;
    // A layer that only adds a loss (`z_mean, z_log_var = KLDivergenceLayer()([z_mean, z_log_var])`): its node
    // passes the first tensor on (so that the graph holds it and its loss), the others are given back as they were.
    if (layer.passThrough && inputs.length > 1) return { k: 'seq', tuple: false, items: [{ k: 'tensor', tensor }, ...inputs.slice(1).map((t): Value => ({ k: 'tensor', tensor: t }))] };
    // `out, scores = mha(q, v, return_attention_scores=True)`: the output, and scores nanguard does not build (the plan refuses them by name).
    if (layer.spec.config.return_attention_scores === true) return { k: 'seq', tuple: true, items: [{ k: 'tensor', tensor }, UNKNOWN] };
    // `output, h, c = LSTM(..., return_state=True)(x)`: the output, then each state, of the one call.
    if (states > 0 && layer.spec.config.return_state === true) {
      const outputs: Value[] = [{ k: 'tensor', tensor }];
      for (let i = 1; i <= states; i++) outputs.push({ k: 'tensor', tensor: { producer: layer, inputs: tensor.inputs, outputIndex: i } });
      return { k: 'seq', tuple: false, items: outputs };
    }
    return { k: 'tensor', tensor };
  }

  /**
   * A custom layer whose call reads tensors of the program it is not given: they follow its own
   * inputs, and its expressions read them there (numbered once, at its first call; a later call
   * with another number of inputs cannot be reproduced).
   */
  private closedOver(layer: LayerObj, closure: TensorObj[], inputs: TensorObj[]): TensorObj[] {
    const spec = layer.spec;
    if (layer.closureAt === undefined) {
      const args = closureArguments(closure.length, inputs.length);
      if (spec.expression) spec.expression = substituteArgs(spec.expression, args);
      if (spec.addedLosses) spec.addedLosses = spec.addedLosses.map((e) => substituteArgs(e, args));
      layer.closureAt = inputs.length;
    } else if (layer.closureAt !== inputs.length) {
      spec.expressionProblem ??= `its call reads tensors of the program it is not given, and it is called on ${inputs.length} inputs here and ${layer.closureAt} before`;
    }
    return [...inputs, ...closure];
  }

  private applyModel(model: ModelObj, given: Args): Value {
    const ownCall = this.stepModelCall(model, given);
    if (ownCall) return ownCall;
    const args = this.graphArgs(given);
    model.usedInside = true;
    // `CondDecoder(10)(z, cond)`: a layer of layers whose call takes several tensors reads them in order.
    const several = args.positional.length > 1 && args.positional.every((a) => a.k === 'tensor');
    const inputs = several ? tensorsOf({ k: 'seq', items: args.positional, tuple: true }) : tensorsOf(args.positional[0] ?? args.keywords.get('inputs'));
    // An encoder of (n, n, 1) images applied to an `Input(shape=x.shape[1:])` assumed (n, n): the channel axis it needs.
    const own = model.inputs[0]?.producer;
    const ownShape = own && 'spec' in own ? own.inputShape : undefined;
    if (ownShape?.length === 3 && ownShape[2] === 1) addAssumedChannels(this, inputs);
    return { k: 'tensor', tensor: { producer: model, inputs } };
  }

  /**
   * `z_mean, z_log_var, reconstruction = self(data)` in a traced train_step: the model's own `call`
   * run on the batch, its layers and sub-models giving the tensors (Keras's `__call__` runs `call`).
   * Undefined for any other model, or inside that call (`self(x)` there would recurse).
   */
  private stepModelCall(model: ModelObj, args: Args): Value | undefined {
    const step = this.stepModel;
    if (!step || step.model !== model || step.inCall || !model.cls) return undefined;
    const call = this.classMember(model.cls, 'call');
    if (call?.k !== 'fn') return undefined;
    step.inCall = true;
    try {
      return this.callUser(call, args, { k: 'model', model });
    } finally {
      step.inCall = false;
    }
  }

  /** A layer's or model's call arguments with each term of graph tensors (`Dense(8)(x / 255.0)`) as the tensor of its operation's layer. */
  private graphArgs(args: Args): Args {
    const graph = (v: Value): Value => asGraphValue(v, (prefix) => this.nextName(prefix));
    const keywords = new Map([...args.keywords].map(([key, v]) => [key, graph(v)]));
    return { ...args, positional: args.positional.map(graph), keywords };
  }

  /**
   * A term of graph tensors a traced `call` returns (`return x * 2.0`) becomes the last step of the
   * graph: a Lambda layer computing it from those tensors. Lists are mapped item by item. (Terms
   * given to a layer or a model become their operation's layer in graphArgs.)
   */
  private graphValue<V extends Value | undefined>(v: V, node: PyNode | undefined): V | Value {
    if (v?.k === 'seq' && v.items.some((i) => i.k === 'texpr')) return { ...v, items: v.items.map((i) => this.graphValue(i, node)) };
    if (v?.k !== 'texpr' || v.tensors.length === 0) return v;
    return this.lambdaTensor(v, node ? oneLine(this.src(node)).slice(0, 200) : 'a tensor operation', node);
  }

  /**
   * In a traced `call`, the stand-in input unpacked (`a, b = inputs`) or indexed (`inputs[0]`,
   * `inputs["cats"]`): one input of the model each, made once. Undefined for other tensors.
   */
  private inputPart(tensor: TensorObj, key: string | number): TensorObj | undefined {
    const inputs = this.trace?.inputs;
    if (!inputs || tensor !== inputs.base || (typeof key === 'number' && (!Number.isInteger(key) || key < 0))) return undefined;
    const known = inputs.parts.get(key);
    if (known) return known;
    const name = typeof key === 'string' ? key : key === 0 ? SUBCLASS_INPUT : `${SUBCLASS_INPUT}_${key}`;
    const part: TensorObj = { producer: { spec: { className: 'InputLayer', name, config: { name } }, placeholder: true }, inputs: [] };
    inputs.parts.set(key, part);
    return part;
  }

  private inputParts(tensor: TensorObj, count: number): Value[] | undefined {
    if (!this.trace?.inputs || tensor !== this.trace.inputs.base) return undefined;
    const parts: Value[] = [];
    for (let i = 0; i < count; i++) parts.push({ k: 'tensor', tensor: this.inputPart(tensor, i)! });
    return parts;
  }

  /** `x[:, 0]`, `x[:, 1:3]` of a graph tensor: the batch's axis kept whole, then positions and ranges of numbers. */
  private tensorIndex(owner: Extract<Value, { k: 'tensor' | 'texpr' }>, subscripts: PyNode[], scope: Scope): Value | undefined {
    const parts = subscripts.length === 1 && this.t.type(subscripts[0]) === 'tuple' ? this.t.children(subscripts[0]) : subscripts;
    const [batch, ...rest] = parts;
    if (!batch || rest.length === 0 || this.t.type(batch) !== 'slice' || this.src(batch).replace(/\s/g, '') !== ':') return undefined;
    const axes: IndexAxis[] = [];
    for (const part of rest) {
      if (this.t.type(part) === 'slice') {
        const text = this.src(part).replace(/\s/g, '');
        const pieces = text.split(':');
        if (pieces.length > 2) return undefined;
        const bound = (piece: string | undefined, child: PyNode | undefined): number | null | undefined => {
          if (!piece) return null;
          const v = child ? this.eval(child, scope) : UNKNOWN;
          return v.k === 'num' && Number.isInteger(v.v) ? v.v : undefined;
        };
        const children = this.t.children(part).filter((c) => this.t.type(c) !== ':' && this.t.type(c) !== 'comment');
        const startNode = pieces[0] ? children[0] : undefined;
        const stopNode = pieces[1] ? children[pieces[0] ? 1 : 0] : undefined;
        const start = bound(pieces[0], startNode);
        const stop = bound(pieces[1], stopNode);
        if (start === undefined || stop === undefined) return undefined;
        axes.push({ start, stop });
      } else {
        const v = this.eval(part, scope);
        if (v.k !== 'num' || !Number.isInteger(v.v)) return undefined;
        axes.push({ index: v.v });
      }
    }
    const tensors: TensorObj[] = [];
    const x = this.tensorTerm(owner, tensors);
    if (x === undefined || typeof x === 'string') return undefined;
    return { k: 'texpr', expr: { op: 'index', x, axes }, tensors };
  }

  /**
   * A function or lambda value as a tensor expression of `arity` arguments (see expressions.ts).
   * With `closure`, the program's graph tensors it reads without being given them (Keras 2's
   * `vae_loss` reading `z_mean`) are collected there and read as arguments `arity`, `arity + 1`, ...;
   * without, they are refused.
   */
  translateValue(v: Value, arity: number, where: PyNode | undefined, closure?: TensorObj[], closureNames?: string[]): Translation | undefined {
    // An object of the program's own class called like a function (a `Regularizer` subclass): its `__call__`, with `self` bound to it.
    const method = v.k === 'object' && v.cls ? this.classMember(v.cls, '__call__') : undefined;
    if (v.k === 'object' && method?.k === 'fn') {
      const scope = new Scope(method.scope);
      scope.vars.set('self', v);
      return translateFunction(this.expressionContext(scope), method.node, { arity, method: true });
    }
    if (v.k === 'object' && v.cls && where !== undefined) {
      return { problem: `line ${this.loc(where).range.start.line + 1}: \`${oneLine(this.src(where))}\` is an object of the class ${v.cls.name}, which has no __call__ of its own that nanguard can read` };
    }
    if (v.k !== 'fn' && v.k !== 'lambda') {
      return where !== undefined ? { problem: `line ${this.loc(where).range.start.line + 1}: \`${oneLine(this.src(where))}\` is not a function nanguard can read` } : undefined;
    }
    const name = v.k === 'fn' ? v.name : 'the lambda';
    // Keras 2 let a loss or a Lambda read the model's tensors it closes over (the 2016 keras VAE's
    // vae_loss reads z_mean); Keras 3 raises at the first batch. Collected where the caller follows
    // Keras 2 (a compiled loss), refused, saying so, elsewhere.
    const tensor = closure
      ? this.closureReader(closure, closureNames)
      : (value: Value): { refused: string } | undefined =>
          value.k === 'tensor' || value.k === 'texpr'
            ? { refused: `is a tensor of the model's graph that ${name} reads without being given it, which Keras 3 refuses at the first batch ("A KerasTensor cannot be used as input to a TensorFlow function"; Keras 2 allowed it): pass it in, or add the term with add_loss in a custom layer's call` }
            : undefined;
    let translation: Translation;
    if (v.k === 'fn') {
      const own = this.inlined(v, undefined, { tensor });
      translation = translateFunction(own.ctx, own.node, arity);
    } else translation = translateFunction(this.expressionContext(new Scope(v.scope), { tensor }), v.node, arity);
    // The tensors collected follow the function's own arguments.
    return closure && closure.length > 0 && 'expr' in translation ? { ...translation, expr: substituteArgs(translation.expr, closureArguments(closure.length, arity)) } : translation;
  }

  /**
   * Reads a graph tensor a function closes over (a term of them) as arguments `CLOSURE_ARG + i`
   * of `closure`, which grows as tensors are met; `names` gets the program's name for each one
   * added (`z_mean`), for messages.
   */
  private closureReader(closure: TensorObj[], names?: string[]): (value: Value, node?: PyNode) => TensorExpr | string | undefined {
    return (value, node) => {
      const before = closure.length;
      const term = this.tensorTerm(value, closure);
      for (let i = before; i < closure.length; i++) names?.push(node !== undefined && closure.length - before === 1 ? oneLine(this.src(node)) : `a tensor of line ${node !== undefined ? this.loc(node).range.start.line + 1 : '?'}`);
      return typeof term === 'object' ? substituteArgs(term, closure.map((_, i) => ({ op: 'arg', index: CLOSURE_ARG + i }))) : term;
    };
  }

  /**
   * Names resolved in `scope`; the program's own functions called inside, and the methods of
   * the class of the object a method is called on (`self.vae_loss(...)`; `super().m(...)`
   * looks in the bases of `cls`, the class whose method is translated), are inlined with their
   * own scopes; `tensor` reads the program's graph tensors a function closes over.
   */
  private expressionContext(scope: Scope, options: ExpressionOptions = {}): ExpressionContext {
    return {
      t: this.t,
      resolve: (n) => this.eval(n, scope),
      line: (n) => this.loc(n).range.start.line + 1,
      ...(options.tensor ? { tensor: options.tensor } : {}),
      inline: (callee) => (callee.k === 'fn' ? this.inlined(callee, undefined, { tensor: options.tensor }) : undefined),
      method: (callee) => this.inlinedMethod(callee, scope, options),
    };
  }

  /** `self.m` or `super().m` (a call's function) as the method it names, bound to `self`; undefined for anything else. */
  private inlinedMethod(callee: PyNode, scope: Scope, options: ExpressionOptions): InlinedFunction | undefined {
    if (this.t.type(callee) !== 'attribute') return undefined;
    const objectNode = this.t.child(callee, 'object');
    const attribute = this.t.child(callee, 'attribute');
    if (!objectNode || !attribute) return undefined;
    const name = this.src(attribute);
    const superFn = this.t.type(objectNode) === 'call' ? this.t.child(objectNode, 'function') : undefined;
    let self: Value | undefined;
    let found: { member: Value; cls: ClassValue } | undefined;
    if (superFn !== undefined && this.src(superFn) === 'super') {
      self = scope.lookup('self');
      for (const base of options.cls?.bases ?? []) found ??= base.k === 'class' ? this.memberAndClass(base, name) : undefined;
    } else {
      // Only a name (`self`): evaluating anything else (`Dense(3).call`) could build objects twice.
      if (this.t.type(objectNode) !== 'identifier') return undefined;
      self = this.eval(objectNode, scope);
      // An attribute set on the object (a layer kept as self.dense) is not a method.
      if ((self.k === 'object' && self.attrs.has(name)) || (self.k === 'model' && self.model.attributes?.has(name))) return undefined;
      const cls = self.k === 'object' ? self.cls : self.k === 'model' ? self.model.cls : undefined;
      found = cls ? this.memberAndClass(cls, name) : undefined;
    }
    if (self === undefined || found?.member.k !== 'fn') return undefined;
    const method = found.member;
    return this.inlined(method, method.static ? undefined : self, { cls: found.cls, tensor: options.tensor });
  }

  /** A function of the program to translate in place of its call (see expressions.ts), in its own module; `self` bound to its first parameter. */
  inlined(fn: Extract<Value, { k: 'fn' }>, self: Value | undefined, options: ExpressionOptions): InlinedFunction {
    if (fn.home && fn.home !== this) return fn.home.inlined(fn, self, options);
    const scope = new Scope(fn.scope);
    const params = this.t.child(fn.node, 'parameters');
    const first = params ? this.t.children(params)[0] : undefined;
    if (self !== undefined && first !== undefined && this.t.type(first) === 'identifier') scope.vars.set(this.src(first), self);
    // A function of another file of the program is named with its file: its lines are that file's.
    const file = this.importer ? this.input.path.replace(/^.*[\\/]/, '') : undefined;
    return { ctx: this.expressionContext(scope, options), node: fn.node, name: fn.name, bound: self !== undefined, ...(file ? { file } : {}) };
  }

  /** A class attribute or method with the class that defines it (for `super()` inside it). */
  private memberAndClass(cls: ClassValue, name: string, depth = 0): { member: Value; cls: ClassValue } | undefined {
    const own = cls.members?.get(name);
    if (own !== undefined) return { member: own, cls };
    if (depth > 8) return undefined;
    for (const base of cls.bases ?? []) {
      if (base.k !== 'class') continue;
      const found = this.memberAndClass(base, name, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }

}

interface ExpressionOptions {
  /** The class whose method is translated, for `super()`. */
  cls?: ClassValue;
  tensor?: ExpressionContext['tensor'];
}

/** What a training loop's step did on its stand-in batch (see followTrainingLoop). */
interface LoopStep {
  /** Each `tape.gradient(loss, model.trainable_variables)`: the loss, and the model (undefined: not one model's variables). */
  gradients: { loss: Value; node: PyNode; model?: ModelObj }[];
  /** Each `optimizer.apply_gradients(zip(grads, model.trainable_variables))`: the optimizer, the gradients and the model. */
  applies: { optimizer: Value; node: PyNode; grads?: Value; model?: ModelObj; minimize?: true }[];
  /** The gradient lists `tape.gradient` gave, and those `tf.clip_by_global_norm` made of them (with its norm). */
  gradientLists: Map<Value, { globalClipnorm?: number }>;
  /** Each `zip(grads, variables)` the step made: the gradients and the model whose variables they pair with. */
  zips: Map<Value, { grads: Value; model?: ModelObj }>;
  /** The calls of layers and models the step made, by their node: an operation around one reads its tensor (see layerCall). */
  layerCalls?: Map<PyNode, Value>;
  /** A loop over (x, y) batches: the stand-in batch of targets. */
  targets?: TensorObj;
  /** `loss_object(y, model(x))` in the step: the term it gave, the loss, and the model's output it reads. */
  targetLoss?: { value: Value; loss: Extract<Value, { k: 'loss' }>['loss']; yPred: TensorObj };
  /** The model whose `losses` the step's loss adds (`loss += sum(vae.losses)`). */
  modelLosses?: ModelObj;
  /** Each `model.train_on_batch(x, y)` the step made: the model and what it was given. */
  batchCalls?: { model: ModelObj; x: Value | undefined; y: Value | undefined; yNode: PyNode | undefined; node: PyNode }[];
  /** A loop over numpy arrays (see followArrayBatches): the stand-in batch, and the array it stands for once the step reads one. */
  arrays?: { tensor: TensorObj; indexNames: ReadonlySet<string>; source?: { array: ArrayObj; rows: number; node: PyNode; text: string; shuffled?: true; whole?: true; byIndex?: true }; unfollowed?: PyNode };
}

/** A call of what `functools.partial` made: its function, and the arguments it was given first followed by these. */
function partialCall(callee: Value, args: Args, node: PyNode): { func: Value; args: Args } | undefined {
  if (callee.k !== 'object' || callee.className !== PARTIAL) return undefined;
  const func = callee.attrs.get('func');
  const given = callee.attrs.get('args');
  const keywords = callee.attrs.get('keywords');
  if (!func || given?.k !== 'seq' || keywords?.k !== 'dict') return undefined;
  return {
    func,
    args: {
      positional: [...given.items, ...args.positional],
      // The arguments given to partial have no node at this call: the call stands for them.
      positionalNodes: [...given.items.map(() => node), ...args.positionalNodes],
      keywords: new Map([...keywords.entries, ...args.keywords]),
      keywordNodes: args.keywordNodes,
    },
  };
}

/** The class name of the value `model.losses` gives in a training loop's step or a train_step. */
const MODEL_LOSSES = 'keras.Model.losses';

/** Functions that give their argument's values back (as floats, given a float dtype or none): a batch stays the batch through them. */
const SAME_VALUES = /^(tensorflow\.(cast|convert_to_tensor|constant|identity|stop_gradient_never)|numpy\.(asarray|array|float32))$/;

/** The stand-in batch a training loop's step runs on: an input of the model's graph. */
function loopInput(): TensorObj {
  const input: LayerObj = { spec: { className: 'InputLayer', name: SUBCLASS_INPUT, config: { name: SUBCLASS_INPUT } }, placeholder: true };
  return { producer: input, inputs: [] };
}

/**
 * `owner[key] = value` on a dict, or on a loaded config: kept in its `written`, which every part of
 * one load shares (as one Python dict is shared), by the JSON text of the key's path.
 */
function writeEntry(owner: Extract<Value, { k: 'dict' | 'config' }>, key: string | number, value: Value): void {
  if (owner.k === 'dict') owner.entries.set(String(key), value);
  else owner.written?.set(JSON.stringify([...owner.segments, key]), value);
}

/** The class name of a value `self.add_weight(...)` gives (see layerWeight). */
const LAYER_WEIGHT = 'keras.layer-weight';

/**
 * `self.add_weight(shape=(n, d), initializer='glorot_uniform', name='clusters')` (Keras 3; Keras 2
 * gave the name first): the weight's shape, initializer name (Keras's default glorot_uniform when
 * none; an initializer object by its class, such as `initializers.Zeros()`), name and trainable flag.
 */
function layerWeight(args: Args, text: string): Value {
  const str = (v: string): Value => ({ k: 'str', v, origin: { kind: 'inferred', note: text } });
  const attrs = new Map<string, Value>([['text', str(text.replace(/\s+/g, ' ').slice(0, 80))]]);
  const shape = args.keywords.get('shape') ?? args.positional.find((v) => v.k === 'seq');
  if (shape) attrs.set('shape', shape);
  const name = args.keywords.get('name') ?? (args.positional[0]?.k === 'str' ? args.positional[0] : undefined);
  if (name) attrs.set('name', name);
  const initializer = args.keywords.get('initializer');
  if (initializer?.k === 'str') attrs.set('initializer', initializer);
  else if (initializer?.k === 'ref') attrs.set('initializer', str(initializer.path.split('.').pop() ?? ''));
  else if (initializer?.k === 'object') attrs.set('initializer', str(initializer.className.split('.').pop() ?? ''));
  const trainable = args.keywords.get('trainable');
  if (trainable) attrs.set('trainable', trainable);
  return { k: 'object', className: LAYER_WEIGHT, attrs };
}

/**
 * `mha(query, value)`, `mha(query=x, value=x, key=k)`: the tensors in Keras's order (query, value,
 * key); `use_causal_mask=True` kept in the layer's config, and an `attention_mask` or
 * `return_attention_scores=True` noted there for the reproduction to refuse by name.
 */
function attentionArguments(layer: LayerObj, args: Args): Args {
  const config = layer.spec.config;
  const flag = (key: string): boolean => args.keywords.get(key)?.k === 'bool' && (args.keywords.get(key) as { v: boolean }).v;
  if (flag('use_causal_mask')) config.use_causal_mask = true;
  if (flag('return_attention_scores')) config.return_attention_scores = true;
  const mask = args.keywords.get('attention_mask');
  if (mask !== undefined && mask.k !== 'none') config.attention_mask = 'given';
  const tensors = ['query', 'value', 'key'].map((key, i) => args.positional[i] ?? args.keywords.get(key)).filter((v): v is Value => v !== undefined && v.k !== 'none');
  return { ...args, positional: tensors, positionalNodes: [] };
}

/** The size of a tensor's last axis from the layer that makes it (a Dense's units, a convolution's filters), through the last layer of a model; undefined when not known. */
function lastDimension(tensor: TensorObj, depth = 0): number | undefined {
  const producer = tensor.producer;
  if (!producer || depth > 16) return undefined;
  if ('spec' in producer) {
    const size = producer.spec.config.units ?? producer.spec.config.filters;
    return typeof size === 'number' ? size : undefined;
  }
  if (producer.outputs[0]) return lastDimension(producer.outputs[0], depth + 1);
  const last = producer.items[producer.items.length - 1];
  return last ? lastDimension({ producer: last, inputs: [] }, depth + 1) : undefined;
}

/** The class name of another layer's weight, read by a custom layer (see denseWeights). */
const LAYER_OF_WEIGHT = 'keras.other-layer-weight';

/**
 * A Dense layer's kernel (inputs x units) and bias (units, when it has one) as values a custom
 * layer's call may read; each knows its shape when the layer's input width is known.
 */
function denseWeights(layer: LayerObj, inputShape: (number | null)[] | undefined, text: string): Value[] {
  const units = layer.spec.config.units;
  const inputs = inputShape?.[inputShape.length - 1];
  const known = typeof units === 'number' && typeof inputs === 'number';
  const origin = { kind: 'inferred' as const, note: text };
  const weight = (which: 'kernel' | 'bias', shape: number[]): Value => ({
    k: 'object',
    className: LAYER_OF_WEIGHT,
    attrs: new Map<string, Value>([
      ['layer', { k: 'str', v: layer.spec.name, origin }],
      ['weight', { k: 'str', v: which, origin }],
      ...(known ? [['shape', { k: 'seq', tuple: true, items: shape.map((d): Value => ({ k: 'num', v: d, origin })) }] as [string, Value]] : []),
    ]),
  });
  const kernel = weight('kernel', [inputs as number, units as number]);
  return layer.spec.config.use_bias === false ? [kernel] : [kernel, weight('bias', [units as number])];
}

/** Whether a layer's attributes hold a weight of its own (`self.kernel`, or a list of them). */
function holdsWeights(attrs: ReadonlyMap<string, Value>): boolean {
  const isWeight = (v: Value): boolean => v.k === 'object' && v.className === LAYER_WEIGHT;
  return [...attrs.values()].some((v) => isWeight(v) || (v.k === 'seq' && v.items.some(isWeight)));
}

/** Whether an object's attributes hold a layer or a model (alone or in a list): the layers a custom layer's call may pass its input through. */
function holdsLayers(attrs: ReadonlyMap<string, Value>): boolean {
  // `self.input_spec = InputSpec(ndim=2)` describes the input; it is not a layer.
  const isLayer = (v: Value): boolean => (v.k === 'layer' && v.layer.spec.className !== 'InputSpec') || v.k === 'model';
  return [...attrs.values()].some((v) => isLayer(v) || (v.k === 'seq' && v.items.some(isLayer)));
}

/** The number an expression of constants gives (element-wise operations only); undefined for anything else. */
function constantValue(expr: TensorExpr): number | undefined {
  if (expr.op === 'const') return expr.value;
  if ('a' in expr) {
    const a = constantValue(expr.a);
    const b = constantValue(expr.b);
    if (a === undefined || b === undefined) return undefined;
    const binary: Partial<Record<string, (x: number, y: number) => number>> = { add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y, pow: (x, y) => x ** y, maximum: Math.max, minimum: Math.min };
    return binary[expr.op]?.(a, b);
  }
  if ('axis' in expr || !('x' in expr)) return undefined;
  const x = constantValue(expr.x);
  const unary: Partial<Record<string, (x: number) => number>> = { neg: (v) => -v, exp: Math.exp, log: Math.log, log1p: Math.log1p, expm1: Math.expm1, sqrt: Math.sqrt, square: (v) => v * v, abs: Math.abs, reciprocal: (v) => 1 / v, tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)) };
  return x === undefined ? undefined : unary[expr.op]?.(x);
}

/** Whether an expression draws random noise. */
function drawsNoise(expr: TensorExpr): boolean {
  if (expr.op === 'random_normal') return true;
  if (expr.op === 'arg' || expr.op === 'const') return false;
  if (expr.op === 'where' && drawsNoise(expr.cond)) return true;
  if ('a' in expr) return drawsNoise(expr.a) || drawsNoise(expr.b);
  return drawsNoise((expr as { x: TensorExpr }).x);
}

/** A model as a sentence names it: its variable, else its Keras name. */
function modelLabel(model: ModelObj): string {
  return model.variable ?? model.kerasName;
}

/** `'s%d' % i`, `'%s_%d' % (name, i)`: printf-style formatting of known values. */
function formatted(format: Extract<Value, { k: 'str' }>, args: Value, note: string, location: SourceLocation): Value {
  const values = args.k === 'seq' && args.tuple ? args.items : [args];
  let i = 0;
  let failed = false;
  const text = format.v.replace(/%(%|[-+ 0#]*\d*(?:\.\d+)?[sdifgr])/g, (match, spec: string) => {
    if (spec === '%') return '%';
    const v = values[i++];
    if (v?.k === 'num') return spec.endsWith('d') || spec.endsWith('i') ? String(Math.trunc(v.v)) : String(v.v);
    if (v?.k === 'str') return v.v;
    failed = true;
    return match;
  });
  return failed ? UNKNOWN : { k: 'str', v: text, origin: { kind: 'inferred', note, location } };
}

/** The stand-in input of a traced `call` and the inputs it was unpacked into (by position or dict key). */
interface TracedInputs {
  base: TensorObj;
  parts: Map<string | number, TensorObj>;
}

/** Functions that join tensors along an axis, by their canonical path. */
const CONCATENATIONS = /^(tensorflow\.concat|keras\.ops\.concatenate|keras\.layers\.concatenate|keras\.backend\.concatenate|tensorflow\.keras\.layers\.concatenate)$/;


/** `tf.reshape(batch, [-1, n])`: a Reshape of the graph whose one input is `batch`. */
function isReshapeOf(tensor: TensorObj, batch: TensorObj): boolean {
  const producer = tensor.producer;
  return producer !== undefined && 'spec' in producer && producer.spec.className === 'Reshape' && tensor.inputs.length === 1 && tensor.inputs[0] === batch;
}

/** The loop's data as the reshape of its batches gives it (`tf.reshape(x, [-1, 784])` of 28 x 28 images): the array reshaped, as `x.reshape(-1, 784)` would be. */
function reshapedData(data: Value, reshape: TensorObj): Value {
  const producer = reshape.producer as LayerObj;
  const target = producer.spec.config.target_shape;
  if (data.k !== 'array' || !Array.isArray(target) || !target.every((d): d is number => typeof d === 'number')) return UNKNOWN;
  const location = producer.spec.location ?? data.array.location;
  if (!location) return UNKNOWN;
  return { k: 'array', array: reshapedAs(data.array, [-1, ...target], location) };
}

function reaches(tensor: TensorObj, input: TensorObj): boolean {
  const stack = [tensor];
  const seen = new Set<TensorObj>();
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t === input) return true;
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push(...t.inputs);
  }
  return false;
}

function isStatementType(type: string): boolean {
  return /_statement$|_definition$|^expression_statement$/.test(type);
}

/** A JSON list of numbers, strings, booleans and nulls, or of such lists (a shape, column names, layer sizes). */
function scalarsOnly(value: unknown, depth: number): boolean {
  if (!Array.isArray(value) || depth > 4) return false;
  return value.every((v) => v === null || typeof v !== 'object' || scalarsOnly(v, depth + 1));
}

/** The keys of a config object: the file's and those the program added; undefined for anything but an object. */
function configKeys(config: Extract<Value, { k: 'config' }>): string[] | undefined {
  const found = lookupConfig(config.doc, config.segments);
  if (found?.type !== 'object' || !found.value || typeof found.value !== 'object') return undefined;
  const keys = Object.keys(found.value);
  const prefix = JSON.stringify(config.segments).slice(0, -1);
  for (const path of config.written?.keys() ?? []) {
    // A key written directly under this object: its path is this one's plus one segment.
    if (!path.startsWith(prefix)) continue;
    const segments = JSON.parse(path) as unknown[];
    const last = segments[segments.length - 1];
    if (segments.length === config.segments.length + 1 && typeof last === 'string' && !keys.includes(last)) keys.push(last);
  }
  return keys;
}

/** A value compared by `==`: a number (booleans are 1 and 0), a string, None, or a list or tuple of them. */
function equalValues(a: Value, b: Value, depth = 0): boolean | undefined {
  const scalar = (v: Value): number | string | null | undefined => (v.k === 'num' ? v.v : v.k === 'bool' ? Number(v.v) : v.k === 'str' ? v.v : v.k === 'none' ? null : undefined);
  const l = scalar(a);
  const r = scalar(b);
  if (l !== undefined && r !== undefined) return l === r;
  if (a.k === 'seq' && b.k === 'seq' && !a.partial && !b.partial && depth < 8) {
    // A list never equals a tuple in Python.
    if (a.tuple !== b.tuple || a.items.length !== b.items.length) return false;
    let result: boolean | undefined = true;
    for (let i = 0; i < a.items.length; i++) {
      const equal = equalValues(a.items[i], b.items[i], depth + 1);
      if (equal === false) return false;
      if (equal === undefined) result = undefined;
    }
    return result;
  }
  // A known scalar against a list, a dict or a config: never equal.
  const structured = (v: Value): boolean => (v.k === 'seq' && !v.partial) || v.k === 'dict' || v.k === 'config';
  if ((l !== undefined && structured(b)) || (r !== undefined && structured(a))) return false;
  return undefined;
}

/**
 * `normalizer.adapt(x)`: the mean and variance of each of x's columns become the layer's
 * operation (`LayerSpec.expression`) when the code gives them (x's values or statistics known),
 * else x is kept for the reproduction to read (`LayerObj.adapted`). Rows of features normalized
 * along the last axis (Keras's default) or one feature (`axis=None`); other axes leave the layer
 * without either, and the reproduction says so.
 */
function adaptNormalization(layer: LayerObj, data: Value | undefined): void {
  if (data?.k !== 'array') return;
  const spec = layer.spec;
  const axis = spec.config.axis;
  // axis=None: one mean and one variance over every value (the TensorFlow regression tutorial's single feature).
  const whole = axis === null;
  if (!whole && axis !== undefined && axis !== -1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1)) return;
  const shape = data.array.shape;
  const width = whole ? 1 : shape?.length === 2 ? shape[1] : undefined;
  // A column holding NaN gives Keras a NaN mean, as numpy's.
  const stats = data.array.stats?.map((s) => (s.nanCount > 0 ? { ...s, mean: Number.NaN, std: Number.NaN } : s));
  const rows = whole ? data.array.rows?.map((r) => r.map((v) => [v])).flat() : data.array.rows;
  const adapted = typeof width === 'number' ? adaptedStatistics(rows, stats, width) : undefined;
  if (adapted) spec.expression = normalizationExpression(adapted.mean, adapted.variance);
  // One feature (axis=None on a single column) or rows of features: their statistics read by the reproduction.
  if (adapted || !whole || shape === undefined || shape.length === 1 || (shape.length === 2 && shape[1] === 1)) layer.adapted = data.array;
}

/**
 * A Normalization layer called on numpy data (`X_norm = normalizer(X)`): on the data it was
 * adapted to, each column standardized by its own mean and standard deviation, which is
 * StandardScaler's transform; on other data, a transform nanguard does not follow.
 */
function normalizedArray(layer: LayerObj, a: ArrayObj, note: string, location: SourceLocation): ArrayObj {
  if (layer.adapted !== a || layer.spec.config.invert === true) return transformed(a, { kind: 'other', note, location });
  return applyScaler(fitScaler({ className: 'StandardScaler' }, a), a, location);
}

/** A number or a string that `<` orders (booleans as 1 and 0). */
function orderable(v: Value): number | string | undefined {
  return v.k === 'num' ? v.v : v.k === 'bool' ? Number(v.v) : v.k === 'str' ? v.v : undefined;
}

/**
 * A template's `{field}`s filled with the value `valueOf` gives each field's text (trimmed), `{{`
 * and `}}` as braces; undefined when a field's value is not a string or a whole number (a
 * conversion, a format spec, an unknown value), rather than a wrong text. Whole numbers only:
 * Python writes a float 2.0 as "2.0", and which a number was is not kept.
 */
function filledFields(template: string, valueOf: (field: string) => Value | undefined): string | undefined {
  let failed = false;
  const out = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const value = valueOf((field ?? '').trim());
    if (value?.k === 'num' && Number.isInteger(value.v)) return String(value.v);
    if (value?.k === 'str') return value.v;
    failed = true;
    return whole;
  });
  return failed ? undefined : out;
}

/** `'encoder_conv_{}'.format(i)`, `'{0}_{1}'.format(a, b)`, `'{name}'.format(name=n)`: the text, as filledFields fills it. */
function strFormat(template: Extract<Value, { k: 'str' }>, args: Args): Value {
  let next = 0;
  const v = filledFields(template.v, (name) => (name === '' ? args.positional[next++] : /^\d+$/.test(name) ? args.positional[Number(name)] : /^[A-Za-z_]\w*$/.test(name) ? args.keywords.get(name) : undefined));
  return v === undefined ? UNKNOWN : { k: 'str', v, origin: template.origin };
}

/**
 * What a guard clause gives back (None, a number, a message, or a tuple of them: `return None,
 * model.count_params()`), never a model, a layer, a tensor or data.
 */
function guardValue(v: Value): boolean {
  const plain = (i: Value) => i.k === 'none' || i.k === 'num' || i.k === 'str' || i.k === 'bool';
  if (plain(v)) return true;
  return v.k === 'seq' && v.items.length > 0 && v.items.every((i) => plain(i) || i.k === 'unknown') && v.items.some((i) => i.k === 'none');
}

/** The numbers of a `range(start, stop, step)` a loop runs over; stop is NaN when not known. */
type LoopRange = { start: number; stop: number; step: number };

/**
 * The numbers of a one-dimensional array whose values are known, as Python unpacks them
 * (`filters1, filters2, filters3 = filters_seq[0]` of a literal table of layer sizes, which is read
 * as an array); undefined when they are not known or not `count` of them.
 */
function exactItems(a: ArrayObj, count: number, location: SourceLocation): Value[] | undefined {
  const shape = a.rows ? [a.rows.length, ...(a.shape ?? []).slice(1)] : a.shape;
  if (!a.rows || shape?.length !== 1 || a.rows.length !== count) return undefined;
  return a.rows.map((row) => (row.length === 1 && Number.isFinite(row[0]) ? { k: 'num', v: row[0], origin: { kind: 'inferred', note: 'an item of a literal table', location } } : UNKNOWN));
}

function iterationItems(v: Value): Value[] | undefined {
  if (v.k === 'seq') return v.items;
  if (v.k === 'dict') return [...v.entries.keys()].map((k) => ({ k: 'str', v: k, origin: { kind: 'inferred', note: 'dict key' } }) as Value);
  return undefined;
}

/** Nested lists of numbers as a rectangular literal; undefined for anything else. */
function seqToLiteral(v: Value): NumericLiteral | undefined {
  const rows: number[][] = [];
  const items = v.k === 'seq' ? v.items : [];
  if (items.length === 0) return { shape: [0], rows: [] };
  const scalar = (x: Value): number | undefined => (x.k === 'num' ? x.v : x.k === 'none' ? NaN : x.k === 'ref' && /\.(nan|NaN)$/.test(x.path) ? NaN : x.k === 'ref' && /\.inf$/.test(x.path) ? Infinity : undefined);
  const flatten = (x: Value, out: number[], depth: number): number[] | undefined => {
    // Shape of `x`; depth is bounded by the syntax tree's.
    const s = scalar(x);
    if (s !== undefined) {
      out.push(s);
      return [];
    }
    if (x.k !== 'seq' || depth > 8) return undefined;
    let inner: number[] | undefined;
    for (const item of x.items) {
      const shape = flatten(item, out, depth + 1);
      if (!shape) return undefined;
      if (inner && inner.join(',') !== shape.join(',')) return undefined;
      inner = shape;
    }
    return [x.items.length, ...(inner ?? [])];
  };
  let innerShape: number[] | undefined;
  for (const item of items) {
    const out: number[] = [];
    const shape = flatten(item, out, 0);
    if (!shape) return undefined;
    if (innerShape && innerShape.join(',') !== shape.join(',')) return undefined;
    innerShape = shape;
    rows.push(out);
  }
  return { shape: [items.length, ...(innerShape ?? [])], rows };
}


/** numpy's broadcast of two shapes (unknown sizes stay unknown), or undefined when they do not broadcast. */
function broadcastShape(a: readonly (number | null)[], b: readonly (number | null)[]): (number | null)[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let k = 0; k < n; k++) {
    const x = a[a.length - n + k] ?? 1;
    const y = b[b.length - n + k] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || y === x) out.push(x);
    else if (x === null || y === null) out.push(null);
    else return undefined;
  }
  return out;
}
