// Tests of pairing-comment-mismatch: "pairs with X() in f()" comments checked against the pairs found.
import { describe, expect, it } from 'vitest';
import { findings } from './support';

const RULE = 'pairing-comment-mismatch';

function code(writerComment: string): string {
  return [
    'struct item { int data; int ready; };',
    'void publish(struct item *it, int v)',
    '{',
    '\tWRITE_ONCE(it->data, v);',
    `\tsmp_wmb(); /* ${writerComment} */`,
    '\tWRITE_ONCE(it->ready, 1);',
    '}',
    'int consume(struct item *it)',
    '{',
    '\tif (!READ_ONCE(it->ready))',
    '\t\treturn -1;',
    '\tsmp_rmb(); /* Pairs with smp_wmb() in publish(). */',
    '\treturn READ_ONCE(it->data);',
    '}',
    'void unrelated(void)',
    '{',
    '\tsmp_mb(); /* Orders nothing shared. */',
    '}',
    '',
  ].join('\n');
}

describe(RULE, () => {
  it.each([
    ['the right barrier and function', 'Pairs with smp_rmb() in consume().'],
    ['the barrier without its smp_ prefix', 'paired with rmb in consume(), read comment there'],
    ['a function outside the workspace', 'Pairs with smp_rmb() in elsewhere().'],
  ])('does not flag a comment naming %s', (_name, comment) => {
    expect(findings({ 'mp.c': code(comment) }, RULE)).toEqual([]);
  });

  it.each([
    ['a barrier the function does not have', 'Pairs with smp_mb() in consume().'],
    ['a function it does not pair with', 'Pairs with smp_mb() in unrelated().'],
  ])('flags a comment naming %s', (_name, comment) => {
    expect(findings({ 'mp.c': code(comment) }, RULE)).toEqual([`${RULE} mp.c:5`]);
  });

  describe('with the named function in another file', () => {
    const writer = (comment: string, local = false): string =>
      [
        'struct item { int data; int ready; };',
        'void publish(struct item *it, int v)',
        '{',
        '\tWRITE_ONCE(it->data, v);',
        `\tsmp_wmb(); /* ${comment} */`,
        '\tWRITE_ONCE(it->ready, 1);',
        '}',
        ...(local ? ['static int consume(struct item *it)', '{', '\tsmp_mb();', '\treturn READ_ONCE(it->data);', '}'] : []),
        '',
      ].join('\n');
    const reader = (barrier: string): string =>
      [
        'struct item { int data; int ready; };',
        'int consume(struct item *it)',
        '{',
        '\tif (!READ_ONCE(it->ready))',
        '\t\treturn -1;',
        `\t${barrier}();`,
        '\treturn READ_ONCE(it->data);',
        '}',
        '',
      ].join('\n');

    it('checks the function there', () => {
      expect(findings({ 'w.c': writer('Pairs with smp_rmb() in consume().'), 'r.c': reader('smp_rmb') }, RULE)).toEqual([]);
      expect(findings({ 'w.c': writer('Pairs with smp_mb() in consume().'), 'r.c': reader('smp_rmb') }, RULE)).toEqual([`${RULE} w.c:5`]);
    });

    it('takes a function of the comment\'s own file first', () => {
      expect(findings({ 'r.c': reader('smp_rmb'), 'w.c': writer('Pairs with smp_rmb() in consume().', true) }, RULE)).toEqual([`${RULE} w.c:5`]);
    });

    it('takes the first other file that defines the function', () => {
      const comment = 'Pairs with smp_rmb() in consume().';
      expect(findings({ 'w.c': writer(comment), 'a.c': reader('smp_mb'), 'b.c': reader('smp_rmb') }, RULE)).toEqual([`${RULE} w.c:5`]);
      expect(findings({ 'w.c': writer(comment), 'b.c': reader('smp_rmb'), 'a.c': reader('smp_mb') }, RULE)).toEqual([]);
    });
  });
});
