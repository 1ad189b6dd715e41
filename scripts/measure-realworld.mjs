#!/usr/bin/env node
/**
 * Measures nanguard on the real-world corpora listed in test/realworld/manifest.json:
 *
 * - reports (NaN and stall reports re-created from public threads): the share whose findings
 *   include an expected cause, and the share where that finding is at error or warning severity;
 * - programs (public autoencoder programs that train): how many get any error, how many any
 *   warning, and in how many of the files that define a model a model is found;
 * - reproduction: how many files get a verdict from `nanguard reproduce --format json --epochs 3`
 *   (not refused), each run with a time limit.
 *
 * A model counts as found when a finding names a model or reproduction does not refuse the file
 * with "no Keras model found".
 *
 * Usage: node scripts/measure-realworld.mjs [--part tune|heldout|all] [--no-reproduce]
 *                                           [--timeout SECONDS] [--out FILE]
 * Prints a Markdown table and writes JSON (default test-output/realworld.json). Builds dist/
 * first when it is missing. Program files whose source is not in the checkout are listed as
 * missing (see test/realworld/README.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = join(ROOT, 'test', 'realworld', 'manifest.json');
const CLI = join(ROOT, 'bin', 'nanguard.js');

const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'tune' },
    'no-reproduce': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
    out: { type: 'string', default: join('test-output', 'realworld.json') },
  },
});
if (!['tune', 'heldout', 'all'].includes(values.part)) {
  console.error(`--part must be tune, heldout or all, got '${values.part}'`);
  process.exit(2);
}
const timeoutMs = Number(values.timeout) * 1000;

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 2);
}

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const entries = manifest.entries.filter((entry) => values.part === 'all' || entry.part === values.part);

function run(args) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', timedOut: result.error?.code === 'ETIMEDOUT' };
}

function check(file) {
  const result = run(['check', file, '--format', 'json']);
  if (result.timedOut) return { error: 'timeout', findings: [] };
  try {
    const report = JSON.parse(result.stdout);
    return { findings: report.files.flatMap((f) => f.findings) };
  } catch {
    return { error: (result.stderr || 'no JSON output').trim().slice(0, 300), findings: [] };
  }
}

function reproduce(file) {
  const result = run(['reproduce', file, '--format', 'json', '--epochs', '3']);
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

const rows = [];
for (const entry of entries) {
  const file = join('test', 'realworld', entry.path);
  if (!existsSync(join(ROOT, file))) {
    rows.push({ ...pick(entry), missing: true });
    continue;
  }
  const checked = check(file);
  const causes = new Set(checked.findings.map((f) => f.cause));
  const strong = new Set(checked.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.cause));
  const repro = values['no-reproduce'] ? null : reproduce(file);
  const namedModel = checked.findings.some((f) => f.model);
  const modelFound = namedModel || (repro !== null && repro.refused === null ? repro.verdict !== null : false) || (repro !== null && repro.refused !== null && !/no Keras model found/i.test(repro.refused));
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
  });
}

function pick(entry) {
  return { name: entry.name, kind: entry.kind, part: entry.part, path: entry.path, definesModel: entry.definesModel, expectedCauses: entry.expectedCauses ?? null };
}

const present = rows.filter((r) => !r.missing);
const reports = present.filter((r) => r.kind === 'report');
const programs = present.filter((r) => r.kind === 'program');
const share = (n, d) => (d === 0 ? 'n/a' : `${n}/${d} (${Math.round((100 * n) / d)}%)`);
const defining = (list) => list.filter((r) => r.definesModel);
const summary = {
  part: values.part,
  reports: {
    files: reports.length,
    causeFound: reports.filter((r) => r.causeFound).length,
    causeFoundAtErrorOrWarning: reports.filter((r) => r.causeFoundStrong).length,
    definingModel: defining(reports).length,
    modelFound: defining(reports).filter((r) => r.modelFound).length,
  },
  programs: {
    files: programs.length,
    missing: rows.filter((r) => r.missing && r.kind === 'program').length,
    withError: programs.filter((r) => r.errors > 0).length,
    withWarning: programs.filter((r) => r.warnings > 0).length,
    definingModel: defining(programs).length,
    modelFound: defining(programs).filter((r) => r.modelFound).length,
  },
  reproduce: values['no-reproduce']
    ? null
    : {
        files: present.length,
        verdict: present.filter((r) => r.reproduce?.verdict).length,
        refused: present.filter((r) => r.reproduce?.refused).length,
        timedOut: present.filter((r) => r.reproduce?.error === 'timeout').length,
      },
};

const lines = [
  `## nanguard on the real-world corpora (part: ${values.part})`,
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
if (summary.reproduce) {
  lines.push(`| reproduce --epochs 3: a verdict | ${share(summary.reproduce.verdict, summary.reproduce.files)} |`);
  lines.push(`| reproduce: refused / timed out | ${summary.reproduce.refused} / ${summary.reproduce.timedOut} |`);
}
lines.push('', '| file | kind | expected | found causes | E/W | model | reproduce |', '| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  if (r.missing) {
    lines.push(`| ${r.name} | ${r.kind} | | (source missing) | | | |`);
    continue;
  }
  const found = [...new Set(r.findings.map((f) => `${f.cause}:${f.severity[0]}`))].join(' ');
  const expected = r.kind === 'report' ? `${r.expectedCauses.join(' ')} ${r.causeFound ? '✓' : '✗'}` : 'trains';
  const repro = r.reproduce ? r.reproduce.verdict ?? `refused: ${r.reproduce.refused ?? r.reproduce.error}` : '';
  lines.push(`| ${r.name} | ${r.kind} | ${expected} | ${found || '-'} | ${r.errors}/${r.warnings} | ${r.modelFound ? 'yes' : 'no'} | ${repro} |`);
}
console.log(lines.join('\n'));

const out = resolve(ROOT, values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ summary, rows }, null, 1) + '\n');
