/**
 * What every fuzz property shares: the seed corpus (examples and fixtures, read once), an
 * in-memory analysis host over it, the run budget and seed, one call that analyses an input
 * and checks everything a user of the result relies on (no exception, a time bound, valid
 * ranges), and a record of the slowest inputs.
 *
 * Budget: `NANGUARD_FUZZ_RUNS` is the total number of cases over all properties (default
 * 10,000, the CI run); each property takes its share. `NANGUARD_FUZZ_SEED` fixes the seed
 * (default: a fixed seed, so CI is reproducible; `npm run fuzz` passes a fresh one).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { after, before } from 'node:test';
import fc from 'fast-check';
import { generateScript } from '../../bench/corpus';
import type { Finding, TextEdit } from '../../src/core/findings';
import type { AnalysisHost } from '../../src/core/host';
import type { FileAnalysis, Range } from '../../src/core/ir';
import { analyzeFile, checkFile, DEFAULT_SETTINGS } from '../../src/core/index';

export const ROOT = join(__dirname, '..', '..');

/** One input must be analysed within this (generous: the machine running CI is shared). */
export const TIME_BOUND_MS = Number(process.env.NANGUARD_FUZZ_TIME_BOUND_MS ?? 2000);

export const TOTAL_RUNS = Math.max(1, Number(process.env.NANGUARD_FUZZ_RUNS ?? 10_000));
export const SEED = Number(process.env.NANGUARD_FUZZ_SEED ?? 20_261_127);

/** This property's share of the total budget (shares over all properties add up to 1). */
export function runsFor(share: number): number {
  return Math.max(1, Math.round(TOTAL_RUNS * share));
}

export interface CorpusEntry {
  /** Repository-relative, forward slashes. */
  path: string;
  text: string;
  bytes: Uint8Array;
}

const SOURCE_EXTENSIONS = /\.(py|json|ipynb)$/;
const DATA_EXTENSIONS = /\.(csv|npy|tsv|txt)$/;
// Not a model or a config: a 136 kB schema would only slow the run down.
const SKIPPED = new Set(['test/fixtures/schemas/sarif-schema-2.1.0.json']);

function walk(dir: string, out: string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function repoPath(full: string): string {
  return relative(ROOT, full).split(sep).join('/');
}

function loadCorpus(): { sources: CorpusEntry[]; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const sources: CorpusEntry[] = [];
  for (const dir of ['examples', 'test/fixtures', 'test/corpus']) {
    for (const full of walk(join(ROOT, dir), [])) {
      const path = repoPath(full);
      if (SKIPPED.has(path) || !(SOURCE_EXTENSIONS.test(path) || DATA_EXTENSIONS.test(path))) continue;
      const bytes = new Uint8Array(readFileSync(full));
      files.set(path, bytes);
      if (SOURCE_EXTENSIONS.test(path)) sources.push({ path, text: new TextDecoder().decode(bytes), bytes });
    }
  }
  // Realistic generated scripts (several models each, helper code around them) widen the corpus.
  for (const seed of [1, 2, 3, 4]) {
    const path = `test/corpus/generated_${seed}.py`;
    const text = generateScript(seed, 80);
    const bytes = new TextEncoder().encode(text);
    files.set(path, bytes);
    sources.push({ path, text, bytes });
  }
  return { sources, files };
}

const corpus = loadCorpus();
export const CORPUS: readonly CorpusEntry[] = corpus.sources;
export const PYTHON_CORPUS = CORPUS.filter((e) => e.path.endsWith('.py'));
export const JSON_CORPUS = CORPUS.filter((e) => e.path.endsWith('.json'));
export const NOTEBOOK_CORPUS = CORPUS.filter((e) => e.path.endsWith('.ipynb'));

/**
 * The corpus as a workspace in memory: a script's `json.load(open("config.json"))` or
 * `pd.read_csv("sensors.csv")` finds the fixture beside it, as the CLI's host would. Input
 * files under test can be overlaid (a mutated config next to its script).
 */
export function memoryHost(overlay: ReadonlyMap<string, string> = new Map()): AnalysisHost {
  const resolvePath = (rel: string, from: string): string => posix.normalize(rel.startsWith('/') ? rel.slice(1) : posix.join(posix.dirname(from), rel));
  const bytesOf = (path: string): Uint8Array | undefined => {
    const text = overlay.get(path);
    return text !== undefined ? new TextEncoder().encode(text) : corpus.files.get(path);
  };
  return {
    readText: async (rel, from) => {
      const path = resolvePath(rel, from);
      const text = overlay.get(path);
      if (text !== undefined) return { path, text };
      const bytes = corpus.files.get(path);
      return bytes ? { path, text: new TextDecoder().decode(bytes) } : undefined;
    },
    readBytes: async (rel, from, range) => {
      const path = resolvePath(rel, from);
      const bytes = bytesOf(path);
      if (!bytes) return undefined;
      const start = Math.min(Math.max(0, range.offset), bytes.length);
      return { path, bytes: bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, range.length))), size: bytes.length };
    },
  };
}

