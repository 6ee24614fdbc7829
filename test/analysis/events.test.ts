// Tests of per-function extraction: source order, branches, locks, signals and spin-wait loops.
import { describe, expect, it } from 'vitest';
import { buildFileModel } from '../../server/src/analysis/model';

function events(code: string, fn: string): string[] {
  const model = buildFileModel('e.c', code);
  const found = model.functions.find((candidate) => candidate.name === fn);
  return (found?.events ?? []).map((event) => {
    // `[L 1]`: a lock is held, in arm 1 of the enclosing if.
    const where = `${event.locked ? 'L ' : ''}${event.arms.map(([, arm]) => arm).join('')}`;
    const what =
      event.type === 'access'
        ? `${event.op} ${event.loc.text} ${event.marking}`
        : event.type === 'fence'
          ? `fence ${event.site?.name ?? event.impliedBy}`
          : event.type === 'signal'
            ? `signal ${event.signal}${event.deferred ? ' deferred' : ''}`
            : event.type === 'lock' || event.type === 'unlock'
              ? `${event.type} ${event.lock}`
              : event.type === 'call'
                ? `call ${event.name}`
                : event.type;
    return `${where.trim() === '' ? '' : `[${where.trim()}] `}${what}`;
  });
}

describe('events', () => {
  it('lists accesses and barriers in source order, the stored value before the store', () => {
    const code = 'struct s { int a; int b; };\nvoid f(struct s *p)\n{\n\tp->a = READ_ONCE(p->b);\n\tsmp_wmb();\n\tsmp_store_release(&p->b, 1);\n}\n';
    expect(events(code, 'f')).toEqual(['load p->b once', 'store p->a plain', 'fence smp_wmb', 'store p->b release']);
  });

  it('tracks the arms of an if, and a lock released on a branch that returns', () => {
    const code = [
      'struct s { int a; spinlock_t lock; };',
      'int f(struct s *p)',
      '{',
      '\tspin_lock(&p->lock);',
      '\tif (p->a) {',
      '\t\tspin_unlock(&p->lock);',
      '\t\treturn 1;',
      '\t} else {',
      '\t\tp->a = 2;',
      '\t}',
      '\tspin_unlock(&p->lock);',
      '\treturn READ_ONCE(p->a);',
      '}',
      '',
    ].join('\n');
    expect(events(code, 'f')).toEqual([
      '[L] lock p->lock',
      '[L] load p->a plain',
      '[0] unlock p->lock',
      '[L 1] store p->a plain',
      'unlock p->lock',
      'load p->a once',
    ]);
  });

  it('marks wakeups, deferred wakeups and IPIs as signals, and schedule() as the receipt', () => {
    const code = [
      'struct ops { void (*cause_ipi)(int cpu); };',
      'static struct ops *ops;',
      'void f(struct task_struct *t, struct wake_q_head *q)',
      '{',
      '	wake_q_add(q, t);',
      '	ops->cause_ipi(1);',
      '	schedule();',
      '}',
      '',
    ].join('\n');
    expect(events(code, 'f')).toEqual(['signal wake deferred', 'signal ipi', 'receipt']);
  });

  it('finds a spin-wait loop on a shared location', () => {
    const code = 'struct s { int ready; };\nvoid f(struct s *p)\n{\n\twhile (!READ_ONCE(p->ready))\n\t\tcpu_relax();\n}\n';
    const model = buildFileModel('e.c', code);
    expect(model.functions[0]?.loops.map((loop) => ({ relaxes: loop.relaxes, storeless: loop.storeless }))).toEqual([
      { relaxes: true, storeless: true },
    ]);
  });

  it('walks a nest deeper than any code (a thousand parentheses or blocks) without overflowing the stack', () => {
    const nests: Array<[string, string]> = [['(', ')'], ['{ ', ' }'], ['if (x) { ', ' }']];
    for (const [open, close] of nests) {
      const text = `void f(int *p)\n{\n\tWRITE_ONCE(*p, 1);\n\tx = ${open.repeat(3000)}READ_ONCE(*p)${close.repeat(3000)};\n}\n`;
      const model = buildFileModel('deep.c', text);
      // The store before the nest is an event; what lies past the nesting limit is not walked.
      expect(model.functions[0]?.events.some((event) => event.type === 'access' && event.op === 'store')).toBe(true);
    }
  });
});
