// Extraction per function, in source order: accesses (marked and plain), fences, locks, wakeups and IPIs, spin loops.
import { primitive, type Effect } from '../lkmm/primitives';
// The walker reads nodes through lite.ts's CNode: plain copies of a definition's subtree, or tree-sitter's own nodes.
import { liteTree, type CNode } from './lite';
import type { SyntaxNode as TreeNode } from './parse';
import { functionDefinitionName, splitArguments, type BarrierSite } from './sites';
import { typeBase, unwrapDeclarator, type CType } from './types-index';
import type { TextRange } from './types';

/** How an access is annotated: `plain` C, `once` (READ_ONCE, atomic_read...), acquire/release, or a volatile field. */
export type Marking = 'plain' | 'once' | 'acquire' | 'release';

/** The ordering an RMW or fence provides, in linux-kernel.def's tags. */
export type Strength = 'Mb' | 'Wmb' | 'Rmb' | 'Acquire' | 'Release' | 'Once' | 'Barrier' | 'Other';

/** An lvalue as written, before workspace-wide type information turns it into a location key (keys.ts). */
export interface LocPath {
  rootName?: string;
  rootType?: CType;
  rootScope: 'global' | 'param' | 'local' | 'cast' | 'unknown';
  fields: string[];
  /** The expression text with blanks collapsed, the fallback key when the type is unknown. */
  text: string;
  /** Reached through this_cpu_ptr() (directly or by a local set from it): the running CPU's own copy. */
  thisCpu?: boolean;
}

interface EventBase {
  /** Where the event is in the file; for events inlined from a callee, the call. */
  range: TextRange;
  /** The statement holding the event, where fixes insert lines. */
  statement?: TextRange;
  /** if/switch arms taken to reach the event: `[node id, arm]` pairs. */
  arms: Array<[number, number]>;
  /** Ids of enclosing loops, outermost first. */
  loops: number[];
  /** A lock is held (by this function, or by every caller of an inlined helper). */
  locked: boolean;
  /** The callee this event was copied from, when inlined, and the file defining it. */
  inlinedFrom?: string;
  inlinedFile?: string;
  /**
   * The loads whose values decide whether the event happens, as indices into the function's events: the conditions
   * of the `if`s and loops around it, of an earlier `if` that leaves the block, and of a loop it follows (a control
   * dependency). Indices, not offsets, so they stay true when an edit elsewhere in the file moves the function.
   */
  ctrl?: number[];
}

export interface AccessEvent extends EventBase {
  type: 'access';
  op: 'load' | 'store' | 'rmw';
  loc: LocPath;
  marking: Marking;
  /** For RMWs and marked accesses, the ordering the primitive adds (xchg is Mb, xchg_relaxed is Once). */
  strength: Strength;
  /** The macro used, when marked (`READ_ONCE`, `xchg_local`...). */
  primitive?: string;
  /** The local variable the loaded value is assigned to (`msg = READ_ONCE(...)`), for dependencies and spins. */
  valueVar?: string;
  /** The local pointer variable the address is computed from (`p` in `p->a`), for address dependencies. */
  baseVar?: string;
  /** The range of the lvalue itself, which unmarked-access rewrites. */
  lvalue: TextRange;
  /** An RMW that returns no value (`atomic_inc()`, `set_bit()`): it reads nothing the code can act on. */
  returnsNothing?: boolean;
  /** The address is computed from a local the function set from an allocation (`kn = kmem_cache_zalloc(...)`). */
  fresh?: boolean;
  /** A location the analysis stands in for (the task state set_current_state() writes), not one the code names. */
  synthetic?: boolean;
  /** Made inside the arguments of a message or an assertion (`pr_cont()`, `WARN_ON()`): its value is only reported. */
  diagnostic?: boolean;
}

export interface FenceEvent extends EventBase {
  type: 'fence';
  /** The barrier call; absent for a barrier implied by another primitive (set_current_state's smp_mb()). */
  site?: BarrierSite;
  /** The primitive that implies the barrier, when there is no site. */
  impliedBy?: string;
  /**
   * Inlined from a callee that has no shared access before it (or none after it): a helper whose barrier orders the
   * caller's accesses around the call (`clear_work_data()` starting with smp_wmb()).
   */
  boundary?: boolean;
  strength: Strength;
}

export interface LockEvent extends EventBase {
  type: 'lock' | 'unlock';
  lock: string;
  /** The lock's lvalue, so an unlock can pair with a `spin_is_locked()` loop on the same lock. */
  loc?: LocPath;
}

/** A wakeup or IPI: the receiving side runs after it, so it acts as a store the other side observes. */
export interface SignalEvent extends EventBase {
  type: 'signal';
  signal: 'wake' | 'ipi';
  name: string;
  /** `wake_q_add()`: the wakeup itself happens later, after this function returns. */
  deferred: boolean;
  /** Wakeups that wake a task imply a full barrier (memory-barriers.txt); IPI senders do not. */
  impliesMb: boolean;
}

/** The woken side of a wakeup: the return from schedule() and friends. */
export interface ReceiptEvent extends EventBase {
  type: 'receipt';
  name: string;
}

/** A pointer returned to the caller, which may hand it to another CPU. */
export interface HandoffEvent extends EventBase {
  type: 'handoff';
  variable: string;
}

export interface CallEvent extends EventBase {
  type: 'call';
  name: string;
  /** The local variable the call's result is assigned to, so inlining can carry a dependency through it. */
  valueVar?: string;
  /** For each argument that is a plain local variable, its name: inlined accesses through the parameter depend on it. */
  argVars: Array<string | undefined>;
}

export interface RelaxEvent extends EventBase {
  type: 'relax';
}

export type Event = AccessEvent | FenceEvent | LockEvent | SignalEvent | ReceiptEvent | HandoffEvent | CallEvent | RelaxEvent;

export interface LoopInfo {
  id: number;
  range: TextRange;
  /** The loop calls cpu_relax() or is a bare re-read: a spin-wait loop when it reads a shared location. */
  relaxes: boolean;
  /** The loop body stores nothing shared. */
  storeless: boolean;
}

export interface Param {
  name: string;
  type: CType;
  /** The function never dereferences it: an opaque object it was handed. */
  opaque: boolean;
}

export interface FunctionModel {
  name: string;
  file: string;
  range: TextRange;
  nameRange: TextRange;
  params: Param[];
  returnsPointer: boolean;
  /** The base of the declared return type (`void` for `void *f()`). */
  returnBase: string;
  events: Event[];
  loops: LoopInfo[];
  /** Walked only to be inlined into callers (relevance.ts): it cannot be a side itself, and its events may be cut. */
  inlineOnly?: true;
}

