/**
 * SARIF 2.1.0, the format GitHub code scanning reads. Regions are 1-based; columns count
 * UTF-16 code units, as LSP characters do. Input problems become tool notifications.
 */
import type { Finding, Severity } from '../findings';
import type { Range } from '../ir';
import type { Rule } from '../rules/rule';
import type { Report } from './report';
import { ruleDocsMarkdown } from './rule-docs';

export interface SarifOptions {
  rules: readonly Rule[];
  toolVersion: string;
  informationUri: string;
  /** Rule docs live at `${helpUriBase}/${id}.md`. */
  helpUriBase: string;
  /** Absolute `file://` URI of the folder report paths are relative to (ends with `/`), when known. */
  srcRootUri?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

const SRCROOT = '%SRCROOT%';

export function sarifUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function region(r: Range) {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: Math.max(r.end.line, r.start.line) + 1,
    endColumn: (r.end.line > r.start.line ? r.end.character : Math.max(r.end.character, r.start.character)) + 1,
  };
}

function physicalLocation(path: string, r: Range | undefined) {
  const loc: Record<string, unknown> = { artifactLocation: { uri: sarifUri(path), uriBaseId: SRCROOT } };
  if (r) loc.region = region(r);
  return loc;
}

function ruleDescriptor(rule: Rule, options: SarifOptions) {
  const markdown = ruleDocsMarkdown(rule);
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.whatItDoes.trim() || rule.title },
    helpUri: `${options.helpUriBase}/${rule.id}.md`,
    help: { text: markdown, markdown },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ['nanguard', rule.cause] },
  };
}

function result(f: Finding, ruleIndex: number | undefined) {
  const out: Record<string, unknown> = {
    ruleId: f.rule,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(f.path, f.range) }],
  };
  if (ruleIndex !== undefined) out.ruleIndex = ruleIndex;
  if (f.related.length > 0) {
    out.relatedLocations = f.related.map((r, i) => ({
      id: i,
      physicalLocation: physicalLocation(r.location.path, r.location.range),
      message: { text: r.message },
      ...(r.location.cell !== undefined ? { properties: { cell: r.location.cell } } : {}),
    }));
  }
  const properties: Record<string, unknown> = { cause: f.cause };
  if (f.model !== undefined) properties.model = f.model;
  // SARIF has no notebook cells: the region is relative to this cell (0-based index).
  if (f.cell !== undefined) properties.cell = f.cell;
  out.properties = properties;
  return out;
}

export function toSarif(report: Report, options: SarifOptions): Record<string, unknown> {
  const rules = [...options.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.files.flatMap((file) => file.findings.map((f) => result(f, index.get(f.rule))));
  const notifications = report.files.flatMap((file) =>
    file.problems.map((p) => ({
      level: LEVEL[p.severity],
      message: { text: p.message },
      locations: [{ physicalLocation: physicalLocation(p.location?.path ?? file.path, p.location?.range) }],
    })),
  );
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'nanguard',
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        informationUri: options.informationUri,
        rules: rules.map((r) => ruleDescriptor(r, options)),
      },
    },
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (options.srcRootUri) run.originalUriBaseIds = { [SRCROOT]: { uri: options.srcRootUri } };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

export function formatSarif(report: Report, options: SarifOptions): string {
  return JSON.stringify(toSarif(report, options), null, 2) + '\n';
}
