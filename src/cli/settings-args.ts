/**
 * Turns `--select`, `--ignore`, `--severity` and a `--config` file into core Settings.
 * Rule names are accepted wherever ids are (`unscaled-input` = `NAN101`); a selector that
 * matches no rule is a usage error, so a typo never silently turns a rule off.
 */
import { readFileSync } from 'node:fs';
import type { Severity } from '../core/findings';
import type { Rule } from '../core/rules/rule';
import { resolveSettings, DEFAULT_THRESHOLDS, type Settings, type Thresholds } from '../core/settings';
import { UsageError } from './io';

const SEVERITY_VALUES = ['error', 'warning', 'info', 'off'] as const;

/** `NAN1,NAN203` or repeated flags, into single trimmed tokens. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

/** A selector as the engine understands it: an id prefix (or ALL); names become ids. */
export function normalizeSelector(token: string, rules: readonly Rule[]): string {
  const upper = token.toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const byName = rules.find((r) => r.name.toUpperCase() === upper);
  if (byName) return byName.id;
  if (rules.some((r) => r.id.toUpperCase().startsWith(upper))) return upper;
  throw new UsageError(`unknown rule or prefix '${token}' (see \`nanguard rules\`)`);
}

function ruleIdFor(token: string, rules: readonly Rule[]): string {
  const upper = token.trim().toUpperCase();
  const rule = rules.find((r) => r.id === upper || r.name.toUpperCase() === upper);
  if (!rule) throw new UsageError(`unknown rule '${token}' (see \`nanguard rules\`)`);
  return rule.id;
}

function parseSeverity(value: unknown, what: string): Severity | 'off' {
  if (typeof value === 'string' && (SEVERITY_VALUES as readonly string[]).includes(value)) return value as Severity | 'off';
  throw new UsageError(`${what}: severity must be one of ${SEVERITY_VALUES.join(', ')}, got ${JSON.stringify(value)}`);
}

/** `NAN101=warning` or `unscaled-input=off`. */
export function parseSeverityOverrides(values: readonly string[], rules: readonly Rule[]): Record<string, Severity | 'off'> {
  const out: Record<string, Severity | 'off'> = {};
  for (const item of splitList(values)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--severity expects RULE=LEVEL, got '${item}'`);
    out[ruleIdFor(item.slice(0, eq), rules)] = parseSeverity(item.slice(eq + 1).trim(), `--severity ${item}`);
  }
  return out;
}

export interface SettingsFile {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, Severity | 'off'>;
  thresholds?: Partial<Thresholds>;
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new UsageError(`config: "${key}" must be a list of strings`);
  return value;
}

/** A settings file: `{"select": [...], "ignore": [...], "severity": {"NAN101": "warning"}, "thresholds": {...}}`. */
export function readSettingsFile(path: string, rules: readonly Rule[]): SettingsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`config ${path}: expected a JSON object`);
  const out: SettingsFile = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === 'select' || key === 'ignore') out[key] = stringList(value, key).map((t) => normalizeSelector(t, rules));
    else if (key === 'severity') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('config: "severity" must be an object');
      out.severity = {};
      for (const [rule, level] of Object.entries(value)) out.severity[ruleIdFor(rule, rules)] = parseSeverity(level, `config severity of ${rule}`);
    } else if (key === 'thresholds') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('config: "thresholds" must be an object');
      out.thresholds = {};
      for (const [name, n] of Object.entries(value)) {
        if (!(name in DEFAULT_THRESHOLDS)) throw new UsageError(`config: unknown threshold "${name}" (known: ${Object.keys(DEFAULT_THRESHOLDS).join(', ')})`);
        if (typeof n !== 'number' || !Number.isFinite(n)) throw new UsageError(`config: threshold "${name}" must be a number`);
        out.thresholds[name as keyof Thresholds] = n;
      }
    } else throw new UsageError(`config ${path}: unknown key "${key}" (known: select, ignore, severity, thresholds)`);
  }
  return out;
}

export interface SettingsArgs {
  select?: string[];
  ignore?: string[];
  severity?: string[];
  config?: string;
}

/** Command-line `--select` replaces the config's; `--ignore` and `--severity` add to it. */
export function settingsFromArgs(args: SettingsArgs, rules: readonly Rule[], resolvePath: (p: string) => string): Settings {
  const file = args.config ? readSettingsFile(resolvePath(args.config), rules) : {};
  const select = splitList(args.select).map((t) => normalizeSelector(t, rules));
  const ignore = splitList(args.ignore).map((t) => normalizeSelector(t, rules));
  return resolveSettings({
    select: select.length > 0 ? select : (file.select ?? []),
    ignore: [...(file.ignore ?? []), ...ignore],
    severity: { ...(file.severity ?? {}), ...parseSeverityOverrides(args.severity ?? [], rules) },
    thresholds: file.thresholds,
  });
}
