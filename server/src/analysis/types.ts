// Plain-data results of the analysis core: offsets into the file text, no LSP types (see docs/architecture.md).

/** A half-open range of UTF-16 code-unit offsets into a file's text, as JavaScript strings index it. */
export interface TextRange {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A place in some file of the workspace, e.g. the paired barrier of a finding. */
export interface Location {
  file: string;
  range: TextRange;
}

export interface RelatedInfo extends Location {
  message: string;
}

export interface TextEdit extends Location {
  newText: string;
}

/** A quick fix: edits that, applied together, remove the finding without breaking the ordering. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/** One diagnostic produced by one rule. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  range: TextRange;
  related: RelatedInfo[];
  fixes: Fix[];
}

/** Per-rule setting: `default` keeps the rule's own severity, `off` drops its findings. */
export type RuleSetting = 'default' | 'off' | Severity;

/** Options of the analysis entry points (server/src/analysis/index.ts). */
export interface AnalysisOptions {
  /** Rule id → setting; rules not listed keep their default severity. */
  rules?: Record<string, RuleSetting>;
}
