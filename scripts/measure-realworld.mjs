#!/usr/bin/env node
/**
 * Measures nanguard on the real-world corpora listed in test/realworld/manifest.json:
 *
 * - reports (NaN and stall reports re-created from public threads): the share whose findings
 *   include an expected cause, and the share where that finding is at error or warning severity;
 * - programs (public autoencoder programs that train): how many get any error, how many any
 *   warning, and in how many of the files that define a model a model is found;
 * - reproduction: how many files get a verdict from `nanguard reproduce --format json` (not
 *   refused), each run with a time limit: a program for 3 epochs, a report for its own epochs up
 *   to the cap of Keras's record of it (`--max-epochs`, run_keras.py's --max-epochs), so that its
 *   NaN-or-not outcome is compared over as many epochs (`--epochs-3-everywhere`: 3 for every file,
 *   as the figures before 7 December 2026 were measured).
 *
 * A model counts as found when the analysis lists a model with at least one known layer
 * (scripts/list-models.ts), a finding names a model, or reproduction does not refuse the file with
 * "no Keras model found".
 *
 * With `--engine keras` reproduction runs each file itself in a Python with Keras
 * (`reproduce FILE --engine keras --python P --format json --epochs 3 --max-seconds S`), with
 * KERAS_HOME on the stand-in dataset cache of scripts/keras-dataset-cache.py (built on demand in
 * .cache/keras-datasets), and records the verdict or the not-reproduced code and message, the time,
 * and why each failure happened: the data the program reads is not here (a file it expects, a
 * download), a module the Python lacks, the program raising as it does in plain Keras, the time
 * cap, or nanguard's bootstrap. The verdict share is given on the files whose data is present,
 * and subclassed models and custom training loops (read from the source) are listed apart.
 *
 * `--observe` also runs `check FILE --observe --python P` on the reports (the program run up to
 * its first fit, its arrays' statistics given to the rules) and gives the expected cause's recall
 * with and without it, per part.
 *
 * Usage: node scripts/measure-realworld.mjs [--part tune|heldout|fresh|fresh2|fresh3|fresh4|fresh5|fresh6|fresh7|fresh8|fresh9|fresh10|fresh11|fresh12|fresh13|all] [--no-reproduce]
 *                                           [--timeout SECONDS] [--epochs-3-everywhere] [--out FILE]
 *                                           [--engine tfjs|keras] [--python PATH] [--observe]
 *                                           [--max-seconds S] [--max-steps N] [--datasets DIR]
 *                                           [--only NAME,NAME] [--from FILE] [--dist DIR]
 * --python defaults to the Keras environment's (scripts/keras-env.sh); --max-seconds (default 90)
 * is each Keras run's cap, --max-steps (default none) cuts each epoch after N batches; --only
 * runs the entries named; --from FILE prints the tables again from an earlier run's JSON
 * (failures classified anew), running nothing. Every file runs a copy of dist/ (or --dist DIR, a
 * build kept aside) taken at the start, so that a rebuild meanwhile does not mix two builds.
 * Prints a Markdown table and writes JSON (default test-output/realworld.json). Builds dist/
 * first when it is missing. Program files whose source is not in the checkout are listed as
 * missing (see test/realworld/README.md).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = join(ROOT, 'test', 'realworld', 'manifest.json');

const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'tune' },
    'no-reproduce': { type: 'boolean', default: false },
    // Each file's process: the reproduction's own wall-time cap (120 s) and a minute for loading and reporting.
    timeout: { type: 'string', default: '180' },
    'epochs-3-everywhere': { type: 'boolean', default: false },
    out: { type: 'string', default: join('test-output', 'realworld.json') },
    engine: { type: 'string', default: 'tfjs' },
    python: { type: 'string' },
    observe: { type: 'boolean', default: false },
    'max-seconds': { type: 'string', default: '90' },
    'max-steps': { type: 'string' },
    datasets: { type: 'string', default: join('.cache', 'keras-datasets') },
    only: { type: 'string' },
    from: { type: 'string' },
    dist: { type: 'string', default: 'dist' },
  },
});
const PARTS = ['tune', 'heldout', 'fresh', 'fresh2', 'fresh3', 'fresh4', 'fresh5', 'fresh6', 'fresh7', 'fresh8', 'fresh9', 'fresh10', 'fresh11', 'fresh12', 'fresh13'];
if (![...PARTS, 'all'].includes(values.part)) {
  console.error(`--part must be ${PARTS.join(', ')} or all, got '${values.part}'`);
  process.exit(2);
}
if (!['tfjs', 'keras'].includes(values.engine)) {
  console.error(`--engine must be tfjs or keras, got '${values.engine}'`);
  process.exit(2);
}
const timeoutMs = Number(values.timeout) * 1000;
const maxSeconds = Number(values['max-seconds']);
// An earlier run's JSON, summarised again (--from): nothing runs.
const previous = values.from ? JSON.parse(readFileSync(resolve(values.from), 'utf8')) : null;
const kerasEngine = previous ? previous.rows.some((r) => r.keras) : values.engine === 'keras' && !values['no-reproduce'];
const observing = previous ? previous.rows.some((r) => r.observe) : values.observe;
const noReproduce = previous ? !previous.summary.reproduce : values['no-reproduce'];
const part = previous ? previous.summary.part : values.part;
const usesPython = !previous && (kerasEngine || observing);

const DIST = resolve(ROOT, values.dist);
if (!previous && values.dist === 'dist' && !existsSync(join(DIST, 'cli.js'))) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 2);
}

// dist/ may be rebuilt while the corpus runs (it takes an hour): every file runs the copy taken now.
const SNAPSHOT = join(ROOT, 'test-output', `measure-realworld-dist-${process.pid}`);
if (!previous) {
  cpSync(DIST, SNAPSHOT, { recursive: true, filter: (source) => !/\.(map|vsix)$/.test(source) });
  process.on('exit', () => rmSync(SNAPSHOT, { recursive: true, force: true }));
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const CLI = join(SNAPSHOT, 'cli.js');

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const only = values.only ? new Set(values.only.split(',')) : null;
const entries = manifest.entries.filter((entry) => (part === 'all' || entry.part === part) && (!only || only.has(entry.name)));

function run(args, options = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', timedOut: result.error?.code === 'ETIMEDOUT' };
}

/** The Python the Keras runs use, and the environment that points keras.datasets at the stand-in cache. */
function kerasSetup() {
  let python = values.python;
  if (!python) {
    const env = spawnSync('bash', [join(ROOT, 'scripts', 'keras-env.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (env.status !== 0) {
      console.error('no Keras environment (scripts/keras-env.sh failed); give one with --python PATH');
      process.exit(2);
    }
    python = env.stdout.trim().split('\n').pop();
  }
  python = resolve(ROOT, python);
  // The stand-in MNIST, Fashion-MNIST and CIFAR-10 (not the real data): written once, then reused.
  const cache = spawnSync(python, [join(ROOT, 'scripts', 'keras-dataset-cache.py'), resolve(ROOT, values.datasets)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (cache.status !== 0) {
    console.error(`scripts/keras-dataset-cache.py failed with ${python}`);
    process.exit(2);
  }
  const env = JSON.parse(cache.stdout.trim().split('\n').pop());
  const version = spawnSync(python, ['-c', 'import sys, keras, tensorflow; print(sys.version.split()[0], keras.__version__, tensorflow.__version__)'], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  const [pythonVersion, keras, tensorflow] = (version.stdout ?? '').trim().split(' ');
  return { python, env, versions: { python: pythonVersion ?? null, keras: keras ?? null, tensorflow: tensorflow ?? null } };
}

const earlier = previous?.summary.keras ?? previous?.summary.observe ?? null;
const keras = usesPython ? kerasSetup() : earlier ? { python: earlier.python, versions: earlier.versions ?? {} } : null;

function check(file, observe = false) {
  const result = observe
    ? run(['check', file, '--format', 'json', '--observe', '--python', keras.python], { env: keras.env, timeoutMs: timeoutMs + 180_000 })
    : run(['check', file, '--format', 'json']);
  if (result.timedOut) return { error: 'timeout', findings: [], problems: [] };
  try {
    const report = JSON.parse(result.stdout);
    return { findings: report.files.flatMap((f) => f.findings), problems: report.files.flatMap((f) => f.problems ?? []) };
  } catch {
    return { error: (result.stderr || 'no JSON output').trim().slice(0, 300), findings: [], problems: [] };
  }
}

/** check --observe: the findings with the facts observed at fit, and whether the program got there. */
function observeCheck(entry, file) {
  const started = performance.now();
  const checked = check(file, true);
  const causes = new Set(checked.findings.map((f) => f.cause));
  const strong = new Set(checked.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.cause));
  const notObserved = checked.problems.find((p) => /^not observed: /.test(p.message));
  return {
    seconds: Math.round((performance.now() - started) / 100) / 10,
    error: checked.error ?? null,
    observed: !checked.error && !notObserved,
    notObserved: notObserved ? notObserved.message.replace(/^not observed: /, '').slice(0, 400) : null,
    findings: checked.findings.map((f) => ({ rule: f.rule, cause: f.cause, severity: f.severity, observed: f.observed === true })),
    causeFound: entry.expectedCauses.some((c) => causes.has(c)),
    causeFoundStrong: entry.expectedCauses.some((c) => strong.has(c)),
    causeFoundByObserved: entry.expectedCauses.some((c) => checked.findings.some((f) => f.cause === c && f.observed === true)),
  };
}

/**
 * The epochs a file's reproduction runs: a report, as many as Keras's record of it was allowed
 * (`--max-epochs` at its `maxEpochs`: the file's own, at most that), so that both sides train as
 * long; with --epochs-3-everywhere, or for a program, 3.
 */
function epochArguments(entry) {
  const cap = entry.keras?.maxEpochs;
  return entry.kind === 'report' && !values['epochs-3-everywhere'] && Number.isInteger(cap) && cap > 0 ? ['--max-epochs', String(cap)] : ['--epochs', '3'];
}

function reproduce(file, entry) {
  const result = run(['reproduce', file, '--format', 'json', ...epochArguments(entry)]);
  if (result.timedOut) return { verdict: null, refused: null, error: 'timeout' };
  try {
    const out = JSON.parse(result.stdout);
    // Nothing reproduced: one object with the reason (exit code 3).
    if (out.verdict === 'not-reproduced') return { verdict: null, refused: String(out.reason?.message ?? '').slice(0, 300) };
    return { verdict: out.verdict ?? null, refused: null };
  } catch {
    const reason = result.stderr.trim().split('\n').pop() ?? '';
    return { verdict: null, refused: reason.replace(/^nanguard: /, '').slice(0, 300) };
  }
}

/** What kind of training the program does, from its source: subclassed model, custom train_step, custom loop. */
function trainingStyle(file) {
  let text = readFileSync(join(ROOT, file), 'utf8');
  if (file.endsWith('.ipynb')) {
    try {
      const cells = JSON.parse(text).cells ?? [];
      text = cells
        .filter((c) => c.cell_type === 'code')
        .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))
        .join('\n');
    } catch {
      // Not JSON: read as text.
    }
  }
  const code = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  const bases = [...code.matchAll(/^\s*class\s+\w+\s*\(([^)]*)\)\s*:/gm)].flatMap((m) => m[1].split(',').map((b) => b.trim()));
  const subclassed = bases.some((b) => /(^|\.)Model$/.test(b));
  // A model's own train_step (a method); a function of that name stepping the optimizer itself is a custom loop.
  const customTrainStep = /def\s+train_step\s*\(\s*self\b/.test(code);
  const customLoop = /GradientTape/.test(code) && /apply_gradients|\.apply\(/.test(code) && !customTrainStep;
  return { subclassed, customTrainStep, customLoop };
}

/** The not-reproduced reason as a kind of failure, and whose it is. */
function classifyKerasFailure(code, message, entry) {
  const raised = /raised ([\w.]+)/.exec(message)?.[1] ?? null;
  const at = /\(([^(),]+), line \d+\)/.exec(message)?.[1] ?? null;
  const plain = entry.keras ?? {};
  const plainError = typeof plain.error === 'string' ? plain.error.split(':')[0] : null;
  if (code === 'missing-keras' || code === 'python-not-found') return { kind: code, fault: 'environment' };
  if (at && /^nanguard_/.test(at)) return { kind: 'bootstrap', fault: 'nanguard' };
  // OpenCV's imread gives None for a missing image, which cvtColor then refuses.
  if (/FileNotFoundError|No such file or directory|URL fetch failure|URLError|HTTPError|Name or service not known|Temporary failure in name resolution|Downloading data from|urlopen error|!_src\.empty\(\)/.test(message)) {
    return { kind: 'data-missing', fault: 'program' };
  }
  // keras.utils.plot_model draws with pydot and the graphviz program.
  if (/You must install (pydot|graphviz)/.test(message)) return { kind: 'tool-missing', fault: 'environment' };
  // A module of Keras or TensorFlow that Keras 3 no longer has is the program's (written for an older Keras); any other, the environment's.
  const module = /No module named '([^']+)'/.exec(message)?.[1] ?? null;
  if (module && !/^(keras|tensorflow|tf_keras)(\.|$)/.test(module)) return { kind: 'module-missing', fault: 'environment' };
  if (module || /cannot import name|module '(keras|tensorflow)[\w.]*' has no attribute/.test(message)) return { kind: 'old-keras-api', fault: 'program' };
  if (code === 'failed' && /did not reach its first fit within the time limit/.test(message)) return { kind: 'time-cap-before-fit', fault: 'cap' };
  // The host's backstop, 15 s after the cap: the bootstrap could not stop the program (a step longer than that, in TensorFlow's C++).
  if (code === 'failed' && /still running after the time limit/.test(message)) return { kind: 'time-cap-backstop', fault: 'cap' };
  if (code === 'no-fit') return { kind: 'no-fit', fault: plain.outcome === 'no-fit' ? 'program' : 'undetermined' };
  if (code === 'program-error') {
    // Raising as it does in plain Keras (test/realworld/run_keras.py, in the manifest) is the program's own doing.
    if (raised && plainError && raised.split('.').pop() === plainError.split('.').pop()) return { kind: 'program-raises', fault: 'program' };
    return { kind: 'program-raises', fault: 'undetermined' };
  }
  return { kind: code ?? 'crashed', fault: 'undetermined' };
}

/** Which bootstrap ran: the start of its sha256. */
function bootstrapHash() {
  try {
    return createHash('sha256').update(readFileSync(join(SNAPSHOT, 'python', 'nanguard_keras.py'))).digest('hex').slice(0, 12);
  } catch {
    return null;
  }
}

function reproduceKeras(entry, file) {
  const args = ['reproduce', file, '--engine', 'keras', '--python', keras.python, '--format', 'json', '--epochs', '3', '--max-seconds', String(maxSeconds)];
  if (values['max-steps']) args.push('--max-steps', values['max-steps']);
  const started = performance.now();
  // The engine stops the program at --max-seconds (and its own backstop 15 s later): this is a last resort.
  const result = run(args, { env: keras.env, timeoutMs: (maxSeconds + 60) * 1000 });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const stderrTail = result.stderr
    .split('\n')
    .filter((l) => l.trim() && !/absl::InitializeLog|oneDNN custom operations/.test(l))
    .slice(-12)
    .join('\n')
    .slice(-1500);
  if (result.timedOut) return { verdict: null, code: 'timeout', message: `no answer within ${maxSeconds + 60} s`, seconds, failure: { kind: 'timeout', fault: 'nanguard' }, stderrTail };
  let out;
  try {
    out = JSON.parse(result.stdout);
  } catch {
    return { verdict: null, code: 'no-json', message: stderrTail.split('\n').pop() ?? '', seconds, failure: { kind: 'no-json', fault: 'nanguard' }, stderrTail };
  }
  if (out.verdict === 'not-reproduced') {
    const message = String(out.reason?.message ?? '');
    return { verdict: null, code: out.reason?.code ?? null, message: message.slice(0, 600), seconds, failure: classifyKerasFailure(out.reason?.code, message, entry), stderrTail };
  }
  const nonFinite = out.firstNonFinite ? { epoch: out.firstNonFinite.epoch, batch: out.firstNonFinite.batch, layer: out.firstNonFinite.layer ?? null, tensor: out.firstNonFinite.tensor ?? null } : null;
  return {
    verdict: out.verdict ?? null,
    code: null,
    message: null,
    seconds,
    epochsRun: out.epochsRun ?? null,
    epochsPlanned: out.epochsPlanned ?? null,
    stopped: out.stopped ?? null,
    model: out.model ? { name: out.model.name, parameters: out.model.parameters } : null,
    firstNonFinite: nonFinite,
    explanation: String(out.explanation ?? '').slice(0, 300),
    failure: null,
  };
}

/** An earlier run's rows, with the failures classified and the training styles read again. */
function rowsFrom(previousRows) {
  const byName = new Map(manifest.entries.map((e) => [e.name, e]));
  return previousRows
    .filter((r) => (part === 'all' || r.part === part) && (!only || only.has(r.name)))
    .map((r) => {
      const entry = byName.get(r.name) ?? {};
      if (!r.keras) return r;
      const failure = r.keras.verdict ? null : r.keras.code === 'timeout' || r.keras.code === 'no-json' ? r.keras.failure : classifyKerasFailure(r.keras.code, r.keras.message ?? '', entry);
      return { ...r, keras: { ...r.keras, failure }, style: trainingStyle(join('test', 'realworld', r.path)) };
    });
}

/** The models the analysis finds in each file, read from the analysis itself (scripts/list-models.ts). */
function modelsByFile(files) {
  const found = new Map();
  if (files.length === 0) return found;
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'list-models.ts'), ...files], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  for (const line of (result.stdout ?? '').split('\n')) {
    if (!line.trim()) continue;
    const { file, models } = JSON.parse(line);
    found.set(file, models);
  }
  return found;
}