/** A host that records the text of every file read, so findings there can be checked too. */
function recordingHost(inner: AnalysisHost, texts: Map<string, string>): AnalysisHost {
  return {
    readText: async (rel, from) => {
      const got = await inner.readText(rel, from);
      if (got) texts.set(got.path, got.text);
      return got;
    },
    readBytes: inner.readBytes?.bind(inner),
  };
}

// ---------------------------------------------------------------- known bugs

/**
 * Known bug, left to the Python front-end: its line map counts `\n` only, so in a file with
 * lone `\r` line ends (old Mac style; Python and VS Code both end a line there) positions of
 * syntax errors, findings and config JSON values it read are on the wrong line. The
 * properties skip such inputs while this is true; `known-bugs.test.ts` keeps the case as a todo.
 */
export const KNOWN_BUG_LONE_CR_IN_PYTHON_POSITIONS = false;

export function hasLoneCr(text: string): boolean {
  return /\r(?!\n)/.test(text);
}

/**
 * Known bug, left to the rules' owner: NAN501 and NAN403 end their range at
 * `text.split('\n')[line].length`, which counts the `\r` of a CRLF line, one character past the
 * line's end. Such a range is tolerated (and counted) here; `known-bugs.test.ts` keeps the case.
 */
export const KNOWN_BUG_CRLF_LINE_END_RULES: readonly string[] = [];

/**
 * Fixed: a config value read through `json.load` was copied into the IR whole (`lookupConfig`);
 * it is now bounded at `MAX_IR_VALUE_DEPTH` like the JSON front-ends' copies, and a config too
 * deep to parse is not read. Kept as a switch so that the known-bug cases stay real checks.
 */
export const KNOWN_BUG_DEEP_CONFIG_VALUE_IN_IR = false;

/** Inputs that would only rediscover a known bug (see above). */
export function hitsKnownBug(path: string, text: string, overlay?: ReadonlyMap<string, string>): boolean {
  if (!KNOWN_BUG_LONE_CR_IN_PYTHON_POSITIONS || !path.toLowerCase().endsWith('.py')) return false;
  return hasLoneCr(text) || [...(overlay?.values() ?? [])].some(hasLoneCr);
}

// ---------------------------------------------------------------- ranges

/** Line lengths as an editor sees the text: `\r\n`, `\n` and a lone `\r` end lines. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

interface NotebookCells {
  /** Cell index -> line lengths of the cell's source, for cells whose source is text. */
  cells: Map<number, number[]>;
}

