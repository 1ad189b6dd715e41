/**
 * Fix builders shared by the rules: each turns a small intent ("scale X_train after its
 * definition", "add clipnorm=1.0 to this optimizer") into TextEdits against the file's text.
 * A builder returns undefined when it cannot make a safe edit; the rule then offers no fix.
 * Text is read only to place edits, never to decide whether a rule fires.
 */
import type { Fix, TextEdit } from '../../findings';
import type { DataSpec, Origin, Position, Range, SourceLocation } from '../../ir';
import { lineIndexOf } from '../../text';

// ---------------------------------------------------------------------------------------
// Positions

// Rules place many edits in the same text, one after another: the line index of the last text
// seen is kept, so each lookup costs a binary search instead of a scan of the whole file.

export function offsetAt(text: string, pos: Position): number {
  return lineIndexOf(text).offsetAt(pos);
}

export function positionAt(text: string, offset: number): Position {
  return lineIndexOf(text).positionAt(offset);
}

export function textAt(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/** The text of a line without its line terminator; '' past the text. */
function lineText(text: string, line: number): string {
  return lineIndexOf(text).lineText(line) ?? '';
}

/** Every line's text, without line terminators. */

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function insertAt(path: string, pos: Position, newText: string): TextEdit {
  return { path, range: { start: pos, end: pos }, newText };
}

// ---------------------------------------------------------------------------------------
// Imports

const IMPORT_LINE = /^(import\s+\S|from\s+\S+\s+import\s)/;

/**
 * An edit adding `importLine` after the file's last top-level import (or at the top, after a
 * shebang, encoding line and module docstring), or undefined if the file already has it.
 */
export function addImport(text: string, path: string, importLine: string): TextEdit | undefined {
  const scan = importScan(text);
  if (scan.present.has(importLine.trim())) return undefined;
  const nl = eol(text);
  if (scan.lastImportEnd >= 0) return insertAt(path, { line: scan.lastImportEnd, character: scan.lastImportEndLength }, nl + importLine);
  return insertAt(path, { line: scan.topLine, character: 0 }, importLine + nl);
}

/** What `addImport` needs of a text, found in one pass: a file's many fixes share it (one pass per fix made a file's fixes quadratic in its length). */
interface ImportScan {
  text: string;
  /** Every line, trimmed: an import already there is not added again. */
  present: Set<string>;
  /** The last line of the last top-level import statement (-1: none), and its length. */
  lastImportEnd: number;
  lastImportEndLength: number;
  /** Where an import goes in a file without one: after a shebang and an encoding line. */
  topLine: number;
}

let lastImportScan: ImportScan | undefined;

function importScan(text: string): ImportScan {
  if (lastImportScan?.text === text) return lastImportScan;
  const index = lineIndexOf(text);
  const present = new Set<string>();
  let lastImportEnd = -1;
  let parenDepth = 0;
  let inImport = false;
  for (let i = 0; i < index.lineCount; i++) {
    const line = index.lineText(i) ?? '';
    present.add(line.trim());
    if (!inImport && IMPORT_LINE.test(line)) inImport = true;
    if (inImport) {
      for (const ch of line) {
        if (ch === '(') parenDepth++;
        else if (ch === ')') parenDepth--;
      }
      if (parenDepth <= 0 && !line.trimEnd().endsWith('\\')) {
        inImport = false;
        parenDepth = 0;
        lastImportEnd = i;
      }
    }
  }
  let topLine = 0;
  for (;;) {
    const line = index.lineText(topLine);
    if (line === undefined || !(line.startsWith('#!') || /^#.*coding[:=]/.test(line))) break;
    topLine++;
  }
  lastImportScan = { text, present, lastImportEnd, lastImportEndLength: lastImportEnd >= 0 ? (index.lineText(lastImportEnd) ?? '').length : 0, topLine };
  return lastImportScan;
}

/** How the file names Keras, so that inserted code uses the same spelling (`keras.`, `tf.keras.`). */
export function kerasPrefix(text: string): { prefix: string; importLine?: string } {
  if (/^\s*(from\s+tensorflow\s+import\s+keras\b|import\s+keras\b(?!\.))/m.test(text)) return { prefix: 'keras.' };
  const tfAlias = /^\s*import\s+tensorflow\s+as\s+(\w+)/m.exec(text);
  if (tfAlias) return { prefix: `${tfAlias[1]}.keras.` };
  if (/^\s*import\s+tensorflow\s*$/m.test(text)) return { prefix: 'tensorflow.keras.' };
  if (/^\s*import\s+keras\./m.test(text)) return { prefix: 'keras.' };
  const usesTfKeras = /tensorflow\.keras/.test(text);
  return { prefix: 'keras.', importLine: usesTfKeras ? 'from tensorflow import keras' : 'import keras' };
}

function withPrefixImport(text: string, path: string, edits: TextEdit[]): { prefix: string; edits: TextEdit[] } {
  const { prefix, importLine } = kerasPrefix(text);
  const extra = importLine ? addImport(text, path, importLine) : undefined;
  return { prefix, edits: extra ? [extra, ...edits] : edits };
}

// ---------------------------------------------------------------------------------------
// Calls

/** Position just before the closing parenthesis of a call spanning `range`, and whether the call has arguments. */
function beforeClosingParen(text: string, range: Range): { pos: Position; hasArgs: boolean } | undefined {
  const start = offsetAt(text, range.start);
  const end = offsetAt(text, range.end);
  const call = text.slice(start, end);
  const close = call.lastIndexOf(')');
  const open = call.indexOf('(');
  if (close < 0 || open < 0 || close < open) return undefined;
  const inner = call.slice(open + 1, close);
  let insertOffset = start + close;
  // Keep a trailing comma or newline layout: insert right after the last argument.
  const trimmed = inner.replace(/[\s,]+$/, '');
  const hasArgs = trimmed.trim().length > 0;
  if (hasArgs) insertOffset = start + open + 1 + trimmed.length;
  return { pos: positionAt(text, insertOffset), hasArgs };
}

/** An edit adding `name=value` to a call, or undefined if the call is not a call or already has it. */
export function addKeywordArgument(text: string, path: string, callRange: Range, name: string, value: string): TextEdit | undefined {
  const call = textAt(text, callRange);
  if (new RegExp(`\\b${name}\\s*=`).test(call)) return undefined;
  const at = beforeClosingParen(text, callRange);
  if (!at) return undefined;
  return insertAt(path, at.pos, `${at.hasArgs ? ', ' : ''}${name}=${value}`);
}

// ---------------------------------------------------------------------------------------
// Fix builders

const PYTHON_NAME = /^[A-Za-z_]\w*$/;

export type ScalingKind = 'standard' | 'minmax' | 'pixels';

/**
 * Where code that rescales `main` (and `companion`, scaled with main's statistics) goes: after
 * the later of their definitions in this file, so that what it uses exists, at main's indent.
 */
interface ScalingPlace {
  arrays: DataSpec[];
  insert: (code: string[]) => TextEdit;
}

function scalingPlace(text: string, path: string, main: DataSpec, companion: DataSpec | undefined): ScalingPlace | undefined {
  if (!main.location || main.location.path !== path || !PYTHON_NAME.test(main.name)) return undefined;
  const arrays = [main];
  if (companion && companion.name !== main.name && companion.location?.path === path && PYTHON_NAME.test(companion.name)) arrays.push(companion);
  const anchorLine = Math.max(...arrays.map((a) => a.location?.range.end.line ?? 0));
  const anchorText = lineText(text, anchorLine);
  if (anchorText === '' && anchorLine >= lineIndexOf(text).lineCount) return undefined;
  const indent = /^\s*/.exec(lineText(text, main.location.range.start.line))?.[0] ?? '';
  const nl = eol(text);
  return { arrays, insert: (code) => insertAt(path, { line: anchorLine, character: anchorText.length }, code.map((c) => nl + indent + c).join('')) };
}

/**
 * Scale the training data right after its definition (and the validation data with the
 * statistics of the training data). Inserted after the later of the two definitions so
 * that the scaler exists before it is used.
 */
export function scaleDataFix(text: string, path: string, train: DataSpec, validation: DataSpec | undefined, kind: ScalingKind): Fix | undefined {
  const place = scalingPlace(text, path, train, validation);
  if (!place) return undefined;
  const { arrays } = place;
  const code: string[] = [];
  const edits: TextEdit[] = [];
  let title: string;
  if (kind === 'pixels') {
    for (const a of arrays) code.push(`${a.name} = ${a.name}.astype('float32') / 255.`);
    title = `Divide ${arrays.map((a) => a.name).join(' and ')} by 255`;
  } else {
    const cls = kind === 'standard' ? 'StandardScaler' : 'MinMaxScaler';
    const imp = addImport(text, path, `from sklearn.preprocessing import ${cls}`);
    if (imp) edits.push(imp);
    code.push(`scaler = ${cls}()`, `${train.name} = scaler.fit_transform(${train.name})`);
    for (const a of arrays.slice(1)) code.push(`${a.name} = scaler.transform(${a.name})`);
    title = `Scale ${train.name} with ${cls} (fit on ${train.name}${arrays.length > 1 ? `, transform ${arrays[1].name}` : ''})`;
  }
  edits.push(place.insert(code));
  return { title, edits, preferred: true };
}

/**
 * Scale a regression target with its own StandardScaler, right after its definition (and the
 * validation target with the same statistics). Targets of one or two dimensions only: the scaler
 * wants a 2-D array, and `reshape(len(y), -1)` keeps a 2-D one as it is.
 */
export function scaleTargetFix(text: string, path: string, target: DataSpec, validation: DataSpec | undefined): Fix | undefined {
  if (target.shape !== undefined && target.shape.length > 2) return undefined;
  const place = scalingPlace(text, path, target, validation);
  if (!place) return undefined;
  const edits: TextEdit[] = [];
  const imp = addImport(text, path, 'from sklearn.preprocessing import StandardScaler');
  if (imp) edits.push(imp);
  edits.push(
    place.insert([
      `target_scaler = StandardScaler()  # predictions in the original units: target_scaler.inverse_transform(...)`,
      `${target.name} = target_scaler.fit_transform(${target.name}.reshape(len(${target.name}), -1))`,
      ...place.arrays.slice(1).map((a) => `${a.name} = target_scaler.transform(${a.name}.reshape(len(${a.name}), -1))`),
    ]),
  );
  return { title: `Scale the target ${target.name} with StandardScaler${place.arrays.length > 1 ? ` (and ${place.arrays[1].name} with its statistics)` : ''}`, edits, preferred: true };
}

/**
 * Replace an activation value (`'sigmoid'` or `activation='sigmoid'` or `keras.activations.sigmoid`)
 * at `location` with `replacement`.
 */
export function replaceActivationFix(text: string, location: SourceLocation, replacement: string, preferred: boolean): Fix | undefined {
  const current = textAt(text, location.range);
  const start = offsetAt(text, location.range.start);
  let from: number;
  let to: number;
  let newText: string;
  const quoted = /(['"])([A-Za-z_]\w*)\1/.exec(current);
  if (quoted) {
    from = start + quoted.index + 1;
    to = from + quoted[2].length;
    newText = replacement;
  } else {
    const bare = /^(?:activation\s*=\s*)?([\w.]+)\s*$/.exec(current);
    if (!bare) return undefined;
    from = start + current.indexOf(bare[1]);
    to = from + bare[1].length;
    newText = `'${replacement}'`;
  }
  return {
    title: `Use '${replacement}' here`,
    edits: [{ path: location.path, range: { start: positionAt(text, from), end: positionAt(text, to) }, newText }],
    preferred,
  };
}

/** Replace the text at a location (an expression the analysis located exactly) with `replacement`. */
export function replaceRangeFix(text: string, location: SourceLocation, replacement: string, title: string, preferred = true): Fix | undefined {
  if (textAt(text, location.range).length === 0) return undefined;
  return { title, edits: [{ path: location.path, range: location.range, newText: replacement }], preferred };
}

/** Replace a numeric value written at an origin (a literal in code or a value in a JSON config). */
export function replaceNumberFix(text: string, origin: Origin, newValue: number, title: string): Fix | undefined {
  if (origin.kind !== 'literal' && origin.kind !== 'config') return undefined;
  const { range, path } = origin.location;
  const current = textAt(text, range);
  const number = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
  // The range may cover `"learning_rate": 0.5` or `learning_rate=0.5`: replace the number after the key.
  const afterKey = /[:=]\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(current);
  const m = afterKey ? { index: afterKey.index + afterKey[0].indexOf(afterKey[1]), text: afterKey[1] } : (() => {
    const plain = number.exec(current);
    return plain ? { index: plain.index, text: plain[0] } : undefined;
  })();
  if (!m) return undefined;
  const start = offsetAt(text, range.start) + m.index;
  return {
    title,
    edits: [{ path, range: { start: positionAt(text, start), end: positionAt(text, start + m.text.length) }, newText: String(newValue) }],
    preferred: true,
  };
}

const OPTIMIZER_CLASS: Record<string, string> = {
  adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', adadelta: 'Adadelta', adamax: 'Adamax', nadam: 'Nadam', adamw: 'AdamW', ftrl: 'Ftrl', lion: 'Lion',
};

/** Add `clipnorm=1.0` to an optimizer object, or turn `'adam'` into `keras.optimizers.Adam(clipnorm=1.0)`. */
export function addClipnormFix(text: string, optimizerLocation: SourceLocation, className: string): Fix | undefined {
  return addOptimizerArgumentFix(text, optimizerLocation, className, 'clipnorm', '1.0', 'Clip gradients: clipnorm=1.0');
}

/** Add `key=value` to an optimizer object, or turn `'adam'` into `keras.optimizers.Adam(key=value)`. */
/** Replace the optimizer expression (`'sgd'`, `SGD(...)`) with `replacement()` in the file's Keras spelling. */
export function replaceOptimizerFix(text: string, optimizerLocation: SourceLocation, replacement: string, title: string): Fix | undefined {
  const { path, range } = optimizerLocation;
  const current = textAt(text, range).trim();
  if (!/^(['"])\w+\1$/.test(current) && !current.endsWith(')')) return undefined;
  const { prefix, edits } = withPrefixImport(text, path, [{ path, range, newText: '' }]);
  edits[edits.length - 1].newText = `${prefix}optimizers.${replacement}()`;
  return { title, edits, preferred: true };
}

export function addOptimizerArgumentFix(text: string, optimizerLocation: SourceLocation, className: string, key: string, value: string, title: string): Fix | undefined {
  const { path, range } = optimizerLocation;
  const current = textAt(text, range).trim();
  const str = /^(['"])(\w+)\1$/.exec(current);
  if (str) {
    const cls = OPTIMIZER_CLASS[str[2].toLowerCase()] ?? className;
    const { prefix, edits } = withPrefixImport(text, path, [{ path, range, newText: '' }]);
    edits[edits.length - 1].newText = `${prefix}optimizers.${cls}(${key}=${value})`;
    return { title, edits, preferred: true };
  }
  if (!current.endsWith(')')) return undefined;
  const edit = addKeywordArgument(text, path, range, key, value);
  return edit ? { title, edits: [edit], preferred: true } : undefined;
}

/**
 * Add callbacks that stop a failing run to a `fit` call: `TerminateOnNaN()` and `EarlyStopping`
 * (restoring the best weights), appended to an existing list or as a new `callbacks=` argument.
 */
export function addStopCallbacksFix(text: string, fitLocation: SourceLocation, existing: readonly { location?: SourceLocation; className: string }[], monitor: string): Fix | undefined {
  const { path, range } = fitLocation;
  const call = textAt(text, range);
  const has = new Set(existing.map((c) => c.className));
  const { prefix } = kerasPrefix(text);
  const wanted: string[] = [];
  if (!has.has('EarlyStopping')) wanted.push(`${prefix}callbacks.EarlyStopping(monitor='${monitor}', patience=10, restore_best_weights=True)`);
  if (!has.has('TerminateOnNaN')) wanted.push(`${prefix}callbacks.TerminateOnNaN()`);
  if (wanted.length === 0) return undefined;
  const title = `Add ${wanted.map((w) => w.replace(/^.*callbacks\.(\w+)\(.*$/, '$1')).join(' and ')} to the callbacks`;
  let edits: TextEdit[];
  const last = existing[existing.length - 1]?.location;
  if (last && last.path === path) {
    edits = [insertAt(path, last.range.end, `, ${wanted.join(', ')}`)];
  } else if (existing.length === 0 && /\bcallbacks\s*=\s*\[\s*\]/.test(call)) {
    const m = /\bcallbacks\s*=\s*\[/.exec(call)!;
    edits = [insertAt(path, positionAt(text, offsetAt(text, range.start) + m.index + m[0].length), wanted.join(', '))];
  } else if (/\bcallbacks\s*=/.test(call)) {
    return undefined; // A variable or comprehension we cannot edit safely.
  } else {
    const edit = addKeywordArgument(text, path, range, 'callbacks', `[${wanted.join(', ')}]`);
    if (!edit) return undefined;
    edits = [edit];
  }
  const { importLine } = kerasPrefix(text);
  const imp = importLine ? addImport(text, path, importLine) : undefined;
  return { title, edits: imp ? [imp, ...edits] : edits, preferred: true };
}

// ---------------------------------------------------------------------------------------
// Fix builders for data, numerics and validation rules

/** The last line of the statement starting at `line` (follows open parentheses and brackets). */
function statementEndLine(text: string, line: number): number {
  const index = lineIndexOf(text);
  let depth = 0;
  for (let i = line; i < index.lineCount; i++) {
    const current = index.lineText(i) ?? '';
    for (const ch of current.replace(/#.*$/, '')) {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
    }
    if (depth <= 0 && !current.trimEnd().endsWith('\\')) return i;
  }
  return line;
}

/**
 * Insert `code` as a new statement after the statement that starts on `line`, with that
 * statement's indentation (`df = df.dropna()` after `df = pd.read_csv(...)`).
 */
export function insertStatementAfterFix(text: string, path: string, line: number, code: string, title: string, preferred: boolean, importLine?: string): Fix | undefined {
  const index = lineIndexOf(text);
  if (line < 0 || line >= index.lineCount) return undefined;
  const end = statementEndLine(text, line);
  const indent = /^\s*/.exec(index.lineText(line) ?? '')?.[0] ?? '';
  const endText = lineText(text, end);
  const edits: TextEdit[] = [];
  if (importLine) {
    const imp = addImport(text, path, importLine);
    if (imp) edits.push(imp);
  }
  edits.push(insertAt(path, { line: end, character: endText.length }, eol(text) + indent + code));
  return { title, edits, preferred };
}

/** Replace the first `old` inside `range` with `replacement` (e.g. a divisor with `(divisor + 1e-8)`); undefined if absent. */
export function replaceWithinFix(text: string, location: SourceLocation, old: string, replacement: string, title: string, preferred: boolean, fromEnd = false): Fix | undefined {
  const start = offsetAt(text, location.range.start);
  const segment = textAt(text, location.range);
  const at = fromEnd ? segment.lastIndexOf(old) : segment.indexOf(old);
  if (at < 0 || old.length === 0) return undefined;
  const from = start + at;
  return {
    title,
    edits: [{ path: location.path, range: { start: positionAt(text, from), end: positionAt(text, from + old.length) }, newText: replacement }],
    preferred,
  };
}

/** `np.log(x)` -> `np.log1p(x)` in the call at `location`. */
export function log1pFix(text: string, location: SourceLocation): Fix | undefined {
  const call = textAt(text, location.range);
  const m = /\blog\s*\(/.exec(call);
  if (!m) return undefined;
  const from = offsetAt(text, location.range.start) + m.index;
  return {
    title: 'Use log1p (log(1 + x)), which is 0 at x = 0',
    edits: [{ path: location.path, range: { start: positionAt(text, from), end: positionAt(text, from + 3) }, newText: 'log1p' }],
    preferred: true,
  };
}

/** Add `+ epsilon` to the first argument of the call at `location` (`K.log(p)` -> `K.log(p + 1e-7)`). */
export function epsilonInCallFix(text: string, location: SourceLocation, argument: string, epsilon: string, title: string): Fix | undefined {
  const call = textAt(text, location.range);
  const open = call.indexOf('(');
  if (open < 0 || argument.trim() === '') return undefined;
  const at = call.indexOf(argument, open);
  if (at < 0) return undefined;
  const end = offsetAt(text, location.range.start) + at + argument.length;
  return { title, edits: [insertAt(location.path, positionAt(text, end), ` + ${epsilon}`)], preferred: true };
}

/** How the file can spell a clip of a tensor to [lo, hi]: `tf.clip_by_value`, `ops.clip` or `K.clip`. */
export function clipExpression(text: string, inner: string, lo: number, hi: number): string | undefined {
  const tf = /^\s*import\s+tensorflow\s+as\s+(\w+)/m.exec(text)?.[1];
  if (tf) return `${tf}.clip_by_value(${inner}, ${lo.toFixed(1)}, ${hi.toFixed(1)})`;
  if (/^\s*from\s+keras\s+import\s+(?:.*\b)?ops\b/m.test(text)) return `ops.clip(${inner}, ${lo.toFixed(1)}, ${hi.toFixed(1)})`;
  const k = /^\s*from\s+(?:tensorflow\.)?keras\s+import\s+(?:.*\b)?backend\s+as\s+(\w+)/m.exec(text)?.[1] ?? (/^\s*import\s+keras\.backend\s+as\s+(\w+)/m.exec(text)?.[1]);
  if (k) return `${k}.clip(${inner}, ${lo.toFixed(1)}, ${hi.toFixed(1)})`;
  if (/^\s*import\s+keras\b/m.test(text)) return `keras.ops.clip(${inner}, ${lo.toFixed(1)}, ${hi.toFixed(1)})`;
  return undefined;
}