const rows = previous ? rowsFrom(previous.rows) : [];
const analysedModels = previous ? new Map() : modelsByFile(entries.map((e) => join('test', 'realworld', e.path)).filter((f) => existsSync(join(ROOT, f))));
for (const entry of previous ? [] : entries) {
  const file = join('test', 'realworld', entry.path);
  if (!existsSync(join(ROOT, file))) {
    rows.push({ ...pick(entry), missing: true });
    continue;
  }
  const checked = check(file);
  const causes = new Set(checked.findings.map((f) => f.cause));
  const strong = new Set(checked.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.cause));
  const repro = noReproduce || kerasEngine ? null : reproduce(file, entry);
  const kerasRun = kerasEngine ? reproduceKeras(entry, file) : null;
  const observed = observing && entry.kind === 'report' ? observeCheck(entry, file) : null;
  const namedModel = checked.findings.some((f) => f.model);
  // A model counts as found when the analysis knows at least one of its layers.
  const analysed = analysedModels.get(file) ?? [];
  const modelFound = namedModel || analysed.some((m) => m.layers > 0) || (repro !== null && repro.refused === null ? repro.verdict !== null : false) || (repro !== null && repro.refused !== null && !/no Keras model found/i.test(repro.refused));
  rows.push({
    ...pick(entry),
    checkError: checked.error ?? null,
    findings: checked.findings.map((f) => ({ rule: f.rule, cause: f.cause, severity: f.severity, line: f.range?.start?.line })),
    causeFound: entry.kind === 'report' ? entry.expectedCauses.some((c) => causes.has(c)) : null,
    causeFoundStrong: entry.kind === 'report' ? entry.expectedCauses.some((c) => strong.has(c)) : null,
    errors: checked.findings.filter((f) => f.severity === 'error').length,
    warnings: checked.findings.filter((f) => f.severity === 'warning').length,
    modelFound,
    reproduce: repro,
    ...(kerasRun ? { keras: kerasRun, style: trainingStyle(file), plainKeras: entry.keras?.outcome ?? null } : {}),
    ...(observed ? { observe: observed } : {}),
  });
  if (kerasRun || observed) {
    const said = kerasRun ? (kerasRun.verdict ?? `${kerasRun.code} (${kerasRun.failure?.kind})`) + ` ${kerasRun.seconds} s` : '';
    const seen = observed ? ` observe: ${observed.observed ? 'observed' : 'not observed'}, cause ${observed.causeFound ? 'found' : 'not found'} ${observed.seconds} s` : '';
    console.error(`${entry.part}/${entry.name}: ${said}${seen}`);
  }
}

