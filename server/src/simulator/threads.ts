// Per-process control-path enumeration: runs each process once per choice of read values (and lock outcomes),
// producing its events with .bell tags, po order, addr/data/ctrl dependencies and rmw pairs.

import { primitive, type ArithOp, type Effect, type FenceTag } from '../lkmm/primitives';
import type { Expr, LitmusTest, Pos, Process, Stmt, Value } from './ast';

/**
 * Event kinds: memory reads and writes, fences, and the lock and SRCU events lock.cat and linux-kernel.bell name
 * (LKR/LKW: the two halves of spin_lock(), UL: spin_unlock(), LF: failed spin_trylock(), RL/RU: spin_is_locked()
 * returning true/false, SRCU: synchronize_srcu(), which herd7 does not count as an access). srcu_read_lock() and
 * srcu_read_unlock() are a read and a write of the srcu_struct, tagged Srcu-lock and Srcu-unlock, as the .def says.
 */
export type EventKind = 'R' | 'W' | 'F' | 'LKR' | 'LKW' | 'UL' | 'LF' | 'RL' | 'RU' | 'SRCU';

/** One event of a process's path. Dependency and rmw indices are positions in the same path. */
export interface ThreadEvent {
  kind: EventKind;
  loc?: string;
  value?: Value;
  /** Raw annotations as linux-kernel.bell names them: ONCE, ACQUIRE, RELEASE, MB, NORETURN, or a fence/SRCU tag. */
  tags: string[];
  /** Issued by an RMW primitive (herd7's RMW set), successful or not. */
  atomic: boolean;
  /** For the write of a successful RMW, or an LKW: the index of its read half. */
  rmwRead?: number;
  addr: number[];
  data: number[];
  ctrl: number[];
  /** The primitive or C construct that issued it, for witnesses. */
  origin: string;
  pos: Pos;
  /**
   * The instruction (statement, or `if` condition) that issued it. herd7 orders events of different instructions
   * by po, and events of one instruction only along their data flow.
   */
  instr: number;
}

/** One control path of one process with concrete values. */
export interface Trace {
  proc: number;
  events: ThreadEvent[];
  /** Final register values. */
  regs: Map<string, Value>;
  /** The path's events without their values: paths with equal shapes differ only in the values read. */
  shape: string;
}

/** Raised when a guessed value makes the path impossible (dereferencing an integer, say). */
class Infeasible extends Error {}

/** Thrown for every infeasible path: one instance, as building an Error (its stack trace) per path is costly. */
const infeasible = new Infeasible();

/** A fatal problem in the test itself, reported to the user. */
export class SimulationError extends Error {}

interface Tainted {
  v: Value;
  /** Indices of the reads (or srcu_read_lock events) whose values flowed into v. */
  deps: number[];
}

const fenceTags: Record<FenceTag, string> = {
  Mb: 'MB',
  Rmb: 'Rmb',
  Wmb: 'Wmb',
  'Before-atomic': 'Before-atomic',
  'After-atomic': 'After-atomic',
  'After-spinlock': 'After-spinlock',
  'After-unlock-lock': 'After-unlock-lock',
  'After-srcu-read-unlock': 'After-srcu-read-unlock',
  Barrier: 'Barrier',
  'Rcu-lock': 'Rcu-lock',
  'Rcu-unlock': 'Rcu-unlock',
  'Sync-rcu': 'Sync-rcu',
};

const accessTags: Record<string, string> = { Once: 'ONCE', Acquire: 'ACQUIRE', Release: 'RELEASE', Mb: 'MB', Noreturn: 'NORETURN' };

function union(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** herd7's value order: integers before addresses, integers numerically, addresses by name. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function truthy(v: Value): boolean {
  return typeof v === 'string' || v !== 0;
}

function arith(op: ArithOp, a: Value, b: Value): Value {
  if (typeof a !== 'number' || typeof b !== 'number') throw infeasible;
  switch (op) {
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&~':
      return a & ~b;
  }
}

