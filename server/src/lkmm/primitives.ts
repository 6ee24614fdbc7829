// The kernel's ordering primitives as data: what events each macro stands for (after linux-kernel.def) and how
// the analyzer classifies it. Both the simulator and the C analyzer read this one table.

/** Annotation tags of linux-kernel.bell carried by accesses and RMWs. */
export type AccessTag = 'Once' | 'Acquire' | 'Release' | 'Mb' | 'Noreturn';

/** Fence tags of linux-kernel.bell (the `__fence{...}` argument of linux-kernel.def, capitalised as in the .bell). */
export type FenceTag =
  | 'Mb'
  | 'Rmb'
  | 'Wmb'
  | 'Before-atomic'
  | 'After-atomic'
  | 'After-spinlock'
  | 'After-unlock-lock'
  | 'After-srcu-read-unlock'
  | 'Barrier'
  | 'Rcu-lock'
  | 'Rcu-unlock'
  | 'Sync-rcu';

/**
 * How a primitive names its memory location: `lvalue` takes the location itself (`WRITE_ONCE(x, 1)`,
 * `WRITE_ONCE(*p, 1)`), `pointer` takes its address (`smp_store_release(&x, 1)`, `smp_store_release(p, 1)`).
 */
export type LocForm = 'lvalue' | 'pointer';

export type ArithOp = '+' | '-' | '&' | '|' | '^' | '&~';

/** What one macro does, in the event vocabulary of linux-kernel.def. Argument indices are 0-based. */
export type Effect =
  | { op: 'load'; tag: 'Once' | 'Acquire' | 'Srcu-lock'; loc: number; form: LocForm }
  | { op: 'store'; tag: 'Once' | 'Release' | 'Srcu-unlock'; loc: number; form: LocForm; value: number; fenceAfter?: FenceTag }
  | { op: 'fence'; tag: FenceTag }
  | { op: 'xchg'; tag: 'Mb' | 'Once' | 'Acquire' | 'Release'; loc: number; value: number }
  | { op: 'cmpxchg'; tag: 'Mb' | 'Once' | 'Acquire' | 'Release'; loc: number; expected: number; value: number }
  /** An RMW that returns nothing (tag Noreturn). */
  | { op: 'atomic_op'; loc: number; arith: ArithOp; operand: number | 'one' }
  /** An RMW returning the new value (`returns: 'new'`) or the old one (`'old'`), optionally compared with 0. */
  | {
      op: 'atomic_op_return';
      tag: 'Mb' | 'Once' | 'Acquire' | 'Release';
      loc: number;
      arith: ArithOp;
      operand: number | 'one';
      returns: 'new' | 'old';
      test?: '== 0' | '< 0';
    }
  | { op: 'atomic_add_unless'; tag: 'Mb'; loc: number; operand: number; unless: number }
  | { op: 'lock'; loc: number }
  | { op: 'unlock'; loc: number }
  | { op: 'trylock'; loc: number }
  | { op: 'islocked'; loc: number }
  | { op: 'sync-srcu'; loc: number };

/**
 * How the analyzer classifies a site: the ordering it provides, in the vocabulary kernel developers use
 * (memory-barriers.txt): full, write (smp_wmb), read (smp_rmb), acquire, release, rmw, lock, rcu, compiler.
 */
export type BarrierKind =
  | 'full'
  | 'write'
  | 'read'
  | 'acquire'
  | 'release'
  | 'rmw'
  | 'lock'
  | 'rcu'
  | 'compiler'
  | 'once'
  | 'ctrl';

export interface Primitive {
  name: string;
  /** Number of macro arguments. */
  arity: number;
  kind: BarrierKind;
  /** The effect in LKMM terms; absent for barrier.h primitives the model does not define. */
  effect?: Effect;
  /** True when linux-kernel.def defines the primitive, i.e. the simulator accepts it. */
  inModel: boolean;
  /**
   * True when checkpatch's MEMORY_BARRIER check wants a comment beside it: `mb`, `rmb`, `wmb`, and `smp_`/`virt_`
   * followed by those or by `mb__before_atomic`, `mb__after_atomic`, `store_release`, `load_acquire`, `store_mb`.
   */
  wantsComment: boolean;
}

const table = new Map<string, Primitive>();

function add(name: string, arity: number, kind: BarrierKind, effect: Effect | undefined, wantsComment = false): void {
  table.set(name, { name, arity, kind, effect, inModel: effect !== undefined, wantsComment });
}

