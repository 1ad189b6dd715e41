/**
 * Hyperparameter configs -> IR. A config is any JSON object whose keys name training
 * settings (`learning_rate`, `epochs`, `encoding_dim`, ...), at the top level or inside a
 * `training` / `model` / `optimizer` (and similar) section. Every recognised value becomes a
 * `ConfigEntry` and, where it means something to Keras, a part of a `ModelSpec` whose
 * origins point at the value in the JSON, so rules can fire on the config alone.
 *
 * The recognised keys are documented in docs/config-keys.md and schemas/nanguard-config.schema.json.
 */
import type { Node } from 'jsonc-parser';
import type {
  CompileSpec,
  ConfigEntry,
  DataSpec,
  FitSpec,
  InputProblem,
  LayerSpec,
  ModelSpec,
  Origin,
  SourceLocation,
  Valued,
} from '../ir';
import { defaultLearningRate, normalizeLossName, normalizeOptimizerName } from '../keras/names';
import type { LineIndex } from '../text';
import { elements, entries, numberValue, property, stringValue, toValue } from './jsonTree';

/** The settings nanguard understands, each with the spellings it accepts. */
export type SettingName =
  | 'learning_rate'
  | 'optimizer'
  | 'activation'
  | 'bottleneck_activation'
  | 'output_activation'
  | 'encoding_dim'
  | 'input_dim'
  | 'epochs'
  | 'batch_size'
  | 'validation_split'
  | 'shuffle'
  | 'loss'
  | 'scaling'
  | 'clipnorm'
  | 'clipvalue'
  | 'epsilon'
  | 'momentum'
  | 'mixed_precision'
  | 'layers';

export const SETTING_ALIASES: Record<SettingName, readonly string[]> = {
  learning_rate: ['learning_rate', 'lr', 'learningRate', 'learning-rate', 'initial_learning_rate'],
  optimizer: ['optimizer'],
  activation: ['activation', 'hidden_activation'],
  bottleneck_activation: ['bottleneck_activation', 'latent_activation', 'encoding_activation'],
  output_activation: ['output_activation', 'final_activation', 'decoder_output_activation'],
  encoding_dim: ['encoding_dim', 'latent_dim', 'bottleneck', 'bottleneck_dim', 'bottleneck_size', 'code_size', 'encodingDim', 'latentDim'],
  input_dim: ['input_dim', 'inputDim', 'n_features', 'num_features'],
  epochs: ['epochs', 'num_epochs', 'n_epochs', 'max_epochs'],
  batch_size: ['batch_size', 'batchSize'],
  validation_split: ['validation_split', 'val_split', 'validationSplit'],
  shuffle: ['shuffle'],
  loss: ['loss', 'loss_function'],
  scaling: ['scaling', 'normalize', 'normalise', 'normalization', 'scaler', 'standardize'],
  clipnorm: ['clipnorm', 'clip_norm', 'global_clipnorm'],
  clipvalue: ['clipvalue', 'clip_value'],
  epsilon: ['epsilon', 'adam_epsilon'],
  momentum: ['momentum'],
  mixed_precision: ['mixed_precision', 'dtype_policy'],
  layers: ['layers', 'hidden_units', 'layer_sizes'],
};

/** Objects whose keys are read as settings too (`{"training": {"lr": 0.5}}`). */
export const CONFIG_SECTIONS: readonly string[] = [
  'training',
  'train',
  'model',
  'optimizer',
  'compile',
  'fit',
  'hyperparameters',
  'hparams',
  'params',
  'config',
  'data',
  'preprocessing',
];

/** Keys that alone make a JSON a training config; weaker ones (`loss`, `activation`) need company. */
const STRONG: ReadonlySet<SettingName> = new Set<SettingName>([
  'learning_rate',
  'optimizer',
  'encoding_dim',
  'epochs',
  'batch_size',
  'validation_split',
  'bottleneck_activation',
  'output_activation',
  'clipnorm',
  'clipvalue',
]);

const SETTING_BY_KEY = new Map<string, SettingName>();
for (const [setting, aliases] of Object.entries(SETTING_ALIASES) as [SettingName, readonly string[]][]) {
  for (const alias of aliases) SETTING_BY_KEY.set(alias, setting);
}

/** Quick test on raw text: could this file be a config (or a Keras topology)? Used before parsing and for invalid JSON. */
const RELEVANT_KEY = new RegExp(
  `"(?:class_name|model_config|modelTopology|${[...SETTING_BY_KEY.keys()].filter((k) => k !== 'layers' && k !== 'shuffle' && k !== 'loss').join('|')})"\\s*:`,
);

