// Conversions between the analysis core's plain data (files, UTF-16 offsets) and LSP types (URIs, positions).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity, TextEdit, TextRange } from '../analysis/types';
import { ruleDocUri } from './ruleDocs';

/** What conversions need to know about files: their text (for positions) and the URI the client calls them by. */
export interface FileLookup {
  document(file: string): TextDocument | undefined;
  uri(file: string): string;
}

/** The analysis names files by path when they live on disk, so findings read well in messages and in the CLI. */
export function uriToFile(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    // A file: URI with a remote host has no local path; its URI is still a unique name.
    return uri;
  }
}

export function fileToUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : file;
}

export function toRange(document: TextDocument | undefined, range: TextRange): Range {
  if (document === undefined) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'barrier-lint';

export function toDiagnostic(finding: Finding, files: FileLookup): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((related) => ({
    location: { uri: files.uri(related.file), range: toRange(files.document(related.file), related.range) },
    message: related.message,
  }));
  return {
    range: toRange(files.document(finding.file), finding.range),
    severity: severities[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUri(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
  };
}

/** Edits grouped by document; edits into files the server has no text for cannot be placed and are dropped. */
export function toWorkspaceEdit(edits: readonly TextEdit[], files: FileLookup): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of edits) {
    const document = files.document(edit.file);
    if (document === undefined) continue;
    (changes[files.uri(edit.file)] ??= []).push({ range: toRange(document, edit.range), newText: edit.newText });
  }
  return { changes };
}

export function toCodeAction(fix: Fix, diagnostic: Diagnostic, files: FileLookup): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.isPreferred === true ? { isPreferred: true } : {}),
    edit: toWorkspaceEdit(fix.edits, files),
  };
}