function binary(op: string, a: Value, b: Value): Value {
  switch (op) {
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '&&':
      return truthy(a) && truthy(b) ? 1 : 0;
    case '||':
      return truthy(a) || truthy(b) ? 1 : 0;
  }
  // Address arithmetic: an address plus an integer is another cell, `x+k`, distinct from every other location.
  if ((op === '+' || op === '-') && typeof a === 'string' && typeof b === 'number') return offsetAddress(a, op === '+' ? b : -b);
  if (op === '+' && typeof a === 'number' && typeof b === 'string') return offsetAddress(b, a);
  if (typeof a !== 'number' || typeof b !== 'number') throw infeasible;
  switch (op) {
    case '+':
    case '-':
    case '&':
    case '|':
    case '^':
      return arith(op, a, b);
    case '*':
      return Math.imul(a, b);
    case '/':
      if (b === 0) throw infeasible;
      return (a / b) | 0;
    case '%':
      if (b === 0) throw infeasible;
      return a % b | 0;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '<':
      return a < b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
  }
  throw new SimulationError(`unsupported operator ${op}`);
}

/**
 * A value a location may hold, with its provenance while the domains are computed: the bit set of the write sites
 * its derivation went through. A site executes at most once per execution, so a derivation that would go through
 * the same write twice (x = x + 1 feeding itself) is not a value any execution produces, and is not added.
 */
export interface DomainValue {
  v: Value;
  sites: number;
}

/** `base+k` as an address value; offset 0 is the base itself. */
function offsetAddress(address: string, k: number): string {
  const m = /^(.*)\+(-?\d+)$/.exec(address);
  const base = m ? m[1]! : address;
  const offset = (m ? Number(m[2]) : 0) + k;
  return offset === 0 ? base : `${base}+${offset}`;
}

/** The global an address value points into (`x` for `x` and `x+4`). */
export function addressBase(address: string): string {
  const m = /^(.*)\+(-?\d+)$/.exec(address);
  return m ? m[1]! : address;
}

/** Picks among alternatives; the enumeration replays prefixes of choices to visit every path. */
interface Chooser {
  choose(n: number): number;
}

const siteKeys = new WeakMap<Pos, string>();

/** Runs one path of a process under the given chooser. */
class PathRunner {
  readonly events: ThreadEvent[] = [];
  /** Locations of the reads whose values decide an `if` condition. */
  readonly conditionLocs = new Set<string>();
  private readonly regs = new Map<string, Tainted>();
  private ctrl: number[] = [];
  private poi = 0;

  constructor(
    private readonly proc: Process,
    private readonly globals: ReadonlySet<string>,
    private readonly domains: ReadonlyMap<string, readonly DomainValue[]>,
    private readonly chooser: Chooser,
    initRegs: ReadonlyMap<string, Value>,
    private readonly siteIds: Map<string, number>,
  ) {
    for (const [name, v] of initRegs) this.regs.set(name, { v, deps: [] });
  }

  /** Runs the path; `withShape: false` leaves the shape empty (the domain fixpoint only wants the writes). */
  run(withShape: boolean): Trace {
    for (const s of this.proc.body) this.stmt(s);
    const regs = new Map<string, Value>();
    for (const [name, t] of this.regs) regs.set(name, t.v);
    if (!withShape) return { proc: this.proc.id, events: this.events, regs, shape: '' };
    const shape = this.events
      .map((e) => `${e.kind}${e.loc ?? ''}${e.tags.join(',')}${e.atomic ? 'a' : ''}${e.rmwRead ?? ''}|${e.addr}|${e.data}|${e.ctrl}`)
      .join(';');
    return { proc: this.proc.id, events: this.events, regs, shape };
  }

