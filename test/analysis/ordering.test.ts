// The plain data behind the barrier hover: what a barrier or marked access orders (keyed neighbours in its function),
// each pairing's two slices as written, and the witness in words when the LKMM allows the bad outcome.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/analysis/index';
import { orderingAt, scenariosAt } from '../../server/src/analysis/scenarios';

function workspaceOf(file: string, text: string): Workspace {
  const workspace = new Workspace();
  workspace.setFile(file, text);
  return workspace;
}

// Store buffering we wrote, where one side has only smp_wmb(): the LKMM lets both reads see the old values.
const storeBuffering = `struct sb { int x; int y; };
void left(struct sb *s)
{
\tWRITE_ONCE(s->x, 1);
\tsmp_wmb(); /* Pairs with smp_mb() in right(). */
\tif (READ_ONCE(s->y))
\t\treturn;
}
void right(struct sb *s)
{
\tWRITE_ONCE(s->y, 1);
\tsmp_mb(); /* Pairs with smp_wmb() in left(). */
\tif (READ_ONCE(s->x))
\t\treturn;
}
`;

describe('orderingAt and the scenario witness', () => {
  it('lists the keyed accesses around a barrier, nearest three on each side, and nothing off a barrier', () => {
    const text = `struct q { int a; int b; int c; int d; int e; };
void f(struct q *p)
{
\tWRITE_ONCE(p->a, 1);
\tWRITE_ONCE(p->b, 1);
\tWRITE_ONCE(p->c, 1);
\tWRITE_ONCE(p->d, 1);
\tsmp_mb(); /* Orders the four stores before the read. */
\tif (READ_ONCE(p->e))
\t\treturn;
}
`;
    const workspace = workspaceOf('q.c', text);
    const ordering = orderingAt(workspace, 'q.c', text.indexOf('smp_mb'));
    expect(ordering?.text).toBe('smp_mb()');
    expect(ordering?.function).toBe('f');
    expect(ordering?.before.map((access) => `${access.op} ${access.key}`)).toEqual(['store struct q::b', 'store struct q::c', 'store struct q::d']);
    expect(ordering?.after.map((access) => `${access.op} ${access.key}`)).toEqual(['load struct q::e']);
    expect(orderingAt(workspace, 'q.c', text.indexOf('struct q {'))).toBeUndefined();
  });

  it('gives the two slices as written and a store-buffering witness naming the too-weak barrier', () => {
    const workspace = workspaceOf('sb.c', storeBuffering);
    const [scenario, ...others] = scenariosAt(workspace, 'sb.c', storeBuffering.indexOf('smp_wmb'));
    expect(others).toEqual([]);
    expect(scenario?.verdict).toBe('allowed');
    expect(scenario?.sides.map((side) => side.steps)).toEqual([
      ['WRITE_ONCE(s->x, 1)', 'smp_wmb()', 'READ_ONCE(s->y)'],
      ['WRITE_ONCE(s->y, 1)', 'smp_mb()', 'READ_ONCE(s->x)'],
    ]);
    expect(scenario?.witness).toBe(
      "CPU 0 writes struct sb::x, CPU 1 writes struct sb::y, then CPU 0 reads struct sb::y == old and CPU 1 reads struct sb::x == old: allowed because smp_wmb() does not order CPU 0's write and read.",
    );

    const fixed = workspaceOf('sb.c', storeBuffering.replace('\tsmp_wmb();', '\tsmp_mb();'));
    const [forbidden] = scenariosAt(fixed, 'sb.c', storeBuffering.indexOf('smp_'));
    expect(forbidden?.verdict).toBe('forbidden');
    expect(forbidden?.witness).toBeUndefined();
  });
});
