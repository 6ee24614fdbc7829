// Tests of the control-dependency and load-buffering patterns: what is recorded, what pairs, and what is flagged.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/analysis/index';
import { buildFileModel } from '../../server/src/analysis/model';
import { litmusText } from '../../server/src/analysis/litmus';
import { scenarioOf } from '../../server/src/analysis/pairs';
import { findingObjects, findings } from '../rules/support';

/** Each access of `fn` with the texts of the condition loads it is control-dependent on: `store p->a <- p->flag`. */
function controls(code: string, fn: string): string[] {
  const model = buildFileModel('c.c', code);
  const { events } = model.functions.find((candidate) => candidate.name === fn)!;
  const text = (index: number): string => {
    const event = events[index];
    return event?.type === 'access' ? event.loc.text : (event?.type ?? 'none');
  };
  return events.flatMap((event) =>
    event.type === 'access' ? [`${event.op} ${event.loc.text}${(event.ctrl ?? []).map((index) => ` <- ${text(index)}`).join('')}`] : [],
  );
}

function pairsOf(files: Record<string, string>): Array<{ kind: string; sides: string; verdict: string }> {
  const workspace = new Workspace();
  for (const [file, text] of Object.entries(files)) workspace.setFile(file, text);
  return workspace.analysis().results.map((result) => ({
    kind: result.pair.kind,
    sides: result.pair.sides.map((side) => side.flow.fn.name).join('->'),
    verdict: result.verdict,
  }));
}

const ITEM = ['struct item {', '\tint data;', '\tint ready;', '};', ''];

const PUBLISH = [
  'void publish(struct item *it, int v)',
  '{',
  '\tWRITE_ONCE(it->data, v);',
  '\tsmp_wmb(); /* Write ->data before ->ready. */',
  '\tWRITE_ONCE(it->ready, 1);',
  '}',
  '',
];

/** A reader spinning on ->ready with READ_ONCE(), then `after` (a barrier line or nothing), then reading ->data. */
function spinReader(after: string): string {
  return [
    ...ITEM,
    ...PUBLISH,
    'int wait_ready(struct item *it)',
    '{',
    '\twhile (!READ_ONCE(it->ready))',
    '\t\tcpu_relax();',
    ...(after === '' ? [] : [`\t${after}`]),
    '\treturn READ_ONCE(it->data);',
    '}',
    '',
  ].join('\n');
}

