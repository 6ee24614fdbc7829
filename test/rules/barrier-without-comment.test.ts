// Tests of barrier-without-comment: which comment placements explain a barrier, after checkpatch.pl's MEMORY_BARRIER.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../server/src/analysis/index';

const RULE = 'barrier-without-comment';

/** 1-based lines of this rule's findings in `code`. */
function flaggedLines(code: string): number[] {
  return analyzeText('test.c', code)
    .filter((finding) => finding.ruleId === RULE)
    .map((finding) => code.slice(0, finding.range.start).split('\n').length);
}

const fn = (...body: string[]): string => ['void f(struct s *p)', '{', ...body.map((line) => `\t${line}`), '}', ''].join('\n');

describe(RULE, () => {
  const valid: Array<[string, string]> = [
    ['a block comment ending on the line before', fn('/*', ' * Order the data store before the flag store.', ' */', 'smp_wmb();')],
    ['a one-line block comment on the line before', fn('/* Pairs with smp_rmb() in reader(). */', 'smp_wmb();')],
    ['a trailing block comment', fn('smp_wmb(); /* barrier (B) */')],
    ['a trailing block comment before a macro continuation', '#define P() do { \\\n\tsmp_wmb(); /* (B) */ \\\n} while (0)\n'],
    ['a // comment on the same line', fn('smp_mb(); // orders x before y')],
    ['a // comment on the line before', fn('// orders x before y', 'smp_mb();')],
    ['a // comment on the line after', fn('smp_mb();', '// orders x before y')],
    ['a trailing comment of the line before', fn('WRITE_ONCE(p->x, 1); /* publish */', 'smp_mb();')],
    ['a barrier checkpatch does not ask about', fn('smp_mb__after_spinlock();', 'barrier();', 'dma_wmb();', 'READ_ONCE(p->x);')],
  ];
  it.each(valid)('does not flag %s', (_name, code) => {
    expect(flaggedLines(code)).toEqual([]);
  });

  const invalid: Array<[string, string, number[]]> = [
    ['a bare smp_mb()', fn('p->x = 1;', 'smp_mb();'), [4]],
    ['a comment separated by a blank line', fn('/* Orders x before y. */', '', 'smp_wmb();'), [5]],
    ['a block comment two lines after', fn('smp_rmb();', '', '/* too far */'), [3]],
    ['a block comment before the barrier on its own line', fn('/* not at the end */ smp_mb();'), [3]],
    ['release and acquire', fn('smp_store_release(&p->x, 1);', 'return smp_load_acquire(&p->y);'), [3, 4]],
    ['barriers in a #define body', '#define P() do { \\\n\tsmp_wmb(); \\\n} while (0)\n', [2]],
    ['the unsuffixed and virt_ barriers', fn('mb();', '', 'virt_wmb();', '', 'smp_mb__after_atomic();'), [3, 5, 7]],
  ];
  it.each(invalid)('flags %s', (_name, code, lines) => {
    expect(flaggedLines(code)).toEqual(lines);
  });

  it('reports the call range, a warning by default, and honours severity overrides', () => {
    const code = fn('smp_mb();');
    const [finding] = analyzeText('test.c', code);
    expect(finding?.severity).toBe('warning');
    expect(code.slice(finding!.range.start, finding!.range.end)).toBe('smp_mb()');
    expect(analyzeText('test.c', code, { rules: { [RULE]: 'error' } })[0]?.severity).toBe('error');
    expect(analyzeText('test.c', code, { rules: { [RULE]: 'off' } })).toEqual([]);
  });
});
