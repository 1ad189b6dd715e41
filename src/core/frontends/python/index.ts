/**
 * The Python front-end: Keras training scripts in, the IR out.
 *
 * One parse with tree-sitter, one walk to copy the tree into plain objects, one abstract run
 * of the statements, one walk for numerically delicate operations. JSON configs the script
 * reads are fetched through the host before the run, so the run itself is synchronous.
 */
import { dataFormatOf, npzMemberOfKey, readDataFileStats } from '../../data/read';
import type { AnalysisHost } from '../../host';
import type { AnalysisOptions, FileAnalysis, InputProblem } from '../../ir';
import { parsePythonSuppressions } from '../../suppressions';
import { Evaluator, type FileRead, type WorkspaceModule } from './evaluator';
import { attachSyntaxFacts } from './facts';
import { buildModelSpecs } from './models';
import { scanNumerics } from './numerics';
import { expandIPythonMagics } from './ipythonMagics';
import { parseWith, pythonParser } from './parser';
import { convertTree, type PyNode, type PyTree } from './syntax';
import { unseenTraining } from './unseen';
import { LineIndex, looksBinary } from '../../text';

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
async function fetchDataShapes(paths: Iterable<string>, from: string, host: AnalysisHost): Promise<{ shapes: Map<string, (number | null)[]>; columns: Map<string, string[]> }> {
  const shapes = new Map<string, (number | null)[]>();
  const columns = new Map<string, string[]>();
  const wanted = [...new Set(paths)].filter((p) => dataFormatOf(p) || npzMemberOfKey(p)).slice(0, MAX_PREFETCH);
  await Promise.all(
    wanted.map(async (p) => {
      // An .npz archive's array (`data.npz::x_train`): read as the .npy file it is.
      const member = npzMemberOfKey(p);
      const file = member ? await readDataFileStats(host, member.path, from, { member: member.member }) : await readDataFileStats(host, p, from);
      if (!file || 'problem' in file) return;
      if (file.shape) shapes.set(p, file.shape);
      else if (file.format === 'csv' && file.columns.length > 0) shapes.set(p, [file.sampled ? null : file.rows, file.columns.length]);
      // A header's names, for the columns `df.pop("label")` or `df.drop(columns=...)` leave.
      const names = file.columns.map((c) => c.name);
      if (file.format === 'csv' && names.every((n): n is string => n !== undefined)) columns.set(p, names);
    }),
  );
  return { shapes, columns };
}

/** At most this many of the program's own modules are read for one file. */
const MAX_MODULES = 8;
/** Modules that are libraries, never a file of the workspace worth asking the host for. */
const LIBRARY_MODULES = new Set(['numpy', 'pandas', 'tensorflow', 'keras', 'tf_keras', 'sklearn', 'scipy', 'matplotlib', 'seaborn', 'torch', 'os', 'sys', 'json', 'math', 'random', 'time', 'datetime', 're', 'glob', 'pathlib', 'argparse', 'collections', 'itertools', 'functools', 'typing', 'logging', 'pickle', 'csv', 'shutil', 'warnings', 'tqdm', 'yaml', 'h5py', 'PIL', 'cv2', 'tensorflow_datasets', 'IPython', '__future__']);

/** The modules a tree imports by name (`from models import build`, `import utils.data as d`), as written. */
function importedModules(tree: PyTree): string[] {
  const names = new Set<string>();
  const FROM = tree.typeIdOf('import_from_statement');
  const IMPORT = tree.typeIdOf('import_statement');
  for (let node = tree.root; node < tree.nodeCount; node++) {
    const type = tree.typeId(node);
    if (type === FROM) {
      const module = tree.child(node, 'module_name');
      if (module !== undefined) names.add(tree.src(module).replace(/\s+/g, ''));
    } else if (type === IMPORT) {
      for (const item of tree.childrenOf(node, 'name')) {
        const name = tree.type(item) === 'aliased_import' ? tree.child(item, 'name') : item;
        if (name !== undefined) names.add(tree.src(name).replace(/\s+/g, ''));
      }
    }
  }
  return [...names].filter((n) => !LIBRARY_MODULES.has(n.replace(/^\.+/, '').split('.')[0]) && n.replace(/^\.+/, '') !== '');
}