describe('control dependencies', () => {
  it('records the loads of an if condition on the accesses of both arms, and not after the if', () => {
    const code = [...ITEM, 'void f(struct item *it)', '{', '\tif (READ_ONCE(it->ready))', '\t\tWRITE_ONCE(it->data, 1);', '\telse', '\t\tit->data = 2;', '\tit->ready = 0;', '}', ''].join('\n');
    expect(controls(code, 'f')).toEqual(['load it->ready', 'store it->data <- it->ready', 'store it->data <- it->ready', 'store it->ready']);
  });

  it('records an early return and a loop exit as controlling the rest of the block', () => {
    const code = [
      ...ITEM,
      'int f(struct item *it)',
      '{',
      '\tif (!READ_ONCE(it->ready))',
      '\t\treturn 0;',
      '\tWRITE_ONCE(it->data, 1);',
      '\treturn 1;',
      '}',
      '',
      'void g(struct item *it)',
      '{',
      '\twhile (!READ_ONCE(it->ready))',
      '\t\tcpu_relax();',
      '\tWRITE_ONCE(it->data, 1);',
      '}',
      '',
    ].join('\n');
    expect(controls(code, 'f')).toEqual(['load it->ready', 'store it->data <- it->ready']);
    expect(controls(code, 'g')).toEqual(['load it->ready', 'store it->data <- it->ready']);
  });

  it('pairs a READ_ONCE() spin loop followed by smp_acquire__after_ctrl_dep() as a message-passing read side', () => {
    const code = spinReader('smp_acquire__after_ctrl_dep();');
    expect(pairsOf({ 'mp.c': code })).toEqual([{ kind: 'mp', sides: 'publish->wait_ready', verdict: 'forbidden' }]);
    expect(findings({ 'mp.c': code })).toEqual([]);
  });

  it('flags the spin loop without it, naming smp_acquire__after_ctrl_dep() as the idiom', () => {
    const code = spinReader('');
    expect(findings({ 'mp.c': code })).toEqual(['missing-barrier mp.c:15']);
    expect(findingObjects({ 'mp.c': code }, 'mp.c', 'missing-barrier')[0]?.message).toMatch(/smp_rmb\(\) after the first read \(or smp_acquire__after_ctrl_dep\(\)/);
  });

  it('does not take a spin_is_locked() assertion for a wait on the lock', () => {
    const code = [
      'struct obj_table {',
      '\tspinlock_t lock;',
      '\tint nr_live;',
      '};',
      '',
      'void table_kill(struct obj_table *t)',
      '{',
      '\tspin_lock(&t->lock);',
      '\tWRITE_ONCE(t->nr_live, 0);',
      '\tspin_unlock(&t->lock);',
      '}',
      '',
      'int table_count(struct obj_table *t)',
      '{',
      '\tWARN_ON_ONCE(!spin_is_locked(&t->lock));',
      '\treturn READ_ONCE(t->nr_live);',
      '}',
      '',
    ].join('\n');
    expect(pairsOf({ 't.c': code })).toEqual([]);
    expect(findings({ 't.c': code })).toEqual([]);
  });
});

const SLOT = ['struct slot {', '\tchar *data;', '\tint busy;', '};', ''];

/** A consumer reading ->data then handing the slot back with `release` (a statement writing ->busy, or two). */
function consumer(release: string[]): string[] {
  return ['char *slot_take(struct slot *s)', '{', '\tchar *data = READ_ONCE(s->data);', '', ...release.map((line) => `\t${line}`), '\treturn data;', '}', ''];
}

/** A producer that refills the slot: `guarded` stores only when it saw ->busy clear, otherwise unconditionally. */
function producer(guarded: boolean): string[] {
  const test = guarded ? ['\tif (READ_ONCE(s->busy))', '\t\treturn false;'] : ['\tpr_debug("busy %d\\n", READ_ONCE(s->busy));'];
  return ['bool slot_fill(struct slot *s, char *data)', '{', ...test, '\tWRITE_ONCE(s->data, data);', '\treturn true;', '}', ''];
}

describe('releasing an object (load buffering)', () => {
  it('pairs the release with the guarded reuse and flags smp_wmb() as too weak', () => {
    const code = [...SLOT, ...consumer(['smp_wmb(); /* Read ->data before handing the slot back. */', 'WRITE_ONCE(s->busy, 0);']), ...producer(true)].join('\n');
    expect(pairsOf({ 's.c': code })).toEqual([{ kind: 'lb', sides: 'slot_take->slot_fill', verdict: 'allowed' }]);
    expect(findings({ 's.c': code })).toEqual(['too-weak-barrier s.c:10']);
    const [finding] = findingObjects({ 's.c': code }, 's.c', 'too-weak-barrier');
    expect(finding?.message).toMatch(/does not order the read of ->data before the write of ->busy.*smp_mb\(\) \(or smp_store_release\(\) of ->busy\) does/);
    expect(finding?.related.map((related) => related.message)).toEqual(['pairs with slot_fill()']);
  });

  it('proves the release and the control dependency forbid the bad outcome, and prints the dependency', () => {
    const code = [...SLOT, ...consumer(['/* Hand the slot back after reading it. */', 'smp_store_release(&s->busy, 0);']), ...producer(true)].join('\n');
    const workspace = new Workspace();
    workspace.setFile('s.c', code);
    const [result] = workspace.analysis().results;
    expect(result?.pair.kind).toBe('lb');
    expect(result?.verdict).toBe('forbidden');
    expect(litmusText(scenarioOf(result!.pair))).toContain('if (r1 == 1) {\n\t\tWRITE_ONCE(*x, 1);\n\t}');
    expect(findings({ 's.c': code })).toEqual([]);
  });

  it('never calls smp_mb() over-strong in load buffering', () => {
    const code = [...SLOT, ...consumer(['smp_mb(); /* Read ->data before handing the slot back. */', 'WRITE_ONCE(s->busy, 0);']), ...producer(true)].join('\n');
    expect(pairsOf({ 's.c': code }).map((pair) => `${pair.kind} ${pair.verdict}`)).toEqual(['lb forbidden']);
    expect(findings({ 's.c': code })).toEqual([]);
  });

  it('does not pair a producer whose store does not depend on its read of the flag', () => {
    const code = [...SLOT, ...consumer(['smp_wmb(); /* Read ->data before handing the slot back. */', 'WRITE_ONCE(s->busy, 0);']), ...producer(false)].join('\n');
    expect(pairsOf({ 's.c': code }).filter((pair) => pair.kind === 'lb')).toEqual([]);
  });

  it('does not take a store-then-store publication for a release of loads', () => {
    expect(pairsOf({ 'mp.c': spinReader('smp_acquire__after_ctrl_dep();') }).filter((pair) => pair.kind === 'lb')).toEqual([]);
  });
});

describe('pairing through helpers and accessors', () => {
  /** A writer whose barrier is a helper's first statement, as clear_work_data() starts with smp_wmb(). */
  const helperBarrier = [
    ...ITEM,
    'static void set_ready(struct item *it)',
    '{',
    '\tsmp_wmb(); /* The caller\'s writes before ->ready. */',
    '\tWRITE_ONCE(it->ready, 1);',
    '}',
    '',
    'void publish(struct item *it, int v)',
    '{',
    '\tWRITE_ONCE(it->data, v);',
    '\tset_ready(it);',
    '}',
    '',
    'int consume(struct item *it)',
    '{',
    '\tif (!READ_ONCE(it->ready))',
    '\t\treturn -1;',
    '\tsmp_rmb(); /* Read ->ready before ->data. */',
    '\treturn READ_ONCE(it->data);',
    '}',
    '',
  ].join('\n');

  it('pairs a helper\'s barrier before all its accesses with the caller\'s accesses around the call', () => {
    const workspace = new Workspace();
    workspace.setFile('h.c', helperBarrier);
    const [result, ...rest] = workspace.analysis().results;
    expect(rest).toEqual([]);
    expect(result?.pair.sides.map((side) => side.flow.fn.name)).toEqual(['publish', 'consume']);
    expect(result?.verdict).toBe('forbidden');
    // The helper's smp_wmb() counts as paired, so it is not reported as unpaired.
    const site = workspace.model('h.c')!.sites.find((candidate) => candidate.name === 'smp_wmb')!;
    expect(workspace.analysis().bySite.has(`h.c:${site.range.start}`)).toBe(true);
    expect(findings({ 'h.c': helperBarrier })).toEqual([]);
  });

  it('does not take a helper\'s barrier between its own accesses as ordering its caller\'s', () => {
    const code = helperBarrier.replace("\tsmp_wmb(); /* The caller's writes before ->ready. */\n", "\tWRITE_ONCE(it->data, 0);\n\tsmp_wmb(); /* ->data before ->ready. */\n");
    const workspace = new Workspace();
    workspace.setFile('h.c', code);
    const sides = workspace.analysis().results.map((result) => result.pair.sides.map((side) => side.flow.fn.name).join('->'));
    expect(sides).toEqual(['set_ready->consume']);
  });

  it('pairs a CPU mask set before an atomic count with a reader of the count then the mask', () => {
    const code = [
      'struct root_domain {',
      '\tatomic_t overload;',
      '\tcpumask_var_t overload_mask;',
      '};',
      '',
      'void set_overload(struct root_domain *rd, int cpu)',
      '{',
      '\tcpumask_set_cpu(cpu, rd->overload_mask);',
      '\tsmp_wmb(); /* The mask before the count. */',
      '\tatomic_inc(&rd->overload);',
      '}',
      '',
      'void clear_overload(struct root_domain *rd, int cpu)',
      '{',
      '\tatomic_dec(&rd->overload);',
      '\tcpumask_clear_cpu(cpu, rd->overload_mask);',
      '}',
      '',
      'int pull(struct root_domain *rd, int cpu)',
      '{',
      '\tif (!atomic_read(&rd->overload))',
      '\t\treturn 0;',
      '\tsmp_rmb(); /* The count before the mask. */',
      '\treturn cpumask_test_cpu(cpu, rd->overload_mask);',
      '}',
      '',
    ].join('\n');
    // clear_overload() reads nothing: atomic_dec() and cpumask_clear_cpu() return no value, so it is no read side.
    expect(pairsOf({ 'o.c': code })).toEqual([{ kind: 'mp', sides: 'set_overload->pull', verdict: 'forbidden' }]);
    expect(findings({ 'o.c': code })).toEqual([]);
  });
});

describe('what is not a pair', () => {
  it('does not pair two functions that reach a flag only through this_cpu_ptr(): both run on the CPU that owns it', () => {
    const code = [
      'struct cpu_state {',
      '\tint nesting;',
      '\tint nmi_nesting;',
      '};',
      '',
      'static DEFINE_PER_CPU(struct cpu_state, cpu_state);',
      '',
      'void state_enter(void)',
      '{',
      '\tstruct cpu_state *st = this_cpu_ptr(&cpu_state);',
      '',
      '\tWRITE_ONCE(st->nmi_nesting, 0);',
      '\tWRITE_ONCE(st->nesting, 0);',
      '}',
      '',
      'int state_exit(void)',
      '{',
      '\tstruct cpu_state *st = this_cpu_ptr(&cpu_state);',
      '',
      '\tif (READ_ONCE(st->nesting))',
      '\t\treturn 0;',
      '\tsmp_mb(); /* Order ->nesting before ->nmi_nesting. */',
      '\treturn READ_ONCE(st->nmi_nesting);',
      '}',
      '',
    ].join('\n');
    expect(pairsOf({ 'p.c': code })).toEqual([]);
    // The same code reading another CPU's copy with per_cpu_ptr() pairs, and the writer is missing its barrier.
    const remote = code.replace('int state_exit(void)', 'int state_exit(int cpu)').replace(
      '\tstruct cpu_state *st = this_cpu_ptr(&cpu_state);\n\n\tif',
      '\tstruct cpu_state *st = per_cpu_ptr(&cpu_state, cpu);\n\n\tif',
    );
    expect(pairsOf({ 'p.c': remote })).toEqual([{ kind: 'mp', sides: 'state_enter->state_exit', verdict: 'allowed' }]);
  });

  it('does not take atomic_set() giving a reference count its first value as publishing what the dropper reads', () => {
    const code = [
      'struct buf {',
      '\tvoid *head;',
      '\tatomic_t refs;',
      '};',
      '',
      'void buf_fill(struct buf *b, void *head)',
      '{',
      '\tb->head = head;',
      '\tatomic_set(&b->refs, 1);',
      '}',
      '',
      'void buf_put(struct buf *b)',
      '{',
      '\tif (atomic_dec_and_test(&b->refs))',
      '\t\tkfree(b->head);',
      '}',
      '',
    ].join('\n');
    expect(pairsOf({ 'b.c': code })).toEqual([]);
    // Setting the flag with a plain WRITE_ONCE() is a publication, and the writer is missing its barrier.
    const published = code.replace('\tatomic_set(&b->refs, 1);', '\tatomic_inc(&b->refs);');
    expect(findings({ 'b.c': published })).toEqual(['missing-barrier b.c:8']);
  });
});

describe('locks and owners the analysis infers', () => {
  const NODE = ['struct node {', '\tspinlock_t lock;', '\tint count;', '\tint state;', '};', ''];
  const WRITER = ['void node_set(struct node *n)', '{', '\tWRITE_ONCE(n->state, 1);', '\tsmp_wmb(); /* ->state before ->count. */', '\tWRITE_ONCE(n->count, 1);', '}', ''];

  /** A reader of ->count then ->state that holds `n->lock` by the test `guard` (its lines, before the reads). */
  function reader(name: string, guard: string[]): string[] {
    return [`int ${name}(struct node *n)`, '{', '\tint state = 0;', '', ...guard, '\tif (READ_ONCE(n->count))', '\t\tstate = READ_ONCE(n->state);', '\tspin_unlock(&n->lock);', '\treturn state;', '}', ''];
  }

  it('takes the lock as held after `if (!spin_trylock(&l)) return`', () => {
    const guarded = [...NODE, ...WRITER, ...reader('node_peek', ['\tif (!spin_trylock(&n->lock))', '\t\treturn 0;'])].join('\n');
    expect(pairsOf({ 'n.c': guarded })).toEqual([]);
    const unguarded = guarded.replace('spin_trylock(&n->lock)', 'node_try_grab(n)');
    expect(findings({ 'n.c': unguarded })).toEqual(['missing-barrier n.c:20']);
  });

  it('takes a function named *_locked as called with the lock held', () => {
    const code = [...NODE, ...WRITER, ...reader('node_peek_locked', [])].join('\n');
    expect(pairsOf({ 'n.c': code })).toEqual([]);
    expect(pairsOf({ 'n.c': code.replace('node_peek_locked', 'node_peek') })).toHaveLength(1);
  });

  it('does not take stores to an object the function has just allocated as a publication', () => {
    const code = [
      ...NODE,
      'struct node *node_new(gfp_t gfp)',
      '{',
      '\tstruct node *n = kzalloc(sizeof(*n), gfp);',
      '',
      '\tif (!n)',
      '\t\treturn NULL;',
      '\tn->state = 1;',
      '\tWRITE_ONCE(n->count, 1);',
      '\treturn n;',
      '}',
      '',
      'int node_read(struct node *n)',
      '{',
      '\tif (!READ_ONCE(n->count))',
      '\t\treturn 0;',
      '\tsmp_rmb(); /* ->count before ->state. */',
      '\treturn READ_ONCE(n->state);',
      '}',
      '',
    ].join('\n');
    expect(pairsOf({ 'n.c': code }).filter((pair) => pair.kind === 'mp')).toEqual([]);
    const given = code.replace('\tstruct node *n = kzalloc(sizeof(*n), gfp);\n\n\tif (!n)\n\t\treturn NULL;\n', '').replace('struct node *node_new(gfp_t gfp)', 'struct node *node_fill(struct node *n)');
    expect(pairsOf({ 'n.c': given }).filter((pair) => pair.kind === 'mp')).toEqual([{ kind: 'mp', sides: 'node_fill->node_read', verdict: 'allowed' }]);
  });
});
