// `npm run demo`: lints the bundled examples with the built CLI and prints the findings under a
// heading per example. Findings are the point of a demo, so it exits 0 when they exist; it
// exits 1 only when nanguard itself fails (exit code 2, a crash).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const examplesDir = join(root, 'examples');
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = (s) => (color ? `\u001b[1m${s}\u001b[0m` : s);
const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

// `npm ci` builds dist/ through `prepare`; build here only when that did not happen.
if (!existsSync(cli)) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

function exampleFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) out.push(...exampleFiles(full));
    else if (/\.(py|ipynb|json)$/i.test(name)) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/** One line saying what an example is: its first comment or docstring line. */
function describe(path) {
  let text;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch {
    return '';
  }
  if (path.endsWith('.ipynb')) {
    try {
      const nb = JSON.parse(text);
      const md = (nb.cells ?? []).find((c) => c.cell_type === 'markdown');
      const first = [].concat(md?.source ?? []).join('').split('\n').find((l) => l.trim());
      return first ? first.replace(/^#+\s*/, '').trim() : '';
    } catch {
      return '';
    }
  }
  if (!path.endsWith('.py')) return '';
  for (const raw of text.split('\n').slice(0, 15)) {
    const line = raw.trim();
    if (line.startsWith('#!') || line === '"""' || line === "'''" || line === '') continue;
    const m = line.match(/^(?:#\s*|"""|''')(.+?)(?:"""|''')?$/);
    return m ? m[1].trim() : '';
  }
  return '';
}

function lintExamples() {
  const files = existsSync(examplesDir) ? exampleFiles(examplesDir) : [];
  if (files.length === 0) {
    console.log('No examples found in examples/.');
    return;
  }
  const env = { ...process.env, ...(color ? { FORCE_COLOR: '1' } : {}) };
  const res = spawnSync(process.execPath, [cli, 'check', 'examples', ...(color ? [] : ['--no-color'])], { cwd: root, env, encoding: 'utf8' });
  if (res.status !== 0 && res.status !== 1) {
    process.stderr.write(res.stdout ?? '');
    process.stderr.write(res.stderr ?? '');
    console.error(`nanguard check failed (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
  const lines = res.stdout.trimEnd().split('\n');
  const summary = lines.pop() ?? '';
  // Group the output by file: a finding or note line starts with its path; indented lines belong to the line above.
  const byFile = new Map(files.map((f) => [f, []]));
  let current;
  for (const line of lines) {
    const plain = line.replace(ANSI, '');
    if (plain.trim() === '') continue;
    if (/^\s/.test(plain) && current) {
      current.push(line);
      continue;
    }
    const path = files.find((f) => plain.startsWith(`${f}:`));
    current = path ? byFile.get(path) : undefined;
    if (current) current.push(line);
    else console.log(line);
  }
  console.log(bold(`nanguard check examples/   (${files.length} files)\n`));
  for (const [file, out] of byFile) {
    const about = describe(file);
    console.log(bold(`== ${file}`) + (about ? `  (${about})` : ''));
    console.log(out.length > 0 ? out.join('\n') : '   no findings');
    console.log('');
  }
  console.log(summary);
}

// The reproduction of the seed's Example 1 (trained in TensorFlow.js: the loss stalls near
// 2.3e6, it does not go NaN) belongs here, after the lint: run
// `nanguard reproduce <example> --format text` with the built CLI and print its table and verdict.
/**
 * The seed's Example 1, trained for real: the document it comes from says unscaled data gives
 * NaN; the reproduction shows what really happens (a stall near 2.3e6), with the verdict.
 */
function reproduceSeedExample() {
  const file = 'examples/seed1_unscaled.py';
  console.log(`\n${bold(`Reproducing ${file} in TensorFlow.js (what really happens when it trains)`)}`);
  const res = spawnSync(process.execPath, [cli, 'reproduce', file], { cwd: root, encoding: 'utf8' });
  process.stdout.write(res.stdout ?? '');
  // 0 healthy, 1 a failing verdict (the point of the demo); 2 or a signal means nanguard failed.
  if (res.status !== 0 && res.status !== 1) {
    process.stderr.write(res.stderr ?? '');
    console.error(`nanguard reproduce failed (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
}

lintExamples();
reproduceSeedExample();
