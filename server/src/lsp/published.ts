// Publishing diagnostics at the cost of what changed: a finding whose text and positions are those of the document's
// last publication gets the very diagnostic it got then, and the stdio writer encodes each diagnostic's JSON once.
import type { Diagnostic, Message, NotificationMessage, Range } from 'vscode-languageserver/node';
import type { Finding } from '../analysis/types';
import { findingRanges, severities, toDiagnostic, type FileLookup } from './convert';

/**
 * The JSON (UTF-8) of each diagnostic PublishedDiagnostics made, once encoded. Those diagnostics are never changed
 * after they are made, which is what lets a later publication that hands one out again reuse its JSON.
 */
const encoded = new WeakMap<Diagnostic, Buffer | undefined>();

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Whether `diagnostic` is what toDiagnostic makes of `finding`, whose ranges (findingRanges) are `ranges`. */
function converts(diagnostic: Diagnostic, finding: Finding, ranges: readonly Range[], files: FileLookup): boolean {
  const related = diagnostic.relatedInformation ?? [];
  if (diagnostic.code !== finding.ruleId || diagnostic.severity !== severities[finding.severity] || related.length !== finding.related.length) return false;
  if (diagnostic.message !== finding.message || !sameRange(diagnostic.range, ranges[0]!)) return false;
  return finding.related.every((entry, k) => {
    const other = related[k]!;
    return other.message === entry.message && sameRange(other.location.range, ranges[k + 1]!) && other.location.uri === files.uri(entry.file);
  });
}

/** A range's start (line and character) as one number. */
function startKey(range: Range): number {
  return range.start.line * 0x100000 + range.start.character;
}

/**
 * Converts findings to diagnostics for each document's publications, exactly as toDiagnostic does, keeping those of
 * its last publication: after an edit, most findings are the same at the same place (all of them, when the edit
 * added or removed no line), and handing out the same objects lets the writer reuse their JSON (encodeMessage).
 */
export class PublishedDiagnostics {
  private readonly byUri = new Map<string, Diagnostic[]>();

  convert(uri: string, findings: readonly Finding[], files: FileLookup): Diagnostic[] {
    const previous = this.byUri.get(uri) ?? [];
    // Findings come sorted by place, so the next one is most often the one after the last reused; the others are
    // looked up by where they start, in an index made only when first needed.
    let next = 0;
    let byStart: Map<number, number[]> | undefined;
    const reused = (finding: Finding, ranges: readonly Range[]): Diagnostic | undefined => {
      const candidate = previous[next];
      if (candidate !== undefined && converts(candidate, finding, ranges, files)) return previous[next++];
      if (byStart === undefined) {
        byStart = new Map();
        previous.forEach((diagnostic, k) => {
          const key = startKey(diagnostic.range);
          const list = byStart!.get(key);
          if (list === undefined) byStart!.set(key, [k]);
          else list.push(k);
        });
      }
      const found = byStart.get(startKey(ranges[0]!))?.find((k) => converts(previous[k]!, finding, ranges, files));
      if (found === undefined) return undefined;
      next = found + 1;
      return previous[found];
    };
    const diagnostics = findings.map((finding): Diagnostic => {
      const ranges = findingRanges(finding, files);
      let diagnostic = reused(finding, ranges);
      if (diagnostic === undefined) {
        diagnostic = toDiagnostic(finding, files, ranges);
        encoded.set(diagnostic, undefined);
      }
      return diagnostic;
    });
    this.byUri.set(uri, diagnostics);
    return diagnostics;
  }

  /** Lets a closed document's diagnostics go. */
  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}

function isPublication(message: Message): message is NotificationMessage & { params: { diagnostics: Diagnostic[] } } {
  const notification = message as NotificationMessage;
  return notification.method === 'textDocument/publishDiagnostics' && Array.isArray((notification.params as { diagnostics?: unknown } | undefined)?.diagnostics);
}

const COMMA = Buffer.from(',');

/**
 * A message as JSON.stringify encodes it, in UTF-8. A publishDiagnostics message is put together from each
 * diagnostic's JSON, kept for those PublishedDiagnostics made: stringifying ~570 diagnostics (760 kB) on every edit
 * took several milliseconds, most of it for diagnostics unchanged since the last publication.
 */
export function encodeMessage(message: Message): Buffer {
  if (!isPublication(message)) return Buffer.from(JSON.stringify(message), 'utf8');
  const shell = JSON.stringify({ ...message, params: { ...message.params, diagnostics: [] } });
  // The diagnostics are the params' last member and the params the message's last: the list goes before `]}}`.
  const end = ']}}';
  if (!shell.endsWith(`"diagnostics":[${end}`)) return Buffer.from(JSON.stringify(message), 'utf8');
  const pieces: Buffer[] = [Buffer.from(shell.slice(0, -end.length), 'utf8')];
  message.params.diagnostics.forEach((diagnostic, k) => {
    if (k > 0) pieces.push(COMMA);
    let json = encoded.get(diagnostic);
    if (json === undefined) {
      json = Buffer.from(JSON.stringify(diagnostic), 'utf8');
      if (encoded.has(diagnostic)) encoded.set(diagnostic, json);
    }
    pieces.push(json);
  });
  pieces.push(Buffer.from(end, 'utf8'));
  return Buffer.concat(pieces);
}
