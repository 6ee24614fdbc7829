// Publishing at the cost of what changed: reused diagnostics equal fresh conversions, and the stdio encoder writes
// exactly what JSON.stringify writes.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Message } from 'vscode-languageserver/node';
import { kernelStyleFile, random } from '../../bench/generate';
import { Workspace } from '../../server/src/analysis/index';
import type { Finding } from '../../server/src/analysis/types';
import { toDiagnostic, type FileLookup } from '../../server/src/lsp/convert';
import { encodeMessage, PublishedDiagnostics } from '../../server/src/lsp/published';

const file = '/src/queue.c';
const uri = 'file:///src/queue.c';

function lookup(text: string): FileLookup {
  const document = TextDocument.create(uri, 'c', 1, text);
  return { document: (name) => (name === file ? document : undefined), uri: (name) => (name === file ? uri : `file://${name}`) };
}

/** A finding with every field set, for tests to change one at a time. */
const finding: Finding = {
  ruleId: 'rule',
  severity: 'warning',
  message: 'one',
  file,
  range: { start: 7, end: 12 },
  related: [{ file, range: { start: 0, end: 5 }, message: 'there' }],
  fixes: [],
};

function publication(diagnostics: unknown[], version = 3): Message {
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } } as Message;
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

describe('published diagnostics', () => {
  it('gives after each edit what toDiagnostic gives, reusing the diagnostics of unchanged findings', () => {
    let text = kernelStyleFile(1500);
    const workspace = new Workspace();
    const published = new PublishedDiagnostics();
    const next = random(3);
    let before = new Set<object>();
    let reusedAll = 0;
    let reusedSome = 0;
    for (let i = 0; i < 16; i++) {
      if (i > 0) text = edited(text, next, i % 4);
      workspace.editFile(file, text);
      const findings = workspace.findings(file);
      const files = lookup(text);
      const diagnostics = published.convert(uri, findings, files);
      expect(findings.length).toBeGreaterThan(20);
      expect(diagnostics, `publication ${i}`).toEqual(findings.map((finding) => toDiagnostic(finding, files)));
      const reused = diagnostics.filter((diagnostic) => before.has(diagnostic)).length;
      if (reused === diagnostics.length) reusedAll++;
      else if (reused > 0) reusedSome++;
      before = new Set(diagnostics);
      // The encoder's bytes, from kept JSON or not, are JSON.stringify's.
      const message = publication(diagnostics, i);
      expect(encodeMessage(message).toString('utf8')).toBe(JSON.stringify(message));
    }
    // Edits that add or remove no line leave every finding where it was; the others move those after them.
    expect(reusedAll).toBeGreaterThan(3);
    expect(reusedSome).toBeGreaterThan(3);
  });

  it('does not reuse a diagnostic whose message, related location or severity changed', () => {
    const text = 'int a;\nint b;\nint c;\n';
    const files = lookup(text);
    const published = new PublishedDiagnostics();
    const [first] = published.convert(uri, [finding], files);
    expect(published.convert(uri, [{ ...finding }], files)[0]).toBe(first);
    const changes: Finding[] = [
      { ...finding, message: 'two' },
      { ...finding, severity: 'error' },
      { ...finding, range: { start: 14, end: 19 } },
      { ...finding, related: [{ file, range: { start: 14, end: 19 }, message: 'there' }] },
      { ...finding, related: [{ file: '/src/other.c', range: { start: 0, end: 5 }, message: 'there' }] },
      { ...finding, related: [] },
    ];
    for (const change of changes) {
      const [diagnostic] = published.convert(uri, [change], files);
      expect(diagnostic).toEqual(toDiagnostic(change, files));
      expect(diagnostic).not.toEqual(first);
    }
  });

  it('encodes any message as JSON.stringify does, with strings that need escaping and foreign diagnostics', () => {
    const files = lookup('x\n"quoted" \\ é 𝛑\n');
    const escaped: Finding = { ...finding, message: 'a "quote", a backslash \\, a tab\t, é and 𝛑', range: { start: 2, end: 10 }, related: [] };
    const ours = new PublishedDiagnostics().convert(uri, [escaped], files);
    const foreign = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'not analysed' };
    for (const message of [publication([...ours, foreign, ...ours]), publication([]), { jsonrpc: '2.0', id: 1, result: null } as Message]) {
      expect(encodeMessage(message).toString('utf8')).toBe(JSON.stringify(message));
    }
    const withoutVersion = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, diagnostics: ours } } as Message;
    expect(encodeMessage(withoutVersion).toString('utf8')).toBe(JSON.stringify(withoutVersion));
  });
});