/** Barrier-ish functions the model does not define but whose accesses we still classify. */
const EXTRA_ACCESSES: Record<
  string,
  { op: 'load' | 'store' | 'rmw'; loc: number; form: 'pointer' | 'lvalue'; strength: Strength; marking: Marking; returnsNothing?: boolean }
> = {
  xchg_local: { op: 'rmw', loc: 0, form: 'pointer', strength: 'Once', marking: 'once' },
  cmpxchg_local: { op: 'rmw', loc: 0, form: 'pointer', strength: 'Once', marking: 'once' },
  set_bit: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Once', marking: 'once', returnsNothing: true },
  clear_bit: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Once', marking: 'once', returnsNothing: true },
  change_bit: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Once', marking: 'once', returnsNothing: true },
  test_bit: { op: 'load', loc: 1, form: 'pointer', strength: 'Once', marking: 'once' },
  test_and_set_bit: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Mb', marking: 'once' },
  test_and_clear_bit: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Mb', marking: 'once' },
  test_and_change_bit: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Mb', marking: 'once' },
  clear_bit_unlock: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Release', marking: 'release' },
  test_and_set_bit_lock: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Acquire', marking: 'acquire' },
  smp_cond_load_acquire: { op: 'load', loc: 0, form: 'pointer', strength: 'Acquire', marking: 'acquire' },
  smp_cond_load_relaxed: { op: 'load', loc: 0, form: 'pointer', strength: 'Once', marking: 'once' },
  virt_load_acquire: { op: 'load', loc: 0, form: 'pointer', strength: 'Acquire', marking: 'acquire' },
  virt_store_release: { op: 'store', loc: 0, form: 'pointer', strength: 'Release', marking: 'release' },
  // CPU masks are bitmaps set and tested with the bit operations (`cpumask_set_cpu()` is set_bit()); `__` ones are plain.
  cpumask_set_cpu: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Once', marking: 'once', returnsNothing: true },
  cpumask_clear_cpu: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Once', marking: 'once', returnsNothing: true },
  cpumask_test_cpu: { op: 'load', loc: 1, form: 'pointer', strength: 'Once', marking: 'once' },
  cpumask_test_and_set_cpu: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Mb', marking: 'once' },
  cpumask_test_and_clear_cpu: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Mb', marking: 'once' },
  __cpumask_set_cpu: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Other', marking: 'plain', returnsNothing: true },
  __cpumask_clear_cpu: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Other', marking: 'plain', returnsNothing: true },
  // Lock-free lists: llist_add() is a cmpxchg loop and llist_del_all() an xchg, both fully ordered.
  llist_add: { op: 'rmw', loc: 1, form: 'pointer', strength: 'Mb', marking: 'once' },
  llist_add_batch: { op: 'rmw', loc: 2, form: 'pointer', strength: 'Mb', marking: 'once' },
  llist_del_all: { op: 'rmw', loc: 0, form: 'pointer', strength: 'Mb', marking: 'once' },
  llist_del_first: { op: 'rmw', loc: 0, form: 'pointer', strength: 'Mb', marking: 'once' },
};

const WAKEUPS = /^(?:wake_up(?:_process|_state|_all|_interruptible(?:_all|_sync|_poll)?|_locked(?:_poll)?|_poll|_nr|_bit|_var|_q|_all_locked)?|try_to_wake_up|complete(?:_all)?|swake_up_(?:one|all|locked)|rcuwait_wake_up)$/;
const DEFERRED_WAKEUPS = /^wake_q_add(?:_safe)?$/;
const LOCKLESS_WAKEUPS = /^wake_up_(?:bit|var)$/;
/** Messages and assertions: what their arguments read is reported, not acted on. */
const DIAGNOSTICS =
  /^(?:printk\w*|pr_(?:emerg|alert|crit|err|warn|warning|notice|info|cont|debug|devel)\w*|dev_(?:emerg|alert|crit|err|warn|notice|info|dbg)\w*|seq_printf|seq_puts|seq_put_\w+|trace_printk|WARN\w*|BUG_ON|VM_BUG_ON\w*|VM_WARN\w*|snprintf|scnprintf|sprintf)$/;
/** Allocators, by the kernel's naming (`kzalloc`, `kmem_cache_alloc`, `alloc_page`, `__alloc_skb`, `kmemdup`). */
const ALLOCATES = /(?:^|_)(?:[kv][mz]?alloc|kcalloc|kvcalloc|alloc|zalloc)(?:_|$)|^kmemdup$/;
const IPIS = /^(?:smp_send_reschedule|arch_send_call_function_(?:single_ipi|ipi_mask)|smp_cross_call|__smp_cross_call|send_IPI(?:_\w+)?|cause_ipi|ipi_send_(?:single|mask)|arch_irq_work_raise|smp_send_stop)$/;
const RECEIPTS = /^(?:schedule(?:_timeout\w*|_hrtimeout\w*|_preempt_disabled)?|io_schedule(?:_timeout)?|freezable_schedule\w*|wait_for_completion\w*)$/;
const RELAXES = /^(?:cpu_relax|cpu_relax_lowlatency|cpu_chill|udelay|ndelay|cond_resched)$/;
const LOCKS = /^(?:(?:raw_)?(?:spin|read|write)_lock(?:_irq|_irqsave|_bh|_nested|_irqsave_nested)?|mutex_lock(?:_interruptible|_killable|_nested)?|down_(?:read|write)(?:_killable|_interruptible|_nested)?|\w+_lock_object|\w+_lock|lock_\w+)$/;
const UNLOCKS = /^(?:(?:raw_)?(?:spin|read|write)_unlock(?:_irq|_irqrestore|_bh)?|mutex_unlock|up_(?:read|write)|\w+_unlock_object|\w+_unlock|unlock_\w+)$/;
/** Names the lock patterns above would misread: RCU and preemption "locks" exclude nobody. */
const NOT_LOCKS = /^(?:rcu_read_(?:un)?lock\w*|srcu_read_(?:un)?lock\w*|local_\w+|preempt_\w+|\w*_is_locked|\w*lockdep\w*|\w+_trylock\w*|lock_is_held\w*|clock_\w+|\w*_lock_init|\w*block\w*)$/;

const RCU_DEREFERENCE = /^(?:rcu_dereference\w*|srcu_dereference\w*|rcu_access_pointer|lockless_dereference)$/;
/**
 * Lockless reads of a lock word. spin_unlock_wait() waits for the holder to release and had acquire semantics until
 * its removal; spin_is_locked() is a plain marked read, ordered only by a control dependency and what follows it.
 */
