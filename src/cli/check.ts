/**
 * `nanguard check PATH...`: analyse files and folders, print findings as text, JSON or SARIF,
 * and exit 1 when a finding at or above the fail level exists (2 on a usage or internal error).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkFile, fileKind } from '../core/index';
import type { ObservedFit } from '../core/observed';
import { defaultPython, interpreterPath, KerasRunFailure, startKerasReproduction } from '../repro/keras/engine';
import { observedFacts } from '../repro/keras/observe';
import type { Finding, Severity } from '../core/findings';
import type { InputProblem } from '../core/ir';
import { buildReport, formatJson, formatSarif, formatText, hasFindingAtOrAbove, type AnalysedFile } from '../core/output/index';
import { ALL_RULES } from '../core/rules/index';
import { createAnalysisClient, DEFAULT_ANALYSIS_TIMEOUT_MS, wasStopped } from '../analysis-worker/client';
import { collectFiles } from './files';
import { createFileSystemHost, decodeText } from './fs-host';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';
import { HOMEPAGE, RULE_DOCS_BASE, TOOL_VERSION } from './meta';
import { folderContains } from '../core/paths';
import { commonAncestor, displayPath } from './paths';
import { settingsFromArgs } from './settings-args';

/** Files above this size are reported, not analysed (a 50,000-line script is about 2 MB). */
export const MAX_ANALYSED_FILE_BYTES = 20 * 1024 * 1024;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_LEVELS: readonly Severity[] = ['error', 'warning', 'info'];

export const CHECK_HELP = `Usage: nanguard check [options] PATH...

Checks Keras model code (.py, .ipynb) and the JSON beside it (model.to_json() topologies,
hyperparameter configs) for what makes training go NaN or stall. Folders are searched
recursively; node_modules, virtual environments and hidden folders are skipped.

Options:
  --format text|json|sarif   output form (default: text)
  --select RULES             only these rules: ids, id prefixes or names, comma-separated
  --ignore RULES             never these rules (same forms)
  --severity RULE=LEVEL      report RULE at LEVEL (error, warning, info, off); repeatable
  --fail-level LEVEL         exit 1 when a finding at or above LEVEL exists (default: error)
  --config FILE              settings JSON: {"select", "ignore", "severity", "thresholds"}
  --timeout SECONDS          stop a file's analysis after this long, report it and go on
                             (default: 30, as the editor's nanguard.analysisTimeoutSeconds)
  --observe                  RUN each Python file and notebook in your Python up to its first
                             fit (stopped before training), and check the arrays fit receives
                             with the rules as well: findings from them say "observed at fit"
  --python PATH              the interpreter for --observe (default: python3)
  --output FILE              write the report to FILE instead of standard output
  --no-color                 no colours (also when NO_COLOR is set or output is not a terminal)
  -h, --help                 this help

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage or internal error.
`;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
}