  /** Records an event; `e` is a fresh object from the caller, completed in place rather than copied. */
  private emit(e: Omit<ThreadEvent, 'ctrl' | 'instr'>): number {
    const event = e as ThreadEvent;
    event.ctrl = this.ctrl;
    event.instr = this.poi;
    this.events.push(event);
    const i = this.events.length - 1;
    if (e.kind === 'R') this.sites[i] = this.pendingSites;
    else if (e.kind === 'W') {
      let sites = 0;
      for (const d of e.data) sites |= this.sites[d] ?? 0;
      const bit = this.siteBit(e.pos);
      // -1 marks a derivation that goes through its own write site: no execution writes that value.
      this.sites[i] = (sites & bit) !== 0 ? -1 : sites | bit;
    }
    return i;
  }

  private siteBit(pos: Pos): number {
    // One key string per source position (a position belongs to one process), so lookups reuse its hash.
    let key = siteKeys.get(pos);
    if (key === undefined) siteKeys.set(pos, (key = `${this.proc.id}:${pos.line}:${pos.col}`));
    let k = this.siteIds.get(key);
    if (k === undefined) {
      k = this.siteIds.size;
      this.siteIds.set(key, k);
    }
    return k < 30 ? 1 << k : 0;
  }

  private isRegister(name: string): boolean {
    return this.regs.has(name) || !this.globals.has(name);
  }

  private stmt(s: Stmt): void {
    this.poi++;
    switch (s.kind) {
      case 'decl':
        this.regs.set(s.name, s.init ? this.expr(s.init) : { v: 0, deps: [] });
        return;
      case 'assign': {
        const t = s.target;
        if (t.kind === 'name' && this.isRegister(t.name)) {
          this.regs.set(t.name, this.expr(s.value));
          return;
        }
        const address = t.kind === 'deref' ? this.address(t.target) : { loc: (t as { name: string }).name, deps: [] };
        const value = this.expr(s.value);
        this.emit({ kind: 'W', loc: address.loc, value: value.v, tags: [], atomic: false, addr: address.deps, data: value.deps, origin: 'plain store', pos: s.pos });
        return;
      }
      case 'expr':
        this.expr(s.expr);
        return;
      case 'block':
        for (const b of s.body) this.stmt(b);
        return;
      case 'if': {
        const cond = this.expr(s.cond);
        for (const d of cond.deps) if (this.events[d]?.loc !== undefined) this.conditionLocs.add(this.events[d]!.loc!);
        this.poi++;
        const saved = this.ctrl;
        this.ctrl = union(this.ctrl, cond.deps);
        if (truthy(cond.v)) this.stmt(s.then);
        else if (s.else) this.stmt(s.else);
        this.ctrl = saved;
        return;
      }
    }
  }

  /** Evaluates an expression used as an address: it must be a global's symbolic address. */
  private address(e: Expr): { loc: string; deps: number[] } {
    const t = this.expr(e);
    if (typeof t.v !== 'string' || !this.globals.has(addressBase(t.v))) throw infeasible;
    return { loc: t.v, deps: t.deps };
  }

  /** The location named by a macro argument: `*p` or `x` for lvalue forms, a pointer expression otherwise. */
  private location(e: Expr, form: 'lvalue' | 'pointer'): { loc: string; deps: number[] } {
    if (form === 'lvalue') {
      if (e.kind === 'deref') return this.address(e.target);
      if (e.kind === 'name' && !this.isRegister(e.name)) return { loc: e.name, deps: [] };
    }
    return this.address(e);
  }

  /** Provenance of each read's value and each write's value, by event index (used while computing domains). */
  readonly sites: number[] = [];
  private pendingSites = 0;

  private read(loc: string): Value {
    const domain = this.domains.get(loc) ?? [{ v: 0, sites: 0 }];
    const d = domain[this.chooser.choose(domain.length)];
    if (d === undefined) throw infeasible;
    this.pendingSites = d.sites;
    return d.v;
  }

