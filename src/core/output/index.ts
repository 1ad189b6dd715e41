/** Formatters for findings: text (Ruff-like), the stable JSON, SARIF 2.1.0. Pure; the CLI and the extension share them. */
export { buildReport, countFindings, hasFindingAtOrAbove, type AnalysedFile, type FileReport, type Report, type SeverityCounts } from './report';
export { formatText, formatFindingLine, formatPlace, formatSummary, type TextOptions } from './text';
export { formatJson, toJsonReport, type JsonReport, type JsonFile, type JsonFinding, type JsonProblem } from './json';
export { formatSarif, toSarif, sarifUri, type SarifOptions } from './sarif';
export { ruleDocsMarkdown } from './rule-docs';