function useColor(io: CliIO, noColor: boolean, toFile: boolean): boolean {
  if (noColor || toFile) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

/** The core prefixes some problem messages with the path; the report already says it. */
function withoutPathPrefix(problem: InputProblem, path: string): InputProblem {
  const prefix = `${path}: `;
  return problem.message.startsWith(prefix) ? { ...problem, message: problem.message.slice(prefix.length) } : problem;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** How long observing one file may take: importing TensorFlow alone takes seconds. */
const OBSERVE_SECONDS = 120;

/**
 * Runs the file in the user's Python up to its first fit and returns what fit received; a
 * program that fails before it (or never fits) is said as a problem of the file, not an error.
 */
async function observeFile(file: string, python: string, problems: InputProblem[]): Promise<ObservedFit | undefined> {
  const run = startKerasReproduction({ file, mode: 'observe', seed: null, caps: { maxEpochs: 1, maxStepsPerEpoch: null, maxSeconds: OBSERVE_SECONDS }, datasetBatches: 8 }, { python });
  try {
    await run.done;
  } catch (err) {
    const message = err instanceof KerasRunFailure ? err.message : errorText(err);
    problems.push({ severity: err instanceof KerasRunFailure && err.code === 'no-fit' ? 'info' : 'warning', message: `not observed: ${message}` });
    return undefined;
  }
  const seen = await run.observed;
  return seen ? observedFacts(seen, file) : undefined;
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      select: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
      severity: { type: 'string', multiple: true },
      'fail-level': { type: 'string' },
      config: { type: 'string' },
      output: { type: 'string', short: 'o' },
      timeout: { type: 'string' },
      observe: { type: 'boolean' },
      python: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT_OK;
  }
  const format = oneOf<Format>(values.format, FORMATS, '--format', 'text');
  const failLevel = oneOf<Severity>(values['fail-level'], FAIL_LEVELS, '--fail-level', 'error');
  if (positionals.length === 0) throw new UsageError('no path given: nanguard check PATH...');
  const settings = settingsFromArgs(values, ALL_RULES, (p) => resolve(io.cwd, p));
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_ANALYSIS_TIMEOUT_MS / 1000 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout takes a number of seconds above 0, got '${values.timeout}'`);

  if (values.python !== undefined && !values.observe) throw new UsageError('--python is for --observe');
  const roots = positionals.map((p) => resolve(io.cwd, p));
  for (const [i, root] of roots.entries()) {
    if (!existsSync(root)) throw new UsageError(`no such file or folder: ${positionals[i]}`);
  }
  // The workspace: the current folder, or the folder holding every checked path when some lie outside it.
  const workspaceRoot = roots.every((r) => folderContains(io.cwd, r))
    ? io.cwd
    : commonAncestor(roots.map((r) => (statSync(r).isDirectory() ? r : dirname(r))));
  const host = createFileSystemHost({ cwd: io.cwd, workspaceRoot });
  const { files, explicit } = collectFiles(roots);
  // A worker thread that can be stopped at the deadline; the next file gets a fresh one.
  const client = io.analysisWorkerPath ? createAnalysisClient(io.analysisWorkerPath, host, { timeoutMs: timeoutSeconds * 1000 }) : undefined;
  const analyse = (path: string, text: string, observed: ObservedFit | undefined) =>
    client ? client.check(path, text, settings, host, observed ? { observed } : {}) : checkFile(path, text, host, settings, observed ? { observed } : {});

  const analysed: AnalysedFile[] = [];
  let internalError = false;
  try {
    for (const file of files) {
      const path = displayPath(io.cwd, file);
      const problems: InputProblem[] = [];
      let findings: Finding[] = [];
      try {
        const size = statSync(file).size;
        if (size > MAX_ANALYSED_FILE_BYTES) {
          problems.push({ severity: 'warning', message: `file is ${(size / 1048576).toFixed(1)} MB, over the ${MAX_ANALYSED_FILE_BYTES / 1048576} MB limit; not analysed` });
        } else if (explicit.has(file) && fileKind(file) === 'unsupported') {
          problems.push({ severity: 'info', message: 'not a Python, notebook or JSON file; not analysed' });
        } else {
          const text = decodeText(await readFile(file));
          const kind = fileKind(file);
          const observed = values.observe && (kind === 'python' || kind === 'notebook') ? await observeFile(file, interpreterPath(values.python ?? defaultPython(), io.cwd), problems) : undefined;
          const result = await analyse(path, text, observed);
          findings = result.findings;
          problems.push(...result.analysis.problems.map((p) => withoutPathPrefix(p, path)));
          if (wasStopped(result)) problems.push({ severity: 'info', message: 'the other files were analysed; give this one more time with --timeout SECONDS' });
        }
      } catch (err) {
        internalError = true;
        problems.push({ severity: 'error', message: `nanguard failed on this file: ${errorText(err)}` });
        io.stderr(`nanguard: internal error while checking ${path}: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
      }
      analysed.push({ path, findings, problems });
    }
  } finally {
    client?.dispose();
  }

  const report = buildReport(analysed);
  let output: string;
  if (format === 'json') output = formatJson(report);
  else if (format === 'sarif')
    output = formatSarif(report, {
      rules: ALL_RULES,
      toolVersion: TOOL_VERSION,
      informationUri: HOMEPAGE,
      helpUriBase: RULE_DOCS_BASE,
      srcRootUri: pathToFileURL(io.cwd).href.replace(/\/?$/, '/'),
    });
  else output = formatText(report, { color: useColor(io, values['no-color'] ?? false, values.output !== undefined), filesChecked: files.length });

  if (values.output) {
    try {
      writeFileSync(resolve(io.cwd, values.output), output);
    } catch (err) {
      throw new UsageError(`cannot write ${values.output}: ${errorText(err)}`);
    }
  } else io.stdout(output);

  if (internalError) return EXIT_USAGE;
  return hasFindingAtOrAbove(report, failLevel) ? EXIT_FINDINGS : EXIT_OK;
}