const LOCK_TESTS = /^(?:raw_)?spin_is_locked$/;
const LOCK_WAITS = /^(?:raw_)?spin_unlock_wait$/;
const SETS_STATE = /^(?:set_current_state|set_special_state|__set_current_state)$/;
const PREPARES_WAIT = /^(?:prepare_to_wait(?:_exclusive|_event)?|add_wait_queue(?:_exclusive)?|prepare_to_swait\w*)$/;
const TESTS_WAITERS = /^(?:waitqueue_active|swait_active|wq_has_sleeper)$/;

/**
 * What a call does by its callee's name alone, as the walker reads it: `orders` for calls that give a full, write or
 * read fence, a marked access, a signal or a receipt (what can anchor or mark a side), `lock-test` for a lockless read
 * of a lock word (spin_is_locked(), spin_unlock_wait()), `lock`/`unlock`, `quiet` for calls that give no event or only
 * a fence that anchors nothing, and `call` for anything else (an ordinary call, inlined at pairing time). relevance.ts
 * reads a function's calls with it to decide, without walking the function, whether it can take part in a pair.
 */
export function callKind(name: string): 'orders' | 'lock-test' | 'lock' | 'unlock' | 'quiet' | 'call' {
  if (LOCK_TESTS.test(name) || LOCK_WAITS.test(name)) return 'lock-test';
  const known = primitive(name);
  if (known !== undefined) {
    const op = known.effect?.op;
    if (op === 'lock' || op === 'unlock') return op;
    if (op === 'trylock' || op === 'islocked' || op === 'sync-srcu') return 'quiet';
    // RCU read-side markers, grace periods and barrier() are fences no side is anchored by (pairs.ts's orderedBy).
    if (op === 'fence' || op === undefined) return ['Mb', 'Wmb', 'Rmb'].includes(fenceStrength(name)) ? 'orders' : 'quiet';
    return 'orders';
  }
  if (name in EXTRA_ACCESSES || RCU_DEREFERENCE.test(name) || SETS_STATE.test(name) || PREPARES_WAIT.test(name) || TESTS_WAITERS.test(name)) return 'orders';
  const lock = lockByName(name);
  if (lock !== undefined) return lock === 'excluded' ? 'quiet' : lock;
  if (WAKEUPS.test(name) || DEFERRED_WAKEUPS.test(name) || IPIS.test(name) || RECEIPTS.test(name)) return 'orders';
  return RELAXES.test(name) ? 'quiet' : 'call';
}

/** How a call that is no LKMM primitive takes or drops a lock, by the kernel's naming; `excluded` for the look-alikes. */
function lockByName(name: string): 'lock' | 'unlock' | 'excluded' | undefined {
  if (NOT_LOCKS.test(name)) return 'excluded';
  if (UNLOCKS.test(name)) return 'unlock';
  return LOCKS.test(name) ? 'lock' : undefined;
}

/**
 * Statements and expressions nested deeper than this are not walked: no kernel code comes near it, and the walk
 * recurses, so a generated nest (a thousand `(`) would overflow the stack.
 */
const MAX_NESTING = 256;

/** See Walker.push: beyond this many events a function's extraction stops. */
const MAX_EVENTS_PER_FUNCTION = 4000;

/**
 * Whether an `if` condition is a trylock (`spin_trylock(&l)`, `likely(mutex_trylock(m))`): `taken` when the body runs
 * with the lock, `failed` when it runs without it (`!spin_trylock(&l)`).
 */
function trylockTest(condition: string): 'taken' | 'failed' | undefined {
  let text = condition.trim();
  for (;;) {
    const inner = /^\((.*)\)$/s.exec(text) ?? /^(?:un)?likely\s*\((.*)\)$/s.exec(text);
    if (inner === null) break;
    text = inner[1]!.trim();
  }
  const negated = text.startsWith('!');
  if (!/^!?\s*\w*_trylock\w*\s*\([^()]*(?:\([^()]*\)[^()]*)*\)$/.test(text)) return undefined;
  return negated ? 'failed' : 'taken';
}

/** The same node of the tree: tree-sitter gives a new object for each access, so identity says nothing. */
function sameNode(a: CNode, b: CNode | null): boolean {
  return b !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** Same length and same items, by identity (arms are the walker's own `[id, arm]` pairs; pairing's lists hold objects). */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function rangeOf(node: CNode): TextRange {
  return { start: node.startIndex, end: node.endIndex };
}

function stripParens(node: CNode): CNode {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildren.length === 1) current = current.namedChildren[0]!;
  return current;
}

/** The value of a node after casts and parentheses: `(struct msg_msg *)msr_d.r_msg` → `msr_d.r_msg`. */
function stripCasts(node: CNode): CNode {
  let current = stripParens(node);
  while (current.type === 'cast_expression') {
    const value = current.childForFieldName('value');
    if (value === null) break;
    current = stripParens(value);
  }
  return current;
}

function calleeName(call: CNode): string | undefined {
  const callee = call.childForFieldName('function');
  if (callee === null) return undefined;
  if (callee.type === 'identifier') return callee.text;
  // `smp_ops->cause_ipi(cpu)`: a call through an ops table is named by its field.
  if (callee.type === 'field_expression') return callee.childForFieldName('field')?.text;
  return undefined;
}

function callArguments(call: CNode): CNode[] {
  const list = call.childForFieldName('arguments');
  return list === null ? [] : list.namedChildren.filter((child) => child.type !== 'comment');
}

interface Binding {
  type: CType;
  scope: 'param' | 'local';
}

/** State of the walk over one function. */
class Walker {
  readonly events: Event[] = [];
  readonly loops: LoopInfo[] = [];
  private readonly env = new Map<string, Binding>();
  private arms: Array<[number, number]> = [];
  private loopStack: number[] = [];
  private lockDepth = 0;
  /** How deep the walk is in statements and expressions (see MAX_NESTING). */
  private nesting = 0;
  /** The condition loads the current point is control-dependent on (see EventBase.ctrl). */
  private ctrl: number[] = [];
  /** Condition loads of the loops being walked, innermost last: code after a loop depends on how it exited. */
  private loopConditions: number[][] = [];
  private statement: TextRange | undefined;
  /** The arrays the last event got (see base()). */
  private readonly shared: { arms: Array<[number, number]>; loops: number[]; ctrl: number[] } = { arms: [], loops: [], ctrl: [] };
  private readonly dereferenced = new Set<string>();
  /** Locals last set from this_cpu_ptr() (`rdp = this_cpu_ptr(&rcu_data)`): they point at the running CPU's copy. */
  private readonly thisCpuLocals = new Set<string>();
  /** Inside the arguments of a message or assertion (DIAGNOSTICS), how deep. */
  private diagnostic = 0;
  /** Locals last set from an allocation: the object is this function's until it publishes it. */
  private readonly freshLocals = new Set<string>();
  /** Locals whose address the function takes (`&msr_d.r_list`): other CPUs can reach them. */
  private readonly addressTaken: ReadonlySet<string>;