  private expr(e: Expr): Tainted {
    switch (e.kind) {
      case 'const':
        return { v: e.value, deps: [] };
      case 'name': {
        const r = this.regs.get(e.name);
        if (r) return r;
        return { v: this.globals.has(e.name) ? e.name : 0, deps: [] };
      }
      case 'addr':
        if (!this.globals.has(e.name)) throw new SimulationError(`&${e.name}: not a global location`);
        return { v: e.name, deps: [] };
      case 'deref': {
        const a = this.address(e.target);
        const v = this.read(a.loc);
        const i = this.emit({ kind: 'R', loc: a.loc, value: v, tags: [], atomic: false, addr: a.deps, data: [], origin: 'plain load', pos: e.pos });
        return { v, deps: [i] };
      }
      case 'unary': {
        const o = this.expr(e.operand);
        if (e.op === '!') return { v: truthy(o.v) ? 0 : 1, deps: o.deps };
        if (typeof o.v !== 'number') throw infeasible;
        return { v: e.op === '-' ? -o.v | 0 : ~o.v, deps: o.deps };
      }
      case 'binary': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        return { v: binary(e.op, l.v, r.v), deps: union(l.deps, r.deps) };
      }
      case 'call': {
        const effect = primitive(e.name)?.effect;
        if (!effect) throw new SimulationError(`unknown primitive ${e.name}`);
        return this.call(effect, e.args, e.name, e.pos);
      }
    }
  }

  private arg(args: Expr[], i: number): Expr {
    const a = args[i];
    if (!a) throw new SimulationError(`missing argument ${i + 1}`);
    return a;
  }

  private operand(args: Expr[], operand: number | 'one'): Tainted {
    return operand === 'one' ? { v: 1, deps: [] } : this.expr(this.arg(args, operand));
  }

  private call(effect: Effect, args: Expr[], origin: string, pos: Pos): Tainted {
    const zero: Tainted = { v: 0, deps: [] };
    switch (effect.op) {
      case 'load': {
        const a = this.location(this.arg(args, effect.loc), effect.form);
        const v = this.read(a.loc);
        const i = this.emit({ kind: 'R', loc: a.loc, value: v, tags: [accessTags[effect.tag] ?? effect.tag], atomic: false, addr: a.deps, data: [], origin, pos });
        return { v, deps: [i] };
      }
      case 'store': {
        const a = this.location(this.arg(args, effect.loc), effect.form);
        const value = this.expr(this.arg(args, effect.value));
        this.emit({ kind: 'W', loc: a.loc, value: value.v, tags: [accessTags[effect.tag] ?? effect.tag], atomic: false, addr: a.deps, data: value.deps, origin, pos });
        if (effect.fenceAfter) {
          this.poi++;
          this.emit({ kind: 'F', tags: [fenceTags[effect.fenceAfter]], atomic: false, addr: [], data: [], origin, pos });
        }
        return zero;
      }
      case 'fence':
        this.emit({ kind: 'F', tags: [fenceTags[effect.tag]], atomic: false, addr: [], data: [], origin, pos });
        return zero;
      case 'xchg': {
        const a = this.address(this.arg(args, effect.loc));
        const value = this.expr(this.arg(args, effect.value));
        const tag = accessTags[effect.tag] ?? effect.tag;
        const old = this.read(a.loc);
        const r = this.emit({ kind: 'R', loc: a.loc, value: old, tags: [tag], atomic: true, addr: a.deps, data: [], origin, pos });
        this.emit({ kind: 'W', loc: a.loc, value: value.v, tags: [tag], atomic: true, rmwRead: r, addr: a.deps, data: value.deps, origin, pos });
        return { v: old, deps: [r] };
      }
      case 'cmpxchg': {
        const a = this.address(this.arg(args, effect.loc));
        const expected = this.expr(this.arg(args, effect.expected));
        const value = this.expr(this.arg(args, effect.value));
        const tag = accessTags[effect.tag] ?? effect.tag;
        const old = this.read(a.loc);
        const r = this.emit({ kind: 'R', loc: a.loc, value: old, tags: [tag], atomic: true, addr: a.deps, data: [], origin, pos });
        if (old === expected.v) {
          this.emit({ kind: 'W', loc: a.loc, value: value.v, tags: [tag], atomic: true, rmwRead: r, addr: a.deps, data: value.deps, origin, pos });
        }
        return { v: old, deps: [r] };
      }
      case 'atomic_op': {
        const operand = this.operand(args, effect.operand);
        const a = this.address(this.arg(args, effect.loc));
        this.rmwOp(a, operand, effect.arith, 'NORETURN', origin, pos);
        return zero;
      }
      case 'atomic_op_return': {
        const operand = this.operand(args, effect.operand);
        const a = this.address(this.arg(args, effect.loc));
        const { old, updated, read } = this.rmwOp(a, operand, effect.arith, accessTags[effect.tag] ?? effect.tag, origin, pos);
        const result = effect.returns === 'new' ? updated : old;
        if (effect.test === '== 0') return { v: result === 0 ? 1 : 0, deps: [read] };
        if (effect.test === '< 0') return { v: typeof result === 'number' && result < 0 ? 1 : 0, deps: [read] };
        return { v: result, deps: [read] };
      }
      case 'atomic_add_unless': {
        const a = this.address(this.arg(args, effect.loc));
        const add = this.expr(this.arg(args, effect.operand));
        const unless = this.expr(this.arg(args, effect.unless));
        const old = this.read(a.loc);
        const r = this.emit({ kind: 'R', loc: a.loc, value: old, tags: ['MB'], atomic: true, addr: a.deps, data: [], origin, pos });
        if (old === unless.v) return zero;
        this.emit({
          kind: 'W', loc: a.loc, value: arith('+', old, add.v), tags: ['MB'], atomic: true, rmwRead: r, addr: a.deps,
          data: union([r], add.deps), origin, pos,
        });
        return { v: 1, deps: [] };
      }
      case 'lock': {
        const a = this.address(this.arg(args, effect.loc));
        this.lock(a, origin, pos);
        return zero;
      }
      case 'unlock': {
        const a = this.address(this.arg(args, effect.loc));
        this.emit({ kind: 'UL', loc: a.loc, tags: [], atomic: false, addr: a.deps, data: [], origin, pos });
        return zero;
      }
      case 'trylock': {
        const a = this.address(this.arg(args, effect.loc));
        if (this.chooser.choose(2) === 0) {
          this.lock(a, origin, pos);
          return { v: 1, deps: [] };
        }
        this.emit({ kind: 'LF', loc: a.loc, tags: [], atomic: false, addr: a.deps, data: [], origin, pos });
        return zero;
      }
      case 'islocked': {
        const a = this.address(this.arg(args, effect.loc));
        const locked = this.chooser.choose(2) === 0;
        this.emit({ kind: locked ? 'RL' : 'RU', loc: a.loc, tags: [], atomic: false, addr: a.deps, data: [], origin, pos });
        return { v: locked ? 1 : 0, deps: [] };
      }
      case 'sync-srcu': {
        const a = this.address(this.arg(args, effect.loc));
        this.emit({ kind: 'SRCU', loc: a.loc, tags: ['Sync-srcu'], atomic: false, addr: a.deps, data: [], origin, pos });
        return zero;
      }
    }
  }

  private lock(a: { loc: string; deps: number[] }, origin: string, pos: Pos): void {
    const r = this.emit({ kind: 'LKR', loc: a.loc, tags: [], atomic: false, addr: a.deps, data: [], origin, pos });
    this.emit({ kind: 'LKW', loc: a.loc, tags: [], atomic: false, rmwRead: r, addr: a.deps, data: [], origin, pos });
  }

  /** The read and write of an arithmetic RMW; the written value depends on the read one (a data dependency). */
  private rmwOp(a: { loc: string; deps: number[] }, operand: Tainted, op: ArithOp, tag: string, origin: string, pos: Pos) {
    const old = this.read(a.loc);
    const read = this.emit({ kind: 'R', loc: a.loc, value: old, tags: [tag], atomic: true, addr: a.deps, data: [], origin, pos });
    const updated = arith(op, old, operand.v);
    this.emit({ kind: 'W', loc: a.loc, value: updated, tags: [tag], atomic: true, rmwRead: read, addr: a.deps, data: union([read], operand.deps), origin, pos });
    return { old, updated, read };
  }
}

