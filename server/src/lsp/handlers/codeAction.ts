// textDocument/codeAction: the fixes the analysis attached to findings under the cursor, and a fix-all per rule.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { Finding, TextEdit } from '../../analysis/types';
import { toCodeAction, toDiagnostic, toWorkspaceEdit } from '../convert';
import { isLitmus } from '../diagnostics';
import type { ServerState } from '../state';

/** The kind clients ask for on save (`editor.codeActionsOnSave`) to apply every fix of this server. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.barrier-lint`;

function overlaps(range: { start: number; end: number }, start: number, end: number): boolean {
  return range.start <= end && start <= range.end;
}

/**
 * One fix per finding of a rule (the preferred one, else the first), keeping only edits that do not overlap an edit
 * already taken, since overlapping edits in one WorkspaceEdit are invalid.
 */
function fixAll(findings: Finding[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred === true) ?? finding.fixes[0];
    if (fix === undefined) continue;
    const clashes = fix.edits.some((edit) =>
      taken.some((other) => other.file === edit.file && overlaps(other.range, edit.range.start, edit.range.end)),
    );
    if (!clashes) taken.push(...fix.edits);
  }
  return taken;
}

function wants(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return only === undefined || only.some((prefix) => kind === prefix || kind.startsWith(`${prefix}.`));
}

export function onCodeAction(state: ServerState, params: CodeActionParams): CodeAction[] {
  const document: TextDocument | undefined = state.documents.get(params.textDocument.uri);
  if (document === undefined || isLitmus(document)) return [];
  const findings = state.workspace.findings(state.fileOf(document.uri)).filter((finding) => finding.fixes.length > 0);
  const actions: CodeAction[] = [];
  if (wants(params, CodeActionKind.QuickFix)) {
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    for (const finding of findings.filter((item) => overlaps(item.range, start, end))) {
      const diagnostic = toDiagnostic(finding, state);
      for (const fix of finding.fixes) actions.push(toCodeAction(fix, diagnostic, state));
    }
  }
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  if (wants(params, CodeActionKind.QuickFix)) {
    for (const [ruleId, group] of byRule) {
      if (group.length < 2) continue;
      actions.push({ title: `Fix all ${ruleId} problems in this file`, kind: CodeActionKind.QuickFix, edit: toWorkspaceEdit(fixAll(group), state) });
    }
  }
  if (wants(params, FIX_ALL_KIND) && params.context.only !== undefined && findings.length > 0) {
    actions.push({ title: 'Fix all barrier-lint problems', kind: FIX_ALL_KIND, edit: toWorkspaceEdit(fixAll(findings), state) });
  }
  return actions;
}