export function mentionsTrainingKeys(text: string): boolean {
  return RELEVANT_KEY.test(text);
}

/** A setting found in the document. */
export interface FoundSetting {
  setting: SettingName;
  /** Dotted path as written, e.g. `training.lr`. */
  key: string;
  node: Node;
}

/**
 * Settings in document order, top level first, then sections (breadth first). The first
 * occurrence of a setting wins, as a reader scanning the file would expect.
 */
export function findSettings(root: Node | undefined): FoundSetting[] {
  const found: FoundSetting[] = [];
  if (!root || root.type !== 'object') return found;
  const queue: { node: Node; prefix: string; depth: number; inOptimizer: boolean }[] = [{ node: root, prefix: '', depth: 0, inOptimizer: false }];
  while (queue.length > 0) {
    const { node, prefix, depth, inOptimizer } = queue.shift()!;
    for (const [key, value] of entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      let setting = SETTING_BY_KEY.get(key);
      // Inside an optimizer object, its name is written as name / type / class_name.
      if (inOptimizer && (key === 'name' || key === 'type' || key === 'class_name')) setting = 'optimizer';
      const isSection = value.type === 'object' && (CONFIG_SECTIONS.includes(key) || (inOptimizer && key === 'config'));
      if (setting && !(setting === 'optimizer' && value.type === 'object') && !isSection) {
        found.push({ setting, key: path, node: value });
      }
      if (isSection && depth < 4) queue.push({ node: value, prefix: path, depth: depth + 1, inOptimizer: key === 'optimizer' || (inOptimizer && key === 'config') });
    }
  }
  return found;
}

/** True when the recognised settings make this JSON a training config. */
export function isTrainingConfig(settings: readonly FoundSetting[]): boolean {
  const distinct = new Set(settings.map((s) => s.setting));
  if ([...distinct].some((s) => STRONG.has(s))) return true;
  return distinct.size >= 2;
}

interface Context {
  path: string;
  index: LineIndex;
  specials: Map<number, number>;
  problems: InputProblem[];
}

function loc(ctx: Context, node: Node): SourceLocation {
  return ctx.index.locationAt(ctx.path, node.offset, node.length);
}

function configOrigin(ctx: Context, found: FoundSetting): Origin {
  return { kind: 'config', key: found.key, location: loc(ctx, found.node) };
}

function describe(node: Node, ctx: Context): string {
  if (node.type === 'string' && ctx.specials.has(node.offset)) return 'a non-finite number';
  return node.type === 'null' ? 'null' : `a ${node.type}`;
}

/** A finite number (or a numeric string, with a warning since Keras would reject it). */
function numberSetting(ctx: Context, found: FoundSetting, check: (n: number) => string | undefined): Valued<number> | undefined {
  const node = found.node;
  let n = numberValue(node, ctx.specials);
  if (n === undefined && node.type === 'string' && typeof node.value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(node.value)) {
    n = Number(node.value);
    ctx.problems.push({
      severity: 'warning',
      message: `'${found.key}' is the string "${node.value}"; json.load keeps it a string, and Keras expects a number`,
      location: loc(ctx, node),
    });
  }
  if (n === undefined) {
    ctx.problems.push({ severity: 'warning', message: `'${found.key}' should be a number, but it is ${describe(node, ctx)}`, location: loc(ctx, node) });
    return undefined;
  }
  if (!Number.isFinite(n)) {
    ctx.problems.push({ severity: 'warning', message: `'${found.key}' is ${String(n)}: training with it produces NaN from the first step`, location: loc(ctx, node) });
    return undefined;
  }
  const complaint = check(n);
  if (complaint) {
    ctx.problems.push({ severity: 'warning', message: `'${found.key}' is ${n}: ${complaint}`, location: loc(ctx, node) });
    return undefined;
  }
  return { value: n, origin: configOrigin(ctx, found) };
}

const positive = (n: number) => (n > 0 ? undefined : 'it must be greater than 0');
const nonNegative = (n: number) => (n >= 0 ? undefined : 'it must not be negative');
const positiveInteger = (n: number) => (n > 0 && Number.isInteger(n) ? undefined : 'it must be a whole number greater than 0');
const fraction = (n: number) => (n >= 0 && n < 1 ? undefined : 'it must be in [0, 1)');

function stringSetting(ctx: Context, found: FoundSetting): Valued<string> | undefined {
  const s = stringValue(found.node, ctx.specials);
  if (s === undefined) {
    ctx.problems.push({ severity: 'warning', message: `'${found.key}' should be a string, but it is ${describe(found.node, ctx)}`, location: loc(ctx, found.node) });
    return undefined;
  }
  return { value: s, origin: configOrigin(ctx, found) };
}

