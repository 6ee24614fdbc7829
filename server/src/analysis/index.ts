// The analysis core's entry points, shared by the CLI and the language server (see "Core API" in docs/architecture.md).
import { Analyzer, type WorkspaceAnalysis } from './analysis';
import { IncrementalModel } from './incremental';
import { buildFileModel, mayHaveFindings, type FileModel, type WorkspaceIndex } from './model';
import { findRule, rules } from './rules/index';
import type { Rule, RuleContext } from './rules/rule';
import { withoutSuppressed } from './suppressions';
import type { AnalysisOptions, Finding, Severity } from './types';

export type { AnalysisOptions, Finding, RuleSetting } from './types';

/** The index of all files; pairing is cross-file, so findings for one file read every file set. */
export class Workspace implements WorkspaceIndex {
  private readonly files_ = new Map<string, FileModel>();
  private options: AnalysisOptions;
  /** Pairs and verdicts of the current files; dropped whenever a file changes, recomputed on demand. */
  private cached: WorkspaceAnalysis | undefined;
  /** The syntax trees and per-item results of files being edited (editFile), so each edit re-extracts only what changed. */
  private readonly editing = new Map<string, IncrementalModel>();
  /** Keeps flows, pairs and verdicts of unchanged functions from one analysis to the next (analysis.ts). */
  private readonly analyzer: Analyzer;

  /**
   * `once`: the workspace is analysed once, with every file set first (the CLI's check, the benchmark), so pairing
   * keeps no per-function state for a next analysis; findings are the same either way.
   */
  constructor(options: AnalysisOptions = {}, { once = false }: { once?: boolean } = {}) {
    this.options = options;
    this.analyzer = new Analyzer(!once);
  }

  /** Replaces the options (e.g. after the user changes settings); files stay indexed. */
  configure(options: AnalysisOptions): void {
    this.options = options;
  }

  /** Adds or replaces a file with a model built elsewhere (a worker thread or the on-disk cache, server/src/index/). */
  setModel(model: FileModel): void {
    this.files_.set(model.file, model);
    this.editing.delete(model.file);
    this.cached = undefined;
  }

  /** Adds or replaces a file: it is re-parsed and re-extracted at once. */
  setFile(file: string, text: string): void {
    this.files_.set(file, buildFileModel(file, text));
    this.editing.delete(file);
    this.cached = undefined;
  }

  /**
   * Adds or replaces a file the user is editing: the same model as setFile, but the file's syntax tree is kept, so the
   * next call re-parses incrementally and re-extracts only the top-level items whose text changed. setFile, setModel
   * and removeFile let the tree go (when the editor closes the document).
   */
  editFile(file: string, text: string): void {
    let incremental = this.editing.get(file);
    if (incremental === undefined) {
      incremental = new IncrementalModel(file);
      this.editing.set(file, incremental);
    }
    this.files_.set(file, incremental.update(text));
    this.cached = undefined;
  }

  /**
   * Re-parses an edited file afresh when its last incremental re-parse left syntax errors: tree-sitter's recovery
   * from a previous tree can differ from a fresh parse's, and the CLI and the editor must agree once the user pauses
   * (the server calls this then). Returns whether the file was re-parsed.
   */
  settleFile(file: string): boolean {
    const incremental = this.editing.get(file);
    if (incremental === undefined || incremental.isExact()) return false;
    this.files_.set(file, incremental.settle());
    this.cached = undefined;
    return true;
  }

  removeFile(file: string): void {
    this.files_.delete(file);
    this.editing.delete(file);
    this.cached = undefined;
  }

  /** Pairs and verdicts across every file set (for the scenario command, hovers and statistics). */
  analysis(): WorkspaceAnalysis {
    this.cached ??= this.analyzer.analyze(this.files_.values());
    return this.cached;
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

  /** Figures for the CLI's summary: barrier sites indexed, pairs found, and sites that take part in a pair. */
  stats(): { sites: number; pairs: number; pairedSites: number } {
    let sites = 0;
    for (const model of this.files_.values()) sites += model.sites.length;
    const analysis = this.analysis();
    return { sites, pairs: analysis.results.length, pairedSites: analysis.bySite.size };
  }

  /**
   * Diagnostics for one file, pairing against all files set; empty for a file never set. `fixes: false` leaves every
   * finding's fixes empty rather than making them, for callers that do not read them (publishing diagnostics).
   */
  findings(file: string, { fixes = true }: { fixes?: boolean } = {}): Finding[] {
    const model = this.files_.get(file);
    if (model === undefined || model.refused !== undefined) return [];
    // Most files of a tree have neither a barrier site nor a walked function.
    if (!mayHaveFindings(model)) return [];
    const context: RuleContext = { model, index: this, analysis: () => this.analysis(), fixes };
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
          fixes: !fixes ? [] : (report.fixes ?? rule.fix?.(context, report) ?? []),
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