function pick(entry) {
  return { name: entry.name, kind: entry.kind, part: entry.part, path: entry.path, definesModel: entry.definesModel, expectedCauses: entry.expectedCauses ?? null };
}

const present = rows.filter((r) => !r.missing);
const share = (n, d) => (d === 0 ? 'n/a' : `${n}/${d} (${Math.round((100 * n) / d)}%)`);
const defining = (list) => list.filter((r) => r.definesModel);
const countBy = (list, key) => list.reduce((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});
const parts = [...new Set(present.map((r) => r.part))];

/** The verdicts that say what each outcome of run_keras.py says. */
const PLAIN_OUTCOMES = { trains: ['healthy'], stalled: ['stalled'], nan: ['nan'], diverging: ['diverging', 'exploded'], invalid: ['diverging'] };
const agrees = (plain, verdict) => (PLAIN_OUTCOMES[plain] ?? []).includes(verdict);

/** The Keras engine on some files: verdicts among those whose data is present, failures by kind and fault. */
function kerasSummary(list) {
  const run = list.filter((r) => r.keras);
  const dataPresent = run.filter((r) => r.keras.failure?.kind !== 'data-missing');
  const failed = run.filter((r) => !r.keras.verdict);
  const styled = run.filter((r) => r.style.subclassed || r.style.customTrainStep || r.style.customLoop);
  const compared = run.filter((r) => r.keras.verdict && PLAIN_OUTCOMES[r.plainKeras]);
  return {
    files: run.length,
    verdict: run.filter((r) => r.keras.verdict).length,
    dataPresent: dataPresent.length,
    verdictOfDataPresent: dataPresent.filter((r) => r.keras.verdict).length,
    // What is left when the program's own failures (it raises in plain Keras too, has no fit, lacks its data) and its environment's are set aside.
    runnable: run.filter((r) => r.keras.verdict || !['program', 'environment'].includes(r.keras.failure?.fault)).length,
    verdicts: countBy(
      run.filter((r) => r.keras.verdict),
      (r) => r.keras.verdict,
    ),
    verdictWithoutAnEpoch: run.filter((r) => r.keras.verdict && r.keras.epochsRun === 0).length,
    verdictCutByTimeCap: run.filter((r) => r.keras.verdict && r.keras.stopped === 'wall-time').length,
    // Against what plain Keras did (run_keras.py, its own epoch cap and sample count, recorded in the manifest).
    agreesWithPlainKeras: compared.filter((r) => agrees(r.plainKeras, r.keras.verdict)).length,
    comparedWithPlainKeras: compared.length,
    failures: countBy(failed, (r) => r.keras.failure?.kind ?? 'unknown'),
    failuresByFault: countBy(failed, (r) => r.keras.failure?.fault ?? 'unknown'),
    subclassedOrCustomLoop: styled.map((r) => ({
      name: r.name,
      style: [r.style.subclassed && 'subclassed', r.style.customTrainStep && 'train_step', r.style.customLoop && 'custom loop'].filter(Boolean).join(', '),
      outcome: r.keras.verdict ?? `${r.keras.code}: ${r.keras.failure?.kind}`,
    })),
    secondsTotal: Math.round(run.reduce((t, r) => t + r.keras.seconds, 0)),
  };
}

