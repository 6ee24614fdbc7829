// Tests of over-strong-barrier: smp_mb() where smp_wmb()/smp_rmb() is proved enough, never in store buffering.
import { describe, expect, it } from 'vitest';
import { applyEdits, findingObjects, findings, messagePassing } from './support';

const RULE = 'over-strong-barrier';

describe(RULE, () => {
  it('flags smp_mb() on a write side whose reader uses smp_rmb(), and the fix is smp_wmb()', () => {
    const code = messagePassing('smp_mb()', 'smp_rmb()');
    expect(findings({ 'mp.c': code }, RULE)).toEqual([`${RULE} mp.c:9`]);
    const [finding] = findingObjects({ 'mp.c': code }, 'mp.c', RULE);
    const fixed = applyEdits(code, finding!.fixes[0]!.edits);
    expect(fixed).toContain('\tsmp_wmb(); /* Order ->data');
    expect(findings({ 'mp.c': fixed })).toEqual([]);
  });

  it('flags smp_mb() on a read side as smp_rmb()', () => {
    const code = messagePassing('smp_wmb()', 'smp_mb()');
    expect(findings({ 'mp.c': code }, RULE)).toEqual([`${RULE} mp.c:17`]);
    expect(findingObjects({ 'mp.c': code }, 'mp.c', RULE)[0]?.message).toMatch(/^over-strong: smp_rmb\(\) suffices/);
  });

  it('judges with the other side fixed when that side is missing its barrier', () => {
    expect(findings({ 'mp.c': messagePassing('smp_mb()', '') }).sort()).toEqual([`missing-barrier mp.c:15`, `${RULE} mp.c:9`]);
  });

  it('does not flag smp_mb() right before wake_up_var(), whose wait-queue test is lockless', () => {
    const code = messagePassing('smp_mb()', 'smp_rmb()');
    const waking = code.replace(/(\tsmp_mb\(\);[^\n]*\n)/, '$1\twake_up_var(&it->data);\n');
    expect(waking).toContain('smp_mb(); /* Order ->data before ->ready. */\n\twake_up_var(&it->data);\n\tWRITE_ONCE(it->ready, 1);');
    expect(findings({ 'mp.c': code }, RULE)).toEqual([`${RULE} mp.c:9`]);
    expect(findings({ 'mp.c': waking }, RULE)).toEqual([]);
  });

  it('does not flag a read side\'s smp_mb() that also orders its read before a later store (smp_rmb() would not)', () => {
    const code = messagePassing('smp_wmb()', 'smp_mb()').replace('\treturn READ_ONCE(it->data);', '\tWRITE_ONCE(it->ready, 0);\n\treturn READ_ONCE(it->data);');
    expect(code).toContain('smp_mb(); /* Order ->ready before ->data. */\n\tWRITE_ONCE(it->ready, 0);');
    expect(findings({ 'mp.c': messagePassing('smp_wmb()', 'smp_mb()') }, RULE)).toEqual([`${RULE} mp.c:17`]);
    expect(findings({ 'mp.c': code }, RULE)).toEqual([]);
  });

  it('does not flag smp_mb() in store buffering', () => {
    const code = [
      'struct flags { int x; int y; };',
      'int left(struct flags *f)',
      '{',
      '\tWRITE_ONCE(f->x, 1);',
      '\tsmp_mb(); /* Pairs with smp_mb() in right(). */',
      '\treturn READ_ONCE(f->y);',
      '}',
      'int right(struct flags *f)',
      '{',
      '\tWRITE_ONCE(f->y, 1);',
      '\tsmp_mb(); /* Pairs with smp_mb() in left(). */',
      '\treturn READ_ONCE(f->x);',
      '}',
      '',
    ].join('\n');
    expect(findings({ 'sb.c': code })).toEqual([]);
  });
});