function fence(name: string, tag: FenceTag, kind: BarrierKind, wantsComment: boolean): void {
  add(name, 0, kind, { op: 'fence', tag }, wantsComment);
}

const orderingSuffixes = [
  ['', 'Mb'],
  ['_relaxed', 'Once'],
  ['_acquire', 'Acquire'],
  ['_release', 'Release'],
] as const;

const rmwKind = (tag: string): BarrierKind =>
  tag === 'Mb' ? 'full' : tag === 'Acquire' ? 'acquire' : tag === 'Release' ? 'release' : 'rmw';

// Marked accesses.
add('READ_ONCE', 1, 'once', { op: 'load', tag: 'Once', loc: 0, form: 'lvalue' });
add('WRITE_ONCE', 2, 'once', { op: 'store', tag: 'Once', loc: 0, form: 'lvalue', value: 1 });
add('smp_load_acquire', 1, 'acquire', { op: 'load', tag: 'Acquire', loc: 0, form: 'pointer' }, true);
add('smp_store_release', 2, 'release', { op: 'store', tag: 'Release', loc: 0, form: 'pointer', value: 1 }, true);
add('rcu_assign_pointer', 2, 'release', { op: 'store', tag: 'Release', loc: 0, form: 'lvalue', value: 1 });
add('rcu_dereference', 1, 'once', { op: 'load', tag: 'Once', loc: 0, form: 'lvalue' });
add(
  'smp_store_mb',
  2,
  'full',
  { op: 'store', tag: 'Once', loc: 0, form: 'lvalue', value: 1, fenceAfter: 'Mb' },
  true,
);

// Fences.
fence('smp_mb', 'Mb', 'full', true);
fence('smp_rmb', 'Rmb', 'read', true);
fence('smp_wmb', 'Wmb', 'write', true);
fence('smp_mb__before_atomic', 'Before-atomic', 'full', true);
fence('smp_mb__after_atomic', 'After-atomic', 'full', true);
fence('smp_mb__after_spinlock', 'After-spinlock', 'full', false);
fence('smp_mb__after_unlock_lock', 'After-unlock-lock', 'full', false);
fence('smp_mb__after_srcu_read_unlock', 'After-srcu-read-unlock', 'full', false);
fence('barrier', 'Barrier', 'compiler', false);

// Exchange and compare-and-exchange, plain and atomic_t flavours.
for (const base of ['xchg', 'atomic_xchg']) {
  for (const [suffix, tag] of orderingSuffixes) add(base + suffix, 2, rmwKind(tag), { op: 'xchg', tag, loc: 0, value: 1 });
}
for (const base of ['cmpxchg', 'atomic_cmpxchg']) {
  for (const [suffix, tag] of orderingSuffixes) {
    add(base + suffix, 3, rmwKind(tag), { op: 'cmpxchg', tag, loc: 0, expected: 1, value: 2 });
  }
}

// Locks.
add('spin_lock', 1, 'lock', { op: 'lock', loc: 0 });
add('spin_unlock', 1, 'lock', { op: 'unlock', loc: 0 });
add('spin_trylock', 1, 'lock', { op: 'trylock', loc: 0 });
add('spin_is_locked', 1, 'lock', { op: 'islocked', loc: 0 });

// RCU and SRCU.
fence('rcu_read_lock', 'Rcu-lock', 'rcu', false);
fence('rcu_read_unlock', 'Rcu-unlock', 'rcu', false);
fence('synchronize_rcu', 'Sync-rcu', 'rcu', false);
fence('synchronize_rcu_expedited', 'Sync-rcu', 'rcu', false);
for (const name of ['srcu_read_lock', 'srcu_down_read']) {
  add(name, 1, 'rcu', { op: 'load', tag: 'Srcu-lock', loc: 0, form: 'pointer' });
}
for (const name of ['srcu_read_unlock', 'srcu_up_read']) {
  add(name, 2, 'rcu', { op: 'store', tag: 'Srcu-unlock', loc: 0, form: 'pointer', value: 1 });
}
add('synchronize_srcu', 1, 'rcu', { op: 'sync-srcu', loc: 0 });
add('synchronize_srcu_expedited', 1, 'rcu', { op: 'sync-srcu', loc: 0 });

// atomic_t accessors.
add('atomic_read', 1, 'once', { op: 'load', tag: 'Once', loc: 0, form: 'pointer' });
add('atomic_set', 2, 'once', { op: 'store', tag: 'Once', loc: 0, form: 'pointer', value: 1 });
add('atomic_read_acquire', 1, 'acquire', { op: 'load', tag: 'Acquire', loc: 0, form: 'pointer' });
add('atomic_set_release', 2, 'release', { op: 'store', tag: 'Release', loc: 0, form: 'pointer', value: 1 });