/** Scaling as written: `"none"`, `false`, `"standard"`, `"minmax"`, `true`, ... -> a scaler name, or null for none. */
function scalingSetting(ctx: Context, found: FoundSetting): { scaler: string | null } | undefined {
  const node = found.node;
  if (node.type === 'boolean') return { scaler: node.value === true ? 'normalize' : null };
  if (node.type === 'null') return { scaler: null };
  const s = stringValue(node, ctx.specials);
  if (s === undefined) {
    ctx.problems.push({ severity: 'warning', message: `'${found.key}' should be a scaler name or true/false, but it is ${describe(node, ctx)}`, location: loc(ctx, node) });
    return undefined;
  }
  const lower = s.trim().toLowerCase();
  if (['', 'none', 'no', 'false', 'off', 'raw', 'identity'].includes(lower)) return { scaler: null };
  const named: Record<string, string> = {
    standard: 'StandardScaler',
    standardscaler: 'StandardScaler',
    zscore: 'StandardScaler',
    'z-score': 'StandardScaler',
    minmax: 'MinMaxScaler',
    min_max: 'MinMaxScaler',
    minmaxscaler: 'MinMaxScaler',
    robust: 'RobustScaler',
    robustscaler: 'RobustScaler',
    maxabs: 'MaxAbsScaler',
    maxabsscaler: 'MaxAbsScaler',
  };
  return { scaler: named[lower] ?? s };
}

/** Layers the config describes: `[{"units": 64, "activation": "relu"}, ...]` or `[64, 32, 8]`. */
function describedLayers(ctx: Context, found: FoundSetting, activation: Valued<string> | undefined): LayerSpec[] {
  const out: LayerSpec[] = [];
  for (const [i, item] of elements(found.node).entries()) {
    const units = numberValue(item, ctx.specials);
    if (units !== undefined) {
      const layer: LayerSpec = {
        className: 'Dense',
        name: `dense_${i}`,
        config: { units },
        origins: { units: { kind: 'config', key: `${found.key}[${i}]`, location: loc(ctx, item) } },
        location: loc(ctx, item),
      };
      if (activation) {
        layer.config.activation = activation.value;
        layer.origins!.activation = activation.origin;
      }
      out.push(layer);
    } else if (item.type === 'object') {
      const className = stringValue(property(item, 'class_name'), ctx.specials) ?? stringValue(property(item, 'type'), ctx.specials) ?? 'Dense';
      const configNode = property(item, 'config')?.type === 'object' ? property(item, 'config')! : item;
      const config: Record<string, unknown> = {};
      const origins: Record<string, Origin> = {};
      for (const [key, value] of entries(configNode)) {
        if (key === 'class_name' || key === 'type') continue;
        config[key] = toValue(value, ctx.specials, 16);
        origins[key] = { kind: 'config', key: `${found.key}[${i}].${key}`, location: loc(ctx, value) };
      }
      const name = typeof config.name === 'string' ? config.name : `${className.toLowerCase()}_${i}`;
      out.push({ className, name, config, origins, location: loc(ctx, item) });
    }
  }
  return out;
}

function denseLayer(name: string, units: Valued<number> | undefined, activation: Valued<string> | undefined, location: SourceLocation): LayerSpec {
  const layer: LayerSpec = { className: 'Dense', name, config: {}, origins: {}, location };
  if (units) {
    layer.config.units = units.value;
    layer.origins!.units = units.origin;
  }
  if (activation) {
    layer.config.activation = activation.value;
    layer.origins!.activation = activation.origin;
  }
  return layer;
}

export interface ConfigResult {
  entries: ConfigEntry[];
  model: ModelSpec | undefined;
  problems: InputProblem[];
}

