/**
 * The Python front-end: Keras training scripts in, the IR out.
 *
 * One parse with tree-sitter, one walk to copy the tree into plain objects, one abstract run
 * of the statements, one walk for numerically delicate operations. JSON configs the script
 * reads are fetched through the host before the run, so the run itself is synchronous.
 */
import { dataFormatOf, readDataFileStats } from '../../data/read';
import type { AnalysisHost } from '../../host';
import type { FileAnalysis, InputProblem } from '../../ir';
import { parsePythonSuppressions } from '../../suppressions';
import { Evaluator, type FileRead } from './evaluator';
import { attachSyntaxFacts } from './facts';
import { buildModelSpecs } from './models';
import { scanNumerics } from './numerics';
import { parseWith, pythonParser } from './parser';
import { convertTree, type PyNode, type PyTree } from './syntax';
import { unseenTraining } from './unseen';
import { LineIndex } from '../../text';

export { parsePythonOnly } from './parser';

/** Config files named in the code (`"config.json"`), fetched before the run. */
const JSON_PATH_LITERAL = /(["'])([^"'\n\r]{1,300}\.(?:json|jsonc|yaml|yml))\1/g;
const MAX_PREFETCH = 16;

async function fetchFiles(paths: Iterable<string>, from: string, host: AnalysisHost, files: Map<string, FileRead | null>): Promise<void> {
  const wanted = [...new Set(paths)].filter((p) => !files.has(p)).slice(0, MAX_PREFETCH);
  await Promise.all(
    wanted.map(async (p) => {
      try {
        files.set(p, (await host.readText(p, from)) ?? null);
      } catch {
        files.set(p, null);
      }
    }),
  );
}

/**
 * The shapes of data files as numpy and pandas see them: a `.npy` file's own shape; a CSV
 * file's data rows and columns (rows unknown when only part of a large file was read).
 */
async function fetchDataShapes(paths: Iterable<string>, from: string, host: AnalysisHost): Promise<Map<string, (number | null)[]>> {
  const shapes = new Map<string, (number | null)[]>();
  const wanted = [...new Set(paths)].filter((p) => dataFormatOf(p)).slice(0, MAX_PREFETCH);
  await Promise.all(
    wanted.map(async (p) => {
      const file = await readDataFileStats(host, p, from);
      if (!file || 'problem' in file) return;
      if (file.shape) shapes.set(p, file.shape);
      else if (file.format === 'csv' && file.columns.length > 0) shapes.set(p, [file.sampled ? null : file.rows, file.columns.length]);
    }),
  );
  return shapes;
}

function emptyAnalysis(path: string, problems: InputProblem[], text: string): FileAnalysis {
  let suppressions: FileAnalysis['suppressions'] = [];
  try {
    suppressions = parsePythonSuppressions(text);
  } catch {
    suppressions = [];
  }
  return { path, language: 'python', models: [], problems, suppressions };
}

export async function analyzePython(path: string, text: string, host: AnalysisHost): Promise<FileAnalysis> {
  try {
    return await analyze(path, text, host);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return emptyAnalysis(path, [{ severity: 'warning', message: `${path}: could not be analysed (${message})` }], text);
  }
}

async function analyze(path: string, text: string, host: AnalysisHost): Promise<FileAnalysis> {
  const parser = await pythonParser();
  const tree = parseWith(parser, text);
  if (!tree) {
    return emptyAnalysis(path, [{ severity: 'warning', message: `${path}: parsing took too long; the file was not analysed` }], text);
  }
  let syntax: PyTree;
  let hasError: boolean;
  try {
    syntax = convertTree(tree, text);
    hasError = tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
  const lines = new LineIndex(text);
  const files = new Map<string, FileRead | null>();
  const named: string[] = [];
  if (text.includes('.json') || text.includes('.yaml') || text.includes('.yml')) for (const m of text.matchAll(JSON_PATH_LITERAL)) named.push(m[2]);
  await fetchFiles(named, path, host, files);

  let evaluator = new Evaluator({ path, tree: syntax, lines, files });
  evaluator.run();
  if (evaluator.missingFiles.size > 0) {
    // Paths built in code (`os.path.join(...)`): fetch what the first run asked for, then run again.
    await fetchFiles(evaluator.missingFiles, path, host, files);
    evaluator = new Evaluator({ path, tree: syntax, lines, files });
    evaluator.run();
  }
  if (evaluator.wantedDataShapes.size > 0) {
    // The code takes a shape from a workspace data file (`Input(shape=(X.shape[1],))`): read the file's shape, then run again.
    const dataShapes = await fetchDataShapes(evaluator.wantedDataShapes, path, host);
    if (dataShapes.size > 0) {
      evaluator = new Evaluator({ path, tree: syntax, lines, files, dataShapes });
      evaluator.run();
    }
  }

  const location = (node: PyNode) => ({ path, range: { start: lines.positionAt(syntax.start(node)), end: lines.positionAt(syntax.end(node)) } });
  const { numerics, firstError } = scanNumerics({ tree: syntax, location, globals: evaluator.globals, lossFunctions: evaluator.lossFunctions, layerFunctions: evaluator.layerFunctions });

  const problems: InputProblem[] = [];
  if (hasError) {
    const where = firstError ? location(firstError) : undefined;
    const line = where ? ` at line ${where.range.start.line + 1}` : '';
    problems.push({ severity: 'info', message: `${path}: syntax error${line}; the rest of the file was analysed`, location: where });
  }

  const models = buildModelSpecs({ path, models: evaluator.models, numerics, dtypePolicy: evaluator.dtypePolicy });
  attachSyntaxFacts({ path, tree: syntax, lines, models });
  // While the file does not parse (half-typed), a lost model is the typing's doing: no note for it.
  if (!hasError) problems.push(...unseenTraining(syntax, location, models));
  return { path, language: 'python', models, problems, suppressions: parsePythonSuppressions(text) };
}
