/**
 * Turns the evaluator's model objects into the IR's ModelSpecs: layers flattened in order
 * (sub-models of a composed autoencoder inlined, each layer tagged with its `submodel`),
 * functional graphs in topological order with `inbound` names, and the models ordered so
 * that the compiled or fitted ones come first.
 */
import { outputReference, type AddedLoss, type DataSpec, type LayerSpec, type ModelSpec, type NumericOp, type SourceLocation, type Valued } from '../../ir';
import { dataSpecOf, topologicalOrder } from './graph';
import { normalizationExpression } from '../../keras/normalization';
import type { ArrayObj, LayerObj, ModelObj, TensorObj } from './values';

interface Flattened {
  layers: LayerSpec[];
  inputShape?: (number | null)[];
  /** Name of the layer whose output is the model's output. */
  outputName?: string;
  /** For a model of several outputs: the layer giving each. */
  outputNames?: (string | undefined)[];
  /** Why the graph cannot be rebuilt as Keras runs it (a sub-model applied twice, sharing its weights). */
  problem?: string;
}

/** The name of the input the rebuilt graph gives a model that declares none (kerasJson.ts names it so too). */
const DEFAULT_INPUT_NAME = 'input_layer';

function isLayer(x: LayerObj | ModelObj | undefined): x is LayerObj {
  return x !== undefined && 'spec' in x;
}

function modelName(m: ModelObj): string {
  // A custom layer is named as Keras names it (`encoder`, `mlp_block_1`), not by a variable it passes through.
  return m.layerOfLayers ? m.kerasName : (m.variable ?? m.kerasName);
}

function copySpec(spec: LayerSpec, submodel: string | undefined, inbound?: string[]): LayerSpec {
  const out: LayerSpec = { ...spec, config: { ...spec.config } };
  if (spec.origins) out.origins = { ...spec.origins };
  if (submodel && !spec.submodel) out.submodel = submodel;
  if (inbound) out.inbound = inbound;
  return out;
}

class Flattener {
  private readonly cache = new Map<ModelObj, Flattened>();
  private readonly active = new Set<ModelObj>();

  flatten(model: ModelObj): Flattened {
    const cached = this.cache.get(model);
    if (cached) return cached;
    // A model that (through bad code) contains itself is cut, not followed forever.
    if (this.active.has(model)) return { layers: [] };
    this.active.add(model);
    try {
      const result = model.outputs.length > 0 && model.kind !== 'sequential' ? this.functional(model) : this.sequential(model);
      this.cache.set(model, result);
      return result;
    } finally {
      this.active.delete(model);
    }
  }

  /**
   * Inlines a sub-model's layers; its own InputLayer is dropped unless it starts the whole model.
   * `again`: the sub-model is applied once more, to other inputs: its layers become further calls of
   * the first call's (`sharedWith`), renamed so that the graph tells the calls apart.
   */
  private inline(sub: ModelObj, out: LayerSpec[], inboundForFirst?: string[], again = false): { outputName?: string; outputNames?: (string | undefined)[]; inputShape?: (number | null)[]; problem?: string } {
    const flat = this.flatten(sub);
    const name = modelName(sub);
    const droppedInputs = new Set<string>();
    // The sub-model's inputs stand for what it is applied to: the i-th for the i-th tensor when the counts match, else all of them.
    const inputNames = (keep: (p: LayerObj) => boolean): string[] => sub.inputs.map((t) => t.producer).filter((p): p is LayerObj => isLayer(p) && keep(p)).map((p) => p.spec.name);
    const sourceAmong = (names: string[]) => (n: string): string[] | undefined => {
      const i = names.indexOf(n);
      if (i < 0 || !inboundForFirst) return undefined;
      return names.length === inboundForFirst.length ? [inboundForFirst[i]] : inboundForFirst;
    };
    // A subclassed sub-model's traced inputs (never emitted as layers).
    const tracedSource = sourceAmong(inputNames((p) => p.placeholder === true));
    // A functional sub-model's own Inputs (`decoder([z, labels])`), when every input of it is one; any other dropped Input reads all.
    const ownInputs = inputNames((p) => p.spec.className === 'InputLayer');
    const ownSource = sourceAmong(ownInputs.length === sub.inputs.length ? ownInputs : []);
    const droppedSource = (n: string): string[] | undefined => ownSource(n) ?? inboundForFirst;
    // A further call's names for the sub-model's own layers (its inputs, read from outside, keep theirs).
    const taken = new Set(again ? out.map((l) => l.name) : []);
    const renamed = new Map<string, string>();
    const own = (n: string): string => renamed.get(n) ?? n;
    let first = true;
    for (const layer of flat.layers) {
      if (layer.className === 'InputLayer' && out.length > 0) {
        droppedInputs.add(layer.name);
        continue;
      }
      let inbound = layer.inbound?.map(own);
      if (inboundForFirst && layer.inbound && layer.inbound.some((n) => droppedInputs.has(n) || tracedSource(n))) {
        inbound = layer.inbound.flatMap((n) => (droppedInputs.has(n) ? (droppedSource(n) ?? []) : tracedSource(n) ?? [own(n)]));
      }
      // A Sequential sub-model's first layer reads what the sub-model is applied to, not the layer emitted before it
      // (the second of two sub-models, each on its own Input, would read the first's output).
      if (first && inbound === undefined && inboundForFirst && layer.className !== 'InputLayer') inbound = inboundForFirst;
      first = false;
      const copy = copySpec(layer, name, inbound);
      if (again) {
        const original = layer.sharedWith ?? layer.name;
        copy.name = sharedCallName(taken, original);
        copy.sharedWith = original;
        taken.add(copy.name);
        renamed.set(layer.name, copy.name);
      }
      out.push(copy);
    }
    const outputName = flat.outputName === undefined ? undefined : own(flat.outputName);
    const outputNames = flat.outputNames?.map((n) => (n === undefined ? undefined : own(n)));
    return { outputName, outputNames, inputShape: flat.inputShape, ...(flat.problem ? { problem: flat.problem } : {}) };
  }