function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** Builds config entries and a ModelSpec from the settings found by {@link findSettings}. */
export function configToModel(root: Node, settings: readonly FoundSetting[], path: string, index: LineIndex, specials: Map<number, number>): ConfigResult {
  const ctx: Context = { path, index, specials, problems: [] };
  const entriesOut: ConfigEntry[] = settings.map((s) => ({ key: s.key, value: toValue(s.node, specials, 16), location: loc(ctx, s.node) }));
  const first = new Map<SettingName, FoundSetting>();
  for (const s of settings) if (!first.has(s.setting)) first.set(s.setting, s);
  const get = (name: SettingName) => first.get(name);
  const num = (name: SettingName, check: (n: number) => string | undefined) => {
    const f = get(name);
    return f ? numberSetting(ctx, f, check) : undefined;
  };
  const str = (name: SettingName) => {
    const f = get(name);
    return f ? stringSetting(ctx, f) : undefined;
  };

  const model: ModelSpec = { name: basename(path), path, kind: 'json', layers: [], data: {}, numerics: [], location: loc(ctx, root) };

  // Layers: as described, or the bottleneck (and output) the config names.
  const activation = str('activation');
  const bottleneckActivation = str('bottleneck_activation') ?? activation;
  const outputActivation = str('output_activation');
  const encodingDim = num('encoding_dim', positiveInteger);
  const inputDim = num('input_dim', positiveInteger);
  const layersFound = get('layers');
  if (layersFound && layersFound.node.type === 'array') {
    model.layers = describedLayers(ctx, layersFound, activation);
  } else if (encodingDim || get('bottleneck_activation')) {
    const where = encodingDim ? loc(ctx, get('encoding_dim')!.node) : loc(ctx, get('bottleneck_activation')!.node);
    model.layers.push(denseLayer('bottleneck', encodingDim, bottleneckActivation, where));
    if (outputActivation) model.layers.push(denseLayer('output', inputDim, outputActivation, loc(ctx, get('output_activation')!.node)));
  }
  if (inputDim) model.inputShape = [inputDim.value];

  // Compile.
  const optimizerName = str('optimizer');
  const learningRate = num('learning_rate', positive);
  const epsilon = num('epsilon', positive);
  const clipnorm = num('clipnorm', positive);
  const clipvalue = num('clipvalue', positive);
  const momentum = num('momentum', nonNegative);
  const loss = str('loss');
  // The optimizer is `unknown` when only its settings are written (the script picks the class).
  const className = optimizerName ? normalizeOptimizerName(optimizerName.value) : 'unknown';
  const fallback = defaultLearningRate(className);
  const rate: Valued<number> | undefined =
    learningRate ?? (fallback !== undefined ? { value: fallback, origin: { kind: 'default', note: `${className}'s default learning rate` } } : undefined);
  // Without a learning rate (written or the optimizer's default) there is no optimizer to describe.
  if (rate) {
    const compile: CompileSpec = {
      optimizer: { className, learningRate: rate },
      loss: loss ? { name: normalizeLossName(loss.value), location: (loss.origin as { location: SourceLocation }).location } : { name: 'unknown' },
    };
    if (optimizerName) compile.optimizer.location = loc(ctx, get('optimizer')!.node);
    if (epsilon) compile.optimizer.epsilon = epsilon;
    if (clipnorm) compile.optimizer.clipnorm = clipnorm;
    if (clipvalue) compile.optimizer.clipvalue = clipvalue;
    if (momentum) compile.optimizer.momentum = momentum;
    model.compile = compile;
  }

  // Fit.
  const epochs = num('epochs', positiveInteger);
  const batchSize = num('batch_size', positiveInteger);
  const split = num('validation_split', fraction);
  const shuffleFound = get('shuffle');
  const shuffle: Valued<boolean> | undefined =
    shuffleFound && shuffleFound.node.type === 'boolean' ? { value: shuffleFound.node.value === true, origin: configOrigin(ctx, shuffleFound) } : undefined;
  if (epochs || batchSize || split || shuffle) {
    const fit: FitSpec = {
      epochs: epochs ?? { value: 1, origin: { kind: 'default', note: "Keras's default of 1 epoch" } },
      batchSize: batchSize ?? { value: 32, origin: { kind: 'default', note: "Keras's default batch size of 32" } },
      shuffle: shuffle ?? { value: true, origin: { kind: 'default', note: 'Keras shuffles by default' } },
      validation: split ? { kind: 'split', fraction: split } : { kind: 'none' },
      callbacks: [],
    };
    model.fit = fit;
  }

  // Data: only what the config says about scaling.
  const scalingFound = get('scaling');
  const scaling = scalingFound ? scalingSetting(ctx, scalingFound) : undefined;
  if (scalingFound && scaling) {
    const where = loc(ctx, scalingFound.node);
    const train: DataSpec = {
      name: 'training data',
      source: { kind: 'unknown', note: `not in the config; '${scalingFound.key}' says how it is scaled`, location: where },
      transforms: scaling.scaler ? [{ kind: 'scaler', scaler: scaling.scaler, location: where }] : [],
    };
    model.data.train = train;
  }

  // Mixed precision: true or a policy name.
  const mixed = get('mixed_precision');
  if (mixed) {
    const policy = mixed.node.type === 'boolean' ? (mixed.node.value === true ? 'mixed_float16' : undefined) : stringValue(mixed.node, specials);
    if (policy && policy !== 'float32') model.dtypePolicy = { value: policy, origin: configOrigin(ctx, mixed) };
  }

  return { entries: entriesOut, model, problems: ctx.problems };
}
