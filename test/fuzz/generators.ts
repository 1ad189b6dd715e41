/**
 * Random Keras JSON topologies, hyperparameter configs and notebooks: shaped like the real
 * thing (so the deep code runs), with the damage real files carry: wrong types, missing keys,
 * `NaN` / `Infinity` tokens (Python's json.dump writes them), 1e308 and overflowing numbers,
 * duplicate keys, huge arrays, deep nesting.
 *
 * JSON is generated as a small tree that the serializer writes out, because JSON.stringify
 * cannot write NaN tokens, duplicate keys or a 100,000-element array cheaply.
 */
import fc from 'fast-check';

export type JsonNode =
  | { t: 'raw'; text: string }
  | { t: 'str'; v: string }
  | { t: 'arr'; items: JsonNode[] }
  | { t: 'obj'; entries: [string, JsonNode][] }
  | { t: 'repeat'; item: string; count: number };

const raw = (text: string): JsonNode => ({ t: 'raw', text });
const str = (v: string): JsonNode => ({ t: 'str', v });
const arr = (items: JsonNode[]): JsonNode => ({ t: 'arr', items });
const obj = (entries: [string, JsonNode][]): JsonNode => ({ t: 'obj', entries });

export function writeJson(node: JsonNode, indent: boolean): string {
  const nl = indent ? '\n' : '';
  switch (node.t) {
    case 'raw':
      return node.text;
    case 'str':
      return JSON.stringify(node.v);
    case 'repeat':
      return `[${new Array(node.count).fill(node.item).join(',')}]`;
    case 'arr':
      return `[${nl}${node.items.map((i) => writeJson(i, indent)).join(`,${nl}`)}${nl}]`;
    case 'obj':
      return `{${nl}${node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${writeJson(v, indent)}`).join(`,${nl}`)}${nl}}`;
  }
}

// ---------------------------------------------------------------- scalars

const NUMBER_TOKENS = ['NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '1e309', '1e-320', '5e-324', '-0', '0', '0.0', '1', '-1', '2', '3', '10', '64', '0.5', '0.001', '1e-7', '1e-12', '9007199254740993', '1' + '0'.repeat(40), '0.30000000000000004'];

export const numberNode: fc.Arbitrary<JsonNode> = fc.oneof(
  fc.constantFrom(...NUMBER_TOKENS).map(raw),
  fc.integer({ min: -5, max: 2048 }).map((n) => raw(String(n))),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => raw(JSON.stringify(n))),
);

const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'linear', 'softmax', 'elu', 'selu', 'exponential', 'leaky_relu', 'gelu', 'swish', 'hard_sigmoid', 'softplus', '', 'Sigmoid', 'nonsense'];

const anyScalar: fc.Arbitrary<JsonNode> = fc.oneof(
  numberNode,
  fc.constantFrom(...ACTIVATIONS).map(str),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(str),
  fc.constantFrom('null', 'true', 'false').map(raw),
);

/** Something of the wrong shape where a value is expected. */
export const weirdValue: fc.Arbitrary<JsonNode> = fc.letrec<{ v: JsonNode }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: anyScalar },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }).map(arr) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('class_name', 'config', 'units', 'name', 'value', ''), tie('v')), { maxLength: 3 }).map(obj) },
  ),
})).v;

const hugeArray: fc.Arbitrary<JsonNode> = fc.record({ item: fc.constantFrom('1', '0.5', 'null', 'NaN', '[1,2]', '"a"'), count: fc.constantFrom(1_000, 5_000, 10_000) }).map(({ item, count }) => ({ t: 'repeat', item, count }));

const deepNesting: fc.Arbitrary<JsonNode> = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 10, max: 500 }) }, { weight: 1, arbitrary: fc.integer({ min: 500, max: 3000 }) }).map((depth) => raw('['.repeat(depth) + '1' + ']'.repeat(depth)));

/** Usually a sensible value for the key, sometimes anything at all. */
function valueFor(good: fc.Arbitrary<JsonNode>): fc.Arbitrary<JsonNode> {
  return fc.oneof({ weight: 5, arbitrary: good }, { weight: 2, arbitrary: weirdValue });
}

/**
 * At most one huge array or deep nesting per document (more would only test the machine's
 * patience; 100,000 elements are a named pathological case): it replaces the value of one key somewhere in the tree, or is added beside them.
 */
function withOneGiant(doc: fc.Arbitrary<JsonNode>): fc.Arbitrary<JsonNode> {
  return fc.tuple(doc, fc.option(fc.tuple(fc.oneof(hugeArray, deepNesting), fc.nat()), { freq: 6 })).map(([node, giant]) => {
    if (!giant) return node;
    const [value, pick] = giant;
    const objects: JsonNode[] = [];
    const visit = (n: JsonNode): void => {
      if (n.t === 'obj') {
        objects.push(n);
        n.entries.forEach(([, v]) => visit(v));
      } else if (n.t === 'arr') n.items.forEach(visit);
    };
    visit(node);
    if (objects.length === 0) return node;
    const target = objects[pick % objects.length] as Extract<JsonNode, { t: 'obj' }>;
    const entries = target.entries.slice();
    if (entries.length > 0 && pick % 3 !== 0) entries[pick % entries.length] = [entries[pick % entries.length][0], value];
    else entries.push(['giant', value]);
    return replaceNode(node, target, { t: 'obj', entries });
  });
}

/** A copy of `root` with `target` (by identity) replaced; generated values are never mutated in place. */
function replaceNode(root: JsonNode, target: JsonNode, replacement: JsonNode): JsonNode {
  if (root === target) return replacement;
  if (root.t === 'obj') return { t: 'obj', entries: root.entries.map(([k, v]) => [k, replaceNode(v, target, replacement)]) };
  if (root.t === 'arr') return { t: 'arr', items: root.items.map((i) => replaceNode(i, target, replacement)) };
  return root;
}

const dim = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 784 }).map((n) => raw(String(n))) }, { weight: 1, arbitrary: numberNode }, { weight: 1, arbitrary: fc.constant(raw('null')) });
const shape = fc.array(dim, { minLength: 0, maxLength: 4 }).map((dims) => arr([raw('null'), ...dims]));

/** Entries of an object: some dropped, some duplicated (the last one wins in JSON.parse; other parsers differ). */
function entries(candidates: [string, fc.Arbitrary<JsonNode>][]): fc.Arbitrary<[string, JsonNode][]> {
  return fc
    .tuple(
      ...candidates.map(([key, value]) => fc.tuple(fc.constant(key), value, fc.integer({ min: 0, max: 9 }))),
    )
    .map((rows) => {
      const out: [string, JsonNode][] = [];
      for (const [key, value, roll] of rows) {
        if (roll === 0) continue; // missing key
        out.push([key, value]);
        if (roll === 9) out.push([key, value]); // duplicate key
      }
      return out;
    });
}

// ---------------------------------------------------------------- Keras topologies

const LAYER_CLASSES = ['Dense', 'Dense', 'Dense', 'InputLayer', 'Dropout', 'BatchNormalization', 'LayerNormalization', 'Activation', 'Conv2D', 'Conv2DTranspose', 'Conv1D', 'MaxPooling2D', 'UpSampling2D', 'Flatten', 'Reshape', 'LSTM', 'GRU', 'RepeatVector', 'TimeDistributed', 'Lambda', 'GaussianNoise', 'Sequential', 'Functional', 'MyCustomLayer', ''];

const initializer = fc.oneof(fc.constantFrom('glorot_uniform', 'zeros', 'ones', 'he_normal').map(str), fc.record({ cls: fc.constantFrom('RandomNormal', 'Constant', 'GlorotUniform'), v: numberNode }).map(({ cls, v }) => obj([['class_name', str(cls)], ['config', obj([['stddev', v], ['value', v], ['seed', raw('null')]])]])));

const layerConfig = (name: string) =>
  entries([
    ['name', valueFor(fc.constant(str(name)))],
    ['units', valueFor(dim)],
    ['activation', valueFor(fc.constantFrom(...ACTIVATIONS).map(str))],
    ['filters', valueFor(dim)],
    ['kernel_size', valueFor(fc.oneof(dim, fc.array(dim, { minLength: 1, maxLength: 3 }).map(arr)))],
    ['strides', valueFor(fc.array(dim, { minLength: 1, maxLength: 2 }).map(arr))],
    ['padding', valueFor(fc.constantFrom('same', 'valid').map(str))],
    ['batch_input_shape', valueFor(shape)],
    ['batch_shape', valueFor(shape)],
    ['input_shape', valueFor(shape)],
    ['target_shape', valueFor(fc.array(dim, { maxLength: 3 }).map(arr))],
    ['rate', valueFor(numberNode)],
    ['epsilon', valueFor(numberNode)],
    ['momentum', valueFor(numberNode)],
    ['stddev', valueFor(numberNode)],
    ['n', valueFor(dim)],
    ['return_sequences', valueFor(fc.constantFrom('true', 'false').map(raw))],
    ['kernel_initializer', valueFor(initializer)],
    ['dtype', valueFor(fc.oneof(fc.constantFrom('float32', 'mixed_float16', 'float16').map(str), fc.constantFrom('mixed_float16', 'float32').map((p) => obj([['class_name', str('DTypePolicy')], ['config', obj([['name', str(p)]])]]))))],
    ['trainable', valueFor(fc.constant(raw('true')))],
  ]);

function inboundNodes(previous: string, keras3: boolean): JsonNode {
  if (keras3) {
    return arr([obj([['args', arr([obj([['class_name', str('__keras_tensor__')], ['config', obj([['shape', arr([raw('null'), raw('10')])], ['keras_history', arr([str(previous), raw('0'), raw('0')])]])]])])], ['kwargs', obj([])]])]);
  }
  return arr([arr([arr([str(previous), raw('0'), raw('0'), obj([])])])]);
}

const layerArb = (index: number, functional: boolean, keras3: boolean): fc.Arbitrary<JsonNode> =>
  fc.tuple(fc.constantFrom(...LAYER_CLASSES), layerConfig(`layer_${index}`), fc.integer({ min: 0, max: 9 }), fc.boolean()).map(([cls, config, roll, withInbound]) => {
    const out: [string, JsonNode][] = [];
    if (roll !== 0) out.push(['class_name', str(cls)]);
    if (roll !== 1) out.push(['config', obj(config)]);
    if (roll === 2) out.push(['config', raw('null')]);
    out.push(['name', str(`layer_${index}`)]);
    if (roll === 3) out.push(['module', str('keras.layers')], ['registered_name', raw('null')]);
    if (functional && withInbound && index > 0) out.push(['inbound_nodes', inboundNodes(`layer_${index - 1}`, keras3)]);
    return obj(out);
  });

const layersArb = (functional: boolean, keras3: boolean): fc.Arbitrary<JsonNode> =>
  fc.integer({ min: 0, max: 12 }).chain((n) => (n === 0 ? fc.constant(arr([])) : fc.tuple(...Array.from({ length: n }, (_, i) => layerArb(i, functional, keras3))).map((ls) => arr(ls))));

const optimizerArb: fc.Arbitrary<JsonNode> = fc.oneof(
  fc.constantFrom('adam', 'sgd', 'rmsprop', 'Adam', 'nadam', '').map(str),
  fc.tuple(fc.constantFrom('Adam', 'SGD', 'RMSprop', 'Adagrad', 'Custom'), entries([['learning_rate', valueFor(numberNode)], ['epsilon', valueFor(numberNode)], ['clipnorm', valueFor(numberNode)], ['clipvalue', valueFor(numberNode)], ['momentum', valueFor(numberNode)]])).map(([cls, config]) => obj([['class_name', str(cls)], ['config', obj(config)]])),
  weirdValue,
);

const compileConfig: fc.Arbitrary<JsonNode> = entries([
  ['optimizer', optimizerArb],
  ['loss', valueFor(fc.constantFrom('mse', 'binary_crossentropy', 'mae', 'kl_divergence', 'my_loss').map(str))],
  ['metrics', valueFor(fc.constant(arr([str('mae')])))],
]).map(obj);

/** A `model.to_json()` (Keras 2 or 3), sometimes inside a `.keras` archive's `config.json` shape with `compile_config`. */
export const kerasTopologyArb: fc.Arbitrary<JsonNode> = withOneGiant(
  fc
  .tuple(fc.constantFrom('Sequential', 'Functional', 'Sequential', 'Functional', 'Model', 'NotAModel'), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 9 }))
  .chain(([cls, keras3, archive, roll]) => {
    const functional = cls !== 'Sequential';
    return fc.tuple(layersArb(functional, keras3), compileConfig, valueFor(fc.constant(str('autoencoder')))).map(([layers, compile, name]) => {
      const config: [string, JsonNode][] = [['name', name]];
      if (roll !== 0) config.push(['layers', layers]);
      if (roll === 1) config.push(['layers', obj([])]);
      if (functional) config.push(['input_layers', arr([arr([str('layer_0'), raw('0'), raw('0')])])], ['output_layers', arr([arr([str('layer_1'), raw('0'), raw('0')])])]);
      const top: [string, JsonNode][] = [['class_name', str(cls)]];
      if (roll !== 2) top.push(['config', obj(config)]);
      if (keras3) top.push(['module', str('keras')], ['registered_name', raw('null')]);
      top.push(['keras_version', str(keras3 ? '3.15.0' : '2.15.0')], ['backend', str('tensorflow')]);
      if (archive) top.push(['compile_config', compile]);
      return obj(top);
    });
  }),
);

// ---------------------------------------------------------------- hyperparameter configs

const CONFIG_KEYS: [string, fc.Arbitrary<JsonNode>][] = [
  ['learning_rate', numberNode],
  ['lr', numberNode],
  ['optimizer', optimizerArb],
  ['activation', fc.constantFrom(...ACTIVATIONS).map(str)],
  ['bottleneck_activation', fc.constantFrom(...ACTIVATIONS).map(str)],
  ['output_activation', fc.constantFrom(...ACTIVATIONS).map(str)],
  ['encoding_dim', dim],
  ['latent_dim', dim],
  ['input_dim', dim],
  ['epochs', dim],
  ['batch_size', dim],
  ['validation_split', numberNode],
  ['shuffle', fc.constantFrom('true', 'false').map(raw)],
  ['loss', fc.constantFrom('mse', 'binary_crossentropy', 'mae').map(str)],
  ['scaling', fc.constantFrom('none', 'standard', 'minmax', 'false').map(str)],
  ['clipnorm', numberNode],
  ['clipvalue', numberNode],
  ['epsilon', numberNode],
  ['momentum', numberNode],
  ['mixed_precision', fc.constantFrom('mixed_float16', 'float32', 'true').map(str)],
  ['layers', fc.array(dim, { maxLength: 8 }).map(arr)],
  ['hidden_units', fc.array(dim, { maxLength: 8 }).map(arr)],
];

const SECTIONS = ['training', 'train', 'model', 'optimizer', 'compile', 'fit', 'hyperparameters', 'hparams', 'params', 'config', 'data', 'preprocessing', 'unrelated'];

const flatConfig: fc.Arbitrary<JsonNode> = entries(CONFIG_KEYS.map(([k, v]) => [k, valueFor(v)])).map(obj);

/** A hyperparameter config: flat, in sections, or a mix, with unrelated keys around. */
export const hyperConfigArb: fc.Arbitrary<JsonNode> = withOneGiant(
  fc.oneof(
  flatConfig,
  fc.array(fc.tuple(fc.constantFrom(...SECTIONS), fc.oneof({ weight: 4, arbitrary: flatConfig }, { weight: 1, arbitrary: weirdValue })), { maxLength: 5 }).map(obj),
  fc.tuple(flatConfig, fc.array(fc.tuple(fc.string({ maxLength: 8 }), weirdValue), { maxLength: 4 })).map(([base, extra]) => (base.t === 'obj' ? obj([...base.entries, ...extra]) : base)),
    weirdValue,
  ),
);

// ---------------------------------------------------------------- notebooks

const PYTHON_LINES = [
  'import numpy as np',
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  'from tensorflow.keras.layers import Input, Dense',
  'X = np.array([[1, 1000], [2, 2000], [3, 3000]])',
  'X = np.random.rand(100, 20) * 1000',
  'x_train = np.load("data.npy")',
  "df = pd.read_csv('sensors.csv')",
  'inp = Input(shape=(20,))',
  "h = Dense(2, activation='sigmoid')(inp)",
  "out = Dense(20, activation='sigmoid')(h)",
  'model = keras.Model(inp, out)',
  'model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(20)])',
  "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.5), loss='mse')",
  "model.compile(optimizer='sgd', loss='binary_crossentropy')",
  'model.fit(X, X, epochs=100, validation_split=0.2)',
  'model.fit(X, X, epochs=10**12, batch_size=0)',
  'history = model.fit(X, X, epochs=5, validation_data=(X[:0], X[:0]))',
  'def f(x):',
  '    return x',
  'for i in range(3):',
  '    pass',
  '%matplotlib inline',
  '!pip install tensorflow',
  'files = !ls',
  'model.fit?',
  '%%time',
  '%%bash',
  '',
  '    ',
  'if True:',
  '  x = (',
  ')',
];

const cellLine = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PYTHON_LINES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) }, { weight: 1, arbitrary: fc.constantFrom('\r', '\t', '\u2028', '"""', '\\') });

/** A cell's `source`: a string, a list of lines (the usual form, each with its `\n`), or something else entirely. */
const cellSource: fc.Arbitrary<JsonNode> = fc.tuple(fc.array(cellLine, { maxLength: 12 }), fc.integer({ min: 0, max: 9 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, roll, eol]) => {
  if (roll === 0) return raw('null');
  if (roll === 1) return raw(String(lines.length));
  if (roll <= 4) return str(lines.join(eol));
  const items = lines.map((l, i) => str(i < lines.length - 1 ? l + eol : l));
  if (roll === 5 && items.length > 0) items.splice(0, 1, raw('42'));
  return arr(items);
});

const cellArb: fc.Arbitrary<JsonNode> = fc.tuple(fc.constantFrom('code', 'code', 'code', 'markdown', 'raw', 'unknown'), cellSource, fc.integer({ min: 0, max: 9 })).map(([type, source, roll]) => {
  const out: [string, JsonNode][] = [];
  if (roll !== 0) out.push(['cell_type', str(type)]);
  out.push([roll === 1 ? 'input' : 'source', source]);
  out.push(['metadata', obj([])]);
  if (type === 'code') out.push(['outputs', arr([])], ['execution_count', raw('null')]);
  return roll === 2 ? raw('null') : obj(out);
});

/** A whole Keras program (from the corpus) cut into code cells at random lines, with junk cells between. */
export function programCellsArb(programs: readonly string[]): fc.Arbitrary<JsonNode[]> {
  return fc
    .tuple(fc.constantFrom(...programs), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }), fc.array(fc.tuple(fc.nat(), cellArb), { maxLength: 3 }), fc.boolean())
    .map(([program, cutsAt, junk, asList]) => {
      const lines = program.split('\n');
      const cuts = [...new Set(cutsAt.map((c) => Math.floor(c * lines.length)))].sort((a, b) => a - b);
      const cells: JsonNode[] = [];
      let from = 0;
      for (const cut of [...cuts, lines.length]) {
        const part = lines.slice(from, cut);
        from = cut;
        const source = asList ? arr(part.map((l, i) => str(i < part.length - 1 ? `${l}\n` : l))) : str(part.join('\n'));
        cells.push(obj([['cell_type', str('code')], ['source', source], ['metadata', obj([])], ['outputs', arr([])], ['execution_count', raw('null')]]));
      }
      for (const [at, cell] of junk) cells.splice(at % (cells.length + 1), 0, cell);
      return cells;
    });
}

/** Random notebooks; with `programs`, half of them hold a real program split into cells. */
export const notebookArb = (programs: readonly string[] = []): fc.Arbitrary<JsonNode> => fc.tuple(programs.length > 0 ? fc.oneof(fc.array(cellArb, { maxLength: 10 }), programCellsArb(programs)) : fc.array(cellArb, { maxLength: 10 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom('python', 'Python', 'R', 'julia')).map(([cells, roll, language]) => {
  const metadata = obj([['kernelspec', obj([['language', str(language)], ['name', str('python3')]])], ['language_info', obj([['name', str(language)]])]]);
  const plainMetadata = obj([]);
  switch (roll) {
    case 0:
      return obj([['nbformat', raw('3')], ['worksheets', arr([obj([['cells', arr(cells)]])])], ['metadata', plainMetadata]]);
    case 1:
      return obj([['cells', obj([])], ['metadata', plainMetadata]]);
    case 2:
      return arr(cells);
    case 3:
      return obj([['cells', arr(cells)], ['metadata', metadata], ['nbformat', raw('4')]]);
    case 4:
      return obj([['cells', arr(cells)], ['cells', arr([])]]);
    default:
      return obj([['cells', arr(cells)], ['metadata', plainMetadata], ['nbformat', raw('4')], ['nbformat_minor', raw('5')]]);
  }
});
