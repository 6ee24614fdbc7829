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

/**
 * A file lookup for one conversion of many findings: each file's URI and document are looked up once, and each range
 * object's positions computed once. Related information repeats ranges (every finding at a busy barrier points at the
 * same partners: ~2,800 related locations over ~300 ranges in a 10k-line file), and offsets do not move during one
 * conversion. The positions returned for a range are one object, shared by the diagnostics that use it.
 */
export class ConversionLookup implements FileLookup {
  private readonly files = new Map<string, { uri: string; document: TextDocument | undefined }>();
  private readonly ranges = new Map<TextRange, { file: string; range: Range }>();

  constructor(private readonly lookup: FileLookup) {}

  private file(file: string): { uri: string; document: TextDocument | undefined } {
    let found = this.files.get(file);
    if (found === undefined) {
      found = { uri: this.lookup.uri(file), document: this.lookup.document(file) };
      this.files.set(file, found);
    }
    return found;
  }

  document(file: string): TextDocument | undefined {
    return this.file(file).document;
  }

  uri(file: string): string {
    return this.file(file).uri;
  }

  /** toRange of the file's document, once per range object (a range object belongs to one file's model). */
  range(file: string, range: TextRange): Range {
    const known = this.ranges.get(range);
    if (known !== undefined && known.file === file) return known.range;
    const converted = toRange(this.document(file), range);
    this.ranges.set(range, { file, range: converted });
    return converted;
  }
}

/**
 * Related locations listed under one diagnostic. A barrier in a busy file pairs with dozens of functions: past a
 * screenful, the list under a warning is more than anyone reads, and every edit sends it again (in the generated
 * 10k-line file of `npm run bench:edit`, related locations were 70% of each publication's 850 KB). The rest are
 * counted in one last entry; the hover on the barrier lists every pairing, and the CLI's outputs keep them all.
 */
export const RELATED_LIMIT = 8;

export function toDiagnostic(finding: Finding, files: FileLookup): Diagnostic {
  const rangeOf = (file: string, range: TextRange): Range => (files instanceof ConversionLookup ? files.range(file, range) : toRange(files.document(file), range));
  const location = (file: string, range: TextRange): DiagnosticRelatedInformation['location'] => ({ uri: files.uri(file), range: rangeOf(file, range) });
  const shown = finding.related.length > RELATED_LIMIT ? finding.related.slice(0, RELATED_LIMIT) : finding.related;
  const relatedInformation: DiagnosticRelatedInformation[] = shown.map((related) => ({
    location: location(related.file, related.range),
    message: related.message,
  }));
  const rest = finding.related.length - shown.length;
  if (rest > 0) {
    relatedInformation.push({
      location: location(finding.file, finding.range),
      message: `and ${rest} more (the hover on a barrier lists every pairing)`,
    });
  }
  return {
    range: rangeOf(finding.file, finding.range),
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
