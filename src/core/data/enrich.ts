/**
 * Post-analysis enrichment: for every array that reaches a model and comes from a workspace
 * data file (`pd.read_csv("sensors.csv")`, `np.load("x.npy")`, directly or through a
 * selection such as `df[["pressure", "temp"]]`), read the file's statistics through the host
 * and attach them to the DataSpec: `sourceStats` (the file's columns the code uses),
 * `dataFile` (how they were read), and `stats` after the transforms when those are understood.
 *
 * The front-end records a selection's parent by variable name only, so the way back to the
 * file is followed through the assignments in the analysed text.
 */
import type { AnalysisHost } from '../host';
import type { DataSpec, FeatureStats, FileAnalysis, ModelSpec } from '../ir';
import type { ColumnSummary } from './columns';
import { dataFormatOf, npzMemberKey, readDataFileStats, type DataFileStats } from './read';
import { isSelection, keptNonFinite, selectsRows, statsAfterTransforms } from './transforms';

/** A file source found for an array: the path as written and the columns the code keeps. */
export interface FileOrigin {
  path: string;
  loader: string;
  /** Columns kept by name (`df[["a", "b"]]`, `usecols=`); undefined: all. */
  keep?: string[];
  /** Columns dropped by name (`df.drop(columns=[...])`). */
  drop: string[];
  /** Where the kept columns lie in the file, when the code named them itself (a header-less file read with `names=`). */
  positions?: number[];
  /** 0-based line of the statement that loads the file, and the variable it assigns, when found. */
  line?: number;
  variable?: string;
}

