/**
 * Python's standard library and the small packages scripts use around a model: argparse and
 * namespaces (settings), os and pathlib (paths), open and json/yaml (config files).
 */
import { NONE, UNKNOWN, type Value } from '../values';
import { productOf } from './numpy';
import type { Args, CallHandler, Library } from './library';

const TRUE: Value = { k: 'bool', v: true, origin: { kind: 'inferred', note: 'True' } };
const FALSE: Value = { k: 'bool', v: false, origin: { kind: 'inferred', note: 'False' } };

const argumentParser: CallHandler = () => ({ k: 'object', className: 'ArgumentParser', attrs: new Map(), arguments: new Map() });

const namespace: CallHandler = ({ args }) => ({ k: 'object', className: 'Namespace', attrs: new Map(args.keywords) });

/**
 * `flags.DEFINE_integer('epochs', 10, 'help')` (absl, or TensorFlow's copy of it): the default, as a
 * script run without flags sees it; `FLAGS.epochs` reads it (evaluator's evalAttribute).
 */
const defineFlag: CallHandler = ({ args, last }, ctx) => {
  const name = args.positional[0] ?? args.keywords.get('name');
  if (name?.k !== 'str') return NONE;
  let value = args.positional[1] ?? args.keywords.get('default') ?? NONE;
  // absl parses a string default by the flag's type (`DEFINE_integer('units', '64', ...)`).
  if (value.k === 'str' && (last === 'DEFINE_integer' || last === 'DEFINE_float')) {
    const n = Number(value.v);
    value = Number.isFinite(n) ? { k: 'num', v: n, origin: value.origin } : UNKNOWN;
  }
  ctx.commandLineFlags.set(name.v, value);
  return NONE;
};

/** `app.run(main)`: absl calls `main` with the command line, here the script's name alone. */
const abslRun: CallHandler = ({ args }, ctx) => {
  const main = args.positional[0] ?? args.keywords.get('main');
  if (!main) return UNKNOWN;
  ctx.callFunction(main, [{ k: 'seq', tuple: false, items: [{ k: 'str', v: ctx.scriptPath, origin: { kind: 'inferred', note: 'sys.argv[0]' } }] }]);
  return NONE;
};

/** `os.environ.get('EPOCHS', 10)`: the default, as a script run without the variable sees it. */
const environmentDefault: CallHandler = ({ args }) => (args.positional.length >= 2 ? args.positional[1] : undefined);

/** `field(default=3)` in a dataclass: the default; `field(default_factory=list)`: made for each instance (see instantiateObject). */
const dataclassField: CallHandler = ({ args }) => {
  const given = args.keywords.get('default');
  if (given) return given;
  const factory = args.keywords.get('default_factory');
  return { k: 'object', className: 'dataclasses.field', attrs: new Map(factory ? [['factory', factory]] : []) };
};

const mathProduct: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'seq' ? productOf(arg0, ctx.src(node), ctx.loc(node)) : undefined;
};

/** `open(path)`, `Path(path)`: a file, read later (`.read()`, `json.load`). */
const file: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  if (arg0?.k === 'str') return { k: 'file', path: arg0.v };
  if (arg0?.k === 'file') return arg0;
  if (arg0?.k === 'ref' && arg0.path === '__file__') return { k: 'file', path: '__file__' };
  return UNKNOWN;
};

const pathJoin: CallHandler = ({ args, node }, ctx) => {
  // Parts before an unknown one (usually the script's folder) are relative to the script anyway.
  const parts: string[] = [];
  for (const p of args.positional) {
    if (p.k === 'str') parts.push(p.v);
    else parts.length = 0;
  }
  return parts.length ? { k: 'str', v: parts.join('/'), origin: { kind: 'inferred', note: ctx.src(node), location: ctx.loc(node) } } : UNKNOWN;
};

/** A saved model's or weights' file name (Keras, HDF5, TensorFlow checkpoints and graphs, TFLite). */
const MODEL_FILE = /\.(keras|h5|hdf5|ckpt|pb|tflite)$/i;

/**
 * `os.path.exists("model.h5")` is False: a model the program saves after training is not there
 * before its first run, the one that trains (`if os.path.exists(path): model = load_model(path)
 * else: model.fit(...)`). Other paths are not known.
 */
const savedModelExists: CallHandler = ({ args, node }, ctx) => {
  const path = args.positional[0] ?? args.keywords.get('path');
  if (path?.k !== 'str' || !MODEL_FILE.test(path.v)) return UNKNOWN;
  return { k: 'bool', v: false, origin: { kind: 'inferred', note: `${ctx.src(node)}: a model the program saves is not there before the run that trains it`, location: ctx.loc(node) } };
};

const jsonDumps: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'config' ? arg0 : undefined;
};

/** `json.load(open('config.json'))`: the config document, whose values keep their place in the file. */
const configLoad: CallHandler = ({ args }, ctx) => {
  const arg0 = args.positional[0];
  if (arg0?.k === 'file') return ctx.loadConfig(arg0.path);
  return UNKNOWN;
};

