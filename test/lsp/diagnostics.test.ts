// The language server end to end over stdio: diagnostics published on open and on change, settings, bad input.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  HoverRequest,
} from 'vscode-languageserver-protocol';
import { ServerCommands } from '../../server/src/lsp/protocol';
import { lspSession, pathUri } from './client';
import { pairedCorrectly as commented, uncommented, uncommentedAt } from './fixtures';

const session = lspSession('barrier-lint-lsp-');

describe('language server diagnostics', () => {
  it('publishes a finding on open, clears it when a change adds the comment, and brings it back', async () => {
    const started = await session.start();
    const { client } = started;
    expect(started.initialize.serverInfo?.name).toBe('barrier-lint');
    const uri = pathUri(path.join(session.dir(), 'open.c'));

    await client.open(uri, uncommented);
    const opened = await client.diagnostics(uri, (params) => params.version === 1);
    expect(opened.diagnostics).toHaveLength(1);
    const [diagnostic] = opened.diagnostics;
    expect(diagnostic).toMatchObject({
      code: 'barrier-without-comment',
      source: 'barrier-lint',
      severity: DiagnosticSeverity.Warning,
      range: { start: { line: uncommentedAt.line - 1, character: uncommentedAt.column - 1 } },
    });
    expect(diagnostic?.codeDescription?.href).toMatch(/docs\/rules\/barrier-without-comment\.md$/);
    expect(diagnostic?.message).toContain('smp_wmb');

    const fixed = await client.change(uri, commented);
    expect((await client.diagnostics(uri, (params) => params.version === fixed)).diagnostics).toEqual([]);

    const broken = await client.change(uri, uncommented.replace('\tsmp_wmb', '\n\tsmp_wmb'));
    const again = await client.diagnostics(uri, (params) => params.version === broken);
    expect(again.diagnostics.map((item) => item.range.start)).toEqual([{ line: uncommentedAt.line, character: uncommentedAt.column - 1 }]);

    expect(await client.stop(), client.stderr.join("")).toBe(0);
  });

  it('debounces a burst of changes into one analysis of the last text', async () => {
    const { client } = await session.start();
    const uri = pathUri(path.join(session.dir(), 'burst.c'));
    await client.open(uri, commented);
    await client.diagnostics(uri, (params) => params.version === 1);
    let last = 1;
    for (let i = 0; i < 10; i++) last = await client.change(uri, i % 2 === 0 ? uncommented : commented);
    const settled = await client.diagnostics(uri, (params) => params.version === last);
    expect(settled.diagnostics).toEqual([]);
    // The burst's first change is analysed at once when it came a quiet period after the open (a slow machine);
    // none of the changes that followed it is.
    const intermediate = client.published.filter((params) => params.uri === uri && params.version !== 1 && params.version !== last);
    expect(intermediate.filter((params) => params.version !== 2)).toEqual([]);
  });

  it('analyses a change after a pause at once, and gathers the changes right behind it into one analysis', async () => {
    const { client } = await session.start({ settings: () => ({ debounceMs: 300 }) });
    const uri = pathUri(path.join(session.dir(), 'pause.c'));
    await client.open(uri, commented);
    await client.diagnostics(uri, (params) => params.version === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const first = await client.change(uri, uncommented);
    let last = first;
    for (let i = 0; i < 4; i++) last = await client.change(uri, i % 2 === 0 ? commented : uncommented);
    const settled = await client.diagnostics(uri, (params) => params.version === last);
    expect(settled.diagnostics).toHaveLength(1);
    const versions = client.published.filter((params) => params.uri === uri).map((params) => params.version);
    expect(versions).toContain(first);
    expect(versions.filter((version) => version !== 1 && version !== first && version !== last)).toEqual([]);
  });

  it('applies per-rule settings pulled from the client, and re-reads them on didChangeConfiguration', async () => {
    let rules: Record<string, string> = { 'barrier-without-comment': 'error' };
    const { client } = await session.start({ settings: () => ({ rules }) });
    const uri = pathUri(path.join(session.dir(), 'settings.c'));
    await client.open(uri, uncommented);
    // A document opened before the settings arrive is analysed with the defaults first, then republished.
    const first = await client.diagnostics(uri, (params) => params.diagnostics[0]?.severity === DiagnosticSeverity.Error);
    expect(first.diagnostics).toHaveLength(1);

    rules = { 'barrier-without-comment': 'off' };
    const before = client.published.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const off = await client.diagnostics(uri, (params) => client!.published.indexOf(params) >= before && params.diagnostics.length === 0);
    expect(off.version).toBe(1);
  });

  it('publishes only for open documents, says when it refuses a file, and survives broken C', async () => {
    writeFileSync(path.join(session.dir(), 'indexed.c'), uncommented);
    writeFileSync(path.join(session.dir(), 'binary.c'), Buffer.from([0, 1, 2, 3, 0xff]));
    const { client } = await session.start({ rootPath: session.dir() });
    const binary = pathUri(path.join(session.dir(), 'binary.c'));
    await client.open(binary, '\u0000\u0001\uffff{{{{((((smp_mb(');
    const refused = (await client.diagnostics(binary)).diagnostics;
    expect(refused).toEqual([
      expect.objectContaining({ severity: DiagnosticSeverity.Information, message: 'barrier-lint did not analyse this file: binary file' }),
    ]);
    const garbage = pathUri(path.join(session.dir(), 'garbage.c'));
    await client.open(garbage, 'smp_mb(); }}}} #define X( \\\n'.repeat(200));
    const published = await client.diagnostics(garbage);
    expect(Array.isArray(published.diagnostics)).toBe(true);
    expect(client.published.some((params) => params.uri === pathUri(path.join(session.dir(), 'indexed.c')))).toBe(false);
    expect(await client.stop(), client.stderr.join("")).toBe(0);
  });

  it('answers malformed requests with errors or nothing, and keeps serving', async () => {
    const { client } = await session.start();
    const unknown = pathUri(path.join(session.dir(), 'never-opened.c'));
    const far = { line: 10_000, character: 10_000 };
    expect(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: unknown }, position: far })).toBeNull();
    await expect(client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'barrierLint.server.nope' })).rejects.toThrow(/unknown command/);
    await expect(client.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.runLitmus, arguments: [42] })).rejects.toThrow(/URI/);
    await client.change(unknown, 'smp_mb();');

    const uri = pathUri(path.join(session.dir(), 'after-bad-input.c'));
    await client.open(uri, uncommented);
    const range = { start: far, end: far };
    expect(await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })).toEqual([]);
    expect((await client.diagnostics(uri)).diagnostics).toHaveLength(1);
    expect(await client.stop(), client.stderr.join("")).toBe(0);
  });
});
