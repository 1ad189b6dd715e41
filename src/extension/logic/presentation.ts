/**
 * What the editor shows, as plain strings and data: hover Markdown, rule documentation,
 * CodeLens targets and the status-bar text. No editor API here, so it is unit-tested.
 */
import type { Finding, Severity } from '../../core/findings';
import type { FileAnalysis, SourceLocation, Suppression } from '../../core/ir';
import type { Rule } from '../../core/rules/rule';
import { toCellLocation } from '../../core/frontends/notebookMap';
import { modelHandles } from '../../core/modelHandles';
import { bceLossFloor, type BceFloor } from '../../core/lossFloor';

export const RULE_DOC_SCHEME = 'nanguard-rule';
export const COMMAND_SHOW_RULE = 'nanguard.showRuleDocumentation';
export const COMMAND_REPRODUCE = 'nanguard.reproduceTraining';

/** Arguments of the reproduce command, as a hover or CodeLens passes them. */
export interface ReproduceArgs {
  /** The document (or notebook) URI, as a string. */
  uri: string;
  model?: string;
}

/** A `command:` link with JSON arguments, as VS Code's Markdown expects. */
export function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** The path part of the virtual document holding a rule's docs: `NAN101.md`. */
export function ruleDocPath(ruleId: string): string {
  return `${ruleId.toUpperCase()}.md`;
}

/** The rule id named by a virtual document path (`/NAN101.md` or `NAN101.md`). */
export function ruleIdFromDocPath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\.md$/i, '').toUpperCase();
}

const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

function fenced(code: string): string {
  const trimmed = code.trim();
  return trimmed.startsWith('```') ? trimmed : `\`\`\`python\n${trimmed}\n\`\`\``;
}

/** One rule's documentation page: the same text as the CLI's `nanguard rule`. */
export function ruleDocMarkdown(rule: Rule): string {
  return [
    `# ${rule.id}: ${rule.name}`,
    '',
    `${rule.title}`,
    '',
    `Cause: \`${rule.cause}\` · default severity: ${SEVERITY_WORD[rule.defaultSeverity]}`,
    '',
    '## What it does',
    '',
    rule.docs.whatItDoes.trim(),
    '',
    '## Why it leads to NaN',
    '',
    rule.docs.whyItFails.trim(),
    '',
    '## Example',
    '',
    fenced(rule.docs.example),
    '',
    '## Fix',
    '',
    rule.docs.fix.trim(),
    '',
    '## Evidence',
    '',
    rule.docs.evidence.trim(),
    '',
    `Silence it on one line with \`# nanguard: ignore[${rule.id}]\`, or everywhere with the \`nanguard.ignore\` setting.`,
    '',
  ].join('\n');
}

/** The page for an id no rule has (a stale link, a typo). */
export function unknownRuleMarkdown(ruleId: string, known: readonly Rule[]): string {
  const list = known.map((r) => `- \`${r.id}\` ${r.name}: ${r.title}`).join('\n');
  return `# ${ruleId}\n\nnanguard has no rule \`${ruleId}\`.${list ? `\n\nRules:\n\n${list}\n` : '\n'}`;
}

