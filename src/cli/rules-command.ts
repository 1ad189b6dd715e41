/** `nanguard rules` (the list) and `nanguard rule ID` (one rule's documentation). */
import { parseArgs } from 'node:util';
import { ruleDocsMarkdown } from '../core/output/index';
import { ALL_RULES, findRule } from '../core/rules/index';
import type { Rule } from '../core/rules/rule';
import { EXIT_OK, UsageError, type CliIO } from './io';
import { RULE_DOCS_BASE } from './meta';

export const RULES_HELP = `Usage: nanguard rules [--format text|json]

Lists every rule: id, name, default severity, title.
`;

export const RULE_HELP = `Usage: nanguard rule ID|NAME [--format text|json]

Prints one rule's documentation: what it does, why it leads to NaN, an example, the fix.
`;

function parseFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new UsageError(`--format must be text or json, got '${value}'`);
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - s.length));
}

export function formatRuleTable(rules: readonly Rule[]): string {
  if (rules.length === 0) return 'No rules.\n';
  const rows = [['ID', 'NAME', 'SEVERITY', 'TITLE'], ...rules.map((r) => [r.id, r.name, r.defaultSeverity, r.title])];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => `${pad(row[0], widths[0])}  ${pad(row[1], widths[1])}  ${pad(row[2], widths[2])}  ${row[3]}`.trimEnd()).join('\n') + '\n';
}

function ruleSummary(r: Rule) {
  return { id: r.id, name: r.name, cause: r.cause, severity: r.defaultSeverity, title: r.title, helpUri: `${RULE_DOCS_BASE}/${r.id}.md` };
}

export function runRules(argv: string[], io: CliIO): number {
  const { values } = parseArgs({ args: argv, strict: true, options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(RULES_HELP);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  if (format === 'json') io.stdout(JSON.stringify({ version: 1, rules: ALL_RULES.map(ruleSummary) }, null, 2) + '\n');
  else io.stdout(formatRuleTable(ALL_RULES));
  return EXIT_OK;
}

export function runRule(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(RULE_HELP);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  if (positionals.length !== 1) throw new UsageError('give one rule id or name: nanguard rule NAN101');
  const rule = findRule(positionals[0]);
  if (!rule) throw new UsageError(`unknown rule '${positionals[0]}' (see \`nanguard rules\`)`);
  if (format === 'json') io.stdout(JSON.stringify({ version: 1, rule: { ...ruleSummary(rule), docs: rule.docs } }, null, 2) + '\n');
  else io.stdout(ruleDocsMarkdown(rule));
  return EXIT_OK;
}
