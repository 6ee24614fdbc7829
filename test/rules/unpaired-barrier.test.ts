// Tests of unpaired-barrier: write and read barriers with no counterpart in the workspace.
import { describe, expect, it } from 'vitest';
import { findings, messagePassing } from './support';

const RULE = 'unpaired-barrier';

describe(RULE, () => {
  it('flags an smp_wmb() no function reads against', () => {
    const code = 'struct s { int a; int b; };\nvoid w(struct s *p)\n{\n\tWRITE_ONCE(p->a, 1);\n\tsmp_wmb(); /* (B) */\n\tWRITE_ONCE(p->b, 1);\n}\n';
    expect(findings({ 'w.c': code }, RULE)).toEqual([`${RULE} w.c:5`]);
  });

  it('does not flag barriers that pair, nor full barriers', () => {
    expect(findings({ 'mp.c': messagePassing('smp_wmb()', 'smp_rmb()') }, RULE)).toEqual([]);
    const full = 'void f(int *p)\n{\n\tWRITE_ONCE(*p, 1);\n\tsmp_mb(); /* why */\n}\n';
    expect(findings({ 'f.c': full }, RULE)).toEqual([]);
  });

  it('finds the counterpart in another file', () => {
    const code = messagePassing('smp_wmb()', 'smp_rmb()');
    const [writer, reader] = code.split('int consume');
    expect(findings({ 'w.c': writer!, 'r.c': `struct item {\n\tint data;\n\tint ready;\n};\nint consume${reader!}` }, RULE)).toEqual([]);
  });
});
