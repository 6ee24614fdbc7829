// Tests of missing-barrier: message passing, signals and hand-offs with one side unordered; correct pairs not flagged.
import { describe, expect, it } from 'vitest';
import { applyEdits, findingObjects, findings, messagePassing } from './support';

const RULE = 'missing-barrier';

describe(RULE, () => {
  it('flags a reader with no smp_rmb() between the flag and the data', () => {
    expect(findings({ 'mp.c': messagePassing('smp_wmb()', '') }, RULE)).toEqual([`${RULE} mp.c:15`]);
  });

  it('flags a writer with no smp_wmb() between the data and the flag', () => {
    expect(findings({ 'mp.c': messagePassing('', 'smp_rmb()') }, RULE)).toEqual([`${RULE} mp.c:8`]);
  });

  it.each([
    ['smp_wmb()/smp_rmb()', messagePassing('smp_wmb()', 'smp_rmb()')],
    ['smp_mb()/smp_rmb()', messagePassing('smp_mb()', 'smp_rmb()')],
  ])('does not flag correct message passing with %s', (_name, code) => {
    expect(findings({ 'mp.c': code }, RULE)).toEqual([]);
  });

  it('does not flag release/acquire', () => {
    const code = [
      'struct ring { int head; int data[16]; };',
      'void put(struct ring *r, int v)',
      '{',
      '\tWRITE_ONCE(r->data[0], v);',
      '\tsmp_store_release(&r->head, 1); /* Pairs with smp_load_acquire() in get(). */',
      '}',
      'int get(struct ring *r)',
      '{',
      '\tif (!smp_load_acquire(&r->head)) /* Pairs with smp_store_release() in put(). */',
      '\t\treturn -1;',
      '\treturn READ_ONCE(r->data[0]);',
      '}',
      '',
    ].join('\n');
    expect(findings({ 'ring.c': code })).toEqual([]);
  });

  it('does not flag rcu_assign_pointer()/rcu_dereference() with an address dependency', () => {
    const code = [
      'struct config { int a; int b; };',
      'static struct config *cur;',
      'void set_config(struct config *c)',
      '{',
      '\tc->a = 1;',
      '\trcu_assign_pointer(cur, c);',
      '}',
      'int get_a(void)',
      '{',
      '\tstruct config *c;',
      '\tint a;',
      '',
      '\trcu_read_lock();',
      '\tc = rcu_dereference(cur);',
      '\ta = c->a;',
      '\trcu_read_unlock();',
      '\treturn a;',
      '}',
      '',
    ].join('\n');
    expect(findings({ 'rcu.c': code })).toEqual([]);
  });

  it('pairs a writer and a reader split across two files, through a shared header', () => {
    const header = 'struct item {\n\tint data;\n\tint ready;\n};\n';
    const writer = '#include "item.h"\nvoid publish(struct item *it)\n{\n\tWRITE_ONCE(it->data, 1);\n\tsmp_wmb(); /* (B) */\n\tWRITE_ONCE(it->ready, 1);\n}\n';
    const goodReader = '#include "item.h"\nint consume(struct item *it)\n{\n\tif (!READ_ONCE(it->ready))\n\t\treturn 0;\n\tsmp_rmb(); /* (A) */\n\treturn READ_ONCE(it->data);\n}\n';
    const badReader = '#include "item.h"\nint consume(struct item *it)\n{\n\tif (!READ_ONCE(it->ready))\n\t\treturn 0;\n\treturn READ_ONCE(it->data);\n}\n';
    expect(findings({ 'item.h': header, 'w.c': writer, 'r.c': goodReader })).toEqual([]);
    expect(findings({ 'item.h': header, 'w.c': writer, 'r.c': badReader }, RULE)).toEqual([`${RULE} r.c:4`]);
  });

  it('points at the pair and offers to insert the barrier it names', () => {
    const code = messagePassing('smp_wmb()', '');
    const [finding] = findingObjects({ 'mp.c': code }, 'mp.c', RULE);
    expect(finding?.message).toMatch(/add smp_rmb\(\)/);
    expect(finding?.related.map((related) => related.message)).toEqual(['pairs with smp_wmb() in publish()']);
    const fix = finding?.fixes[0];
    expect(fix?.title).toBe('Add smp_rmb()');
    const fixed = applyEdits(code, fix!.edits);
    expect(fixed).toContain('\t\treturn -1;');
    expect(findings({ 'mp.c': fixed }, RULE)).toEqual([]);
  });

  it('flags a message stored before an IPI with nothing ordering the two, and the handler', () => {
    const code = [
      'struct msgs { unsigned long bits; };',
      'struct ops { void (*cause_ipi)(int cpu); };',
      'static struct ops *ops;',
      'void send(struct msgs *m, int cpu)',
      '{',
      '\tset_bit(1, &m->bits);',
      '\tops->cause_ipi(cpu);',
      '}',
      'void handler(struct msgs *m)',
      '{',
      '\tunsigned long all = xchg_relaxed(&m->bits, 0);',
      '\tprocess(all);',
      '}',
      '',
    ].join('\n');
    expect(findings({ 'ipi.c': code }, RULE)).toEqual([`${RULE} ipi.c:6`, `${RULE} ipi.c:11`]);
  });

  it('does not take a load after rcu_dereference() of another location, or an initialiser, as a side', () => {
    const code = [
      'struct rq { struct task_struct *curr; struct task_struct *idle; };',
      'void init_idle(struct rq *rq, struct task_struct *idle)',
      '{',
      '\trq->idle = idle;',
      '\trcu_assign_pointer(rq->curr, idle);',
      '}',
      'int is_idle(struct rq *rq)',
      '{',
      '\treturn rcu_dereference(rq->curr) == rq->idle;',
      '}',
      'struct t { int state; atomic_t count; };',
      'void thing_init(struct t *t)',
      '{',
      '\tt->state = 0;',
      '\tatomic_set(&t->count, 0);',
      '}',
      'int thing_run(struct t *t)',
      '{',
      '\tif (atomic_read(&t->count))',
      '\t\treturn 0;',
      '\tsmp_rmb(); /* Pairs with nothing: the object is not published by thing_init(). */',
      '\treturn t->state;',
      '}',
      '',
    ].join('\n');
    expect(findings({ 'x.c': code }, RULE)).toEqual([]);
  });
});