const LOADER = /\b(?:pd|pandas|np|numpy)\.(read_csv|read_table|read_json|load|loadtxt|genfromtxt)\(\s*r?(["'])([^"'\n]+)\2([^\n]*)/;
const NAME_LIST = /(["'])([^"'\n]+)\1/g;

function names(listText: string): string[] {
  return [...listText.matchAll(NAME_LIST)].map((m) => m[2]);
}

/** Applies what one expression selects (`df[["a"]]`, `df["a"]`, `df.drop(columns=[...])`) to `origin`. */
function applySelection(expr: string, origin: { keep?: string[]; drop: string[] }): void {
  const list = /^\s*\w+\s*\[\s*\[([^\]]*)\]\s*\]/.exec(expr);
  if (list) {
    const wanted = names(list[1]);
    origin.keep = origin.keep ? origin.keep.filter((k) => wanted.includes(k)) : wanted;
    return;
  }
  const single = /^\s*\w+\s*\[\s*(["'])([^"'\n]+)\1\s*\]/.exec(expr);
  if (single) {
    origin.keep = [single[2]];
    return;
  }
  const drop = /\.drop\(\s*(?:columns\s*=\s*)?(\[[^\]]*\]|(["'])[^"'\n]+\2)/.exec(expr);
  if (drop) origin.drop.push(...names(drop[1]));
}

const ASSIGNMENT = /^\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.+)$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** The analysed text's lines and, per assigned name, the lines that assign it (ascending). */
interface AssignmentIndex {
  text: string;
  lines: string[];
  byName: Map<string, number[]>;
}

// Every array of every model is followed back through the same text: index it once, not per array.
let lastIndex: AssignmentIndex | undefined;

function assignmentIndex(text: string): AssignmentIndex {
  if (lastIndex && lastIndex.text === text) return lastIndex;
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const byName = new Map<string, number[]>();
  for (let i = 0; i < lines.length; i++) {
    const m = ASSIGNMENT.exec(lines[i]);
    if (!m) continue;
    const at = byName.get(m[1]);
    if (at) at.push(i);
    else byName.set(m[1], [i]);
  }
  lastIndex = { text, lines, byName };
  return lastIndex;
}

/** The right-hand side of the last assignment to `name` at or before `beforeLine` (0-based), if any. */
function assignmentOf(index: AssignmentIndex, name: string, beforeLine: number): { rhs: string; line: number } | undefined {
  const { lines } = index;
  const last = Math.min(beforeLine, lines.length - 1);
  if (!IDENTIFIER.test(name)) {
    // Not a plain identifier: the index cannot hold it; match line by line as written.
    const re = new RegExp(`^\\s*${name}\\s*=(?!=)\\s*(.+)$`);
    for (let i = last; i >= 0; i--) {
      const m = re.exec(lines[i]);
      if (m) return { rhs: m[1], line: i };
    }
    return undefined;
  }
  const at = index.byName.get(name);
  if (!at || last < 0) return undefined;
  let lo = 0;
  let hi = at.length - 1;
  if (at[0] > last) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at[mid] <= last) lo = mid;
    else hi = mid - 1;
  }
  return { rhs: ASSIGNMENT.exec(lines[at[lo]])![2], line: at[lo] };
}

let lastLoads: { text: string; loads: boolean } | undefined;

/** Whether a loader call appears anywhere in the text: where none does, no array can lead back to a file (most scripts). */
function loadsAFile(text: string): boolean {
  if (lastLoads?.text !== text) lastLoads = { text, loads: LOADER.test(text) };
  return lastLoads.loads;
}

/** Follows an array back to the data file it was loaded from, through selections and renames. */
export function fileOriginOf(spec: DataSpec, text: string): FileOrigin | undefined {
  const source = spec.source;
  const selection: { keep?: string[]; drop: string[] } = { drop: [] };
  if (source.kind === 'file') {
    if (!source.path || source.path === '<unknown>') return undefined;
    const line = source.location.range.start.line;
    const variable = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(assignmentIndex(text).lines[line] ?? '')?.[1];
    return { path: source.path, loader: source.loader, keep: source.columns, drop: [], line, variable };
  }
  if (source.kind !== 'derived' || !loadsAFile(text)) return undefined;
  const index = assignmentIndex(text);
  applySelection(source.note, selection);
  let name = source.of;
  let line = source.location.range.start.line;
  for (let depth = 0; depth < 8; depth++) {
    const found = assignmentOf(index, name, line - 1 >= 0 && depth > 0 ? line - 1 : line);
    if (!found) return undefined;
    const loader = LOADER.exec(found.rhs);
    if (loader) {
      const usecols = /usecols\s*=\s*(\[[^\]]*\])/.exec(loader[4]);
      if (usecols && !selection.keep) selection.keep = names(usecols[1]);
      return { path: loader[3], loader: /^read_/.test(loader[1]) ? `pd.${loader[1]}` : `np.${loader[1]}`, keep: selection.keep, drop: selection.drop, line: found.line, variable: name };
    }
    applySelection(found.rhs, selection);
    const next = /^\s*([A-Za-z_]\w*)\s*(?:[.[]|$)/.exec(found.rhs);
    if (!next) return undefined;
    name = next[1];
    line = found.line;
  }
  return undefined;
}

function selectColumns(file: DataFileStats, origin: FileOrigin): { columns: ColumnSummary[]; selected?: string[]; missing: string[] } {
  let columns = file.columns;
  const missing: string[] = [];
  if (origin.keep && origin.keep.length > 0) {
    const byName = new Map(columns.map((c) => [c.name, c]));
    const kept: ColumnSummary[] = [];
    for (const k of origin.keep) {
      const c = byName.get(k);
      if (c) kept.push(c);
      else missing.push(k);
    }
    if (kept.length > 0) columns = kept;
    else if (origin.positions && origin.positions.length === origin.keep.length && origin.positions.every((i) => columns[i] !== undefined && !columns[i].name)) {
      // The file names none of them: the code's names stand for these positions.
      columns = origin.positions.map((i, k) => ({ ...columns[i], name: origin.keep![k] }));
      missing.length = 0;
    }
  }
  if (origin.drop.length > 0) columns = columns.filter((c) => !c.name || !origin.drop.includes(c.name));
  // Text columns (timestamps, ids as strings) cannot reach the network as numbers.
  columns = columns.filter((c) => c.numeric);
  return { columns, selected: origin.keep, missing };
}

function toFeatureStats(c: ColumnSummary): FeatureStats {
  const s: FeatureStats = { count: c.count, min: c.min, max: c.max, mean: c.mean, std: c.std, nanCount: c.nanCount, infCount: c.infCount };
  if (c.name !== undefined) s.name = c.name;
  if (c.medianAbs !== undefined) s.medianAbs = c.medianAbs;
  if (c.emptyCount > 0) s.emptyCount = c.emptyCount;
  if (c.constant) s.constant = true;
  if (c.heavyTail) s.heavyTail = true;
  if (c.nonFiniteRows) s.nonFiniteRows = c.nonFiniteRows;
  return s;
}

/** Transforms that keep every value's place among the file's values (casts, reshapes, NaN fills) or scale all by one number. */
const BOUND_PRESERVING = new Set(['astype', 'reshape', 'dropna', 'fillna', 'impute', 'nan_to_num', 'multiply', 'divide', 'rows', 'windows', 'columns']);

/**
 * The data file the front-end followed the values to (row slices, sliding windows, selections
 * by name), when the code's text does not lead back to it (`np.array(windows)` of a list built
 * in a loop). Only through transforms that keep the file's ranges as bounds.
 */
function followedOrigin(spec: DataSpec): FileOrigin | undefined {
  const from = spec.valuesFrom;
  if (!from || from.path === '<unknown>') return undefined;
  const transforms = byStatisticLast(spec) ? spec.transforms.slice(0, -1) : spec.transforms;
  if (transforms.some((t) => !BOUND_PRESERVING.has(t.kind) || ((t.kind === 'multiply' || t.kind === 'divide') && typeof t.by !== 'number'))) return undefined;
  return { path: from.path, loader: 'file', keep: from.columns, drop: [], ...(from.positions ? { positions: from.positions } : {}) };
}

/**
 * The last transform divides by a per-column statistic (a model's own call standardising its
 * input): the file's columns are still the ones the statistic is of, but their ranges no longer bound the values.
 */
function byStatisticLast(spec: DataSpec): boolean {
  const last = spec.transforms[spec.transforms.length - 1];
  return last?.kind === 'divide' && (last.by === 'std' || last.by === 'range' || last.by === 'max');
}

/** Per-column statistics fit an array whose last axis holds those columns (or whose last axis is not known). */
function fitsShape(stats: readonly FeatureStats[], spec: DataSpec): boolean {
  if (!spec.shape || spec.shape.length === 0) return false;
  if (spec.shape.length === 1) return stats.length === 1;
  const last = spec.shape[spec.shape.length - 1];
  return last === null || last === stats.length;
}

/**
 * The array's own shape says it does not hold these columns side by side: one column taken out
 * (`y = X[:, 0]`), or a selection the text trail did not follow. Unknown is then better than wrong.
 * A reshape regroups the values, so the last axis says nothing about the columns after one.
 */
function contradictsShape(columns: number, spec: DataSpec): boolean {
  // Columns picked by position on the way (`x[:, 0]`): as many reach the network.
  const picks = spec.transforms.filter((t) => t.kind === 'columns');
  if (picks.length > 0) columns = picks[picks.length - 1].indices.length;
  if (!spec.shape || spec.shape.length === 0 || spec.transforms.some((t) => t.kind === 'reshape')) return false;
  const last = spec.shape.length === 1 ? 1 : spec.shape[spec.shape.length - 1];
  return last !== null && last !== columns;
}

/** Every DataSpec of a model that may reach the network. */
export function modelDataSpecs(model: ModelSpec): DataSpec[] {
  const out: DataSpec[] = [];
  if (model.data.train) out.push(model.data.train);
  if (model.data.target && model.data.target !== model.data.train) out.push(model.data.target);
  out.push(...(model.data.scaledInCall ?? []));
  const v = model.fit?.validation;
  if (v && v.kind === 'data') {
    if (v.x) out.push(v.x);
    if (v.y && v.y !== v.x) out.push(v.y);
  }
  return out;
}

/**
 * Reads the data files behind the analysis's arrays (each file once) and fills their statistics.
 * `text` is the analysed text (a notebook's joined cells). Never throws; unreadable files are skipped.
 */
export async function enrichDataFiles(analysis: FileAnalysis, text: string, host: AnalysisHost): Promise<void> {
  const cache = new Map<string, Promise<DataFileStats | { problem: string } | undefined>>();
  const reported = new Set<string>();
  for (const model of analysis.models) {
    for (const spec of modelDataSpecs(model)) {
      try {
        if (spec.dataFile) continue;
        let textOrigin = fileOriginOf(spec, text);
        let origin = textOrigin ?? followedOrigin(spec);
        if (!origin || !dataFormatOf(origin.path)) continue;
        // An .npz archive's array: the one "column" the code names is the array (`data['x_train']`), read alone.
        let member: string | undefined;
        if (dataFormatOf(origin.path) === 'npz') {
          if (origin.keep?.length !== 1) continue;
          member = origin.keep[0];
          origin = { ...origin, keep: undefined };
          if (textOrigin) textOrigin = origin;
        }
        const key = member === undefined ? origin.path : npzMemberKey(origin.path, member);
        let pending = cache.get(key);
        if (!pending) {
          pending = readDataFileStats(host, origin.path, analysis.path, member === undefined ? {} : { member });
          cache.set(key, pending);
        }
        const file = await pending;
        if (!file) continue;
        if ('problem' in file) {
          if (!reported.has(file.problem)) {
            reported.add(file.problem);
            analysis.problems.push({ severity: 'info', message: file.problem, location: spec.source.kind === 'file' || spec.source.kind === 'derived' ? spec.source.location : undefined });
          }
          continue;
        }
        let { columns, selected, missing } = selectColumns(file, origin);
        if (textOrigin && contradictsShape(columns.length, spec)) {
          // The text trail lost a selection on the way; the values the front-end followed may still name the columns.
          const followed = followedOrigin(spec);
          if (!followed || followed.path !== origin.path) continue;
          textOrigin = undefined;
          origin = followed;
          ({ columns, selected, missing } = selectColumns(file, origin));
        }
        if (columns.length === 0 || contradictsShape(columns.length, spec)) continue;
        const problems = [...file.problems];
        if (missing.length > 0) problems.push(`column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} not found in ${file.path}`);
        const fileStats = columns.map(toFeatureStats);
        // Some rows kept (`data[0:6500]`, windows cut in a loop): the NaN cells that reach the network are those among them.
        const kept = textOrigin && !file.sampled ? keptNonFinite(fileStats, spec.transforms, file.rows) : undefined;
        const columnStats = kept?.stats ?? fileStats;
        // The rows listed served the selection; the analysis's output does not carry them.
        spec.sourceStats = (kept ? kept.picked.map((i) => kept.stats[i]) : fileStats).map(({ nonFiniteRows: _rows, ...rest }) => rest);
        spec.dataFile = { path: file.path, format: file.format, rows: file.rows, size: file.size, sampled: file.sampled, note: file.note, problems };
        if (kept) spec.dataFile.keptRows = { first: kept.first, end: kept.end };
        if (file.shape) spec.dataFile.shape = file.shape;
        if (file.dtype) spec.dataFile.dtype = file.dtype;
        if (selected) spec.dataFile.selected = selected;
        if (!spec.stats) {
          // Values followed to a file (`valuesFrom`) have made their selections already.
          const after = statsAfterTransforms(columnStats, textOrigin ? spec.transforms : spec.transforms.filter((t) => !isSelection(t)));
          if (after && (textOrigin || (fitsShape(after, spec) && !byStatisticLast(spec)))) {
            spec.stats = after;
            // Followed through the code, or some rows kept, the values are some of the file's rows: its ranges bound them.
            spec.statsKind = !textOrigin || selectsRows(spec.transforms) ? 'bounds' : file.sampled ? 'sampled' : 'exact';
          }
        }
      } catch {
        // A data file that cannot be understood leaves the spec as the front-end made it.
      }
    }
  }
}
