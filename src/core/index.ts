/**
 * The analysis core's public face: text in, findings out. Pure TypeScript; no editor API.
 * The CLI and the extension both call `checkFile`, so they can never disagree.
 */
import type { Finding } from './findings';
import type { AnalysisHost } from './host';
import type { AnalysisOptions, FileAnalysis } from './ir';
import { lintAnalysis } from './lint';
import type { Settings } from './settings';
import { analyzePython } from './frontends/python/index';
import { analyzeJsonFile } from './frontends/json';
import { analyzeNotebook, mapFindingsToCells } from './frontends/notebook';
import { enrichDataFiles } from './data/enrich';
import { markObservedFindings, withObservedFit, type ObservedFit } from './observed';
import { looksBinary } from './text';

export type { Finding, Fix, Severity, TextEdit, RelatedInformation } from './findings';
export type * from './ir';
export type { AnalysisHost } from './host';
export { NO_FILES } from './host';
export { looksBinary } from './text';
export { CAUSES, type Cause } from './causes';
export { DEFAULT_SETTINGS, DEFAULT_THRESHOLDS, resolveSettings, type Settings, type Thresholds } from './settings';
export { ALL_RULES, findRule } from './rules/index';

export type FileKind = 'python' | 'notebook' | 'json' | 'unsupported';

export function fileKind(path: string): FileKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.py') || lower.endsWith('.pyw')) return 'python';
  if (lower.endsWith('.ipynb')) return 'notebook';
  if (lower.endsWith('.json')) return 'json';
  return 'unsupported';
}

/** The file's IR; `options` only for a reproduction on stand-in data (the findings use the defaults). */
export async function analyzeFile(path: string, text: string, host: AnalysisHost, options: AnalysisOptions = {}): Promise<FileAnalysis> {
  const kind = fileKind(path);
  if (looksBinary(text)) {
    return { path, language: 'unknown', models: [], problems: [{ severity: 'info', message: `${path}: binary content, not analysed` }], suppressions: [] };
  }
  switch (kind) {
    case 'python':
      return analyzePython(path, text, host, options);
    case 'notebook':
      return analyzeNotebook(path, text, host, options);
    case 'json':
      return analyzeJsonFile(path, text);
    default:
      return { path, language: 'unknown', models: [], problems: [], suppressions: [] };
  }
}

export interface CheckResult {
  analysis: FileAnalysis;
  findings: Finding[];
}

/**
 * A lone carriage return ends a line for VS Code and LSP, but not for the parsers: turn it into
 * a newline. One character for one, so every offset and position stays the same.
 */
export function normalizeLoneCarriageReturns(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export interface CheckOptions {
  /**
   * Facts observed by running the program up to its first fit (the Keras engine's observe mode):
   * that fit's data as training receives it. Findings they alone give say "observed at fit".
   */
  observed?: ObservedFit;
}

/** Analyse one file and run the rules. `texts` caches every file read on the way (for fixes). */
export async function checkFile(path: string, rawText: string, host: AnalysisHost, settings: Settings, options: CheckOptions = {}): Promise<CheckResult> {
  const text = normalizeLoneCarriageReturns(rawText);
  const texts = new Map<string, string>([[path, text]]);
  const recordingHost: AnalysisHost = {
    readText: async (rel, from) => {
      const got = await host.readText(rel, from);
      if (!got) return got;
      const normalized = { ...got, text: normalizeLoneCarriageReturns(got.text) };
      texts.set(normalized.path, normalized.text);
      return normalized;
    },
    // Data files' shapes (a .npy header, an .npz array's) are read in chunks, as the statistics are.
    ...(host.readBytes ? { readBytes: host.readBytes.bind(host) } : {}),
  };
  const analysis = await analyzeFile(path, text, recordingHost);
  // Workspace data files behind the arrays: their statistics let rules quote facts (empty cells, constant columns).
  await enrichDataFiles(analysis, analysis.notebook?.source ?? text, host);
  // A notebook is analysed as its joined code cells: rules read that text, then findings move to their cells.
  const notebook = analysis.notebook;
  const readText = (p: string): string | undefined => (notebook && p === path ? notebook.source : texts.get(p));
  const staticFindings = lintAnalysis(analysis, settings, readText);
  let findings = staticFindings;
  let analysed = analysis;
  if (options.observed) {
    analysed = withObservedFit(analysis, options.observed);
    findings = markObservedFindings(staticFindings, lintAnalysis(analysed, settings, readText));
  }
  return { analysis: analysed, findings: notebook ? mapFindingsToCells(findings, notebook) : findings };
}
