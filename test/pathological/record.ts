// Each pathological test records what the user sees and how long it took; the table of all
// of them is written to test-output/pathological.md (each test file adds its own rows).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'test-output', 'pathological');

export interface Row {
  case: string;
  seen: string;
  ms: number;
}

export class Table {
  private readonly rows: Row[] = [];
  constructor(private readonly name: string) {}

  /** Runs `fn`, records its time and the text the user sees (what `fn` returns). */
  async time<T extends { seen: string }>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await fn();
    this.rows.push({ case: name, seen: result.seen, ms: Math.round(performance.now() - started) });
    return result;
  }

  /** Records a run timed elsewhere (a guarded CLI run measures itself in its process). */
  add(name: string, seen: string, ms: number): void {
    this.rows.push({ case: name, seen, ms: Math.round(ms) });
  }

  save(): void {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, `${this.name}.json`), `${JSON.stringify(this.rows, null, 2)}\n`);
    const all = readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Row[]);
    const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
    const lines = ['# Pathological inputs: what the user sees', '', '| case | what the user sees | time |', '| --- | --- | --- |', ...all.map((r) => `| ${cell(r.case)} | ${cell(r.seen)} | ${(r.ms / 1000).toFixed(1)} s |`), ''];
    writeFileSync(join(ROOT, 'test-output', 'pathological.md'), lines.join('\n'));
  }
}

/** The user-facing lines of a CLI run, without blank lines (the first few: findings, problems, summary). */
export function shown(stdout: string, stderr = ''): string {
  return `${stdout}${stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 6)
    .map((l) => (l.length > 240 ? `${l.slice(0, 240)}…` : l))
    .join('\n');
}