function notebookCells(text: string): NotebookCells | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const nb = doc as { cells?: unknown; worksheets?: { cells?: unknown }[] };
  let list: unknown = nb?.cells;
  if (!Array.isArray(list) && Array.isArray(nb?.worksheets)) list = nb.worksheets[0]?.cells;
  if (!Array.isArray(list)) return undefined;
  const cells = new Map<number, number[]>();
  list.forEach((cell: unknown, index: number) => {
    const c = cell as { source?: unknown; input?: unknown } | null;
    const raw = c?.source ?? c?.input;
    const source = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw.filter((s) => typeof s === 'string').join('') : '';
    cells.set(index, lineLengths(source));
  });
  return { cells };
}

/** Why the range is not inside a text with these line lengths, or undefined when it is. */
export function rangeProblem(range: Range | undefined, lines: readonly number[]): string | undefined {
  if (!range || !range.start || !range.end) return 'no range';
  const { start, end } = range;
  for (const [name, p] of [['start', start], ['end', end]] as const) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `${name} is not whole numbers: ${JSON.stringify(p)}`;
    if (p.line < 0 || p.character < 0) return `${name} is negative: ${JSON.stringify(p)}`;
    if (p.line >= lines.length) return `${name} line ${p.line} is past the last line (${lines.length} lines)`;
    if (p.character > lines[p.line]) return `${name} character ${p.character} is past the end of line ${p.line} (${lines[p.line]} characters)`;
  }
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return `start ${JSON.stringify(start)} is after end ${JSON.stringify(end)}`;
  return undefined;
}

export interface Documents {
  /** Path -> line lengths of the whole file. */
  files: Map<string, number[]>;
  notebooks: Map<string, NotebookCells | undefined>;
  /** Files with CRLF line ends (see KNOWN_BUG_CRLF_LINE_END_RULES), and how often that bug was met. */
  crlf?: Set<string>;
  knownBugHits?: number;
}

function linesFor(docs: Documents, path: string, cell: number | undefined, isNotebook: boolean): number[] | string | undefined {
  if (isNotebook) {
    if (cell === undefined) return `a place in notebook ${path} without a cell`;
    const nb = docs.notebooks.get(path);
    const lines = nb?.cells.get(cell);
    return lines ?? `cell ${cell} does not exist in ${path}`;
  }
  return docs.files.get(path);
}

function placeProblem(docs: Documents, what: string, path: string, range: Range, cell: number | undefined, rule?: string): string | undefined {
  const isNotebook = docs.notebooks.has(path);
  const lines = linesFor(docs, path, cell, isNotebook);
  if (typeof lines === 'string') return `${what}: ${lines}`;
  // A file the analysis named but never read through the host: nothing to check it against.
  if (!lines) return undefined;
  let problem = rangeProblem(range, lines);
  if (problem && rule && KNOWN_BUG_CRLF_LINE_END_RULES.includes(rule) && docs.crlf?.has(path) && range.end.character === (lines[range.end.line] ?? -2) + 1) {
    const trimmed = { start: range.start, end: { line: range.end.line, character: range.end.character - 1 } };
    if (rangeProblem(trimmed, lines) === undefined) {
      docs.knownBugHits = (docs.knownBugHits ?? 0) + 1;
      problem = undefined;
    }
  }
  return problem ? `${what} in ${path}${cell !== undefined ? ` cell ${cell}` : ''}: ${problem}` : undefined;
}

function editsOverlap(edits: readonly TextEdit[]): boolean {
  const key = (e: TextEdit) => `${e.path}#${e.cell ?? ''}`;
  const sorted = [...edits].sort((a, b) => key(a).localeCompare(key(b)) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (key(a) !== key(b)) continue;
    const aEnd = a.range.end;
    const bStart = b.range.start;
    if (aEnd.line > bStart.line || (aEnd.line === bStart.line && aEnd.character > bStart.character)) return true;
  }
  return false;
}

