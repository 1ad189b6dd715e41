/**
 * The notebook front-end: code cells joined in order, analysed as one Python program by
 * the Python front-end.
 *
 * Where the cell mapping happens: the returned analysis (the IR) stays in the coordinates
 * of the joined text, which `FileAnalysis.notebook.source` holds, so rules, suppression
 * comments and fixes all see one consistent text. `checkFile` then moves findings to their
 * cells with `mapFindingsToCells` (`Finding.cell` plus a cell-relative range). Input
 * problems (syntax errors) are moved here already, since they never pass through the rules.
 */
import type { AnalysisHost } from '../host';
import type { AnalysisOptions, FileAnalysis } from '../ir';
import { analyzePython } from './python/index';
import { joinNotebook, mapProblemsToCells } from './notebookMap';

export { joinNotebook, mapFindingsToCells, mapProblemsToCells, toCellLine, toCellRange, toCellLocation, pythonLinesOfCell } from './notebookMap';
export type { NotebookMap, NotebookCellSpan } from './notebookMap';

type PythonAnalyzer = (path: string, text: string, host: AnalysisHost, options?: AnalysisOptions) => Promise<FileAnalysis>;

/** The notebook front-end over a given Python analyser (the real one by default). */
export async function analyzeNotebookWith(analyze: PythonAnalyzer, path: string, text: string, host: AnalysisHost, options: AnalysisOptions = {}): Promise<FileAnalysis> {
  const joined = joinNotebook(path, text);
  const base: FileAnalysis = { path, language: 'notebook', models: [], problems: joined.problems, suppressions: [], notebook: joined.map };
  if (!joined.ok || joined.map.cells.length === 0) return base;
  let analysis: FileAnalysis;
  try {
    analysis = await analyze(path, joined.map.source, host, options);
  } catch (err) {
    return { ...base, problems: [...base.problems, { severity: 'info', message: `nanguard could not analyse the notebook's code: ${String(err)}` }] };
  }
  return {
    ...analysis,
    path,
    language: 'notebook',
    problems: [...joined.problems, ...mapProblemsToCells(analysis.problems, joined.map)],
    notebook: joined.map,
  };
}

export function analyzeNotebook(path: string, text: string, host: AnalysisHost, options: AnalysisOptions = {}): Promise<FileAnalysis> {
  return analyzeNotebookWith(analyzePython, path, text, host, options);
}
