// Pairings through the language server: the hover on a barrier, the scenarios it runs, and the other side's location.
import { describe, expect, it } from 'vitest';
import { ExecuteCommandRequest, HoverRequest, type MarkupContent, type Position } from 'vscode-languageserver-protocol';
import { ServerCommands, type BarrierScenario, type PlainLocation } from '../../server/src/lsp/protocol';
import { lspSession } from './client';
import { pairedCorrectly, uncommented } from './fixtures';

const session = lspSession('barrier-lint-scenarios-');
const uri = 'file:///tmp/barrier-lint-scenarios/box.c';

/** Inside the statement that starts with `needle` (not a comment that mentions it). */
function positionOf(text: string, needle: string): Position {
  const lines = text.split('\n');
  const line = lines.findIndex((item) => item.trimStart().startsWith(needle));
  return { line, character: lines[line]!.indexOf(needle) + 1 };
}

describe('pairings of a barrier', () => {
  it('hovers smp_wmb() with its pairing, the verdict and a link to the reader', async () => {
    const { client } = await session.start();
    await client.open(uri, pairedCorrectly);
    await client.diagnostics(uri);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(pairedCorrectly, 'smp_wmb') });
    const value = (hover?.contents as MarkupContent).value;
    expect(value).toContain('box_post() → box_take()');
    expect(value).toContain('the LKMM forbids the bad outcome');
    const readerLine = positionOf(pairedCorrectly, 'smp_rmb').line + 1;
    expect(value).toContain(`[box_take() at box.c:${readerLine}](${uri}#L${readerLine})`);

    const plain = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } });
    expect(plain).toBeNull();
  });

  it('runs the scenario of the barrier at the cursor and finds the bad outcome never happens', async () => {
    const { client } = await session.start();
    await client.open(uri, uncommented);
    await client.diagnostics(uri);
    const scenarios: BarrierScenario[] = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.scenarios,
      arguments: [uri, positionOf(uncommented, 'smp_rmb')],
    });
    expect(scenarios).toHaveLength(1);
    const [scenario] = scenarios;
    expect(scenario).toMatchObject({ verdict: 'forbidden', name: expect.stringMatching(/^MP\+/) });
    expect(scenario?.litmus).toMatch(/^C MP\+/);
    expect(scenario?.litmus).toContain('smp_wmb();');
    expect(scenario?.litmus).toContain('smp_rmb();');
    expect(scenario?.output).toMatch(/Observation \S+ Never 0 \d+/);
    expect(scenario?.sides.map((side) => side.function)).toEqual(['box_post', 'box_take']);
  });

  it('gives the location of the other side for Show Pairings, and nothing off a pairing', async () => {
    const { client } = await session.start();
    await client.open(uri, pairedCorrectly);
    await client.diagnostics(uri);
    const locations: PlainLocation[] = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: ServerCommands.pairings,
      arguments: [uri, positionOf(pairedCorrectly, 'smp_rmb')],
    });
    const writer = positionOf(pairedCorrectly, 'smp_wmb');
    expect(locations).toEqual([{ uri, range: { start: { line: writer.line, character: 1 }, end: { line: writer.line, character: 10 } } }]);
    const none = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.pairings, arguments: [uri, { line: 0, character: 0 }] });
    expect(none).toEqual([]);
    await expect(client.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.pairings, arguments: [uri] })).rejects.toThrow(/\[uri, position\]/);
  });
});
