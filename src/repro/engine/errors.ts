/**
 * Errors of a reproduction in Keras's terms. nanguard's own checks throw `ReproductionFailure`
 * with a sentence already; anything else comes from TensorFlow.js ("Expected units to be a
 * positive integer, but got undefined.", "Kernel 'X' not registered for backend 'wasm'") and is
 * turned into a sentence naming the Keras layer where it can be found. The raw text is kept as
 * `detail`, for the log, never for the user's eyes.
 */
import type { KerasLayerJson, KerasModelJson } from '../kerasJson';
import type { ReproPlan } from '../plan';
import { toTfjsTopology } from './topology';
import { tf } from './tf';

/** A failure nanguard itself describes: its message is already the sentence to show. */
export class ReproductionFailure extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'ReproductionFailure';
  }
}

export interface DescribedFailure {
  /** The sentence for the user. */
  message: string;
  /** The raw error text, for the log. */
  detail?: string;
}

function rawText(error: unknown): string {
  if (error instanceof Error) return `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`;
  return String(error);
}

function camel(text: string): string {
  return text.includes('_') ? text.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase()) : text;
}

/** tfjs-layers' `convertPythonicToTs`: keys (and string values) from snake_case to camelCase, names kept. */
function pythonicToTs(value: unknown, depth = 0): unknown {
  if (depth > 32) return value;
  if (typeof value === 'string') return camel(value);
  if (Array.isArray(value)) return value.map((v) => pythonicToTs(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k === 'name' ? k : camel(k)] = k === 'name' && typeof v === 'string' ? v : pythonicToTs(v, depth + 1);
    return out;
  }
  return value;
}

interface Culprit {
  name: string;
  className: string;
  error: unknown;
}

/** The first layer of the (converted) topology whose constructor fails on its own config, or undefined. */
function failingLayer(layers: Array<{ class_name?: unknown; config?: unknown }>): Culprit | undefined {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const layer of layers) {
    const className = String(layer.class_name ?? '');
    const config = (layer.config ?? {}) as Record<string, unknown>;
    const name = typeof config.name === 'string' ? config.name : className;
    const entry = map[className];
    if (!entry) return { name, className, error: new Error(`Unknown layer: ${className}`) };
    try {
      const [cls, fromConfig] = entry;
      fromConfig(cls, pythonicToTs(config) as tf.serialization.ConfigDict);
    } catch (error) {
      return { name, className, error };
    }
  }
  return undefined;
}

/** `layer dense_2 (Dense, line 14 of train.py)`. */
function layerLabel(plan: ReproPlan | undefined, name: string, className: string): string {
  const keras = className === 'NanguardLambda' ? 'Lambda' : className;
  const line = plan?.layerLines?.[name];
  return `layer ${name} (${keras}${line ? `, line ${line} of ${plan!.source}` : ''})`;
}

/** The kind of TensorFlow.js error, as a clause of a sentence; undefined for errors it does not recognise. */
function explainRaw(text: string): string | undefined {
  let m = /Expected (\w+) to be a positive integer, but got (.*?)\.?$/m.exec(text);
  if (m) return `${snake(m[1])} must be a positive whole number, and it is ${m[2] === 'undefined' ? 'missing' : m[2]}`;
  m = /Unknown (initializer|regularizer|activation|constraint|layer|loss|metric): (\S+?)\.?(\s|$)/i.exec(text);
  if (m) return `the ${m[1].toLowerCase()} ${m[2]} is not one that TensorFlow.js has (code of the program's own cannot be reproduced)`;
  m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(text);
  if (m) return `the ${m[2]} backend cannot compute ${m[1]}; another backend (--backend cpu) can`;
  m = /expected (\S+) to have shape \[(.*?)\] but got array with shape \[(.*?)\]/i.exec(text);
  if (m) return `the data has shape [${m[3]}] where the model expects [${m[2]}]`;
  m = /Input (\d+) is incompatible with layer (\S+?):? expected (.*?), found (.*?)(\.|$)/m.exec(text);
  if (m) return `it receives inputs of ${m[4]} where it expects ${m[3]}`;
  if (/\bAborted\(/.test(text)) return 'the WebAssembly backend aborted (it ran out of its memory or a kernel failed); --backend cpu may train it';
  if (/rank|shape|dimension|broadcast|incompatible/i.test(text)) return 'the shapes of its inputs and weights do not fit together as nanguard built them';
  if (/dtype|float16|int32/i.test(text)) return 'a tensor has a type (dtype) TensorFlow.js cannot train with';
  if (/memory|allocation/i.test(text)) return 'the worker ran out of memory';
  return undefined;
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Building the model failed: which layer, and why, in Keras's terms. `cause` is what
 * `modelFromJSON` threw.
 */
export function describeBuildFailure(cause: unknown, plan: ReproPlan): ReproductionFailure {
  const raw = rawText(cause);
  // Too many or too few tensors wired into a layer is a graph nanguard read wrongly, not the program's mistake: named as such.
  const wiring = /Layer (\S+) expects (\d+) inputs?, but it received (\d+) input tensors?/.exec(raw);
  if (wiring) {
    const layer = (plan.kerasJson.config.layers ?? []).find((l) => (l.name ?? l.config?.name) === wiring[1]);
    const where = layer ? layerLabel(plan, wiring[1], layer.class_name) : `layer ${wiring[1]}`;
    return new ReproductionFailure(`${where} could not be built in TensorFlow.js: nanguard's reading of the graph gives it ${wiring[3]} inputs where it takes ${wiring[2]}, a mistake of nanguard's and not of the program`, raw);
  }
  let culprit: Culprit | undefined;
  try {
    const topology = toTfjsTopology(plan.kerasJson as KerasModelJson, plan.seed, plan.outputs ? plan.outputs.map((o) => o.loss) : plan.compile.loss);
    culprit = failingLayer(topology.json.config.layers as KerasLayerJson[]);
  } catch {
    culprit = undefined;
  }
  const why = explainRaw(culprit ? rawText(culprit.error) : raw) ?? 'TensorFlow.js could not build it from the config nanguard read';
  const where = culprit ? layerLabel(plan, culprit.name, culprit.className) : 'the model';
  // Inputs of the wrong rank come from the input shape nanguard worked out: said, so that the user sees what was read.
  const rank = /ndim=\d+/.test(why) ? ` (nanguard read the model's input shape as ${JSON.stringify([null, ...plan.inputShape]).replace(/null/g, 'None')}, batch first)` : '';
  return new ReproductionFailure(`${where} could not be built in TensorFlow.js: ${why}${rank}`, raw);
}

/** Any failure of the run as a sentence for the user and the raw text for the log. */
export function describeFailure(error: unknown, phase?: string): DescribedFailure {
  if (error instanceof ReproductionFailure) return { message: error.message, detail: error.detail };
  const raw = rawText(error);
  const layer = /layer[: ]+['"]?([\w/.-]+)['"]?/i.exec(raw)?.[1];
  const why = explainRaw(raw) ?? 'TensorFlow.js stopped with an error nanguard does not know how to explain (the details are in the log)';
  const where = phase ? ` while ${phase}` : '';
  return { message: `the run failed${where}${layer ? ` in layer ${layer}` : ''}: ${why}`, detail: raw };
}