/** Every path of `proc`, reads taking each value of their location's domain. */
export function enumeratePaths(
  proc: Process,
  globals: ReadonlySet<string>,
  domains: ReadonlyMap<string, readonly DomainValue[]>,
  initRegs: ReadonlyMap<string, Value>,
  limit: number,
  /** Receives every path's writes with their provenance, including paths abandoned midway. */
  onWrites?: (writes: Array<{ loc: string; value: Value; sites: number }>) => void,
  /** Numbers write sites for provenance; shared by all processes of a test. */
  siteIds: Map<string, number> = new Map(),
  /** Receives the locations of reads that decide an `if` condition. */
  onConditionLocs?: (locs: ReadonlySet<string>) => void,
): Trace[] {
  const traces: Trace[] = [];
  const choices: number[] = [];
  for (;;) {
    const counts: number[] = [];
    let cursor = 0;
    const chooser: Chooser = {
      choose(n: number): number {
        if (n === 0) throw infeasible;
        if (cursor >= choices.length) choices.push(0);
        counts[cursor] = n;
        return choices[cursor++] ?? 0;
      },
    };
    const runner = new PathRunner(proc, globals, domains, chooser, initRegs, siteIds);
    try {
      traces.push(runner.run(onWrites === undefined));
    } catch (err) {
      if (!(err instanceof Infeasible)) throw err;
    }
    onConditionLocs?.(runner.conditionLocs);
    onWrites?.(
      runner.events.flatMap((e, i) =>
        e.kind === 'W' && e.loc !== undefined && e.value !== undefined && runner.sites[i] !== -1
          ? [{ loc: e.loc, value: e.value, sites: runner.sites[i] ?? 0 }]
          : [],
      ),
    );
    if (traces.length > limit) throw new SimulationError(`P${proc.id} has more than ${limit} paths`);
    choices.length = cursor;
    let k = cursor - 1;
    while (k >= 0 && (choices[k] ?? 0) + 1 >= (counts[k] ?? 0)) k--;
    if (k < 0) return traces;
    choices[k] = (choices[k] ?? 0) + 1;
    choices.length = k + 1;
  }
}

