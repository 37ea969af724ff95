// Plain data shared by the engine and its callers. Nothing here knows about LSP.
// Offsets are indexes into the JavaScript source string (UTF-16 code units), which is
// what web-tree-sitter reports for string input; positions.ts converts them to
// lines, columns and byte offsets in one place.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface Span {
  start: number;
  end: number;
}

/** A replacement of [start, end) in the original text. `file` is set only for an edit in another file. */
export interface TextEdit extends Span {
  newText: string;
  file?: string;
}

/** One way to fix a finding. All edits of one fix apply together to the original text. */
export interface Fix {
  /** Stable short id, e.g. "add-buffer"; golden files name their sections after it. */
  kind: string;
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface RelatedLocation {
  span: Span;
  message: string;
  /** Absolute path when the location is in another file. */
  file?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedLocation[];
  fixes: Fix[];
  /** Top-level declaration the finding is in ("F", "T.M"; fingerprint.ts): set by the engine, for baselines. */
  scope?: string;
}

/** A code action offered without a diagnostic (e.g. the wg.Go modernisation). */
export interface Refactor {
  rule: string;
  span: Span;
  fix: Fix;
}

export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Path of the rule's page, relative to the repository root. */
  docs: string;
  fixable: boolean;
}