/** Recall of the expected cause on the reports, by plain check and by check --observe. */
function observeSummary(list) {
  const run = list.filter((r) => r.kind === 'report' && r.observe);
  return {
    reports: run.length,
    observed: run.filter((r) => r.observe.observed).length,
    causeFound: run.filter((r) => r.causeFound).length,
    causeFoundObserve: run.filter((r) => r.observe.causeFound).length,
    causeFoundAtErrorOrWarning: run.filter((r) => r.causeFoundStrong).length,
    causeFoundAtErrorOrWarningObserve: run.filter((r) => r.observe.causeFoundStrong).length,
    causeFoundByAnObservedFinding: run.filter((r) => r.observe.causeFoundByObserved).length,
    gained: run.filter((r) => r.observe.causeFound && !r.causeFound).map((r) => r.name),
    lost: run.filter((r) => !r.observe.causeFound && r.causeFound).map((r) => r.name),
  };
}

/** The static analysis on some rows: expected causes found on the reports, errors, warnings and models on the programs. */
function staticSummary(list) {
  const reportRows = list.filter((r) => !r.missing && r.kind === 'report');
  const programRows = list.filter((r) => !r.missing && r.kind === 'program');
  return {
    reports: {
      files: reportRows.length,
      causeFound: reportRows.filter((r) => r.causeFound).length,
      causeFoundAtErrorOrWarning: reportRows.filter((r) => r.causeFoundStrong).length,
      definingModel: defining(reportRows).length,
      modelFound: defining(reportRows).filter((r) => r.modelFound).length,
    },
    programs: {
      files: programRows.length,
      missing: list.filter((r) => r.missing && r.kind === 'program').length,
      withError: programRows.filter((r) => r.errors > 0).length,
      withWarning: programRows.filter((r) => r.warnings > 0).length,
      definingModel: defining(programRows).length,
      modelFound: defining(programRows).filter((r) => r.modelFound).length,
    },
  };
}