/**
 * The program's own modules the script imports, read through the host and parsed: a model built
 * in `models.py` is the script's model. Beside the script (`from models import ...`, `from .models
 * import ...`) or below it (`from nets.dense import ...`); not their own imports.
 */
async function fetchModules(tree: PyTree, from: string, host: AnalysisHost, parser: Awaited<ReturnType<typeof pythonParser>>): Promise<Map<string, WorkspaceModule>> {
  const modules = new Map<string, WorkspaceModule>();
  const wanted = importedModules(tree).slice(0, MAX_MODULES);
  await Promise.all(
    wanted.map(async (name) => {
      const relative = name.replace(/^\.+/, '').split('.').join('/');
      for (const candidate of [`${relative}.py`, `${relative}/__init__.py`]) {
        let read: { path: string; text: string } | undefined;
        try {
          read = await host.readText(candidate, from);
        } catch {
          read = undefined;
        }
        if (!read || looksBinary(read.text)) continue;
        const parsed = parseWith(parser, read.text);
        if (!parsed) return;
        try {
          modules.set(name.replace(/^\.+/, ''), { path: read.path, tree: convertTree(parsed, read.text), lines: new LineIndex(read.text) });
        } finally {
          parsed.delete();
        }
        return;
      }
    }),
  );
  return modules;
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

export async function analyzePython(path: string, text: string, host: AnalysisHost, options: AnalysisOptions = {}): Promise<FileAnalysis> {
  try {
    return await analyze(path, text, host, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return emptyAnalysis(path, [{ severity: 'warning', message: `${path}: could not be analysed (${message})` }], text);
  }
}

async function analyze(path: string, written: string, host: AnalysisHost, options: AnalysisOptions): Promise<FileAnalysis> {
  const parser = await pythonParser();
  // An exported notebook's `%%time` cell is code in a string: analysed as the code it holds, on its line.
  const { text, rewrittenLines } = expandIPythonMagics(parser, written);
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

  const modules = await fetchModules(syntax, path, host, parser);
  const assumeUnseenSize = options.assumeUnseenSize;
  let evaluator = new Evaluator({ path, tree: syntax, lines, files, modules, assumeUnseenSize });
  evaluator.run();
  if (evaluator.missingFiles.size > 0) {
    // Paths built in code (`os.path.join(...)`): fetch what the first run asked for, then run again.
    await fetchFiles(evaluator.missingFiles, path, host, files);
    evaluator = new Evaluator({ path, tree: syntax, lines, files, modules, assumeUnseenSize });
    evaluator.run();
  }
  if (evaluator.wantedDataShapes.size > 0) {
    // The code takes a shape from a workspace data file (`Input(shape=(X.shape[1],))`): read the file's shape, then run again.
    const { shapes: dataShapes, columns: dataColumns } = await fetchDataShapes(evaluator.wantedDataShapes, path, host);
    if (dataShapes.size > 0) {
      evaluator = new Evaluator({ path, tree: syntax, lines, files, dataShapes, dataColumns, modules, assumeUnseenSize });
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
  const analysis: FileAnalysis = { path, language: 'python', models, problems, suppressions: parsePythonSuppressions(text) };
  if (evaluator.moduleCalls.length > 0) analysis.moduleCalls = evaluator.moduleCalls;
  if (evaluator.assumedSizes.length > 0) analysis.assumedSizes = evaluator.assumedSizes;
  if (rewrittenLines.length > 0) {
    const writtenLines = written.split('\n');
    analysis.rewrittenLines = rewrittenLines.map((line) => ({ path, range: { start: { line, character: 0 }, end: { line, character: writtenLines[line].length } } }));
  }
  return analysis;
}
