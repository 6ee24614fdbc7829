// .litmus documents through the language server: parse-error diagnostics, the Run CodeLens, the command and hover.
import { describe, expect, it } from 'vitest';
import {
  CodeLensRequest,
  DiagnosticSeverity,
  ExecuteCommandRequest,
  HoverRequest,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { ServerCommands, type LitmusRunResult } from '../../server/src/lsp/protocol';
import { TestClient, lspSession } from './client';

const session = lspSession('barrier-lint-litmus-');

/** Message passing with the write side ordered by smp_wmb() and the read side by smp_rmb(): the LKMM forbids r0=1, r1=0. */
const messagePassing = (name: string, writeBarrier: string, readBarrier: string): string => `C ${name}

(* Our fixture: the message-passing shape, with the barriers under test. *)

{
}

P0(int *x, int *y)
{
\tWRITE_ONCE(*x, 1);
\t${writeBarrier}
\tWRITE_ONCE(*y, 1);
}

P1(int *x, int *y)
{
\tint r0;
\tint r1;

\tr0 = READ_ONCE(*y);
\t${readBarrier}
\tr1 = READ_ONCE(*x);
}

exists (1:r0=1 /\\ 1:r1=0)
`;

const uri = 'file:///tmp/barrier-lint-test/mp.litmus';

async function runLitmus(target: TestClient): Promise<LitmusRunResult> {
  return target.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.runLitmus, arguments: [uri] });
}

describe('litmus documents', () => {
  it('announces exactly the protocol commands', async () => {
    const started = await session.start();
    const { client } = started;
    expect(started.initialize.capabilities.executeCommandProvider?.commands.sort()).toEqual(Object.values(ServerCommands).sort());
  });

  it('reports a parse error at the offending token and clears it once fixed', async () => {
    const { client } = await session.start();
    const broken = messagePassing('MP+wmb+rmb', 'smp_wmb();', 'smp_rmb();').replace('smp_wmb();', 'smp_wmbx();');
    await client.open(uri, broken, 'litmus');
    const published = await client.diagnostics(uri, (params) => params.version === 1);
    expect(published.diagnostics).toHaveLength(1);
    const [diagnostic] = published.diagnostics;
    expect(diagnostic).toMatchObject({ code: 'litmus-syntax', source: 'barrier-lint', severity: DiagnosticSeverity.Error });
    expect(diagnostic?.message).toContain('smp_wmbx');
    const line = broken.split('\n').findIndex((text) => text.includes('smp_wmbx'));
    expect(diagnostic?.range).toEqual({ start: { line, character: 1 }, end: { line, character: 1 + 'smp_wmbx'.length } });

    const fixed = await client.change(uri, messagePassing('MP+wmb+rmb', 'smp_wmb();', 'smp_rmb();'));
    expect((await client.diagnostics(uri, (params) => params.version === fixed)).diagnostics).toEqual([]);
  });

  it('runs the test from the CodeLens command and shows the result in the lens and on hover', async () => {
    const { client } = await session.start();
    const text = messagePassing('MP+wmb+rmb', 'smp_wmb();', 'smp_rmb();');
    await client.open(uri, text, 'litmus');
    await client.diagnostics(uri);

    const [lens, ...others] = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    expect(others).toEqual([]);
    expect(lens?.range.start.line).toBe(0);
    expect(lens?.command).toMatchObject({ command: ServerCommands.runLitmus, arguments: [uri] });

    const result = await runLitmus(client);
    expect(result).toMatchObject({ uri, ok: true, summary: 'Never 0 3' });
    expect(result.output).toContain('Observation MP+wmb+rmb Never 0 3');

    const [ranLens] = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    expect(ranLens?.command?.title).toContain('Never 0 3');

    const conditionLine = text.split('\n').findIndex((line) => line.startsWith('exists'));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: conditionLine, character: 3 } });
    const value = (hover?.contents as MarkupContent).value;
    expect(value).toContain('Never 0 3');
    expect(value).toContain('none of the 3 executions the LKMM allows');
    const inBody = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 8, character: 2 } });
    expect(inBody).toBeNull();
  });

  it('finds the bad outcome reachable once the read-side barrier is removed, on hover without a prior run', async () => {
    const { client } = await session.start();
    const text = messagePassing('MP+wmb', 'smp_wmb();', '');
    await client.open(uri, text, 'litmus');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    expect((hover?.contents as MarkupContent).value).toMatch(/Sometimes 1 3/);
  });

  it('answers a run of a test that does not parse with the reason, not an error', async () => {
    const { client } = await session.start();
    await client.open(uri, 'C broken\n{\n', 'litmus');
    const result = await runLitmus(client);
    expect(result).toMatchObject({ ok: false, summary: 'does not parse' });
    expect(result.explanation).toMatch(/^line \d+, column \d+: /);
  });

  it('stops a run at barrierLint.simulator.maxExecutions and says so', async () => {
    let asked: () => void = () => undefined;
    const settingsRead = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const { client } = await session.start({
      settings: () => {
        asked();
        return { simulator: { maxExecutions: 1 } };
      },
    });
    await settingsRead;
    await client.open(uri, messagePassing('MP+wmb+rmb', 'smp_wmb();', 'smp_rmb();'), 'litmus');
    const result = await runLitmus(client);
    expect(result).toMatchObject({ ok: false, summary: 'limit after 1 executions' });
    expect(result.explanation).toContain('barrierLint.simulator.maxExecutions');
  });
});
