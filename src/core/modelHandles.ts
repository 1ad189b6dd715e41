/**
 * Handles that tell a file's models apart. A script or notebook that rebuilds `autoencoder`
 * defines two models of that name; each then goes by `autoencoder:LINE`, the 1-based line of
 * its definition (of its `fit` when the definition is not seen) in the analysed text. A name
 * that appears once is its own handle, so `--model autoencoder` keeps working where it did.
 */
import { UNSEEN_TRAINING } from './frontends/python/unseen';
import type { InputProblem, ModelSpec } from './ir';

export { UNSEEN_TRAINING };

function definitionLine(model: ModelSpec): number | undefined {
  const at = model.location ?? model.fit?.location;
  return at ? at.range.start.line + 1 : undefined;
}

/** The handle of each model, in order. Where two same-named models cannot be told apart by line, the later ones get `#2`, `#3`. */
export function modelHandles(models: readonly ModelSpec[]): string[] {
  const counts = new Map<string, number>();
  for (const m of models) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  const taken = new Set<string>();
  return models.map((m) => {
    if (counts.get(m.name) === 1) return m.name;
    const line = definitionLine(m);
    let handle = line === undefined ? `${m.name}#1` : `${m.name}:${line}`;
    for (let n = 2; taken.has(handle); n++) handle = `${m.name}${line === undefined ? '' : `:${line}`}#${n}`;
    taken.add(handle);
    return handle;
  });
}

export function modelHandle(models: readonly ModelSpec[], model: ModelSpec): string {
  const i = models.indexOf(model);
  return i < 0 ? model.name : modelHandles(models)[i];
}

/**
 * The model a handle names: its exact handle, or a bare name that only one model has.
 * A bare name shared by several models is ambiguous: the answer lists their handles.
 */
export function findModel(models: readonly ModelSpec[], wanted: string): { model: ModelSpec } | { problem: string } {
  const handles = modelHandles(models);
  const exact = handles.indexOf(wanted);
  if (exact >= 0) return { model: models[exact] };
  const same = models.map((m, i) => ({ m, handle: handles[i] })).filter(({ m }) => m.name === wanted);
  if (same.length > 1) return { problem: `${same.length} models are named ${wanted}; choose one of ${same.map((s) => s.handle).join(', ')}` };
  return { problem: `no model named ${wanted} (found: ${handles.join(', ') || 'none'})` };
}

/** The model to reproduce: the one named (by name or handle), else the one that is fitted, else one a training loop trains, else the last; a problem when there is none. */
export function pickModel(models: readonly ModelSpec[], name?: string): ModelSpec | string {
  if (models.length === 0) return 'no Keras model found in the file';
  if (name) {
    const found = findModel(models, name);
    return 'model' in found ? found.model : found.problem;
  }
  // Else one a GradientTape loop trains (its refusal says why it is not fitted), not a model the file never trains.
  return [...models].reverse().find((m) => m.fit) ?? [...models].reverse().find((m) => m.trainingLoop) ?? models[models.length - 1];
}

/**
 * The model to reproduce, as {@link pickModel}; but when no model found is fitted and the file
 * trains one the analysis did not follow (built by a function imported from the program's own
 * module, or inside a package), that training's sentence: another model of the file (an encoder
 * never compiled) is not what the file trains.
 */
export function pickTrainedModel(models: readonly ModelSpec[], problems: readonly InputProblem[], name?: string): ModelSpec | string {
  const picked = pickModel(models, name);
  if (name) return picked;
  const unseen = problems.find((p) => p.code === 'not-understood' && p.message.includes(UNSEEN_TRAINING));
  if (!unseen || (typeof picked !== 'string' && picked.fit)) return picked;
  const sentence = unseen.message.replace(/: nothing was checked for this training$/, '');
  return typeof picked === 'string' ? `${picked}: ${sentence}` : sentence;
}
