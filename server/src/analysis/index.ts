// The analysis core's entry points, shared by the CLI and the language server (see "Core API" in docs/architecture.md).
import { buildFileModel, type FileModel, type WorkspaceIndex } from './model';
import { findRule, rules } from './rules/index';
import type { Rule, RuleContext } from './rules/rule';
import { withoutSuppressed } from './suppressions';
import type { AnalysisOptions, Finding, Severity } from './types';

export type { AnalysisOptions, Finding, RuleSetting } from './types';

/** The index of all files; pairing is cross-file, so findings for one file read every file set. */
export class Workspace implements WorkspaceIndex {
  private readonly files_ = new Map<string, FileModel>();
  private options: AnalysisOptions;

  constructor(options: AnalysisOptions = {}) {
    this.options = options;
  }

  /** Replaces the options (e.g. after the user changes settings); files stay indexed. */
  configure(options: AnalysisOptions): void {
    this.options = options;
  }

  /** Adds or replaces a file with a model built elsewhere (a worker thread or the on-disk cache, server/src/index/). */
  setModel(model: FileModel): void {
    this.files_.set(model.file, model);
  }

  /** Adds or replaces a file: it is re-parsed and re-extracted at once. */
  setFile(file: string, text: string): void {
    this.files_.set(file, buildFileModel(file, text));
  }

  removeFile(file: string): void {
    this.files_.delete(file);
  }

  files(): string[] {
    return [...this.files_.keys()];
  }

  /** Why a file set in the workspace was not analysed (binary, too large...), or undefined. */
  refusal(file: string): string | undefined {
    return this.files_.get(file)?.refused;
  }

  model(file: string): FileModel | undefined {
    return this.files_.get(file);
  }

  models(): Iterable<FileModel> {
    return this.files_.values();
  }

  /** Diagnostics for one file, pairing against all files set; empty for a file never set. */
  findings(file: string): Finding[] {
    const model = this.files_.get(file);
    if (model === undefined || model.refused !== undefined) return [];
    const context: RuleContext = { model, index: this };
    const findings: Finding[] = [];
    for (const rule of rules) {
      const severity = configuredSeverity(rule, this.options);
      if (severity === undefined) continue;
      for (const report of rule.check(context)) {
        findings.push({
          ruleId: rule.id,
          severity,
          message: report.message,
          file,
          range: report.range,
          related: report.related ?? [],
          fixes: rule.fix?.(context, report) ?? [],
        });
      }
    }
    // Suppression comments are honoured here, once, so the CLI and the server agree on what is shown.
    return withoutSuppressed(model, findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId)));
  }
}

function configuredSeverity(rule: Rule, options: AnalysisOptions): Severity | undefined {
  const setting = options.rules?.[rule.id] ?? 'default';
  if (setting === 'off') return undefined;
  return setting === 'default' ? rule.meta.defaultSeverity : setting;
}

/** Findings for one file analysed alone. */
export function analyzeText(file: string, text: string, options?: AnalysisOptions): Finding[] {
  const workspace = new Workspace(options);
  workspace.setFile(file, text);
  return workspace.findings(file);
}

/** Every rule id, for settings and documentation. */
export function ruleIds(): string[] {
  return rules.map((rule) => rule.id);
}

/** A rule's metadata by id, for hovers, settings and SARIF. */
export function ruleMeta(id: string): Rule['meta'] | undefined {
  return findRule(id)?.meta;
}