  /** The layer whose output a graph tensor is (an InputLayer for an input; the inlined layer for a sub-model's output), when known. */
  tensorName(tensor: TensorObj): string | undefined {
    const producer = tensor.producer;
    if (!producer) return undefined;
    if (isLayer(producer)) return producer.spec.name;
    const flat = this.flatten(producer);
    return tensor.outputIndex === undefined ? flat.outputName : flat.outputNames?.[tensor.outputIndex];
  }

  private sequential(model: ModelObj): Flattened {
    const layers: LayerSpec[] = [];
    let inputShape: (number | null)[] | undefined;
    let problem: string | undefined;
    model.items.forEach((item, i) => {
      if (isLayer(item)) {
        if (i === 0 && item.inputShape) inputShape = item.inputShape;
        layers.push(copySpec(item.spec, undefined));
      } else {
        // A sub-model after other layers reads the last of them.
        const previous = layers.at(-1)?.name;
        const inlined = this.inline(item, layers, previous !== undefined ? [previous] : undefined);
        if (i === 0) inputShape = inlined.inputShape;
        problem ??= inlined.problem;
      }
    });
    return { layers, inputShape, outputName: layers[layers.length - 1]?.name, ...(problem ? { problem } : {}) };
  }

  private functional(model: ModelObj): Flattened {
    let firstShape: (number | null)[] | undefined;
    const order = topologicalOrder(model.outputs);
    const layers: LayerSpec[] = [];
    // Each call of a layer or sub-model, by what it is applied to: a second output of one call
    // (`encoder(x)[2]` after `encoder(x)[0]`) is the same call; the same layer on other inputs is another.
    const calls = new Map<LayerObj | ModelObj, Array<{ inputs: TensorObj[]; names: { outputName?: string; outputNames?: (string | undefined)[] } }>>();
    const callOf = (producer: LayerObj | ModelObj, inputs: TensorObj[]) => calls.get(producer)?.find((c) => c.inputs.length === inputs.length && c.inputs.every((t, i) => t === inputs[i]));
    const remember = (producer: LayerObj | ModelObj, inputs: TensorObj[], names: { outputName?: string; outputNames?: (string | undefined)[] }): void => {
      calls.set(producer, [...(calls.get(producer) ?? []), { inputs, names }]);
    };
    let problem: string | undefined;
    const outputNames = new Map<TensorObj, string | undefined>();
    for (const tensor of order) {
      const inbound = tensor.inputs.map((t) => outputNames.get(t)).filter((n): n is string => n !== undefined);
      const producer = tensor.producer;
      if (isLayer(producer) && producer.placeholder) {
        // A subclassed model's traced input: the first layer's own input layer, or Keras's default name.
        outputNames.set(tensor, producer.spec.name);
      } else if (isLayer(producer)) {
        const call = producer.spec.className === 'InputLayer' ? calls.get(producer)?.[0] : callOf(producer, tensor.inputs);
        // A recurrent layer's state (`_, h, c = lstm(x)`) is a further output of the same call.
        const output = (name: string | undefined) => (name === undefined ? undefined : outputReference(name, tensor.outputIndex ?? 0));
        if (call) {
          outputNames.set(tensor, output(call.names.outputName));
          continue;
        }
        const spec = copySpec(producer.spec, undefined, producer.spec.className === 'InputLayer' ? undefined : inbound);
        // The same layer on other inputs: another call of its weights.
        if (calls.has(producer)) Object.assign(spec, { name: sharedCallName(new Set(layers.map((l) => l.name)), producer.spec.name), sharedWith: producer.spec.name });
        layers.push(spec);
        remember(producer, tensor.inputs, { outputName: spec.name });
        outputNames.set(tensor, output(spec.name));
      } else if (producer) {
        const before = layers.length;
        // Inlined once, its layers would stand for both calls (`x = self.block(self.block(x))`).
        const traced = producer.inputs.filter((t) => isLayer(t.producer) && t.producer.placeholder === true).length;
        if (traced > 1 && traced !== tensor.inputs.length) problem ??= `${describeInner(producer)} takes ${traced} tensors and is given ${tensor.inputs.length}`;
        let names = callOf(producer, tensor.inputs)?.names;
        if (!names) {
          const inlined = this.inline(producer, layers, inbound, calls.has(producer));
          problem ??= inlined.problem;
          names = inlined;
          remember(producer, tensor.inputs, names);
          if (before === 0 && inlined.inputShape) firstShape = inlined.inputShape;
        }
        outputNames.set(tensor, tensor.outputIndex === undefined ? names.outputName : names.outputNames?.[tensor.outputIndex]);
      }
    }
    const first = model.inputs[0]?.producer;
    let inputShape = isLayer(first) && !first.placeholder ? first.inputShape : undefined;
    if (isLayer(first) && first.placeholder) {
      // Subclassed: `model.build(...)`'s shape, else what the first layer or sub-model declares (`input_shape=`, an Input).
      const declaring = layers.find((l) => l.className !== 'InputLayer');
      const own = declaring ? declaredShape(declaring) : undefined;
      inputShape = model.builtShape ?? firstShape ?? own;
    }
    return { layers, inputShape, outputName: outputNames.get(model.outputs[0]), outputNames: model.outputs.map((t) => outputNames.get(t)), ...(problem ? { problem } : {}) };
  }
}

