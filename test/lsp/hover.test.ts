// The hover on a C barrier or marked access through the language server: what it orders (with location keys), the
// CPU 0 / CPU 1 diagram of each pairing, and the simulator's verdict with the witness when the bad outcome is reachable.
import { describe, expect, it } from 'vitest';
import { HoverRequest, type MarkupContent, type Position } from 'vscode-languageserver-protocol';
import { lspSession } from './client';
import { pairedCorrectly } from './fixtures';

const session = lspSession('barrier-lint-hover-');
const uri = 'file:///tmp/barrier-lint-hover/box.c';

/** Inside the statement that starts with `needle` (not a comment that mentions it). */
function positionOf(text: string, needle: string): Position {
  const lines = text.split('\n');
  const line = lines.findIndex((item) => item.trimStart().startsWith(needle) || item.includes(`= ${needle}`));
  return { line, character: lines[line]!.indexOf(needle) + 1 };
}

async function hoverValue(text: string, needle: string): Promise<string> {
  const { client } = await session.start();
  await client.open(uri, text);
  await client.diagnostics(uri);
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(text, needle) });
  return (hover?.contents as MarkupContent | undefined)?.value ?? '';
}

/** The same pair with the reader's barrier (and its comment) removed: the bad outcome becomes reachable. */
const readerUnordered = pairedCorrectly.replace(/\t\/\* Orders ->ready before[^\n]*\n\tsmp_rmb\(\);\n/, '');

describe('hover on a barrier or marked access', () => {
  it('shows what smp_wmb() orders by key, the two-CPU diagram with its pair and the forbidden verdict', async () => {
    const value = await hoverValue(pairedCorrectly, 'smp_wmb');
    expect(value).toContain('**`smp_wmb()`** in `box_post()` orders');
    expect(value).toContain('- before: `WRITE_ONCE(b->data, v);` (store of `struct box::data`)');
    expect(value).toContain('- after: `WRITE_ONCE(b->ready, 1);` (store of `struct box::ready`)');
    const diagram = /```text\n([^`]*)```/.exec(value)?.[1] ?? '';
    const rows = diagram.split('\n');
    expect(rows[0]).toMatch(/^CPU 0: box_post\(\) +CPU 1: box_take\(\)$/);
    expect(rows[1]).toMatch(/^WRITE_ONCE\(b->data, v\) +READ_ONCE\(b->ready\)$/);
    expect(rows[2]).toMatch(/^smp_wmb\(\) +<-- pairs with --> smp_rmb\(\)$/);
    expect(rows[3]).toMatch(/^WRITE_ONCE\(b->ready, 1\) +READ_ONCE\(b->data\)$/);
    expect(value).toContain('the bad outcome (CPU 1 sees `struct box::ready` new but `struct box::data` old) is forbidden');
  });

  it('gives the witness in words when the reader leaves its two reads unordered', async () => {
    const value = await hoverValue(readerUnordered, 'smp_wmb');
    expect(value).toContain('(nothing between)');
    expect(value).toContain('is reachable');
    expect(value).toContain(
      'CPU 1 reads struct box::ready == new, then struct box::data == old: allowed because nothing orders CPU 1\'s two reads.',
    );
  });

  it('states load buffering\'s bad outcome: the releasing CPU\'s read sees the acquirer\'s later write', async () => {
    const slot = [
      'struct slot { char *data; int busy; };',
      'char *slot_consume(struct slot *s)',
      '{',
      '\tchar *data;',
      '',
      '\tif (!smp_load_acquire(&s->busy))',
      '\t\treturn NULL;',
      '\tdata = READ_ONCE(s->data);',
      '\tsmp_wmb(); /* Finish reading the slot before handing it back. */',
      '\tWRITE_ONCE(s->busy, 0);',
      '\treturn data;',
      '}',
      '',
      'bool slot_produce(struct slot *s, char *data)',
      '{',
      '\tif (READ_ONCE(s->busy))',
      '\t\treturn false;',
      '\tWRITE_ONCE(s->data, data);',
      '\tsmp_wmb(); /* Write ->data before ->busy. */',
      '\tWRITE_ONCE(s->busy, 1);',
      '\treturn true;',
      '}',
      '',
    ].join('\n');
    const value = await hoverValue(slot, 'smp_wmb(); /* Finish');
    expect(value).toContain(
      "the bad outcome (CPU 1 sees `struct slot::busy` new, yet CPU 0's earlier read of `struct slot::data` sees CPU 1's later write) is reachable",
    );
  });

  it('hovers a marked access of a pairing, and an unpaired barrier with what it orders', async () => {
    const onRead = await hoverValue(pairedCorrectly, 'READ_ONCE(b->ready)');
    expect(onRead).toContain('**`READ_ONCE(b->ready)`** in `box_take()` orders');
    expect(onRead).toContain('(load of `struct box::data`)');
    expect(onRead).toContain('is forbidden');

    const lone = pairedCorrectly.replace('\tsmp_wmb();\n', '\tsmp_mb();\n').replace(/int box_take[^]*$/, '');
    const onLone = await hoverValue(lone, 'smp_mb');
    expect(onLone).toContain('**`smp_mb()`** in `box_post()` orders');
    expect(onLone).toContain('(store of `struct box::ready`)');
    expect(onLone).toContain('Pairs with nothing barrier-lint found.');
    expect(onLone).not.toContain('```text');
  });
});