/** `OmegaConf.load("config.yaml")`: a config read from its path, its keys read as attributes too. */
const configLoadPath: CallHandler = ({ args }, ctx) => {
  const arg0 = args.positional[0];
  if (arg0?.k === 'str') return ctx.loadConfig(arg0.v);
  if (arg0?.k === 'file') return ctx.loadConfig(arg0.path);
  return UNKNOWN;
};

/** Dictionaries read as attributes (`cfg.lr`): EasyDict and its kind, known by class name. */
const ATTRIBUTE_DICTS = new Set(['EasyDict', 'edict', 'AttrDict', 'Munch', 'DotMap']);

const attributeDict: CallHandler = ({ last, args }) => {
  const arg0 = args.positional[0];
  // Of a loaded config: a copy of it, whose keys (nested ones too) read as attributes.
  if (arg0?.k === 'config' && args.keywords.size === 0) return { ...arg0, written: new Map(arg0.written) };
  if (arg0?.k !== 'dict' && arg0 !== undefined) return undefined;
  return { k: 'object', className: last, attrs: new Map(arg0?.k === 'dict' ? arg0.entries : args.keywords) };
};

/**
 * `functools.partial(tf.keras.layers.Conv2D, padding='same', activation='relu')`: the function and
 * the arguments it is given first; calling it calls the function with them (evaluator's callValue).
 */
const functoolsPartial: CallHandler = ({ args }) => {
  const [func, ...given] = args.positional;
  if (!func) return undefined;
  return {
    k: 'object',
    className: PARTIAL,
    attrs: new Map<string, Value>([
      ['func', func],
      ['args', { k: 'seq', tuple: true, items: given }],
      ['keywords', { k: 'dict', entries: new Map(args.keywords) }],
    ]),
  };
};

/** The class name of the value `functools.partial` gives. */
export const PARTIAL = 'functools.partial';

export const stdlib: Library = {
  calls: {
    'functools.partial': functoolsPartial,
    'argparse.ArgumentParser': argumentParser,
    ArgumentParser: argumentParser,
    'types.SimpleNamespace': namespace,
    SimpleNamespace: namespace,
    'argparse.Namespace': namespace,
    'os.environ.get': environmentDefault,
    'os.getenv': environmentDefault,
    'math.prod': mathProduct,
    'dataclasses.field': dataclassField,
    open: file,
    'io.open': file,
    'pathlib.Path': file,
    Path: file,
    'os.path.join': pathJoin,
    'os.path.exists': savedModelExists,
    'os.path.isfile': savedModelExists,
    'json.dumps': jsonDumps,
    'json.load': configLoad,
    'json.loads': configLoad,
    'yaml.safe_load': configLoad,
    'yaml.load': configLoad,
    'yaml.full_load': configLoad,
    'commentjson.load': configLoad,
    'toml.load': configLoad,
    'omegaconf.OmegaConf.load': configLoadPath,
    'absl.app.run': abslRun,
    'tensorflow.compat.v1.app.run': abslRun,
    'tensorflow.app.run': abslRun,
    'OmegaConf.load': configLoadPath,
  },
  patterns: [
    { matches: (_path, last) => ATTRIBUTE_DICTS.has(last), call: attributeDict },
    { matches: (path) => path.endsWith('.Path'), call: file },
    { matches: (path, last) => /(^|\.)flags\.DEFINE_\w+$/.test(path) && last.startsWith('DEFINE_'), call: defineFlag },
  ],
};

/** `parser.add_argument('--hidden', type=int, default=64)`, `parser.parse_args()`: the defaults, as a script run without arguments sees them. */
export function argparseMethod(parser: Extract<Value, { k: 'object' }>, method: string, args: Args): Value {
  const defined = parser.arguments!;
  if (method === 'add_argument') {
    const names = args.positional.flatMap((p) => (p.k === 'str' ? [p.v] : []));
    const dest = args.keywords.get('dest');
    const long = names.find((n) => n.startsWith('--')) ?? names.find((n) => !n.startsWith('-')) ?? names[0];
    const name = dest?.k === 'str' ? dest.v : long?.replace(/^-+/, '').replace(/-/g, '_');
    if (!name) return NONE;
    const action = args.keywords.get('action');
    let value = args.keywords.get('default') ?? (action?.k === 'str' && action.v === 'store_true' ? FALSE : action?.k === 'str' && action.v === 'store_false' ? TRUE : NONE);
    const type = args.keywords.get('type');
    const typeName = type?.k === 'ref' ? type.path : '';
    if (value.k === 'str' && (typeName === 'int' || typeName === 'float')) {
      const n = Number(value.v);
      value = Number.isFinite(n) ? { k: 'num', v: typeName === 'int' ? Math.trunc(n) : n, origin: value.origin } : UNKNOWN;
    }
    defined.set(name, value);
    return NONE;
  }
  if (method === 'set_defaults') {
    for (const [k, v] of args.keywords) defined.set(k, v);
    return NONE;
  }
  if (method === 'parse_args') return { k: 'object', className: 'Namespace', attrs: new Map(defined) };
  if (method === 'parse_known_args') return { k: 'seq', tuple: true, items: [{ k: 'object', className: 'Namespace', attrs: new Map(defined) }, { k: 'seq', items: [], tuple: false }] };
  if (method === 'add_argument_group' || method === 'add_mutually_exclusive_group') return parser;
  return UNKNOWN;
}
