// The LSP conversion layer: findings with UTF-16 offsets become diagnostics, related links and code actions.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Finding } from '../../server/src/analysis/types';
import { fileToUri, RELATED_LIMIT, toCodeAction, toDiagnostic, toWorkspaceEdit, uriToFile, type FileLookup } from '../../server/src/lsp/convert';

// Non-ASCII before the barrier: "é" is one UTF-16 unit, "𝛑" two, so positions must count UTF-16 units, not bytes.
const writer = '/* é 𝛑 */ smp_wmb();\nWRITE_ONCE(flag, 1);\n';
const reader = 'r = READ_ONCE(flag);\nsmp_rmb();\n';
const documents = new Map([
  ['/src/writer.c', TextDocument.create('file:///src/writer.c', 'c', 1, writer)],
  ['/src/reader.c', TextDocument.create('file:///src/reader.c', 'c', 1, reader)],
]);
const files: FileLookup = { document: (file) => documents.get(file), uri: fileToUri };

const at = (text: string, needle: string): { start: number; end: number } => {
  const start = text.indexOf(needle);
  return { start, end: start + needle.length };
};

const finding: Finding = {
  ruleId: 'some-rule',
  severity: 'info',
  message: 'smp_wmb() pairs with smp_rmb()',
  file: '/src/writer.c',
  range: at(writer, 'smp_wmb()'),
  related: [{ file: '/src/reader.c', range: at(reader, 'smp_rmb()'), message: 'the paired smp_rmb()' }],
  fixes: [
    {
      title: 'Add a pairing comment',
      isPreferred: true,
      edits: [
        { file: '/src/writer.c', range: { start: 0, end: 0 }, newText: '/* pairs with smp_rmb() in reader.c */\n' },
        { file: '/elsewhere/unknown.c', range: { start: 0, end: 0 }, newText: 'x' },
      ],
    },
  ],
};

describe('conversions', () => {
  it('maps a finding to a diagnostic with UTF-16 positions, rule link and related information', () => {
    const diagnostic = toDiagnostic(finding, files);
    expect(diagnostic.range).toEqual({ start: { line: 0, character: 11 }, end: { line: 0, character: 20 } });
    expect(writer.slice(11, 20)).toBe('smp_wmb()');
    expect(diagnostic).toMatchObject({ severity: DiagnosticSeverity.Information, code: 'some-rule', source: 'barrier-lint' });
    expect(diagnostic.codeDescription?.href).toMatch(/^file:\/\/.*\/docs\/rules\/some-rule\.md$/);
    expect(diagnostic.relatedInformation).toEqual([
      {
        location: { uri: 'file:///src/reader.c', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } } },
        message: 'the paired smp_rmb()',
      },
    ]);
  });

  it('lists the first related locations of a busy barrier and counts the rest in a last entry at the finding', () => {
    const partner = finding.related[0]!;
    const related = (count: number): Finding['related'] =>
      Array.from({ length: count }, (_, k) => ({ ...partner, message: `pairs with smp_rmb() in consume_${k}()` }));
    const atLimit = toDiagnostic({ ...finding, related: related(RELATED_LIMIT) }, files).relatedInformation ?? [];
    expect(atLimit.map((info) => info.message)).toEqual(related(RELATED_LIMIT).map((info) => info.message));
    const over = toDiagnostic({ ...finding, related: related(RELATED_LIMIT + 5) }, files).relatedInformation ?? [];
    expect(over).toHaveLength(RELATED_LIMIT + 1);
    expect(over.slice(0, RELATED_LIMIT).map((info) => info.message)).toEqual(related(RELATED_LIMIT).map((info) => info.message));
    expect(over[RELATED_LIMIT]).toEqual({
      location: { uri: 'file:///src/writer.c', range: { start: { line: 0, character: 11 }, end: { line: 0, character: 20 } } },
      message: 'and 5 more (the hover on a barrier lists every pairing)',
    });
  });

  it('leaves relatedInformation out when a finding has none', () => {
    expect(toDiagnostic({ ...finding, related: [] }, files)).not.toHaveProperty('relatedInformation');
  });

  it('turns a fix into a preferred quick fix whose edit targets only documents it can place', () => {
    const diagnostic = toDiagnostic(finding, files);
    const [fix] = finding.fixes;
    const action = toCodeAction(fix!, diagnostic, files);
    expect(action).toMatchObject({ title: 'Add a pairing comment', kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [diagnostic] });
    expect(action.edit).toEqual({
      changes: {
        'file:///src/writer.c': [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '/* pairs with smp_rmb() in reader.c */\n' }],
      },
    });
  });

  it('round-trips local paths through URIs and keeps other URIs as names', () => {
    expect(uriToFile(fileToUri('/src/a b/c.c'))).toBe('/src/a b/c.c');
    expect(uriToFile('untitled:Untitled-1')).toBe('untitled:Untitled-1');
    expect(fileToUri('untitled:Untitled-1')).toBe('untitled:Untitled-1');
    expect(toWorkspaceEdit([], files)).toEqual({ changes: {} });
  });
});
