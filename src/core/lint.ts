import type { Finding, Fix, Severity } from './findings';
import type { FileAnalysis, Position, SourceLocation } from './ir';
import type { Rule } from './rules/rule';
import { ALL_RULES } from './rules/index';
import type { Settings } from './settings';
import { isSuppressed } from './suppressions';
import { modelHandles } from './modelHandles';

function matches(ruleId: string, patterns: readonly string[]): boolean {
  const id = ruleId.toUpperCase();
  return patterns.some((p) => {
    const q = p.trim().toUpperCase();
    return q === 'ALL' || id.startsWith(q);
  });
}

/** The rules that run under these settings, with the severity each reports at. */
export function activeRules(settings: Settings, rules: readonly Rule[] = ALL_RULES): { rule: Rule; severity: Severity }[] {
  const out: { rule: Rule; severity: Severity }[] = [];
  for (const rule of rules) {
    if (settings.select.length > 0 && !matches(rule.id, settings.select) && !matches(rule.name, settings.select)) continue;
    if (matches(rule.id, settings.ignore) || settings.ignore.includes(rule.name)) continue;
    const override = settings.severity[rule.id] ?? settings.severity[rule.name];
    if (override === 'off') continue;
    out.push({ rule, severity: override ?? rule.defaultSeverity });
  }
  return out;
}

/**
 * Runs the rules over every model of an analysed file. A rule that throws is reported as
 * an input problem of nanguard itself rather than taking the whole lint down.
 */
export function lintAnalysis(
  analysis: FileAnalysis,
  settings: Settings,
  sourceText: (path: string) => string | undefined,
  rules: readonly Rule[] = ALL_RULES,
): Finding[] {
  const findings: Finding[] = [];
  const active = activeRules(settings, rules);
  const handles = modelHandles(analysis.models);
  for (const [index, model] of analysis.models.entries()) {
    for (const { rule, severity } of active) {
      let hits;
      try {
        hits = rule.check({ model, file: analysis, thresholds: settings.thresholds, sourceText });
      } catch (err) {
        analysis.problems.push({ severity: 'info', message: `nanguard: rule ${rule.id} failed on model '${model.name}': ${String(err)}` });
        continue;
      }
      for (const hit of hits) {
        const path = hit.location.path;
        // Suppressions are read from the analysed file only.
        if (path === analysis.path && isSuppressed(analysis.suppressions, hit.location.range.start.line, rule.id)) continue;
        const overridden = settings.severity[rule.id] ?? settings.severity[rule.name];
        findings.push({
          rule: rule.id,
          cause: rule.cause,
          severity: overridden && overridden !== 'off' ? overridden : (hit.severity ?? severity),
          path,
          range: hit.location.range,
          message: hit.message,
          related: hit.related ?? [],
          fixes: (hit.fixes ?? []).filter((fix) => !editsWithin(fix, analysis.moduleCalls) && !editsWithin(fix, analysis.rewrittenLines)),
          explanation: hit.explanation,
          model: hit.model ?? handles[index],
        });
      }
    }
  }
  // Equal strings are tested first: most findings share the file, and localeCompare is a slow call.
  const compare = (x: string, y: string): number => (x === y ? 0 : x.localeCompare(y));
  return dedupe(findings).sort(
    (a, b) => compare(a.path, b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compare(a.rule, b.rule),
  );
}

/**
 * A fix whose edit falls inside one of these places: a call of the program's own module (the code
 * it means to change is in the module, not at the call), or a line analysed as other text.
 */
function editsWithin(fix: Fix, calls: readonly SourceLocation[] | undefined): boolean {
  if (!calls || calls.length === 0) return false;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  // Overlapping strictly: an insertion at either end of the call (a new line above it) edits no module code.
  return fix.edits.some((e) => calls.some((c) => c.path === e.path && before(c.range.start, e.range.end) && before(e.range.start, c.range.end)));
}

// Two models sharing a layer (an encoder inside an autoencoder) must not report it twice.
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.path}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
