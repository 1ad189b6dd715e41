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

/** At most this many of the program's own modules are read for one file, over all levels of imports. */
const MAX_MODULES = 16;
/** Imports are followed this many modules deep (the script's own imports are the first level). */
const MAX_MODULE_DEPTH = 3;
/** Modules that are libraries, never a file of the workspace worth asking the host for. */
const LIBRARY_MODULES = new Set(['numpy', 'pandas', 'tensorflow', 'keras', 'tf_keras', 'sklearn', 'scipy', 'matplotlib', 'seaborn', 'torch', 'os', 'sys', 'json', 'math', 'random', 'time', 'datetime', 're', 'glob', 'pathlib', 'argparse', 'collections', 'itertools', 'functools', 'typing', 'logging', 'pickle', 'csv', 'shutil', 'warnings', 'tqdm', 'yaml', 'h5py', 'PIL', 'cv2', 'tensorflow_datasets', 'IPython', '__future__']);

/** The modules a tree imports by name (`from models import build`, `import utils.data as d`, `from .layers import X`), as written. */
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
 * Where Python looks for a module imported as written, as paths to ask the host for, each with the
 * file it is relative to: a relative import (`.layers`, `..utils`) beside the importing module
 * (its package); an absolute one beside the script (the script's folder heads `sys.path`), then,
 * for a module's own imports, beside that module (Python 2's implicit relative imports, which old
 * repositories still rely on).
 */
function moduleCandidates(written: string, importer: string, script: string): Array<{ path: string; from: string }> {
  const dots = /^\.*/.exec(written)![0].length;
  const relative = written.slice(dots).split('.').join('/');
  const files = [`${relative}.py`, `${relative}/__init__.py`];
  if (dots > 0) return files.map((f) => ({ path: `${'../'.repeat(dots - 1)}${f}`, from: importer }));
  const places = importer === script ? [script] : [script, importer];
  return places.flatMap((from) => files.map((path) => ({ path, from })));
}

/**
 * The program's own modules the script imports, read through the host and parsed: a model built
 * in `models.py` is the script's model. Beside the script (`from models import ...`, `from .models
 * import ...`) or below it (`from nets.dense import ...`), and theirs in turn (a package's
 * `__init__.py` that imports `.model`), a few levels deep; each module read once, however many
 * import it.
 */
async function fetchModules(tree: PyTree, script: string, host: AnalysisHost, parser: Awaited<ReturnType<typeof pythonParser>>): Promise<Map<string, WorkspaceModule>> {
  const byPath = new Map<string, WorkspaceModule | null>();
  let read = 0;
  const importsOf = async (of: PyTree, importer: string, depth: number): Promise<Map<string, WorkspaceModule>> => {
    const found = new Map<string, WorkspaceModule>();
    if (depth > MAX_MODULE_DEPTH) return found;
    for (const name of importedModules(of)) {
      if (read >= MAX_MODULES) break;
      for (const candidate of moduleCandidates(name, importer, script)) {
        let file: { path: string; text: string } | undefined;
        try {
          file = await host.readText(candidate.path, candidate.from);
        } catch {
          file = undefined;
        }
        if (!file || looksBinary(file.text) || file.path === script) continue;
        const known = byPath.get(file.path);
        if (known !== undefined) {
          if (known) found.set(name.replace(/^\.+/, ''), known);
          break;
        }
        byPath.set(file.path, null);
        read++;
        const parsed = parseWith(parser, file.text);
        if (!parsed) break;
        let module: WorkspaceModule;
        try {
          module = { path: file.path, tree: convertTree(parsed, file.text), lines: new LineIndex(file.text) };
        } finally {
          parsed.delete();
        }
        byPath.set(file.path, module);
        found.set(name.replace(/^\.+/, ''), module);
        module.imports = await importsOf(module.tree, file.path, depth + 1);
        break;
      }
    }
    return found;
  };
  return importsOf(tree, script, 1);
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