  constructor(
    private readonly globals: Record<string, CType>,
    params: Param[],
    /** Barrier sites of the file by start offset, so fence events carry their site. */
    private readonly sites: ReadonlyMap<number, BarrierSite>,
    bodyText: string,
    /** Where the walk stops: past this many events the function is not used (see Walker.push). */
    private readonly maxEvents = MAX_EVENTS_PER_FUNCTION,
  ) {
    this.addressTaken = new Set([...bodyText.matchAll(/&\s*\(?\s*([A-Za-z_]\w*)/g)].map((match) => match[1]!));
    for (const param of params) this.env.set(param.name, { type: param.type, scope: 'param' });
  }

  derefs(): ReadonlySet<string> {
    return this.dereferenced;
  }

  private base(range: TextRange): EventBase {
    // Consecutive events mostly share their arms, loops and conditions: one copy serves them all (a tree's models
    // are held at once, and these arrays were most of their size). Events never modify them.
    this.shared.arms = sameItems(this.shared.arms, this.arms) ? this.shared.arms : [...this.arms];
    this.shared.loops = sameItems(this.shared.loops, this.loopStack) ? this.shared.loops : [...this.loopStack];
    // The nearest conditions are the ones a slice of a few events can reach; older ones only cost memory.
    const ctrl = this.ctrl.slice(-16);
    this.shared.ctrl = sameItems(this.shared.ctrl, ctrl) ? this.shared.ctrl : ctrl;
    return {
      range,
      statement: this.statement,
      arms: this.shared.arms,
      loops: this.shared.loops,
      locked: this.lockDepth > 0,
      ...(ctrl.length > 0 ? { ctrl: this.shared.ctrl } : {}),
    };
  }

  /** Walks a condition and returns the indices of the loads it makes, which control what it guards. */
  private condition(node: CNode): number[] {
    const before = this.events.length;
    this.expression(node);
    const loads: number[] = [];
    for (let k = before; k < this.events.length; k++) {
      const event = this.events[k]!;
      // A call's inlined loads take the call's range at pairing time (pairs.ts), so the call stands for them.
      if ((event.type === 'access' && event.op !== 'store') || event.type === 'call') loads.push(k);
    }
    this.loopConditions.at(-1)?.push(...loads);
    return loads;
  }

  /** Runs `run` with `loads` added to the control dependencies. */
  private controlled(loads: number[], run: () => void): void {
    const depth = this.ctrl.length;
    this.ctrl.push(...loads);
    try {
      run();
    } finally {
      this.ctrl.length = depth;
    }
  }

  /** The function has reached its event limit: walking the rest of it would only be dropped. */
  private full(): boolean {
    return this.events.length >= this.maxEvents;
  }

  private push(event: Event): void {
    // A function this long is generated or mangled code, not a lockless protocol someone reasons about; its first
    // events are kept and the rest dropped, which keeps the walk and the pairing linear in the file's size.
    if (this.events.length < this.maxEvents) this.events.push(event);
  }

  /** The location an lvalue expression names, or undefined when it is a local scalar (not shared). */
  locate(node: CNode, dereferences = true): LocPath | undefined {
    this.viaThisCpu = false;
    const loc = this.locatePath(node, dereferences);
    if (loc !== undefined && (this.viaThisCpu || (loc.rootName !== undefined && this.thisCpuLocals.has(loc.rootName)))) loc.thisCpu = true;
    return loc;
  }

  /** Set by locatePath() when the path goes through this_cpu_ptr(). */
  private viaThisCpu = false;

  private locatePath(node: CNode, dereferences: boolean): LocPath | undefined {
    const derefs = this.dereferenced;
    const noteDeref = (name: string): void => {
      if (dereferences) derefs.add(name);
    };
    const fields: string[] = [];
    let current = stripParens(node);
    for (let depth = 0; depth < 32; depth++) {
      if (current.type === 'field_expression') {
        const field = current.childForFieldName('field');
        const argument = current.childForFieldName('argument');
        if (field === null || argument === null) return undefined;
        fields.unshift(field.text);
        current = stripParens(argument);
      } else if (current.type === 'subscript_expression' || (current.type === 'pointer_expression' && current.child(0)?.text === '*')) {
        const argument = current.childForFieldName('argument');
        if (argument === null) return undefined;
        current = stripParens(argument);
        // `*p` and `p[i]` with no field: the location is what p points to, named by p.
        if (fields.length === 0 && current.type === 'identifier') {
          const binding = this.env.get(current.text);
          if (binding !== undefined) noteDeref(current.text);
          return { rootName: current.text, rootType: binding?.type ?? this.globals[current.text], rootScope: binding?.scope ?? 'global', fields: ['*'], text: collapse(node.text) };
        }
      } else if (current.type === 'cast_expression') {
        const typeNode = current.childForFieldName('type');
        const base = typeBase(typeNode?.childForFieldName('type') ?? null);
        const pointers = unwrapDeclarator(typeNode?.childForFieldName('declarator') ?? null).pointers;
        return { rootType: { base, pointers }, rootScope: 'cast', fields, text: collapse(node.text) };
      } else if (current.type === 'call_expression') {
        const name = calleeName(current);
        const args = callArguments(current);
        if (name === 'container_of' || name === 'list_entry' || name === 'hlist_entry') {
          // `struct item` is no expression, so the grammar splits it oddly; the argument text says it plainly.
          const list = current.childForFieldName('arguments')?.text ?? '';
          const type = splitArguments(list, 0, list.length)[1];
          if (type !== undefined) {
            const base = list.slice(type.start, type.end).replace(/\s+/g, ' ');
            return { rootType: { base, pointers: 1 }, rootScope: 'cast', fields, text: collapse(node.text) };
          }
        }
        if ((name === 'per_cpu' || name === 'per_cpu_ptr' || name === 'this_cpu_ptr' || name === 'raw_cpu_ptr') && args[0] !== undefined) {
          if (name === 'this_cpu_ptr' || name === 'raw_cpu_ptr') this.viaThisCpu = true;
          current = stripParens(args[0]);
          if (current.type === 'pointer_expression' && current.child(0)?.text === '&') current = current.childForFieldName('argument') ?? current;
          continue;
        }
        return fields.length > 0 ? { rootScope: 'unknown', fields, text: collapse(node.text) } : undefined;
      } else if (current.type === 'identifier') {
        const binding = this.env.get(current.text);
        if (binding !== undefined) {
          if (fields.length === 0) return undefined;
          // A local struct no other CPU can reach (its address is never taken) is not shared.
          if (binding.scope === 'local' && binding.type.pointers === 0 && !this.addressTaken.has(current.text)) return undefined;
          if (binding.type.pointers > 0) noteDeref(current.text);
          return { rootName: current.text, rootType: binding.type, rootScope: binding.scope, fields, text: collapse(node.text) };
        }
        const global = this.globals[current.text];
        if (global !== undefined) return { rootName: current.text, rootType: global, rootScope: 'global', fields, text: collapse(node.text) };
        // Macros and constants are written in capitals; other unknown names are globals declared elsewhere.
        if (fields.length === 0 && (/^[A-Z_][A-Z0-9_]*$/.test(current.text) || current.text === 'current')) return undefined;
        return { rootName: current.text, rootScope: fields.length === 0 ? 'global' : 'unknown', fields, text: collapse(node.text) };
      } else {
        return fields.length > 0 ? { rootScope: 'unknown', fields, text: collapse(node.text) } : undefined;
      }
    }
    return undefined;
  }

  /** The local variable an access's address is computed from: `p` in `p->a`, for address dependencies. */
  private baseVariable(node: CNode): string | undefined {
    let current = stripParens(node);
    while (current.type === 'field_expression' || current.type === 'subscript_expression' || current.type === 'pointer_expression') {
      const argument = current.childForFieldName('argument');
      if (argument === null) return undefined;
      current = stripCasts(argument);
    }
    return current.type === 'identifier' && this.env.get(current.text)?.scope === 'local' ? current.text : undefined;
  }

  private access(
    node: CNode,
    op: AccessEvent['op'],
    marking: Marking,
    strength: Strength,
    range: TextRange,
    primitiveName?: string,
  ): AccessEvent | undefined {
    const target = stripParens(node);
    const lvalue = target.type === 'pointer_expression' && target.child(0)?.text === '&' ? target.childForFieldName('argument') : target;
    if (lvalue === null) return undefined;
    const loc = this.locate(lvalue);
    if (loc === undefined) return undefined;
    const baseVar = this.baseVariable(lvalue);
    const event: AccessEvent = {
      type: 'access',
      ...this.base(range),
      op,
      loc,
      marking,
      strength,
      primitive: primitiveName,
      baseVar,
      lvalue: rangeOf(lvalue),
      ...(baseVar !== undefined && this.freshLocals.has(baseVar) ? { fresh: true } : {}),
      ...(this.diagnostic > 0 ? { diagnostic: true } : {}),
    };
    this.push(event);
    return event;
  }

  /** For pointer-form primitives (`smp_store_release(&x, v)`), the location is `*arg`. */
  private pointerTarget(arg: CNode): CNode {
    const stripped = stripParens(arg);
    if (stripped.type === 'pointer_expression' && stripped.child(0)?.text === '&') return stripped.childForFieldName('argument') ?? stripped;
    return stripped;
  }

  private effectAccess(call: CNode, name: string, effect: Effect, args: CNode[]): AccessEvent | undefined {
    const range = rangeOf(call);
    const tagStrength = (tag: string): Strength =>
      tag === 'Mb' ? 'Mb' : tag === 'Acquire' ? 'Acquire' : tag === 'Release' ? 'Release' : 'Once';
    const markingOf = (tag: string): Marking => (tag === 'Acquire' ? 'acquire' : tag === 'Release' ? 'release' : 'once');
    switch (effect.op) {
      case 'load': {
        const arg = args[effect.loc];
        if (arg === undefined) return undefined;
        const target = effect.form === 'pointer' ? this.pointerTarget(arg) : arg;
        return this.access(target, 'load', markingOf(effect.tag), tagStrength(effect.tag), range, name);
      }
      case 'store': {
        const arg = args[effect.loc];
        const value = args[effect.value];
        if (value !== undefined) this.expression(value);
        if (arg === undefined) return undefined;
        const target = effect.form === 'pointer' ? this.pointerTarget(arg) : arg;
        const event = this.access(target, 'store', markingOf(effect.tag), tagStrength(effect.tag), range, name);
        return event;
      }
      case 'xchg':
      case 'cmpxchg':
      case 'atomic_op_return':
      case 'atomic_add_unless': {
        args.forEach((arg, index) => index !== effect.loc && this.expression(arg));
        const arg = args[effect.loc];
        if (arg === undefined) return undefined;
        const tag = 'tag' in effect ? effect.tag : 'Mb';
        return this.access(this.pointerTarget(arg), 'rmw', markingOf(tag), tagStrength(tag), range, name);
      }
      case 'atomic_op': {
        args.forEach((arg, index) => index !== effect.loc && this.expression(arg));
        const arg = args[effect.loc];
        if (arg === undefined) return undefined;
        const event = this.access(this.pointerTarget(arg), 'rmw', 'once', 'Once', range, name);
        if (event !== undefined) event.returnsNothing = true;
        return event;
      }
      default:
        return undefined;
    }
  }

  /** Handles a call; returns the access it performs, if any, so an assignment can record the value's variable. */
  private call(call: CNode, site: BarrierSite | undefined): AccessEvent | undefined {
    const name = calleeName(call);
    const args = callArguments(call);
    const range = rangeOf(call);
    if (name === undefined) {
      for (const arg of args) this.expression(arg);
      return undefined;
    }
    if ((LOCK_TESTS.test(name) || LOCK_WAITS.test(name)) && args[0] !== undefined) {
      const wait = LOCK_WAITS.test(name);
      return this.access(this.pointerTarget(args[0]), 'load', wait ? 'acquire' : 'once', wait ? 'Acquire' : 'Once', range, name);
    }
    const known = call.childForFieldName('function')?.type === 'identifier' ? primitive(name) : undefined;
    if (known !== undefined) {
      const effect = known.effect;
      if (effect?.op === 'lock' || effect?.op === 'unlock') {
        this.lockEvent(effect.op, args[0], range);
        return undefined;
      }
      if (effect !== undefined && effect.op !== 'fence' && effect.op !== 'trylock' && effect.op !== 'islocked' && effect.op !== 'sync-srcu') {
        const event = this.effectAccess(call, name, effect, args);
        if (effect.op === 'store' && effect.fenceAfter !== undefined && site !== undefined) {
          this.push({ type: 'fence', ...this.base(range), site, strength: 'Mb' });
        }
        return event;
      }
      const extra = EXTRA_ACCESSES[name];
      if (extra !== undefined) return this.extraAccess(call, name, extra, args);
      if (site !== undefined && (effect === undefined || effect.op === 'fence')) {
        this.push({ type: 'fence', ...this.base(range), site, strength: fenceStrength(name) });
        return undefined;
      }
      for (const arg of args) this.expression(arg);
      return undefined;
    }
    const extra = EXTRA_ACCESSES[name];
    if (extra !== undefined) return this.extraAccess(call, name, extra, args);
    if (this.waitPrimitive(name, args, range)) return undefined;
    if (RCU_DEREFERENCE.test(name) && args[0] !== undefined) return this.access(args[0], 'load', 'once', 'Once', range, name);
    const lock = lockByName(name);
    if (lock === 'excluded') {
      for (const arg of args) this.expression(arg);
      return undefined;
    }
    if (lock !== undefined) {
      this.lockEvent(lock, args[0], range);
      return undefined;
    }
    if (DIAGNOSTICS.test(name)) {
      this.diagnostic++;
      try {
        for (const arg of args) this.expression(arg);
      } finally {
        this.diagnostic--;
      }
      return undefined;
    }
    for (const arg of args) this.expression(arg);
    if (WAKEUPS.test(name) || DEFERRED_WAKEUPS.test(name)) {
      const deferred = DEFERRED_WAKEUPS.test(name);
      // wake_up_bit() and wake_up_var() test their hashed wait queue locklessly first (waitqueue_active()), so nothing
      // orders the caller's earlier stores before that test: the caller needs smp_mb() (wait_bit.c says so).
      const impliesMb = !LOCKLESS_WAKEUPS.test(name);
      this.push({ type: 'signal', ...this.base(range), signal: 'wake', name, deferred, impliesMb });
    } else if (IPIS.test(name)) {
      this.push({ type: 'signal', ...this.base(range), signal: 'ipi', name, deferred: false, impliesMb: false });
    } else if (RECEIPTS.test(name)) {
      this.push({ type: 'receipt', ...this.base(range), name });
    } else if (RELAXES.test(name)) {
      this.push({ type: 'relax', ...this.base(range) });
    } else if (call.childForFieldName('function')?.type === 'identifier') {
      const argVars = args.map((arg) => {
        const value = stripCasts(arg);
        return value.type === 'identifier' && this.env.get(value.text)?.scope === 'local' ? value.text : undefined;
      });
      this.push({ type: 'call', ...this.base(range), name, argVars });
    }
    return undefined;
  }

  /** The task's state, written by set_current_state() and read by try_to_wake_up(). */
  private static readonly TASK_STATE: LocPath = {
    rootType: { base: 'struct task_struct', pointers: 1 },
    rootScope: 'cast',
    fields: ['state'],
    text: 'task->state',
  };

  private impliedFence(name: string, range: TextRange): void {
    this.push({ type: 'fence', ...this.base(range), impliedBy: name, strength: 'Mb' });
  }

  private syntheticAccess(loc: LocPath, op: AccessEvent['op'], range: TextRange, name: string): void {
    this.push({ type: 'access', ...this.base(range), op, loc, marking: 'once', strength: 'Once', primitive: name, lvalue: range, synthetic: true });
  }

  /**
   * The sleep/wakeup idiom's primitives, as memory-barriers.txt describes them: set_current_state() stores the
   * task state then implies smp_mb(); prepare_to_wait() queues the task (a store to the wait queue) then does
   * set_current_state(); waitqueue_active() is a lockless load of the queue; waking a task implies smp_mb() and
   * then reads its state. Returns false for any other name.
   */
  private waitPrimitive(name: string, args: CNode[], range: TextRange): boolean {
    if (SETS_STATE.test(name)) {
      for (const arg of args) this.expression(arg);
      this.syntheticAccess(Walker.TASK_STATE, 'store', range, name);
      if (!name.startsWith('__')) this.impliedFence(name, range);
      return true;
    }
    if (PREPARES_WAIT.test(name) && args[0] !== undefined) {
      this.access(this.pointerTarget(args[0]), 'store', 'once', 'Once', range, name);
      this.syntheticAccess(Walker.TASK_STATE, 'store', range, name);
      this.impliedFence(name, range);
      return true;
    }
    if (TESTS_WAITERS.test(name) && args[0] !== undefined) {
      if (name === 'wq_has_sleeper') this.impliedFence(name, range);
      this.access(this.pointerTarget(args[0]), 'load', 'once', 'Once', range, name);
      return true;
    }
    if (name === 'wake_up_process' || name === 'wake_up_state' || name === 'try_to_wake_up') {
      for (const arg of args) this.expression(arg);
      this.impliedFence(name, range);
      this.syntheticAccess(Walker.TASK_STATE, 'load', range, name);
      this.push({ type: 'signal', ...this.base(range), signal: 'wake', name, deferred: false, impliesMb: true });
      return true;
    }
    return false;
  }

  private extraAccess(call: CNode, name: string, extra: (typeof EXTRA_ACCESSES)[string], args: CNode[]): AccessEvent | undefined {
    args.forEach((arg, index) => index !== extra.loc && index < 1 + extra.loc && this.expression(arg));
    const arg = args[extra.loc];
    if (arg === undefined) return undefined;
    const target = extra.form === 'pointer' ? this.pointerTarget(arg) : arg;
    const event = this.access(target, extra.op, extra.marking, extra.strength, rangeOf(call), name);
    if (event !== undefined && extra.returnsNothing === true) event.returnsNothing = true;
    return event;
  }

  private lockEvent(type: 'lock' | 'unlock', arg: CNode | undefined, range: TextRange): void {
    const lock = arg === undefined ? '?' : collapse(this.pointerTarget(arg).text);
    // Naming the lock is no dereference of its owner: `spin_lock(&p->lock)` leaves a hand-off's object opaque.
    const loc = arg === undefined ? undefined : this.locate(this.pointerTarget(arg), false);
    if (type === 'lock') this.lockDepth++;
    else this.lockDepth = Math.max(0, this.lockDepth - 1);
    this.push({ type, ...this.base(range), lock, ...(loc === undefined ? {} : { loc }) });
  }

  /** Evaluates an expression for its loads (and nested calls); returns the access whose value it is, if any. */
  expression(node: CNode): AccessEvent | undefined {
    if (this.full() || this.nesting >= MAX_NESTING) return undefined;
    this.nesting++;
    try {
      return this.expressionAt(node);
    } finally {
      this.nesting--;
    }
  }

  private expressionAt(node: CNode): AccessEvent | undefined {
    const value = stripCasts(node);
    switch (value.type) {
      case 'assignment_expression': {
        const left = value.childForFieldName('left');
        const right = value.childForFieldName('right');
        const operator = value.childForFieldName('operator')?.text ?? '=';
        const before = this.events.length;
        const source = right === null ? undefined : this.expression(right);
        if (left === null) return undefined;
        const target = stripParens(left);
        if (target.type === 'identifier' && this.env.get(target.text)?.scope === 'local') {
          this.noteThisCpu(target.text, right);
          if (source !== undefined && source.op !== 'store') source.valueVar = target.text;
          else this.noteCallResult(right, before, target.text);
          return undefined;
        }
        this.indices(target);
        return this.access(target, operator === '=' ? 'store' : 'rmw', 'plain', 'Other', rangeOf(value));
      }
      case 'update_expression': {
        const argument = value.childForFieldName('argument');
        if (argument === null) return undefined;
        this.indices(argument);
        return this.access(argument, 'rmw', 'plain', 'Other', rangeOf(value));
      }
      case 'call_expression':
        return this.call(value, this.sites.get(value.startIndex));
      case 'field_expression':
      case 'subscript_expression':
        this.indices(value);
        return this.access(value, 'load', 'plain', 'Other', rangeOf(value));
      case 'pointer_expression':
        if (value.child(0)?.text === '&') {
          const argument = value.childForFieldName('argument');
          if (argument !== null) this.indices(argument);
          return undefined;
        }
        return this.access(value, 'load', 'plain', 'Other', rangeOf(value));
      case 'identifier': {
        if (this.env.has(value.text)) return undefined;
        if (this.globals[value.text] === undefined) return undefined;
        return this.access(value, 'load', 'plain', 'Other', rangeOf(value));
      }
      case 'sizeof_expression':
      case 'alignof_expression':
      case 'string_literal':
      case 'number_literal':
      case 'char_literal':
        return undefined;
      case 'compound_statement':
        this.block(value);
        return undefined;
      default: {
        let last: AccessEvent | undefined;
        for (const child of value.namedChildren) {
          if (child.type === 'comment') continue;
          last = this.expression(child);
        }
        // A binary or conditional expression's value is not one load's value.
        return value.namedChildren.length === 1 ? last : undefined;
      }
    }
  }

  /** Evaluates the index and pointer sub-expressions of an lvalue (`a[i++]`, `p->q[j]->r`). */
  private indices(node: CNode): void {
    let current = stripParens(node);
    while (current.type === 'field_expression' || current.type === 'subscript_expression' || current.type === 'pointer_expression') {
      if (current.type === 'subscript_expression') {
        const index = current.childForFieldName('index') ?? current.namedChildren[1];
        if (index !== undefined && index !== null) this.expression(index);
      }
      const argument = current.childForFieldName('argument');
      if (argument === null) return;
      current = stripParens(argument);
      if (current.type === 'call_expression') {
        for (const arg of callArguments(current)) this.expression(arg);
        return;
      }
    }
  }

  /** `ng = deref_numa_group(p)`: the call's event remembers the variable, for a dependency through the callee. */
  private noteCallResult(value: CNode | null, before: number, variable: string): void {
    if (value === null || stripCasts(value).type !== 'call_expression') return;
    const call = this.events.slice(before).reverse().find((event): event is CallEvent => event.type === 'call');
    if (call !== undefined) call.valueVar = variable;
  }

  private declaration(node: CNode): void {
    const base = typeBase(node.childForFieldName('type'));
    for (const declarator of node.childrenForFieldName('declarator')) {
      const info = unwrapDeclarator(declarator);
      if (info.name === undefined) continue;
      this.env.set(info.name, { type: { base, pointers: info.pointers }, scope: 'local' });
      if (declarator.type === 'init_declarator') {
        const value = declarator.childForFieldName('value');
        this.noteThisCpu(info.name, value);
        const before = this.events.length;
        const source = value === null ? undefined : this.expression(value);
        if (source !== undefined && source.op !== 'store') source.valueVar = info.name;
        else this.noteCallResult(value, before, info.name);
      }
    }
  }

  /** Remembers whether a local now points at the running CPU's per-CPU copy, or at an object just allocated. */
  private noteThisCpu(name: string, value: CNode | null): void {
    const call = value === null ? undefined : stripCasts(value);
    const callee = call?.type === 'call_expression' ? calleeName(call) : undefined;
    if (callee === 'this_cpu_ptr' || callee === 'raw_cpu_ptr' || callee === 'get_cpu_ptr') this.thisCpuLocals.add(name);
    else this.thisCpuLocals.delete(name);
    if (callee !== undefined && ALLOCATES.test(callee)) this.freshLocals.add(name);
    else this.freshLocals.delete(name);
  }

  private terminates(node: CNode | null): boolean {
    if (node === null) return false;
    if (['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(node.type)) return true;
    if (node.type === 'compound_statement') {
      const statements = node.namedChildren.filter((child) => child.type !== 'comment');
      return this.terminates(statements[statements.length - 1] ?? null);
    }
    return false;
  }

  private arm<T>(id: number, index: number, run: () => T): T {
    this.arms.push([id, index]);
    try {
      return run();
    } finally {
      this.arms.pop();
    }
  }

  private loop(node: CNode, run: () => void): void {
    const id = node.startIndex;
    const before = this.events.length;
    this.loopStack.push(id);
    run();
    this.loopStack.pop();
    let relax = false;
    let onlyLoads = true;
    let stores = false;
    for (let k = before; k < this.events.length; k++) {
      const event = this.events[k]!;
      if (event.type === 'relax') relax = true;
      const load = event.type === 'access' && event.op === 'load';
      if (!load) onlyLoads = false;
      if (event.type === 'access' && event.op !== 'load') stores = true;
    }
    this.loops.push({ id, range: rangeOf(node), relaxes: relax || onlyLoads, storeless: !stores });
  }

  /** Runs one statement, keeping its range for fixes that insert lines around it. */
  statementNode(node: CNode): void {
    if (this.full() || this.nesting >= MAX_NESTING) return;
    this.nesting++;
    try {
      this.statementAt(node);
    } finally {
      this.nesting--;
    }
  }

  private statementAt(node: CNode): void {
    const saved = this.statement;
    if (node.parent?.type === 'compound_statement' || node.parent?.type === 'case_statement' || node.parent?.type === 'labeled_statement') {
      this.statement = rangeOf(node);
    }
    try {
      this.statementBody(node);
    } finally {
      this.statement = saved;
    }
  }

  private statementBody(node: CNode): void {
    switch (node.type) {
      case 'compound_statement':
        this.block(node);
        return;
      case 'declaration':
        this.declaration(node);
        return;
      case 'expression_statement':
        for (const child of node.namedChildren) if (child.type !== 'comment') this.expression(child);
        return;
      case 'if_statement': {
        const condition = node.childForFieldName('condition');
        const loads = condition === null ? [] : this.condition(condition);
        const trylock = condition === null ? undefined : trylockTest(condition.text);
        // `if (spin_trylock(&l)) {...}` holds the lock in its body; `if (!spin_trylock(&l)) return;` after the if.
        if (trylock === 'taken') this.lockDepth++;
        const depth = trylock === 'taken' ? this.lockDepth - 1 : this.lockDepth;
        const consequence = node.childForFieldName('consequence');
        if (consequence !== null) this.controlled(loads, () => this.arm(node.startIndex, 0, () => this.statementNode(consequence)));
        const thenDepth = this.terminates(consequence) ? depth : this.lockDepth;
        this.lockDepth = depth;
        const alternative = node.childForFieldName('alternative');
        if (alternative !== null) {
          const body = alternative.type === 'else_clause' ? alternative.namedChildren.find((child) => child.type !== 'comment') : alternative;
          if (body !== undefined) this.controlled(loads, () => this.arm(node.startIndex, 1, () => this.statementNode(body)));
          this.lockDepth = this.terminates(body ?? null) ? thenDepth : Math.max(thenDepth, this.lockDepth);
        } else {
          this.lockDepth = thenDepth;
          // `if (!READ_ONCE(y)) return;`: the rest of the block runs only for the other value (a control dependency).
          if (this.terminates(consequence)) this.ctrl.push(...loads);
          if (trylock === 'failed' && this.terminates(consequence)) this.lockDepth++;
        }
        return;
      }
      case 'while_statement':
      case 'do_statement':
      case 'for_statement': {
        // The body of a while or for loop runs only as its condition says; what follows any loop depends on every
        // condition that could end it (its own, and the `if`s inside that break out).
        this.loopConditions.push([]);
        this.loop(node, () => {
          const condition = node.type === 'do_statement' ? null : node.childForFieldName('condition');
          const guard = condition === null ? [] : this.condition(condition);
          this.controlled(guard, () => {
            for (const child of node.namedChildren) {
              if (child.type === 'comment' || sameNode(child, condition)) continue;
              if (child.type === 'declaration') this.declaration(child);
              else if (child.type.endsWith('_statement')) this.statementNode(child);
              else if (sameNode(child, node.childForFieldName('condition'))) this.condition(child);
              else this.expression(child);
            }
          });
        });
        const exits = this.loopConditions.pop() ?? [];
        this.loopConditions.at(-1)?.push(...exits);
        this.ctrl.push(...exits);
        return;
      }
      case 'switch_statement': {
        const condition = node.childForFieldName('condition');
        if (condition !== null) this.expression(condition);
        const body = node.childForFieldName('body');
        (body?.namedChildren ?? []).forEach((child, index) => this.arm(node.startIndex, index, () => this.statementNode(child)));
        return;
      }
      case 'case_statement':
        for (const child of node.namedChildren) {
          if (child.type === 'comment' || sameNode(child, node.childForFieldName('value'))) continue;
          if (child.type.endsWith('_statement') || child.type === 'declaration') this.statementNode(child);
        }
        return;
      case 'labeled_statement':
        for (const child of node.namedChildren) if (child.type.endsWith('_statement') || child.type === 'declaration') this.statementNode(child);
        return;
      case 'return_statement': {
        const value = node.namedChildren.find((child) => child.type !== 'comment');
        if (value === undefined) return;
        this.expression(value);
        const returned = stripCasts(value);
        if (returned.type === 'identifier' && this.env.get(returned.text)?.scope === 'local' && (this.env.get(returned.text)?.type.pointers ?? 0) > 0) {
          this.push({ type: 'handoff', ...this.base(rangeOf(node)), variable: returned.text });
        }
        return;
      }
      case 'comment':
      case 'break_statement':
      case 'continue_statement':
      case 'goto_statement':
        return;
      default:
        // Preprocessor conditionals and ERROR nodes inside a body: take their statements in source order.
        for (const child of node.namedChildren) {
          if (child.type.endsWith('_statement') || child.type === 'declaration' || child.type === 'compound_statement') this.statementNode(child);
          else if (child.type.endsWith('_expression')) this.expression(child);
        }
    }
  }

  block(node: CNode): void {
    // Control dependencies gained inside a block (after an early exit or a loop) end with it.
    const depth = this.ctrl.length;
    for (const child of node.namedChildren) this.statementNode(child);
    this.ctrl.length = depth;
  }
}

function fenceStrength(name: string): Strength {
  const kind = primitive(name)?.kind;
  if (name === 'barrier') return 'Barrier';
  if (kind === 'full') return 'Mb';
  if (kind === 'write') return 'Wmb';
  if (kind === 'read' || kind === 'ctrl') return 'Rmb';
  return 'Other';
}

function collapse(text: string): string {
  return text.replace(/\s+/g, '');
}

function parameters(definition: CNode): Param[] {
  let declarator = definition.childForFieldName('declarator');
  while (declarator !== null && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  const list = declarator?.childForFieldName('parameters');
  const params: Param[] = [];
  for (const param of list?.namedChildren ?? []) {
    if (param.type !== 'parameter_declaration') continue;
    const info = unwrapDeclarator(param.childForFieldName('declarator'));
    if (info.name === undefined) continue;
    params.push({ name: info.name, type: { base: typeBase(param.childForFieldName('type')), pointers: info.pointers }, opaque: false });
  }
  return params;
}

export function returnsPointer(definition: CNode): boolean {
  return definition.childForFieldName('declarator')?.type === 'pointer_declarator';
}

/** Every function definition of a parsed file, with its events in source order. */
export function extractFunctions(
  definitions: readonly TreeNode[],
  file: string,
  sites: readonly BarrierSite[],
  globals: Record<string, CType>,
  /** Definitions walked only up to a number of events (helpers needed only if short enough to inline). */
  maxEvents?: ReadonlyMap<TreeNode, number>,
): FunctionModel[] {
  const byStart = new Map<number, BarrierSite>();
  for (const site of sites) if (!site.inMacro) byStart.set(site.range.start, site);
  const functions: FunctionModel[] = [];
  for (const node of definitions) {
    // A walk reads every node several times, so it reads a copy: even a helper's walk, cut short past the inlining
    // limit, mostly ends before it.
    const limit = maxEvents?.get(node);
    const definition = liteTree(node, node.text);
    const name = functionDefinitionName(definition);
    const body = definition.childForFieldName('body');
    if (name === undefined || body === null) continue;
    const params = parameters(definition);
    const walker = new Walker(globals, params, byStart, body.text, limit);
    walker.block(body);
    const derefs = walker.derefs();
    for (const param of params) param.opaque = param.type.pointers > 0 && !derefs.has(param.name);
    let nameNode = definition.childForFieldName('declarator');
    while (nameNode !== null && nameNode.type !== 'identifier') nameNode = nameNode.childForFieldName('declarator');
    functions.push({
      name,
      file,
      range: rangeOf(definition),
      nameRange: nameNode === null ? rangeOf(definition) : rangeOf(nameNode),
      params,
      returnsPointer: returnsPointer(definition),
      returnBase: typeBase(definition.childForFieldName('type')),
      events: walker.events,
      loops: walker.loops,
      ...(limit === undefined ? {} : { inlineOnly: true as const }),
    });
  }
  return functions;
}