/** Every place a user would be sent to: the finding, its related places, its fix edits. */
export function findingProblems(findings: readonly Finding[], docs: Documents): string[] {
  const problems: string[] = [];
  for (const f of findings) {
    const id = `${f.rule} "${f.message?.slice(0, 60)}"`;
    const p = placeProblem(docs, `${id} range`, f.path, f.range, f.cell, f.rule);
    if (p) problems.push(p);
    for (const r of f.related ?? []) {
      const q = placeProblem(docs, `${id} related "${r.message?.slice(0, 40)}"`, r.location.path, r.location.range, r.location.cell, f.rule);
      if (q) problems.push(q);
    }
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) {
        const q = placeProblem(docs, `${id} fix "${fix.title}" edit`, e.path, e.range, e.cell, f.rule);
        if (q) problems.push(q);
        if (typeof e.newText !== 'string') problems.push(`${id} fix "${fix.title}": edit without text`);
      }
      if (editsOverlap(fix.edits)) problems.push(`${id} fix "${fix.title}": edits overlap`);
    }
    if (typeof f.message !== 'string' || f.message.length === 0) problems.push(`${f.rule}: empty message`);
  }
  return problems;
}

function analysisProblems(analysis: FileAnalysis, docs: Documents): string[] {
  const problems: string[] = [];
  for (const p of analysis.problems) {
    if (typeof p.message !== 'string' || p.message.length === 0) problems.push('an input problem without a message');
    // Input problems of a notebook stay in joined-text coordinates until the editor maps them; only plain files are checked.
    if (p.location && !docs.notebooks.has(p.location.path)) {
      const q = placeProblem(docs, `problem "${p.message.slice(0, 60)}"`, p.location.path, p.location.range, p.location.cell);
      if (q) problems.push(q);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- timing record

export interface Timing {
  label: string;
  ms: number;
  bytes: number;
  /** Findings and models of the input: the fuzz is only worth its time when inputs reach the rules. */
  findings: number;
  models: number;
}

const SLOWEST_KEPT = 5;

export class FuzzRecord {
  cases = 0;
  withModels = 0;
  withFindings = 0;
  findings = 0;
  /** Places that were wrong only by a known, reported bug. */
  knownBugHits = 0;
  readonly slowest: Timing[] = [];
  constructor(readonly name: string) {}

  add(t: Timing): void {
    this.cases++;
    if (t.models > 0) this.withModels++;
    if (t.findings > 0) this.withFindings++;
    this.findings += t.findings;
    if (this.slowest.length < SLOWEST_KEPT || t.ms > this.slowest[this.slowest.length - 1].ms) {
      this.slowest.push(t);
      this.slowest.sort((a, b) => b.ms - a.ms);
      this.slowest.length = Math.min(this.slowest.length, SLOWEST_KEPT);
    }
  }

  /** Written to `test-output/fuzz/<name>.json`; `scripts/fuzz.mjs` sums the files up. */
  save(): void {
    const dir = join(ROOT, 'test-output', 'fuzz');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${this.name}.json`), `${JSON.stringify({ name: this.name, seed: SEED, totalRuns: TOTAL_RUNS, cases: this.cases, withModels: this.withModels, withFindings: this.withFindings, findings: this.findings, knownBugHits: this.knownBugHits, slowest: this.slowest }, null, 2)}\n`);
  }

  summary(): string {
    const s = this.slowest[0];
    return `${this.name}: ${this.cases} inputs (${this.withModels} with a model, ${this.withFindings} with findings, ${this.findings} findings checked, ${this.knownBugHits} known-bug places), seed ${SEED}; slowest ${s ? `${s.ms.toFixed(0)} ms (${s.label}, ${s.bytes} bytes)` : '-'}`;
  }
}

/** Keeps the first line of an input for a failure message (the whole input is in fast-check's counterexample). */
function describeInput(label: string, text: string): string {
  return `${label} (${text.length} chars)`;
}

/**
 * Analyses one input as the CLI and the extension do (`checkFile`, which runs `analyzeFile`
 * own) and throws with every violated property. `overlay` replaces corpus files the host
 * serves (a mutated config next to the script reading it).
 */
export async function checkInput(record: FuzzRecord, label: string, path: string, text: string, overlay?: ReadonlyMap<string, string>): Promise<void> {
  const texts = new Map<string, string>([[path, text]]);
  const host = recordingHost(memoryHost(overlay), texts);
  const started = performance.now();
  let findings: Finding[];
  let analysis: FileAnalysis;
  try {
    ({ findings, analysis } = await checkFile(path, text, host, DEFAULT_SETTINGS));
  } catch (error) {
    throw new Error(`checkFile threw on ${describeInput(label, text)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  const ms = performance.now() - started;
  record.add({ label, ms, bytes: text.length, findings: findings.length, models: analysis.models.length });
  if (ms > TIME_BOUND_MS) throw new Error(`checkFile took ${ms.toFixed(0)} ms on ${describeInput(label, text)}, over the ${TIME_BOUND_MS} ms bound`);

  const docs: Documents = { files: new Map(), notebooks: new Map() };
  docs.crlf = new Set();
  for (const [p, t] of texts) {
    docs.files.set(p, lineLengths(t));
    if (t.includes('\r\n')) docs.crlf.add(p);
  }
  if (path.toLowerCase().endsWith('.ipynb')) docs.notebooks.set(path, notebookCells(text));
  const problems = [...findingProblems(findings, docs), ...analysisProblems(analysis, docs)];
  record.knownBugHits += docs.knownBugHits ?? 0;
  if (problems.length > 0) throw new Error(`invalid places on ${describeInput(label, text)}:\n  ${problems.slice(0, 8).join('\n  ')}`);

  // The analysis (analyzeFile's result) crosses to the reproduction worker and the webview as JSON.
  try {
    JSON.stringify(analysis);
  } catch (error) {
    const deepConfig = [...(overlay?.values() ?? [])].some((t) => /\[{500}/.test(t));
    if (KNOWN_BUG_DEEP_CONFIG_VALUE_IN_IR && error instanceof RangeError && deepConfig) {
      record.knownBugHits++;
      return;
    }
    throw new Error(`the analysis of ${describeInput(label, text)} is not serialisable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The first analysis loads the Python grammar (WebAssembly); it is not an input's time. */
export async function warmUp(): Promise<void> {
  await analyzeFile('warm.py', 'import numpy as np\n', memoryHost());
  await checkFile('warm.json', '{"learning_rate": 0.1}', memoryHost(), DEFAULT_SETTINGS);
}

/**
 * A fuzz test file's records, one per kind of input, created on first use: the parser is warmed
 * up before the file's tests, and each record is saved and summarised after them.
 */
export function suiteRecords(): (name: string) => FuzzRecord {
  const records = new Map<string, FuzzRecord>();
  before(warmUp);
  after(() => {
    for (const r of records.values()) {
      r.save();
      console.log(r.summary());
    }
  });
  return (name) => records.get(name) ?? records.set(name, new FuzzRecord(name)).get(name)!;
}

/**
 * Runs a property with the shared seed and budget; on failure the message says how to replay
 * exactly this case (fast-check's own report, with seed and path, follows).
 */
export async function assertProperty<T>(name: string, property: fc.IAsyncProperty<T>, share: number, testFile: string): Promise<void> {
  const numRuns = runsFor(share);
  try {
    await fc.assert(property, { seed: SEED, numRuns, endOnFailure: false, interruptAfterTimeLimit: undefined });
  } catch (error) {
    const replay = `replay: NANGUARD_FUZZ_SEED=${SEED} NANGUARD_FUZZ_RUNS=${TOTAL_RUNS} node --import tsx --test ${testFile}`;
    const cause = error instanceof Error && error.cause instanceof Error ? `\ncause: ${error.cause.message}` : '';
    const message = (error instanceof Error ? error.message : String(error)) + cause;
    throw new Error(`fuzz property "${name}" failed (seed ${SEED}, ${numRuns} runs)\n${replay}\n${message}`);
  }
}