/** Hover Markdown for the findings under the cursor. `rules` looks a rule up by id. */
export function findingHoverMarkdown(findings: readonly Finding[], documentUri: string, rules: (id: string) => Rule | undefined): string {
  return findings
    .map((f) => {
      const rule = rules(f.rule);
      // The editor shows the diagnostic's message right above; the hover adds the mechanism with the numbers.
      const parts = [`**${f.rule}** ${rule ? rule.name : f.cause} · ${SEVERITY_WORD[f.severity]}`, '', f.explanation?.trim() || f.message];
      if (f.fixes.length > 0) {
        parts.push('', `**Fix:** ${f.fixes.map((x) => x.title).join('; ')} (quick fix available).`);
      } else if (rule) {
        parts.push('', `**Fix:** ${firstParagraph(rule.docs.fix)}`);
      }
      const links = [`[${f.rule} documentation](${commandLink(COMMAND_SHOW_RULE, [f.rule])})`];
      const args: ReproduceArgs = { uri: documentUri, model: f.model };
      links.push(`[Reproduce training${f.model ? ` of \`${f.model}\`` : ''}](${commandLink(COMMAND_REPRODUCE, [args])})`);
      parts.push('', links.join(' · '));
      return parts.join('\n');
    })
    .join('\n\n---\n\n');
}

/** The binary cross-entropy floors whose `loss=` argument is under the cursor (cell-relative in a notebook, `cell` then set). */
export function lossFloorsAt(analysis: FileAnalysis, cell: number | undefined, position: { line: number; character: number }): { floor: BceFloor; location: SourceLocation }[] {
  const out: { floor: BceFloor; location: SourceLocation }[] = [];
  for (const model of analysis.models) {
    const floor = bceLossFloor(model);
    if (!floor || floor.location.path !== analysis.path) continue;
    const location = analysis.notebook ? toCellLocation(analysis.notebook, floor.location) : floor.location;
    if (location.cell !== cell) continue;
    const { start, end } = location.range;
    const after = position.line > start.line || (position.line === start.line && position.character >= start.character);
    const before = position.line < end.line || (position.line === end.line && position.character <= end.character);
    if (after && before && !out.some((o) => o.floor.location === floor.location)) out.push({ floor, location });
  }
  return out;
}

const threeDigits = (n: number): string => String(Number(n.toPrecision(3)));

/** Hover Markdown for the loss floor of binary cross-entropy on continuous targets: the optimum is above 0, and that is no stall. */
export function lossFloorHoverMarkdown(floor: BceFloor): string {
  return [
    `**Binary cross-entropy cannot reach 0 here** · nanguard`,
    '',
    `The targets (\`${floor.targets}\`, values in [${threeDigits(floor.min)}, ${threeDigits(floor.max)}]) are not all exactly 0 or 1, and a target of 0.3 is best predicted by 0.3, which still costs -(0.3 ln 0.3 + 0.7 ln 0.7) = 0.61. Over these targets the loss cannot go below **${threeDigits(floor.atLeast)}** (a sure lower bound from their mean and spread; the exact floor is their mean entropy, which a reproduction reports). A loss that levels off near it is at its optimum, not stalled.`,
  ].join('\n');
}

function firstParagraph(markdown: string): string {
  const paragraph = markdown.trim().split(/\n\s*\n/)[0] ?? '';
  return paragraph.startsWith('```') ? 'see the rule documentation.' : paragraph;
}

/** Hover Markdown for a `# nanguard: ignore[...]` comment: what it silences. */
export function suppressionHoverMarkdown(suppression: Suppression, rules: (id: string) => Rule | undefined): string {
  if (suppression.rules.length === 0) return '`# nanguard: ignore` silences **every** nanguard rule on this line.';
  const lines = suppression.rules.map((id) => {
    const rule = rules(id);
    return rule ? `- [**${id}**](${commandLink(COMMAND_SHOW_RULE, [id])}) ${rule.name}: ${rule.title}` : `- **${id}**: no such nanguard rule (this entry silences nothing)`;
  });
  return [`This comment silences on this line:`, '', ...lines].join('\n');
}

/** Where a CodeLens goes: over `fit(...)`, else over the model definition. */
export interface LensTarget {
  /** For notebooks: cell-relative, with `cell` set. */
  location: SourceLocation;
  model: string;
  findings: number;
  errors: number;
}

export function lensTargets(analysis: FileAnalysis, findings: readonly Finding[]): LensTarget[] {
  const out: LensTarget[] = [];
  const handles = modelHandles(analysis.models);
  for (const [index, model] of analysis.models.entries()) {
    const handle = handles[index];
    const written = model.fit?.location ?? model.location;
    if (!written || written.path !== analysis.path) continue;
    // A notebook's IR is in the coordinates of its joined code cells; lenses go on the cell.
    const location = analysis.notebook ? toCellLocation(analysis.notebook, written) : written;
    if (analysis.notebook && location.cell === undefined) continue;
    const own = findings.filter((f) => f.model === handle);
    out.push({ location, model: handle, findings: own.length, errors: own.filter((f) => f.severity === 'error').length });
  }
  return out;
}

export function lensTitle(target: LensTarget): string {
  if (target.findings === 0) return 'nanguard: no NaN risks found';
  const errors = target.errors > 0 ? ` (${target.errors} error${target.errors === 1 ? '' : 's'})` : '';
  return `nanguard: ${target.findings} finding${target.findings === 1 ? '' : 's'}${errors}`;
}

/** Status-bar text and tooltip for the findings of the active file. */
export function statusText(findings: readonly Finding[]): { text: string; tooltip: string } {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  if (findings.length === 0) return { text: '$(check) nanguard', tooltip: 'nanguard: no NaN risks found in this file' };
  const icon = errors > 0 ? '$(error)' : '$(warning)';
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`, `${infos} info`];
  return { text: `${icon} nanguard ${findings.length}`, tooltip: `nanguard: ${parts.join(', ')} in this file. Click to open the Problems panel.` };
}