// atomic_t arithmetic. Operand-taking forms are `atomic_add(V, X)`: the value first, the pointer second.
const arithOps: ReadonlyArray<readonly [string, ArithOp]> = [
  ['add', '+'],
  ['sub', '-'],
  ['and', '&'],
  ['or', '|'],
  ['xor', '^'],
  ['andnot', '&~'],
];
for (const [name, arith] of arithOps) add(`atomic_${name}`, 2, 'rmw', { op: 'atomic_op', loc: 1, arith, operand: 0 });
add('atomic_inc', 1, 'rmw', { op: 'atomic_op', loc: 0, arith: '+', operand: 'one' });
add('atomic_dec', 1, 'rmw', { op: 'atomic_op', loc: 0, arith: '-', operand: 'one' });

for (const [suffix, tag] of orderingSuffixes) {
  const kind = rmwKind(tag);
  for (const [name, arith] of [['add', '+'], ['sub', '-']] as const) {
    add(`atomic_${name}_return${suffix}`, 2, kind, { op: 'atomic_op_return', tag, loc: 1, arith, operand: 0, returns: 'new' });
  }
  for (const [name, arith] of [['inc', '+'], ['dec', '-']] as const) {
    add(`atomic_${name}_return${suffix}`, 1, kind, { op: 'atomic_op_return', tag, loc: 0, arith, operand: 'one', returns: 'new' });
    add(`atomic_fetch_${name}${suffix}`, 1, kind, { op: 'atomic_op_return', tag, loc: 0, arith, operand: 'one', returns: 'old' });
  }
  for (const [name, arith] of arithOps) {
    add(`atomic_fetch_${name}${suffix}`, 2, kind, { op: 'atomic_op_return', tag, loc: 1, arith, operand: 0, returns: 'old' });
  }
  add(`atomic_add_negative${suffix}`, 2, kind, {
    op: 'atomic_op_return',
    tag,
    loc: 1,
    arith: '+',
    operand: 0,
    returns: 'new',
    test: '< 0',
  });
}
add('atomic_sub_and_test', 2, 'full', { op: 'atomic_op_return', tag: 'Mb', loc: 1, arith: '-', operand: 0, returns: 'new', test: '== 0' });
add('atomic_dec_and_test', 1, 'full', { op: 'atomic_op_return', tag: 'Mb', loc: 0, arith: '-', operand: 'one', returns: 'new', test: '== 0' });
add('atomic_inc_and_test', 1, 'full', { op: 'atomic_op_return', tag: 'Mb', loc: 0, arith: '+', operand: 'one', returns: 'new', test: '== 0' });
add('atomic_add_unless', 3, 'full', { op: 'atomic_add_unless', tag: 'Mb', loc: 0, operand: 1, unless: 2 });

// barrier.h and rcupdate.h primitives the model does not define; the analyzer still knows what they order.
add('mb', 0, 'full', undefined, true);
add('rmb', 0, 'read', undefined, true);
add('wmb', 0, 'write', undefined, true);
add('dma_rmb', 0, 'read', undefined);
add('dma_wmb', 0, 'write', undefined);
add('dma_mb', 0, 'full', undefined);
add('virt_mb', 0, 'full', undefined, true);
add('virt_rmb', 0, 'read', undefined, true);
add('virt_wmb', 0, 'write', undefined, true);
add('virt_store_mb', 2, 'full', undefined, true);
add('virt_load_acquire', 1, 'acquire', undefined, true);
add('virt_store_release', 2, 'release', undefined, true);
add('virt_mb__before_atomic', 0, 'full', undefined, true);
add('virt_mb__after_atomic', 0, 'full', undefined, true);
add('smp_read_barrier_depends', 0, 'read', undefined);
add('read_barrier_depends', 0, 'read', undefined);
add('smp_acquire__after_ctrl_dep', 0, 'ctrl', undefined, false);
add('smp_cond_load_acquire', 2, 'acquire', undefined, false);
add('smp_cond_load_relaxed', 2, 'ctrl', undefined, false);
add('smp_mb__before_spinlock', 0, 'full', undefined);

/** Looks a macro up by name; undefined when it is not an ordering primitive. */
export function primitive(name: string): Primitive | undefined {
  return table.get(name);
}

/** Every known primitive, in definition order. */
export function allPrimitives(): readonly Primitive[] {
  return [...table.values()];
}
