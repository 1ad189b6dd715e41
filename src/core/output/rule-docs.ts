/** One rule's documentation as Markdown: what `nanguard rule ID` prints and SARIF's `help.markdown` carries. */
import type { Rule } from '../rules/rule';

function fenced(code: string, language: string): string {
  const trimmed = code.trim();
  return trimmed.startsWith('```') ? trimmed : '```' + language + '\n' + trimmed + '\n```';
}

export function ruleDocsMarkdown(rule: Rule): string {
  const d = rule.docs;
  const sections = [
    `# ${rule.id} (${rule.name})`,
    `${rule.title}\n\nDefault severity: ${rule.defaultSeverity}. Cause: \`${rule.cause}\`. Measured in Keras: ${d.measured.trim()}.`,
    `## What it does\n\n${d.whatItDoes.trim()}`,
    `## Why it leads to NaN\n\n${d.whyItFails.trim()}`,
    `## Example\n\n${fenced(d.example, 'python')}`,
    `## Fix\n\n${d.fix.trim()}`,
  ];
  if (d.evidence.trim()) sections.push(`## Evidence\n\n${d.evidence.trim()}`);
  return sections.join('\n\n') + '\n';
}
