// Encoding publishDiagnostics at the cost of what changed: the stdio writer copies the JSON of each diagnostic that
// equals one of the document's last publication from that publication's bytes, and stringifies only the others.
import type { Diagnostic, Message, NotificationMessage, Range } from 'vscode-languageserver/node';
import type { Finding } from '../analysis/types';
import { ConversionLookup, toDiagnostic, type FileLookup } from './convert';

/** Lists made by toDiagnostics: every member has toDiagnostic's members, in its order, which `same` relies on. */
const converted = new WeakSet<readonly Diagnostic[]>();

/** The diagnostics of a document's findings (toDiagnostic's), marked as such for the encoder. */
export function toDiagnostics(findings: readonly Finding[], files: FileLookup): Diagnostic[] {
  const lookup = new ConversionLookup(files);
  const diagnostics = findings.map((finding) => toDiagnostic(finding, lookup));
  converted.add(diagnostics);
  return diagnostics;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Whether two diagnostics made by toDiagnostic have the same JSON: each member has the same value. */
function same(a: Diagnostic, b: Diagnostic): boolean {
  if (a.message !== b.message || a.code !== b.code || a.severity !== b.severity || a.source !== b.source) return false;
  if (a.codeDescription?.href !== b.codeDescription?.href || !sameRange(a.range, b.range)) return false;
  const x = a.relatedInformation ?? [];
  const y = b.relatedInformation ?? [];
  if (x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) {
    const p = x[k]!;
    const q = y[k]!;
    if (p.message !== q.message || p.location.uri !== q.location.uri || !sameRange(p.location.range, q.location.range)) return false;
  }
  return true;
}

/** A document's last publication as encoded: diagnostic `k`'s JSON is `bytes` from `starts[k]` to `ends[k]`. */
interface Encoded {
  diagnostics: readonly Diagnostic[];
  bytes: Buffer;
  starts: number[];
  ends: number[];
}

/** How many of the last publication's diagnostics past the last one matched are tried (findings an edit removed). */
const LOOKAHEAD = 4;

/** Where one toDiagnostic diagnostic's JSON ends and the next one's begins: only there does `{"range":` follow `},`. */
const BOUNDARY = Buffer.from('},{"range":', 'utf8');

/**
 * Diagnostics made by toDiagnostic, stringified in one call, with each one's bounds in the bytes. Every diagnostic's
 * JSON opens with `{"range":`, and a quote inside a string is escaped, so the boundaries are found by searching; were
 * the shape ever to change so that they are not, there are no bounds and the publication is not kept.
 */
function stringified(diagnostics: readonly Diagnostic[]): { bytes: Buffer; bounds: Array<[number, number]> | undefined } {
  const list = Buffer.from(JSON.stringify(diagnostics), 'utf8');
  const bytes = list.subarray(1, list.length - 1);
  const bounds: Array<[number, number]> = [];
  let from = 0;
  for (let at = bytes.indexOf(BOUNDARY); at >= 0; at = bytes.indexOf(BOUNDARY, from)) {
    bounds.push([from, at + 1]);
    from = at + 2;
  }
  bounds.push([from, bytes.length]);
  return { bytes, bounds: bounds.length === diagnostics.length ? bounds : undefined };
}

function isPublication(message: Message): message is NotificationMessage & { params: { uri: string; diagnostics: Diagnostic[] } } {
  const notification = message as NotificationMessage;
  const params = notification.params as { uri?: unknown; diagnostics?: unknown } | undefined;
  return notification.method === 'textDocument/publishDiagnostics' && typeof params?.uri === 'string' && Array.isArray(params.diagnostics);
}

/**
 * Encodes messages as JSON.stringify does, in UTF-8, for one connection's writer. Most of a publishDiagnostics
 * message is the same after an edit (all of it, when the edit added or removed no line): stringifying its ~570
 * diagnostics (760 kB) took several milliseconds an edit.
 */
export class PublicationEncoder {
  private readonly last = new Map<string, Encoded>();
  /** How many diagnostics of the last publication encoded were copied rather than stringified. */
  copied = 0;

  encode(message: Message): Buffer {
    if (!isPublication(message)) return Buffer.from(JSON.stringify(message), 'utf8');
    const { uri, diagnostics } = message.params;
    const shell = JSON.stringify({ ...message, params: { ...message.params, diagnostics: [] } });
    // The diagnostics are the params' last member and the params the message's last: the list goes before `]}}`.
    const end = ']}}';
    if (!shell.endsWith(`"diagnostics":[${end}`)) return Buffer.from(JSON.stringify(message), 'utf8');
    // Diagnostics come sorted by place, in the order of the last publication but for those the edit added, removed or
    // changed: the one after the last copied, a few further, or the one at the same index most often matches.
    const previous = converted.has(diagnostics) ? this.last.get(uri) : undefined;
    let next = 0;
    const find = (diagnostic: Diagnostic, index: number): number | undefined => {
      if (previous === undefined) return undefined;
      const limit = Math.min(previous.diagnostics.length, next + LOOKAHEAD);
      for (let k = next; k < limit; k++) if (same(previous.diagnostics[k]!, diagnostic)) return k;
      if (index < previous.diagnostics.length && same(previous.diagnostics[index]!, diagnostic)) return index;
      return undefined;
    };
    this.copied = 0;
    // Pieces of the list: a copied diagnostic, or a run of the others stringified in one call (JSON.stringify's cost
    // is largely per call), each with where its diagnostics' JSON lies in it.
    const pieces: Array<{ bytes: Buffer; bounds: Array<[number, number]> | undefined }> = [];
    let run: Diagnostic[] = [];
    const flush = (): void => {
      if (run.length > 0) pieces.push(stringified(run));
      run = [];
    };
    diagnostics.forEach((diagnostic, index) => {
      const k = find(diagnostic, index);
      if (k === undefined || previous === undefined) {
        run.push(diagnostic);
        return;
      }
      flush();
      next = k + 1;
      this.copied++;
      const bytes = previous.bytes.subarray(previous.starts[k], previous.ends[k]);
      pieces.push({ bytes, bounds: [[0, bytes.length]] });
    });
    flush();
    const head = Buffer.from(shell.slice(0, -end.length), 'utf8');
    let length = head.length + end.length + Math.max(0, pieces.length - 1);
    for (const piece of pieces) length += piece.bytes.length;
    const bytes = Buffer.allocUnsafe(length);
    let at = head.copy(bytes, 0);
    const starts: number[] = [];
    const ends: number[] = [];
    pieces.forEach((piece, k) => {
      if (k > 0) bytes[at++] = 0x2c; // ','
      for (const [from, to] of piece.bounds ?? []) {
        starts.push(at + from);
        ends.push(at + to);
      }
      at += piece.bytes.copy(bytes, at);
    });
    bytes.write(end, at, 'utf8');
    if (converted.has(diagnostics) && starts.length === diagnostics.length) this.last.set(uri, { diagnostics, bytes, starts, ends });
    else this.last.delete(uri);
    return bytes;
  }
}
