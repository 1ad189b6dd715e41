/** Python's builtin functions: numbers, strings and lists they give from known arguments. */
import type { Origin } from '../../../ir';
import { UNKNOWN, type Value } from '../values';
import { MAX_LOOP_ITERATIONS, type CallContext, type CallHandler, type Library, type LibraryCall } from './library';

type Num = Extract<Value, { k: 'num' }>;

function inferred({ node }: LibraryCall, ctx: CallContext): Origin {
  return { kind: 'inferred', note: ctx.src(node), location: ctx.loc(node) };
}

/** `float(x)`, `int(x)`: of a number or a numeric string. */
const numberOf: CallHandler = ({ path, args }) => {
  const arg0 = args.positional[0];
  if (arg0?.k === 'num') return { k: 'num', v: path === 'int' ? Math.trunc(arg0.v) : arg0.v, origin: arg0.origin };
  if (arg0?.k === 'str') {
    const v = Number(arg0.v);
    return Number.isNaN(v) && !/nan/i.test(arg0.v) ? UNKNOWN : { k: 'num', v: /^[+-]?inf/i.test(arg0.v) ? (arg0.v.startsWith('-') ? -Infinity : Infinity) : v, origin: arg0.origin };
  }
  return UNKNOWN;
};

const len: CallHandler = (call, ctx) => {
  const arg0 = call.args.positional[0];
  if (arg0?.k === 'seq') return arg0.partial ? UNKNOWN : { k: 'num', v: arg0.items.length, origin: inferred(call, ctx) };
  if (arg0?.k === 'dict' || arg0?.k === 'config') {
    const items = ctx.itemsOf(arg0, call.node);
    return items ? { k: 'num', v: items.length, origin: inferred(call, ctx) } : UNKNOWN;
  }
  if (arg0?.k === 'array') {
    const n = arg0.array.rows?.length ?? arg0.array.shape?.[0];
    if (typeof n === 'number') return { k: 'num', v: n, origin: inferred(call, ctx) };
    // `range(len(data) - w)` over a data file's rows: read the file's shape and run again.
    if (arg0.array.filePath) ctx.wantDataShape(arg0.array.filePath);
    return UNKNOWN;
  }
  return UNKNOWN;
};

/** `range(...)`: its numbers, cut (and marked partial) past what a loop follows. */
const range: CallHandler = ({ args, node }, ctx) => {
  const nums = args.positional.map((p) => (p.k === 'num' ? p.v : NaN));
  if (nums.some(Number.isNaN) || nums.length === 0) return UNKNOWN;
  const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  const location = ctx.loc(node);
  const items: Value[] = [];
  if (step !== 0) for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    items.push({ k: 'num', v: i, origin: { kind: 'inferred', note: ctx.src(node), location } });
    if (items.length > MAX_LOOP_ITERATIONS) break;
  }
  const cut = items.length > MAX_LOOP_ITERATIONS;
  return cut ? { k: 'seq', items, tuple: false, partial: true, range: { start, stop, step } } : { k: 'seq', items, tuple: false, range: { start, stop, step } };
};

/** A list, a dict or a loaded config as the list of what iterating it gives (`for layer in cfg["layers"]`). */
function asSeq(v: Value | undefined, node: LibraryCall['node'], ctx: CallContext): Extract<Value, { k: 'seq' }> | undefined {
  if (v?.k === 'seq') return v;
  const items = v?.k === 'dict' || v?.k === 'config' ? ctx.itemsOf(v, node) : undefined;
  return items ? { k: 'seq', items, tuple: false } : undefined;
}

const listOrTuple: CallHandler = ({ path, args, node }, ctx) => {
  const arg0 = args.positional[0];
  const seq = asSeq(arg0, node, ctx);
  if (!seq) return arg0 ?? { k: 'seq', items: [], tuple: path === 'tuple' };
  // A copy of a range keeps what it stands for: `list(range(200))` is 200 numbers even where only the first are listed.
  const range = seq.range ? { partial: seq.partial, range: seq.range } : {};
  return { k: 'seq', items: seq.items.slice(), tuple: path === 'tuple', ...range };
};