const summary = {
  part,
  ...staticSummary(rows),
  // With --part all, each part's figures apart as well: a held-out part is read on its own.
  byPart: parts.length > 1 ? Object.fromEntries(parts.map((p) => [p, staticSummary(rows.filter((r) => r.part === p))])) : null,
  reproduce:
    noReproduce || kerasEngine
      ? null
      : {
          files: present.length,
          verdict: present.filter((r) => r.reproduce?.verdict).length,
          refused: present.filter((r) => r.reproduce?.refused).length,
          timedOut: present.filter((r) => r.reproduce?.error === 'timeout').length,
        },
  keras: kerasEngine
    ? {
        command: previous?.summary.keras?.command ?? `reproduce FILE --engine keras --python P --format json --epochs 3 --max-seconds ${maxSeconds}${values['max-steps'] ? ` --max-steps ${values['max-steps']}` : ''}`,
        python: relative(ROOT, keras.python) || keras.python,
        versions: keras.versions,
        bootstrapSha256: previous ? previous.summary.keras?.bootstrapSha256 ?? null : bootstrapHash(),
        datasets: 'stand-in (scripts/keras-dataset-cache.py), not the real data',
        byPart: Object.fromEntries(parts.map((p) => [p, kerasSummary(present.filter((r) => r.part === p))])),
      }
    : null,
  observe: observing ? { python: relative(ROOT, keras.python) || keras.python, byPart: Object.fromEntries(parts.map((p) => [p, observeSummary(present.filter((r) => r.part === p))])) } : null,
};

