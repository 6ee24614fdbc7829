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
});
