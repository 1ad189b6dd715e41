/**
 * Training that the analysis did not follow: a `fit(...)` with Keras's training arguments on a
 * model nanguard did not find (built in a helper it could not follow, loaded, imported from
 * another module), or a hand-written `apply_gradients` step in a file where it found no model.
 * Saying so, on that line, is better than a silent "no findings" that reads as "checked".
 */
import type { InputProblem, ModelSpec, SourceLocation } from '../../ir';
import type { PyNode, PyTree } from './syntax';

/** Keyword arguments of Keras's `fit` that scikit-learn's `fit` never takes. */
const KERAS_FIT_KEYWORDS = new Set(['epochs', 'batch_size', 'validation_data', 'validation_split', 'callbacks', 'steps_per_epoch', 'validation_steps', 'initial_epoch', 'shuffle']);
const FIT_METHODS = new Set(['fit', 'fit_generator']);

/** The words every sentence about training the analysis did not follow has (see pickTrainedModel). */
export const UNSEEN_TRAINING = 'trains a model nanguard did not find';

/** Modules whose calls the analysis follows itself: a model they build is not "from another module". */
const FOLLOWED_MODULES = /^(keras|tensorflow|tf|numpy|np|pandas|pd|sklearn)(\.|$)/;

/**
 * Where the value a name holds at `before` was made, when it is the result of a call of a name
 * imported from a module the analysis does not follow (`autoencoder = build_autoencoder(shape)`
 * after `from models import build_autoencoder`; `model = N2V(config)` after `from n2v.models
 * import N2V`): the callee, the module, and both lines (1-based, in the analysed text).
 */
function importedBuilder(tree: PyTree, name: string, before: PyNode): { callee: string; module: string; line: number; importLine: number } | undefined {
  const [ASSIGNMENT, IMPORT_FROM, IMPORT] = ['assignment', 'import_from_statement', 'import_statement'].map((t) => tree.typeIdOf(t));
  const lineOf = (node: PyNode) => tree.text.slice(0, tree.start(node)).split('\n').length;
  let call: PyNode | undefined;
  for (let node = tree.root; node < before; node++) {
    if (tree.typeId(node) !== ASSIGNMENT) continue;
    const left = tree.child(node, 'left');
    const right = tree.child(node, 'right');
    if (left === undefined || right === undefined) continue;
    // `vae, enc, gen = create_lstm_vae(...)`: one of the names a builder's tuple is unpacked into.
    const targets = ['pattern_list', 'tuple_pattern'].includes(tree.type(left)) ? tree.children(left).map((c) => tree.src(c)) : [tree.src(left)];
    if (!targets.includes(name)) continue;
    call = tree.type(right) === 'call' ? right : undefined;
  }
  const callee = call === undefined ? undefined : tree.child(call, 'function');
  if (call === undefined || callee === undefined || !['identifier', 'attribute'].includes(tree.type(callee))) return undefined;
  const calleeText = tree.src(callee);
  const head = calleeText.split('.')[0];
  for (let node = tree.root; node < call; node++) {
    const type = tree.typeId(node);
    if (type !== IMPORT_FROM && type !== IMPORT) continue;
    const moduleNode = type === IMPORT_FROM ? tree.child(node, 'module_name') : undefined;
    for (const item of tree.childrenOf(node, 'name')) {
      const alias = tree.type(item) === 'aliased_import' ? tree.child(item, 'alias') : undefined;
      const imported = tree.type(item) === 'aliased_import' ? tree.child(item, 'name') : item;
      if (imported === undefined) continue;
      const bound = alias !== undefined ? tree.src(alias) : tree.src(imported).split('.')[0];
      if (bound !== head) continue;
      const module = moduleNode !== undefined ? tree.src(moduleNode) : tree.src(imported);
      if (FOLLOWED_MODULES.test(module)) return undefined;
      return { callee: calleeText, module, line: lineOf(call), importLine: lineOf(node) };
    }
  }
  return undefined;
}

/** Lines in a notebook's analysed text are not the lines of its cells: there the names say where. */
function builtByText(built: ReturnType<typeof importedBuilder>, notebook: boolean): string {
  if (!built) return 'built in a way it cannot follow yet, loaded, or imported';
  return notebook
    ? `built by ${built.callee}, imported from ${built.module}, a module not found in the workspace`
    : `built by ${built.callee} on line ${built.line}, imported from ${built.module} (line ${built.importLine}), a module not found in the workspace`;
}

export function unseenTraining(tree: PyTree, location: (node: PyNode) => SourceLocation, models: readonly ModelSpec[]): InputProblem[] {
  const seen = new Set(models.flatMap((m) => (m.fit?.location ? [`${m.fit.location.range.start.line}:${m.fit.location.range.start.character}`] : [])));
  const problems: InputProblem[] = [];
  const [CALL, KEYWORD] = ['call', 'keyword_argument'].map((t) => tree.typeIdOf(t));
  let gradientStep: PyNode | undefined;
  for (let node = tree.root; node < tree.nodeCount; node++) {
    if (tree.typeId(node) !== CALL) continue;
    const callee = tree.child(node, 'function');
    if (callee === undefined || tree.type(callee) !== 'attribute') continue;
    const attribute = tree.child(callee, 'attribute');
    const method = attribute === undefined ? '' : tree.src(attribute);
    if (method === 'apply_gradients') {
      gradientStep ??= node;
      continue;
    }
    const receiver = tree.child(callee, 'object');
    // `model.train(X, X_val)` of a model class from a package (N2V, ...), in a file where no Keras model is found: its network is built inside that package.
    // Given no data (`trainer.train()`), it is some other library's loop.
    const givenData = (): boolean => {
      const args = tree.child(node, 'arguments');
      return args !== undefined && tree.children(args).some((a) => tree.type(a) !== 'keyword_argument');
    };
    if (method === 'train' && models.length === 0 && receiver !== undefined && tree.type(receiver) === 'identifier' && givenData()) {
      const built = importedBuilder(tree, tree.src(receiver), node);
      if (built) {
        problems.push({ severity: 'info', code: 'not-understood', message: `\`${tree.src(receiver)}\`.train(...) ${UNSEEN_TRAINING} (${builtByText(built, /\.ipynb$/i.test(location(node).path))}): nothing was checked for this training`, location: location(node) });
        continue;
      }
    }
    if (!FIT_METHODS.has(method)) continue;
    const args = tree.child(node, 'arguments');
    const keras = args !== undefined && tree.children(args).some((a) => {
      if (tree.typeId(a) !== KEYWORD) return false;
      const name = tree.child(a, 'name');
      return name !== undefined && KERAS_FIT_KEYWORDS.has(tree.src(name));
    });
    if (!keras) continue;
    const at = location(node);
    if (seen.has(`${at.range.start.line}:${at.range.start.character}`)) continue;
    const name = receiver === undefined ? 'the model' : `\`${tree.src(receiver).slice(0, 60)}\``;
    const built = receiver !== undefined && tree.type(receiver) === 'identifier' ? importedBuilder(tree, tree.src(receiver), node) : undefined;
    problems.push({
      severity: 'info',
      code: 'not-understood',
      message: `${name}.${method}(...) ${UNSEEN_TRAINING} (${builtByText(built, /\.ipynb$/i.test(location(node).path))}): nothing was checked for this training`,
      location: at,
    });
  }
  if (gradientStep !== undefined && models.length === 0) {
    problems.push({
      severity: 'info',
      code: 'not-understood',
      message: 'this hand-written training step (apply_gradients) trains a model nanguard did not find: nothing was checked for this training',
      location: location(gradientStep),
    });
  }
  return problems;
}