/** The global locations of a test: init-block names and the pointees of process parameters. */
export function globalLocations(test: LitmusTest): string[] {
  const names = new Set<string>();
  for (const item of test.init) if (item.proc === undefined) names.add(item.name);
  for (const p of test.processes) for (const param of p.params) names.add(param.name);
  for (const item of test.init) if (typeof item.value === 'string') names.add(item.value);
  return [...names].sort();
}

/**
 * The values each location may hold: its initial value, then whatever the processes can write given the values
 * found so far, to a fixpoint. Every read guesses its value from this set; rf later keeps only the guesses some
 * write justifies. The fixpoint is bounded because a written value is built from at most one value per write.
 */
export function valueDomains(
  test: LitmusTest,
  globals: ReadonlySet<string>,
  initValues: ReadonlyMap<string, Value>,
  initRegs: (proc: number) => ReadonlyMap<string, Value>,
  limit: number,
): Map<string, DomainValue[]> {
  const domains = new Map<string, DomainValue[]>();
  for (const g of globals) domains.set(g, [{ v: initValues.get(g) ?? 0, sites: 0 }]);
  const rounds = 2 + countStoreSites(test);
  const siteIds = new Map<string, number>();
  const conditionLocs = new Set<string>();
  const fixpoint = () => {
    for (let round = 0; round < rounds; round++) {
      let changed = false;
      const add = (w: { loc: string; value: Value; sites: number }) => {
        const d = domains.get(w.loc);
        // A value already known with a subset of these sites subsumes this derivation.
        if (!d || d.some((x) => x.v === w.value && (x.sites & w.sites) === x.sites)) return;
        d.push({ v: w.value, sites: w.sites });
        changed = true;
        if (d.length > 256) throw new SimulationError(`location ${w.loc} may hold more than 256 values`);
      };
      for (const proc of test.processes) {
        const onConditionLocs = (locs: ReadonlySet<string>) => locs.forEach((l) => conditionLocs.add(l));
        enumeratePaths(proc, globals, domains, initRegs(proc.id), limit, (writes) => writes.forEach(add), siteIds, onConditionLocs);
      }
      if (!changed) return;
    }
  };
  fixpoint();
  // A value can justify itself through control: a read takes the branch that writes the value it reads (herd7
  // finds such executions by solving the branch's constraint after rf). The least fixpoint above never guesses
  // such a value, so a location whose reads decide a condition also guesses the program's integer constants, and
  // the fixpoint runs again from there; rf later drops every guess no write justifies.
  let seeded = false;
  for (const loc of conditionLocs) {
    const d = domains.get(loc);
    if (!d || d.some((x) => typeof x.v !== 'number')) continue;
    for (const v of programConstants(test)) {
      if (!d.some((x) => x.v === v)) {
        d.push({ v, sites: 0 });
        seeded = true;
      }
    }
  }
  if (seeded) fixpoint();
  // The paths themselves need each value once, in herd7's order.
  const out = new Map<string, DomainValue[]>();
  for (const [loc, d] of domains) {
    const values = [...new Set(d.map((x) => x.v))].sort(compareValues);
    out.set(loc, values.map((v) => ({ v, sites: 0 })));
  }
  return out;
}

