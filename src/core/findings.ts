import type { Cause } from './causes';
import type { Range, SourceLocation } from './ir';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface TextEdit {
  path: string;
  range: Range;
  newText: string;
  /** For notebooks: the 0-based index of the cell the range refers to (the range is then cell-relative). */
  cell?: number;
}

/** A fix a user can apply. Edits are applied together; they never overlap. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to offer first (VS Code's `isPreferred`). */
  preferred?: boolean;
}

export interface RelatedInformation {
  location: SourceLocation;
  message: string;
}

/** One claim about what training will do, anchored in a file. */
export interface Finding {
  rule: string;
  cause: Cause;
  severity: Severity;
  path: string;
  range: Range;
  /** One line, with the numbers: "feature 1 spans 1000-5000 while feature 0 spans 1-5 (1000x)". */
  message: string;
  related: RelatedInformation[];
  fixes: Fix[];
  /** Markdown shown on hover under the message: the mechanism with this model's numbers. */
  explanation?: string;
  /** The model the finding is about, for the reproduction: its name, or `name:LINE` where two models share the name (core/modelHandles). */
  model?: string;
  /** For notebooks: the 0-based index of the cell the range refers to (the range is then cell-relative). */
  cell?: number;
  /** The finding rests on facts observed by running the program up to its first fit (`check --observe`), not on the code alone. */
  observed?: boolean;
}
