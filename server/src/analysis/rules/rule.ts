// The rule contract (after typescript-eslint's createRule): metadata, a check that reports, and optional fixes.
import type { WorkspaceAnalysis } from '../analysis';
import type { FileModel, WorkspaceIndex } from '../model';
import type { Fix, RelatedInfo, Severity, TextRange } from '../types';

export interface RuleMeta {
  /** One sentence, shown in settings and `--help`. */
  description: string;
  defaultSeverity: Severity;
  /** The rule's page, relative to the package root: `docs/rules/<id>.md`. */
  docs: string;
}

export interface RuleContext {
  /** The file being checked. */
  model: FileModel;
  /** Every file set in the workspace, the checked one included; pairs cross files. */
  index: WorkspaceIndex;
  /** Pairs and verdicts of the whole workspace, computed on first use and shared by all rules and files. */
  analysis(): WorkspaceAnalysis;
  /**
   * False when the caller does not read fixes (publishing diagnostics after an edit): rules then leave reports'
   * fixes out instead of making them, which for ~570 findings of a large file was a good part of a rule pass.
   */
  fixes?: boolean;
}

/** What a check reports; the framework adds the rule id, the file and the configured severity. */
export interface Report {
  range: TextRange;
  message: string;
  related?: RelatedInfo[];
  /** Fixes known when checking; `Rule.fix` computes them otherwise. */
  fixes?: Fix[];
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  check(context: RuleContext): Report[];
  /** Edits that remove one report without weakening the ordering; absent when no fix is ever safe. */
  fix?(context: RuleContext, report: Report): Fix[];
}
