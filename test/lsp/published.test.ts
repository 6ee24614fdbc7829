// The stdio writer's encoder: whatever it copies from a document's last publication, it writes exactly what
// JSON.stringify writes, and it copies the diagnostics an edit left unchanged.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { kernelStyleFile, random } from '../../bench/generate';
import { Workspace } from '../../server/src/analysis/index';
import type { Finding } from '../../server/src/analysis/types';
import { toDiagnostic, type FileLookup } from '../../server/src/lsp/convert';
import { PublicationEncoder, toDiagnostics } from '../../server/src/lsp/published';

const file = '/src/queue.c';
const uri = 'file:///src/queue.c';

function lookup(text: string): FileLookup {
  const document = TextDocument.create(uri, 'c', 1, text);
  return { document: (name) => (name === file ? document : undefined), uri: (name) => (name === file ? uri : `file://${name}`) };
}

function publication(diagnostics: Diagnostic[], version?: number, to = uri): Message {
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: to, ...(version === undefined ? {} : { version }), diagnostics } } as Message;
}

/** Encodes with `encoder` and checks the bytes are JSON.stringify's; returns how many diagnostics were copied. */
function encodes(encoder: PublicationEncoder, message: Message): number {
  expect(encoder.encode(message).toString('utf8')).toBe(JSON.stringify(message));
  return encoder.copied;
}

/** Edits as bench:edit makes them: a line added or taken away, a barrier swapped, a character typed. */
function edited(text: string, next: () => number, kind: number): string {
  const lines = text.split('\n');
  const pick = (pattern: RegExp): number | undefined => {
    const found = lines.flatMap((line, index) => (pattern.test(line) ? [index] : []));
    return found[Math.floor(next() * found.length)];
  };
  const barrier = pick(/^\tsmp_[wr]?mb\(\);$/);
  const comment = pick(/^\t\/\* Explained\. \*\/$/);
  const statement = pick(/^\treturn /);
  if (kind === 0 && barrier !== undefined) lines.splice(barrier, 0, '\t/* Explained. */');
  else if (kind === 1 && comment !== undefined) lines.splice(comment, 1);
  else if (kind === 2 && barrier !== undefined) lines[barrier] = lines[barrier]!.includes('smp_mb') ? '\tsmp_wmb();' : '\tsmp_mb();';
  else if (statement !== undefined) lines[statement] = lines[statement]!.replace(/;$/, ' ;');
  return lines.join('\n');
}

const finding: Finding = {
  ruleId: 'rule',
  severity: 'warning',
  message: 'a "quote", a backslash \\, a tab\t, é and 𝛑',
  file,
  range: { start: 7, end: 12 },
  related: [{ file, range: { start: 0, end: 5 }, message: 'there' }],
  fixes: [],
};

describe('publication encoder', () => {
  it('writes JSON.stringify’s bytes after each bench-style edit, copying the diagnostics the edit left unchanged', () => {
    let text = kernelStyleFile(1500);
    const workspace = new Workspace();
    const encoder = new PublicationEncoder();
    const next = random(3);
    let copiedAll = 0;
    let copiedSome = 0;
    for (let i = 0; i < 16; i++) {
      if (i > 0) text = edited(text, next, i % 4);
      workspace.editFile(file, text);
      const diagnostics = toDiagnostics(workspace.findings(file), lookup(text));
      expect(diagnostics.length).toBeGreaterThan(20);
      const copied = encodes(encoder, publication(diagnostics, i + 1));
      if (copied === diagnostics.length) copiedAll++;
      else if (copied > 0) copiedSome++;
    }
    // Edits that add or remove no line leave every diagnostic as it was; the others move those after them.
    expect(copiedAll).toBeGreaterThan(3);
    expect(copiedSome).toBeGreaterThan(3);
  });

  it('converts a file’s findings as toDiagnostic does one by one, though each range object is converted once', () => {
    const text = kernelStyleFile(1500);
    const workspace = new Workspace();
    workspace.editFile(file, text);
    const findings = workspace.findings(file);
    const files = lookup(text);
    const diagnostics = toDiagnostics(findings, files);
    expect(diagnostics).toEqual(findings.map((one) => toDiagnostic(one, files)));
    // Related information repeats the ranges of busy barriers' partners, which is what the conversion shares.
    const related = findings.flatMap((one) => one.related.map((info) => info.range));
    expect(new Set(related).size).toBeLessThan(related.length);
  });

  it('copies a diagnostic only when every member is the same', () => {
    const text = 'int a;\nint b;\nint c;\n';
    const files = lookup(text);
    const changes: Finding[] = [
      { ...finding, message: 'two' },
      { ...finding, severity: 'error' },
      { ...finding, ruleId: 'other-rule' },
      { ...finding, range: { start: 14, end: 19 } },
      { ...finding, related: [{ file, range: { start: 14, end: 19 }, message: 'there' }] },
      { ...finding, related: [{ file, range: { start: 0, end: 5 }, message: 'elsewhere' }] },
      { ...finding, related: [{ file: '/src/other.c', range: { start: 0, end: 5 }, message: 'there' }] },
      { ...finding, related: [] },
    ];
    for (const change of changes) {
      const encoder = new PublicationEncoder();
      expect(encodes(encoder, publication(toDiagnostics([finding], files), 1))).toBe(0);
      expect(encodes(encoder, publication(toDiagnostics([finding], files), 2))).toBe(1);
      expect(encodes(encoder, publication(toDiagnostics([change], files), 3))).toBe(0);
    }
  });

  it('copies only from the same document, only lists toDiagnostics made, and encodes other messages as they are', () => {
    const files = lookup('int a;\nint b;\nint c;\n');
    const encoder = new PublicationEncoder();
    const ours = toDiagnostics([finding], files);
    expect(encodes(encoder, publication(ours, 1))).toBe(0);
    expect(encodes(encoder, publication(toDiagnostics([finding], files), 1, 'file:///src/other.c'))).toBe(0);
    // A list made elsewhere (a refusal, a litmus test's errors) may hold any members: it is stringified.
    const foreign = { ...ours[0]!, tags: [1] } as Diagnostic;
    expect(encodes(encoder, publication([foreign]))).toBe(0);
    expect(encodes(encoder, publication(toDiagnostics([finding], files)))).toBe(0);
    expect(encodes(encoder, publication([]))).toBe(0);
    const response = { jsonrpc: '2.0', id: 1, result: null } as Message;
    expect(encoder.encode(response).toString('utf8')).toBe(JSON.stringify(response));
  });
});