const lines = [
  `## nanguard on the real-world corpora (part: ${part})`,
  '',
  '| measure | value |',
  '| --- | --- |',
  `| reports: an expected cause among the findings | ${share(summary.reports.causeFound, summary.reports.files)} |`,
  `| reports: an expected cause at error or warning | ${share(summary.reports.causeFoundAtErrorOrWarning, summary.reports.files)} |`,
  `| reports: model found (of those defining one) | ${share(summary.reports.modelFound, summary.reports.definingModel)} |`,
  `| programs: any error | ${share(summary.programs.withError, summary.programs.files)} |`,
  `| programs: any warning | ${share(summary.programs.withWarning, summary.programs.files)} |`,
  `| programs: model found (of those defining one) | ${share(summary.programs.modelFound, summary.programs.definingModel)} |`,
];
if (summary.programs.missing) lines.push(`| programs: source not in the checkout | ${summary.programs.missing} |`);
for (const [part, s] of Object.entries(summary.byPart ?? {})) {
  lines.push(`| reports (${part}): an expected cause among the findings / at error or warning | ${share(s.reports.causeFound, s.reports.files)} / ${share(s.reports.causeFoundAtErrorOrWarning, s.reports.files)} |`);
  lines.push(`| reports (${part}): model found (of those defining one) | ${share(s.reports.modelFound, s.reports.definingModel)} |`);
  lines.push(`| programs (${part}): any error / any warning | ${share(s.programs.withError, s.programs.files)} / ${share(s.programs.withWarning, s.programs.files)} |`);
  lines.push(`| programs (${part}): model found (of those defining one) | ${share(s.programs.modelFound, s.programs.definingModel)} |`);
}
if (summary.reproduce) {
  lines.push(`| reproduce (programs 3 epochs, reports Keras's cap): a verdict | ${share(summary.reproduce.verdict, summary.reproduce.files)} |`);
  lines.push(`| reproduce: refused / timed out | ${summary.reproduce.refused} / ${summary.reproduce.timedOut} |`);
}
const words = (counts) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';
if (summary.keras) {
  lines.push(`| Keras engine: interpreter | ${summary.keras.python} (Python ${keras.versions.python}, Keras ${keras.versions.keras}, TensorFlow ${keras.versions.tensorflow})${summary.keras.bootstrapSha256 ? `; bootstrap sha256 ${summary.keras.bootstrapSha256}…` : ''} |`);
  for (const [part, k] of Object.entries(summary.keras.byPart)) {
    lines.push(`| Keras engine (${part}): a verdict, of the files whose data is present | ${share(k.verdictOfDataPresent, k.dataPresent)} (all files: ${share(k.verdict, k.files)}) |`);
    lines.push(`| Keras engine (${part}): a verdict, of the files not failing by their own or their environment's doing | ${share(k.verdict, k.runnable)} |`);
    lines.push(`| Keras engine (${part}): verdicts | ${words(k.verdicts)}${k.verdictCutByTimeCap ? `; ${k.verdictCutByTimeCap} cut by the time cap${k.verdictWithoutAnEpoch ? `, ${k.verdictWithoutAnEpoch} of them before an epoch finished` : ''}` : ''} |`);
    lines.push(`| Keras engine (${part}): verdict agrees with plain Keras's outcome (manifest) | ${share(k.agreesWithPlainKeras, k.comparedWithPlainKeras)} |`);
    lines.push(`| Keras engine (${part}): not reproduced, by kind | ${words(k.failures)} |`);
    lines.push(`| Keras engine (${part}): not reproduced, whose | ${words(k.failuresByFault)} |`);
    lines.push(`| Keras engine (${part}): subclassed / custom loop | ${k.subclassedOrCustomLoop.map((s) => `${s.name} (${s.style}): ${s.outcome}`).join('; ') || '-'} |`);
  }
}
if (summary.observe) {
  for (const [part, o] of Object.entries(summary.observe.byPart)) {
    lines.push(`| reports (${part}): expected cause found, check / check --observe | ${share(o.causeFound, o.reports)} / ${share(o.causeFoundObserve, o.reports)} (observed at fit: ${o.observed} of ${o.reports}) |`);
    lines.push(`| reports (${part}): at error or warning, check / check --observe | ${share(o.causeFoundAtErrorOrWarning, o.reports)} / ${share(o.causeFoundAtErrorOrWarningObserve, o.reports)} |`);
    if (o.gained.length || o.lost.length) lines.push(`| reports (${part}): with --observe, gained / lost | ${o.gained.join(', ') || '-'} / ${o.lost.join(', ') || '-'} |`);
  }
}
const kerasColumns = kerasEngine ? ' Keras engine | s |' : '';
const observeColumn = observing ? ' observe |' : '';
lines.push('', `| file | kind | expected | found causes | E/W | model | reproduce |${kerasColumns}${observeColumn}`, `| --- | --- | --- | --- | --- | --- | --- |${kerasEngine ? ' --- | --- |' : ''}${observing ? ' --- |' : ''}`);
for (const r of rows) {
  if (r.missing) {
    lines.push(`| ${r.name} | ${r.kind} | | (source missing) | | | |${kerasEngine ? ' | |' : ''}${observing ? ' |' : ''}`);
    continue;
  }
  const found = [...new Set(r.findings.map((f) => `${f.cause}:${f.severity[0]}`))].join(' ');
  const expected = r.kind === 'report' ? `${r.expectedCauses.join(' ')} ${r.causeFound ? '✓' : '✗'}` : 'trains';
  const repro = r.reproduce ? r.reproduce.verdict ?? `refused: ${r.reproduce.refused ?? r.reproduce.error}` : '';
  let extra = '';
  if (r.keras) {
    const k = r.keras;
    const said = k.verdict ? `${k.verdict}${r.plainKeras ? ` [plain Keras: ${r.plainKeras}]` : ''} (${k.epochsRun} epochs${k.firstNonFinite ? `, first non-finite: epoch ${k.firstNonFinite.epoch} batch ${k.firstNonFinite.batch}${k.firstNonFinite.layer ? ` ${k.firstNonFinite.layer}` : ''}` : ''})` : `${k.code}, ${k.failure.kind} (${k.failure.fault}): ${(k.message ?? '').replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 160)}`;
    extra += ` ${said} | ${k.seconds} |`;
  }
  if (r.observe) extra += ` ${r.observe.causeFound ? '✓' : '✗'}${r.observe.observed ? '' : ' (not observed)'} |`;
  else if (observing) extra += ' |';
  lines.push(`| ${r.name} | ${r.kind} | ${expected} | ${found || '-'} | ${r.errors}/${r.warnings} | ${r.modelFound ? 'yes' : 'no'} | ${repro} |${extra}`);
}
console.log(lines.join('\n'));

const out = resolve(ROOT, values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ summary, rows }, null, 1) + '\n');
