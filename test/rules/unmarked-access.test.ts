// Tests of unmarked-access: plain accesses to locations accessed concurrently in a pairing.
import { describe, expect, it } from 'vitest';
import { applyEdits, findingObjects, findings } from './support';

const RULE = 'unmarked-access';

function code(readFlag: string, writeFlag: string): string {
  return [
    'struct item {',
    '\tint data;',
    '\tint ready;',
    '\tspinlock_t lock;',
    '};',
    'void publish(struct item *it, int v)',
    '{',
    '\tit->data = v;',
    '\tsmp_wmb(); /* Pairs with smp_rmb() in consume(). */',
    `\t${writeFlag};`,
    '}',
    'int consume(struct item *it)',
    '{',
    `\tif (!${readFlag})`,
    '\t\treturn -1;',
    '\tsmp_rmb(); /* Pairs with smp_wmb() in publish(). */',
    '\treturn it->data;',
    '}',
    '',
  ].join('\n');
}

describe(RULE, () => {
  it('flags plain accesses to the flag, not to the payload ordered by the pairing', () => {
    expect(findings({ 'mp.c': code('it->ready', 'it->ready = 1') }, RULE)).toEqual([`${RULE} mp.c:10`, `${RULE} mp.c:14`]);
  });

  it('offers READ_ONCE() and WRITE_ONCE() rewrites', () => {
    const text = code('it->ready', 'it->ready = 1');
    const fixes = findingObjects({ 'mp.c': text }, 'mp.c', RULE).flatMap((finding) => finding.fixes[0]!.edits);
    const fixed = applyEdits(text, fixes);
    expect(fixed).toContain('\tWRITE_ONCE(it->ready, 1);');
    expect(fixed).toContain('\tif (!READ_ONCE(it->ready))');
    expect(findings({ 'mp.c': fixed }, RULE)).toEqual([]);
  });

  it('does not flag marked accesses, nor plain stores under a lock', () => {
    expect(findings({ 'mp.c': code('READ_ONCE(it->ready)', 'WRITE_ONCE(it->ready, 1)') }, RULE)).toEqual([]);
    const locked = code('READ_ONCE(it->ready)', 'spin_lock(&it->lock);\n\tit->ready = 1;\n\tspin_unlock(&it->lock)');
    expect(findings({ 'mp.c': locked }, RULE)).toEqual([]);
  });
});