/** The name of a further call of a layer (its output's name in the rebuilt graph; Keras gives a call no name), not yet taken. */
function sharedCallName(taken: ReadonlySet<string>, name: string): string {
  for (let call = 2; ; call++) {
    const candidate = `${name} (call ${call})`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Every layer a model applies, at any depth (through its sub-models and layers of layers). */
function reachableLayers(model: ModelObj): LayerObj[] {
  const out = new Set<LayerObj>();
  for (const m of [model, ...innerModels(model)]) {
    const graph = m.outputs.length > 0 && m.kind !== 'sequential';
    for (const item of graph ? topologicalOrder(m.outputs).map((t) => t.producer) : m.items) if (isLayer(item)) out.add(item);
  }
  return [...out];
}

/**
 * Normalization layers adapted to data the code alone does not give (`normalizer.adapt(x)` of a
 * file's columns): their operation on that data's per-column mean and variance, which the
 * reproduction reads (numbered among `statistics`, as a traced call's are).
 */
function adaptedNormalizations(model: ModelObj, layers: LayerSpec[], statistics: ArrayObj[]): void {
  for (const layer of reachableLayers(model)) {
    const data = layer.adapted;
    if (!data || layer.spec.expression) continue;
    if (!statistics.includes(data)) statistics.push(data);
    const index = statistics.indexOf(data);
    const expression = normalizationExpression({ op: 'statistic', label: 'mean', data: index, ddof: 0 }, { op: 'statistic', label: 'var', data: index, ddof: 0 });
    layers.forEach((l, i) => {
      if (l.className === 'Normalization' && (l.name === layer.spec.name || l.sharedWith === layer.spec.name)) layers[i] = { ...l, expression };
    });
  }
}

/** The layers of layers and sub-models a model applies, at any depth. */
function innerModels(model: ModelObj, seen = new Set<ModelObj>()): ModelObj[] {
  if (seen.has(model)) return [];
  seen.add(model);
  const graph = model.outputs.length > 0 && model.kind !== 'sequential';
  const subs = graph ? topologicalOrder(model.outputs).map((t) => t.producer) : model.items;
  return subs.flatMap((sub) => (sub === undefined || isLayer(sub) || sub === model || seen.has(sub) ? [] : [sub, ...innerModels(sub, seen)]));
}

/**
 * Why a layer or sub-model the model applies (at any depth) cannot be rebuilt, naming it: the
 * model is then not rebuilt either (its layers in their order of assignment would not be the graph
 * Keras runs).
 */
function innerProblem(model: ModelObj): string | undefined {
  const sub = innerModels(model).find((m) => m.callProblem);
  if (!sub?.callProblem) return undefined;
  return `${describeInner(sub)} cannot be reproduced: ${sub.callProblem.message}`;
}

/** `layer encoder (Encoder, line 55)`, `sub-model decoder (Decoder, line 60)`: a model inside another, for messages. */
function describeInner(sub: ModelObj): string {
  const line = sub.location ? `, line ${sub.location.range.start.line + 1}` : '';
  return sub.layerOfLayers ? `layer ${sub.kerasName} (${sub.layerOfLayers}${line})` : `sub-model ${modelName(sub)} (${sub.cls?.name ?? sub.kind}${line})`;
}

/** The input shape a layer declares in its arguments (`input_shape=`, `input_dim=`, `batch_input_shape=`). */
function declaredShape(layer: LayerSpec): (number | null)[] | undefined {
  const c = layer.config;
  if (Array.isArray(c.input_shape)) return c.input_shape as (number | null)[];
  if (Array.isArray(c.batch_input_shape)) return (c.batch_input_shape as (number | null)[]).slice(1);
  if (typeof c.input_dim === 'number' && layer.className !== 'Embedding') return [c.input_dim];
  return undefined;
}

export interface ModelBuildInput {
  path: string;
  models: ModelObj[];
  numerics: NumericOp[];
  dtypePolicy?: Valued<string>;
}

export function buildModelSpecs(input: ModelBuildInput): ModelSpec[] {
  const flattener = new Flattener();
  // A model a GradientTape loop trains is trained, even when it is refused or called on data afterwards (`model(x_test)` to plot).
  const trained = input.models.filter((m) => m.compile || m.fit || m.trainingLoop);
  const standalone = input.models.filter((m) => !m.compile && !m.fit && !m.trainingLoop && !m.usedInside);
  return [...trained, ...standalone].map((m) => {
    const json = m.fromJson && 'spec' in m.fromJson ? m.fromJson.spec : undefined;
    const flat = json ? { layers: json.layers, inputShape: json.inputShape } : flattener.flatten(m);
    const spec: ModelSpec = {
      name: modelName(m),
      path: input.path,
      kind: m.kind,
      layers: flat.layers.map((l) => trainableAtFit(l, m)),
      data: {},
      numerics: input.numerics,
    };
    if (flat.inputShape) spec.inputShape = flat.inputShape;
    if (json?.kerasJson) spec.kerasJson = json.kerasJson;
    const problem = m.callProblem?.message ?? innerProblem(m) ?? ('problem' in flat ? flat.problem : undefined);
    if (problem) spec.definitionProblem = problem;
    if (m.compile) spec.compile = m.compile;
    // Keras 2's loss reading graph tensors it is not given (`vae_loss` reading z_mean): the layers giving them, for the plan.
    if (spec.compile && m.lossClosure) {
      const names = m.lossClosure.map((t) => flattener.tensorName(t));
      const loss = spec.compile.loss;
      const outside = names.find((n) => n === undefined || !spec.layers.some((l) => l.name === n));
      const inGraph = names.length > 0 && !names.includes(undefined) && outside === undefined;
      const problem = `${loss.functionName ?? 'the loss'} reads ${outside === undefined ? 'a tensor' : `the output of layer ${outside}`} of the program without being given it, which does not lead to ${spec.name}'s output, and nanguard rebuilds only the layers that do`;
      spec.compile = { ...spec.compile, loss: inGraph ? { ...loss, closure: names as string[] } : { ...loss, expression: undefined, expressionProblem: problem } };
    }
    if (m.trainStep) {
      // Keras trains on what train_step differentiates, not on compile's loss.
      spec.trainStep = m.trainStep;
      if (spec.compile) spec.compile = { ...spec.compile, loss: { name: 'none', ...(spec.compile.loss.location ? { location: spec.compile.loss.location } : {}) } };
    }
    if (m.fit) spec.fit = m.fit;
    if (m.trainingLoop) spec.trainingLoop = m.trainingLoop;
    if (m.train !== undefined) spec.data.train = dataOf(m.train, m.trainText);
    if (m.target !== undefined) spec.data.target = dataOf(m.target, m.targetText);
    if (m.scaledInCall) spec.data.scaledInCall = m.scaledInCall.map((a) => dataOf(a, a.name));
    const statistics = [...(m.statistics ?? [])];
    adaptedNormalizations(m, spec.layers, statistics);
    if (statistics.length > 0) spec.data.statistics = statistics.map((a) => dataOf(a, a.name));
    // A model of several outputs, each given by a layer: a loss per output needs their names.
    const outputNames = 'outputNames' in flat ? flat.outputNames : undefined;
    if (outputNames && outputNames.length > 1 && outputNames.every((n): n is string => n !== undefined)) {
      spec.outputNames = outputNames;
      if (m.targets && m.targets.length === outputNames.length) spec.data.targets = m.targets.map((t) => dataOf(t.value, t.text));
    }
    // A model of several inputs: their InputLayers (a subclassed model's traced ones by the names Keras would give them).
    if (!json && m.inputs.length > 1) {
      const inputNames = m.inputs.map((t) => (t.producer && 'spec' in t.producer ? t.producer.spec.name : undefined));
      if (inputNames.every((n): n is string => n !== undefined)) {
        spec.inputNames = inputNames;
        if (m.trains && m.trains.length === inputNames.length) spec.data.trains = m.trains.map((t) => dataOf(t.value, t.text));
      }
    }
    if (input.dtypePolicy) spec.dtypePolicy = input.dtypePolicy;
    if (m.location) spec.location = m.location;
    if (m.uncalledTrainer) spec.uncalledTrainer = m.uncalledTrainer;
    if (m.givenToTrainer) spec.givenToTrainer = m.givenToTrainer;
    if (m.legacySpellings) spec.legacySpellings = m.legacySpellings;
    addedLosses(spec, m, flattener);
    return spec;
  });
}

/**
 * The layer as the model's fit trains it: the last `trainable = ...` written before that fit (a
 * backbone frozen before training, not the encoder frozen afterwards for another model), or all
 * of them when the model is not fitted here or they are written in another file.
 */
function trainableAtFit(layer: LayerSpec, model: ModelObj): LayerSpec {
  const assignments = layer.trainableAssignments;
  if (!assignments) return layer;
  const { trainableAssignments: _dropped, ...rest } = layer;
  void _dropped;
  const fit = model.fit?.location;
  const before = (at: SourceLocation): boolean => {
    if (!fit || at.path !== fit.path) return true;
    const a = at.range.start;
    const f = fit.range.start;
    return a.line < f.line || (a.line === f.line && a.character < f.character);
  };
  const inForce = assignments.filter((a) => before(a.location)).pop();
  if (!inForce) return rest;
  return { ...rest, config: { ...rest.config, trainable: inForce.value } };
}

/** The loss terms added to the model (`model.add_loss`) and by its custom layers (`self.add_loss` in call), over named layers' outputs. */
function addedLosses(spec: ModelSpec, model: ModelObj, flattener: Flattener): void {
  const losses: AddedLoss[] = [];
  for (const layer of spec.layers) {
    for (const expression of layer.addedLosses ?? []) losses.push({ expression, tensors: layer.inbound ?? [], layer: layer.name, ...(layer.location ? { location: layer.location } : {}) });
  }
  // Keras adds the losses of the layers and sub-models a model applies to its own.
  for (const added of [...(model.addedLosses ?? []), ...innerModels(model).flatMap((m) => m.addedLosses ?? [])]) {
    if ('problem' in added) {
      spec.addedLossProblem ??= added.problem;
      continue;
    }
    // A subclassed model's stand-in input is the graph's first InputLayer (a sub-model's own, inlined).
    // Without one (layers alone, their shape from the data), the input the rebuilt graph gets, under Keras's default name.
    const declaredInput = spec.layers.find((l) => l.className === 'InputLayer')?.name;
    const firstInput = declaredInput ?? DEFAULT_INPUT_NAME;
    const names = added.tensors.map((t) => (t.producer && 'spec' in t.producer && t.producer.placeholder ? firstInput : flattener.tensorName(t)));
    const missing = names.findIndex((n) => n === undefined || (n !== firstInput && !spec.layers.some((l) => l.name === n)) || (n === firstInput && declaredInput === undefined && spec.layers.some((l) => l.name === n)));
    if (missing >= 0) {
      spec.addedLossProblem ??= `line ${added.location.range.start.line + 1}: the loss added with add_loss reads a tensor that is not part of ${spec.name}'s graph as nanguard rebuilt it`;
      continue;
    }
    losses.push({ expression: added.expr, tensors: names as string[], location: added.location });
  }
  if (losses.length > 0) spec.addedLosses = losses;
}

function dataOf(v: ModelObj['train'], text: string | undefined): DataSpec {
  return dataSpecOf(v, text ?? 'data');
}
