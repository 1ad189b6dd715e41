/**
 * Lint latency and throughput, each next to the cost of parsing alone in the same run:
 * - a 300-line and a 5,000-line Keras script: median of warm runs of `checkFile` (front-end,
 *   IR, every rule) and of `parsePythonOnly` (tree-sitter parse, tree freed);
 * - a generated corpus: lines per second over all files, median over passes.
 * Before any row, parse and lint run over a separate generated corpus (see warmUp), and parse
 * and lint runs alternate, so a ratio compares warm code under the same load.
 * The analysis host reads nothing from disk, so the numbers are the analysis alone.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../src/core/index';
import { parsePythonOnly } from '../src/core/frontends/python/index';
import { generateCorpus, generateScriptOfLines } from './corpus';
import { formatCount, formatMs, formatRatio, formatTable, median, type Timing } from './harness';

export interface LintBenchOptions {
  /** Passes over a separate 30-file corpus (parse and lint) before anything is timed. */
  warmupRounds?: number;
  warmup: number;
  runs: number;
  corpusFiles: number;
  corpusPasses: number;
}

export const DEFAULT_LINT_BENCH: LintBenchOptions = { warmup: 5, runs: 30, corpusFiles: 200, corpusPasses: 5 };
export const QUICK_LINT_BENCH: LintBenchOptions = { warmup: 1, runs: 3, corpusFiles: 20, corpusPasses: 1 };

export interface LintBenchRow {
  case: string;
  lines: number;
  /** Medians, wall clock. */
  parseMs: number;
  lintMs: number;
  /** Medians, CPU time of this process. */
  parseCpuMs: number;
  lintCpuMs: number;
  findings: number;
}

function row(name: string, lines: number, parse: Timing, lint: Timing, findings: number): LintBenchRow {
  return { case: name, lines, parseMs: median(parse.wall), lintMs: median(lint.wall), parseCpuMs: median(parse.cpu), lintCpuMs: median(lint.cpu), findings };
}

async function lint(path: string, text: string): Promise<number> {
  return (await checkFile(path, text, NO_FILES, DEFAULT_SETTINGS)).findings.length;
}

/**
 * Times `parse` and `lint` in alternation (a parse run, a lint run, ...), so that both sides of
 * a ratio see the same moments of a busy machine.
 */
async function timePair(parse: () => Promise<unknown>, lintOnce: () => Promise<unknown>, options: { warmup: number; runs: number }): Promise<[Timing, Timing]> {
  const a: Timing = { wall: [], cpu: [] };
  const b: Timing = { wall: [], cpu: [] };
  for (let i = 0; i < options.warmup; i++) {
    await parse();
    await lintOnce();
  }
  for (let i = 0; i < options.runs; i++) {
    for (const [fn, into] of [[parse, a], [lintOnce, b]] as const) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await fn();
      into.wall.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      into.cpu.push((used.user + used.system) / 1000);
    }
  }
  return [a, b];
}

async function scriptRow(name: string, lines: number, seed: number, options: LintBenchOptions): Promise<LintBenchRow> {
  const text = generateScriptOfLines(seed, lines);
  const findings = await lint(`${name}.py`, text);
  const [parse, lintTiming] = await timePair(() => parsePythonOnly(text), () => lint(`${name}.py`, text), options);
  return row(name, lines, parse, lintTiming, findings);
}

/**
 * "Warm runs": the parser and the whole analysis are run over a separate generated corpus until
 * their code is compiled and optimised, before any row is timed; a few repeats of one small
 * file alone leave the first row measuring the JavaScript engine's warm-up, not the analysis.
 */
async function warmUp(rounds: number): Promise<void> {
  const corpus = generateCorpus(7, 30);
  for (let round = 0; round < rounds; round++) {
    for (const f of corpus) {
      await parsePythonOnly(f.text);
      await lint(f.name, f.text);
    }
  }
}