const zip: CallHandler = ({ args, node }, ctx) => {
  const seqs = args.positional.map((p) => asSeq(p, node, ctx)?.items);
  if (seqs.length === 0 || seqs.some((q) => q === undefined)) return UNKNOWN;
  const n = Math.min(...seqs.map((q) => q!.length));
  return { k: 'seq', tuple: false, items: Array.from({ length: n }, (_, i) => ({ k: 'seq', tuple: true, items: seqs.map((q) => q![i]) }) as Value) };
};

const enumerate: CallHandler = (call, ctx) => {
  const { args } = call;
  const arg0 = asSeq(args.positional[0], call.node, ctx);
  if (!arg0) return undefined;
  const start = args.positional[1] ?? args.keywords.get('start');
  const from = start?.k === 'num' ? start.v : 0;
  const origin = inferred(call, ctx);
  return { k: 'seq', tuple: false, items: arg0.items.map((item, i) => ({ k: 'seq', tuple: true, items: [{ k: 'num', v: from + i, origin }, item] }) as Value) };
};

const reversed: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'seq' ? { k: 'seq', tuple: false, items: arg0.items.slice().reverse() } : undefined;
};

const str: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  if (arg0?.k === 'num') return { k: 'str', v: String(arg0.v), origin: arg0.origin };
  if (arg0?.k === 'str') return arg0;
  return undefined;
};

const vars: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'object' ? { k: 'dict', entries: new Map(arg0.attrs) } : undefined;
};

/** `dict(units=64)`, `dict(defaults, lr=0.1)`, `dict(cfg["model"])`: a copy of a mapping, then the keywords. */
const dict: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0];
  if (!arg0) return { k: 'dict', entries: new Map(args.keywords) };
  const entries = ctx.entriesOf(arg0, node);
  return { k: 'dict', entries: new Map([...(entries ?? []), ...args.keywords]), ...(entries ? {} : { partial: true }) };
};

/** `max(a, b)`, `min(list)`: the number picked, when every one is known. */
const maxOrMin: CallHandler = ({ path, args }) => {
  const arg0 = args.positional[0];
  const nums = (args.positional.length === 1 && arg0?.k === 'seq' ? arg0.items : args.positional).filter((v): v is Num => v.k === 'num');
  if (nums.length === 0 || nums.length !== (args.positional.length === 1 && arg0?.k === 'seq' ? arg0.items.length : args.positional.length)) return UNKNOWN;
  const pick = nums.reduce((a, b) => ((path === 'max' ? b.v > a.v : b.v < a.v) ? b : a));
  return pick;
};

const abs: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'num' ? { k: 'num', v: Math.abs(arg0.v), origin: arg0.origin } : undefined;
};

const round: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'num' ? { k: 'num', v: Math.round(arg0.v), origin: arg0.origin } : undefined;
};

/** `isinstance(data, tuple)` of a Keras tensor (a train_step's batch): False, as a tensor is no tuple or list. */
const isinstance: CallHandler = (call, ctx) => {
  const [value, classes] = call.args.positional;
  const names = classes?.k === 'seq' ? classes.items : classes ? [classes] : [];
  if ((value?.k === 'tensor' || value?.k === 'texpr') && names.length > 0 && names.every((c) => c.k === 'ref' && (c.path === 'tuple' || c.path === 'list'))) {
    return { k: 'bool', v: false, origin: inferred(call, ctx) };
  }
  return undefined;
};

export const builtins: Library = {
  calls: { isinstance, float: numberOf, int: numberOf, len, range, list: listOrTuple, tuple: listOrTuple, zip, enumerate, reversed, str, vars, dict, max: maxOrMin, min: maxOrMin, abs, round },
};