/** Calls `onStmt` on every statement and `onExpr` on every expression of the processes' code. */
function walkCode(test: LitmusTest, onStmt: (s: Stmt) => void, onExpr: (e: Expr) => void): void {
  const visitExpr = (e: Expr): void => {
    onExpr(e);
    if (e.kind === 'call') e.args.forEach(visitExpr);
    else if (e.kind === 'binary') {
      visitExpr(e.left);
      visitExpr(e.right);
    } else if (e.kind === 'unary') visitExpr(e.operand);
    else if (e.kind === 'deref') visitExpr(e.target);
  };
  const visit = (s: Stmt): void => {
    onStmt(s);
    if (s.kind === 'assign') {
      visitExpr(s.target);
      visitExpr(s.value);
    } else if (s.kind === 'decl' && s.init) visitExpr(s.init);
    else if (s.kind === 'expr') visitExpr(s.expr);
    else if (s.kind === 'block') s.body.forEach(visit);
    else if (s.kind === 'if') {
      visitExpr(s.cond);
      visit(s.then);
      if (s.else) visit(s.else);
    }
  };
  for (const p of test.processes) p.body.forEach(visit);
}

/** The integer constants written in the processes' code. */
function programConstants(test: LitmusTest): Set<number> {
  const out = new Set<number>();
  walkCode(test, () => {}, (e) => {
    if (e.kind === 'const') out.add(e.value);
  });
  return out;
}

/** Call sites and assignments: each may store once per path. */
function countStoreSites(test: LitmusTest): number {
  let n = 0;
  walkCode(
    test,
    (s) => {
      if (s.kind === 'assign') n++;
    },
    (e) => {
      if (e.kind === 'call') n++;
    },
  );
  return n;
}