async function corpusRow(options: LintBenchOptions): Promise<LintBenchRow> {
  const corpus = generateCorpus(2024, options.corpusFiles);
  const lines = corpus.reduce((n, f) => n + f.lines, 0);
  const passes = { warmup: 1, runs: options.corpusPasses };
  let findings = 0;
  for (const f of corpus) findings += await lint(f.name, f.text);
  const [parse, lintTiming] = await timePair(
    async () => {
      for (const f of corpus) await parsePythonOnly(f.text);
    },
    async () => {
      for (const f of corpus) await lint(f.name, f.text);
    },
    passes,
  );
  return row(`corpus (${corpus.length} files)`, lines, parse, lintTiming, findings);
}

/** Sizes of the scaling rows: time per line should stay flat from the smallest to the largest. */
const SCALING_LINES = [1_000, 10_000, 100_000];

/**
 * Lint time per line of one generated script (many models, many `fit` calls) growing from
 * 1,000 to 100,000 lines: a per-line cost that grows with the file would show here.
 */
async function scalingTable(options: LintBenchOptions): Promise<string> {
  const rows: { lines: number; lintMs: number; findings: number }[] = [];
  for (const lines of SCALING_LINES) {
    const text = generateScriptOfLines(lines, lines);
    const name = `scaling-${lines}.py`;
    const findings = await lint(name, text);
    const runs = Math.max(1, Math.round(options.runs / Math.max(1, lines / 1000)));
    const walls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await lint(name, text);
      walls.push(performance.now() - start);
    }
    rows.push({ lines, lintMs: median(walls), findings });
  }
  const perLine = rows.map((r) => (r.lintMs * 1000) / r.lines);
  const spread = Math.max(...perLine) / Math.min(...perLine);
  return (
    `Lint time per line as one file grows (median of up to ${options.runs} runs each; the largest over the smallest per-line time: ${formatRatio(spread)}, target 1.5x at most)\n\n` +
    formatTable(
      ['lines', 'lint (median)', 'per line', 'findings'],
      rows.map((r, i) => [formatCount(r.lines), formatMs(r.lintMs), `${perLine[i].toFixed(1)} µs`, formatCount(r.findings)]),
    )
  );
}

export async function runLintBench(options: LintBenchOptions = DEFAULT_LINT_BENCH): Promise<LintBenchRow[]> {
  const started = performance.now();
  await parsePythonOnly('x = 1\n'); // load the WebAssembly parser before timing anything
  await warmUp(options.warmupRounds ?? 3);
  const rows = [await scriptRow('300-line script', 300, 300, options), await scriptRow('5,000-line script', 5000, 5000, options), await corpusRow(options)];
  const table = (title: string, parseOf: (r: LintBenchRow) => number, lintOf: (r: LintBenchRow) => number) =>
    `${title}\n\n` +
    formatTable(
      ['case', 'lines', 'parse (median)', 'lint (median)', 'lint / parse', 'parse lines/s', 'lint lines/s', 'findings'],
      rows.map((r) => [
        r.case,
        formatCount(r.lines),
        formatMs(parseOf(r)),
        formatMs(lintOf(r)),
        formatRatio(lintOf(r) / parseOf(r)),
        formatCount((r.lines / parseOf(r)) * 1000),
        formatCount((r.lines / lintOf(r)) * 1000),
        formatCount(r.findings),
      ]),
    );
  const cpus = os.cpus();
  process.stdout.write(
    `Lint latency and throughput (${cpus[0]?.model ?? 'cpu'}, ${cpus.length} cores, load ${os.loadavg()[0].toFixed(1)}, Node ${process.version}; ` +
      `${options.warmupRounds ?? 3} warm-up passes over a separate 30-file corpus; scripts: median of ${options.runs} runs after ${options.warmup} more; corpus: median of ${options.corpusPasses} passes after 1 more; parse and lint runs alternate)\n\n` +
      table('Wall clock', (r) => r.parseMs, (r) => r.lintMs) +
      '\n' +
      table('CPU time of the process (steadier on a busy machine)', (r) => r.parseCpuMs, (r) => r.lintCpuMs) +
      `\nlint = checkFile (parse, IR, all rules; no file reads); parse = parsePythonOnly (tree-sitter parse alone).\n\n` +
      (await scalingTable(options)) +
      `\nBench time ${formatMs(performance.now() - started)}.\n`,
  );
  return rows;
}
