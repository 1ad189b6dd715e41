import type { Cause } from '../causes';
import type { Finding, Fix, RelatedInformation, Severity } from '../findings';
import type { FileAnalysis, ModelSpec, SourceLocation } from '../ir';
import type { Thresholds } from '../settings';

/** Ruff-style documentation; Markdown. The same text feeds hovers, `nanguard rule`, and the README. */
export interface RuleDocs {
  /** What it does: one paragraph. */
  whatItDoes: string;
  /** Why it leads to NaN (or to a stall): the numerical mechanism, with numbers. */
  whyItFails: string;
  /** A short Python example that triggers the rule. */
  example: string;
  /** How to fix it, with the fixed code. */
  fix: string;
  /**
   * One plain line: how often the rule's own example failed over seeds in real Keras, as `test/evidence/results.json`
   * records it, with counts written "N of M seeds" (e.g. `NaN in the first epoch in 4 of 5 seeds (SGD 0.01)`).
   * The README's rules table shows it; keep it under about 90 characters and consistent with `evidence`.
   */
  measured: string;
  /** What a real training run of the example does (Keras and the tfjs reproduction), so severity rests on evidence. */
  evidence: string;
}

/** What a rule's check returns; the engine fills in rule, cause, severity, path and defaults. */
export interface RuleHit {
  location: SourceLocation;
  message: string;
  related?: RelatedInformation[];
  fixes?: Fix[];
  explanation?: string;
  /** Overrides the rule's default severity when the evidence is weaker or stronger in this case. */
  severity?: Severity;
  model?: string;
}

export interface RuleContext {
  model: ModelSpec;
  file: FileAnalysis;
  thresholds: Thresholds;
  /** The text of a file the analysis read (the analysed file, its config JSON), for building fixes. */
  sourceText(path: string): string | undefined;
}

export interface Rule {
  /** `NAN101` */
  id: string;
  /** kebab-case name, e.g. `unscaled-input` (may equal the cause). */
  name: string;
  cause: Cause;
  /** One line. */
  title: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  check(ctx: RuleContext): RuleHit[];
}

export type { Finding };
