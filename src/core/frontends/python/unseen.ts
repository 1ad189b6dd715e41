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
    const receiver = tree.child(callee, 'object');
    const name = receiver === undefined ? 'the model' : `\`${tree.src(receiver).slice(0, 60)}\``;
    problems.push({
      severity: 'info',
      code: 'not-understood',
      message: `${name}.${method}(...) trains a model nanguard did not find (built in a way it cannot follow yet, loaded, or imported): nothing was checked for this training`,
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
