/**
 * Generates the rule documentation from the rules' own docs: `docs/rules/<ID>.md` for each rule
 * and the rules table in README.md between `<!-- rules:start -->` and `<!-- rules:end -->`.
 *
 *   npx tsx scripts/gen-rule-docs.ts          write the files
 *   npx tsx scripts/gen-rule-docs.ts --check  exit 1 if any generated file is stale
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CAUSES } from '../src/core/causes';
import { ALL_RULES } from '../src/core/rules/index';
import type { Rule } from '../src/core/rules/rule';

const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

export function ruleMarkdown(rule: Rule): string {
  const d = rule.docs;
  return [
    `# ${rule.id} ${rule.name}`,
    '',
    `**${rule.title}**`,
    '',
    `Cause: \`${rule.cause}\` (${CAUSES[rule.cause]}). Default severity: ${rule.defaultSeverity}.`,
    '',
    `Measured in Keras: ${d.measured} (see [Evidence](#evidence)).`,
    '',
    '## What it does',
    '',
    d.whatItDoes,
    '',
    '## Why it leads to NaN',
    '',
    d.whyItFails,
    '',
    '## Example',
    '',
    d.example,
    '',
    '## Fix',
    '',
    d.fix,
    '',
    '## Evidence',
    '',
    d.evidence,
    '',
    `Silence it on one line with \`# nanguard: ignore[${rule.id}]\`, or set its severity in the settings.`,
    '',
  ].join('\n');
}

/** Text for one cell of a Markdown table: one line, with any pipe escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

export function readmeSection(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `| [${r.id}](docs/rules/${r.id}.md) | ${r.name} | \`${r.cause}\` | ${r.defaultSeverity} | ${cell(r.title)} | ${cell(r.docs.measured)} |`,
  );
  return [
    START,
    'Generated from the rules\' own documentation by `npx tsx scripts/gen-rule-docs.ts`; each page gives the mechanism, an example, the fix and what a real Keras run of the example did. "Measured in Keras" says how often the rule\'s own example went NaN or stalled over seeds in real Keras runs (`test/evidence/`).',
    '',
    '| Rule | Name | Cause | Default severity | What it flags | Measured in Keras |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    END,
  ].join('\n');
}

/** README text with the rules section replaced (or appended with its markers when missing). */
export function withRulesSection(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start >= 0 && end > start) return readme.slice(0, start) + section + readme.slice(end + END.length);
  return readme.replace(/\s*$/, '\n\n') + section + '\n';
}

/** Every generated file with its expected content. */
export function expectedFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of ALL_RULES) files.set(join(root, 'docs', 'rules', `${rule.id}.md`), ruleMarkdown(rule));
  const readmePath = join(root, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '# nanguard\n';
  files.set(readmePath, withRulesSection(readme, readmeSection(ALL_RULES)));
  return files;
}

/** Generated rule pages that no rule produces any more (a removed or renamed rule). */
function orphanPages(root: string, expected: Map<string, string>): string[] {
  const dir = join(root, 'docs', 'rules');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^NAN\d+\.md$/.test(f))
    .map((f) => join(dir, f))
    .filter((p) => !expected.has(p));
}

export function staleFiles(root: string): string[] {
  const expected = expectedFiles(root);
  const stale = [...expected].filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text).map(([path]) => path);
  return [...stale, ...orphanPages(root, expected)];
}

function main(): void {
  const root = resolve(__dirname, '..');
  if (process.argv.includes('--check')) {
    const stale = staleFiles(root);
    if (stale.length > 0) {
      console.error(`Rule docs are stale; run: npx tsx scripts/gen-rule-docs.ts\n${stale.map((p) => `  ${p.slice(root.length + 1)}`).join('\n')}`);
      process.exit(1);
    }
    console.log(`Rule docs are up to date (${ALL_RULES.length} rules).`);
    return;
  }
  for (const [path, text] of expectedFiles(root)) {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      writeFileSync(path, text);
      console.log(`wrote ${path.slice(root.length + 1)}`);
    }
  }
}

if (require.main === module) main();
