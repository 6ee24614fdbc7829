// Patterns and pairing: write-side and read-side slices of every function, matched across the workspace by location
// keys, each pair reduced to a litmus scenario (see docs/analysis.md).
import { sameItems, type AccessEvent, type Event, type FenceEvent, type FunctionModel, type SignalEvent } from './events';
import { resolveLocation } from './keys';
import type { AccessHow, Between, Scenario, Shape, SideSpec } from './litmus';
import type { FileModel } from './model';
import type { FunctionStub } from './relevance';
import type { BarrierSite } from './sites';
import type { TextRange } from './types';
import { TypeIndex, type FileDeclarations } from './types-index';

/** How far apart (in events of one function) the two accesses of a slice may be. */
const WINDOW = 12;
/** Callees with more events than this are not inlined: their accesses are not part of a short lockless slice. */
export const INLINE_LIMIT = 60;
/**
 * The most pairs one side of a key takes part in, its first counterparts in workspace order. A key's pairs are its
 * writers times its readers: thousands of functions publishing through one field (generated code, or a whole kernel's
 * worth) would make millions of pairs, each judged and held. The 5.10 tree's busiest sides have 17 and 41.
 */
export const PAIRS_PER_SIDE = 128;

/** One event of a function after inlining, with its resolved location key. */
export interface Slot {
  event: Event;
  index: number;
  /** The index in the function's own events (for an inlined event, of the call), which `Event.ctrl` refers to. */
  origin: number;
  key?: string;
  /** Marked (READ_ONCE, atomic, acquire...) or a volatile field. */
  marked: boolean;
}

export interface Flow {
  fn: FunctionModel;
  slots: Slot[];
}

export type PairKind = 'mp' | 'message-signal' | 'signal-store' | 'handoff' | 'sb' | 'lb';

export interface Side {
  flow: Flow;
  role: 'writer' | 'reader';
  /** The slice's two accesses; undefined where implicit (a handler's entry, a woken task proceeding). */
  first?: Slot;
  second?: Slot;
  spec: SideSpec;
  /** Barrier calls that order this slice (in the function, or inlined from a callee). */
  fences: FenceEvent[];
  /** For each item of `spec.between`, the barrier call it comes from. */
  sources: Array<FenceEvent | undefined>;
  /** The slice has some ordering of its own: a barrier, an acquire/release, a dependency, a signal. */
  anchored: boolean;
  /** Where a finding about this side points: its first access, else the function. */
  range: TextRange;
}

export interface Pair {
  kind: PairKind;
  shape: Shape;
  /** The keys: MP orders x before y; signals and hand-offs appear as `signal:wake`, `handoff:void`. */
  x: string;
  y: string;
  sides: [Side, Side];
  /**
   * The two sides meet under a lock: the writer publishes y and the reader reads it both with a lock held (for SB,
   * a side's load and the other's store). Both are taken to be the same lock, whose ordering the scenario includes.
   */
  sameLock: boolean;
}

export function scenarioOf(pair: Pair, override?: [SideSpec?, SideSpec?]): Scenario {
  return {
    shape: pair.shape,
    sides: [override?.[0] ?? pair.sides[0].spec, override?.[1] ?? pair.sides[1].spec],
    sameLock: pair.sameLock,
  };
}

function isAccess(slot: Slot | undefined): slot is Slot & { event: AccessEvent } {
  return slot?.event.type === 'access';
}

function compatible(a: Event, b: Event): boolean {
  for (const [id, arm] of a.arms) {
    // The first arm of the same branch in b (a plain loop: builders ask this for every pair of accesses they look at).
    for (const [otherId, otherArm] of b.arms) {
      if (otherId !== id) continue;
      if (otherArm !== arm) return false;
      break;
    }
  }
  return true;
}

function accessHow(slot: Slot | undefined): AccessHow {
  if (!isAccess(slot)) return 'once';
  const { op, strength } = slot.event;
  if (op === 'rmw') {
    if (strength === 'Mb') return 'rmw-mb';
    if (strength === 'Acquire') return 'rmw-acquire';
    if (strength === 'Release') return 'rmw-release';
    return strength === 'Once' ? 'rmw-relaxed' : 'once';
  }
  if (op === 'store') return strength === 'Release' ? 'release' : 'once';
  return strength === 'Acquire' ? 'acquire' : 'once';
}

/** What one event contributes between a slice's two accesses. */
function betweenOf(event: Event): Between | undefined {
  switch (event.type) {
    case 'fence':
      if (event.site?.name === 'smp_mb__after_spinlock') return 'smp_mb__after_spinlock';
      return event.strength === 'Mb' ? 'smp_mb' : event.strength === 'Wmb' ? 'smp_wmb' : event.strength === 'Rmb' ? 'smp_rmb' : event.strength === 'Barrier' ? 'barrier' : undefined;
    case 'lock':
      return 'lock';
    case 'unlock':
      return 'unlock';
    case 'access':
      // A fully ordered RMW of another location orders everything around it, as smp_mb() would.
      return event.op === 'rmw' && event.strength === 'Mb' ? 'smp_mb' : undefined;
    case 'signal':
      return event.impliesMb && !event.deferred ? 'smp_mb' : undefined;
    case 'receipt':
      return 'smp_mb';
    default:
      return undefined;
  }
}

interface Slice {
  between: Between[];
  fences: FenceEvent[];
  /** For each item of `between`, the barrier call it comes from (undefined for locks, RMWs, implied barriers). */
  sources: Array<FenceEvent | undefined>;
  /** A barrier implied by a primitive (set_current_state(), prepare_to_wait()) is between the accesses. */
  implied?: boolean;
}

function slice(flow: Flow, from: number, to: number, ends: Event[]): Slice {
  const result: Slice = { between: [], fences: [], sources: [] };
  for (let k = from + 1; k < to; k++) {
    const event = flow.slots[k]!.event;
    if (!ends.every((end) => compatible(end, event))) continue;
    const item = betweenOf(event);
    if (item === undefined) continue;
    const source = event.type === 'fence' && event.site !== undefined ? event : undefined;
    if (source !== undefined) result.fences.push(source);
    if (event.type === 'fence' && event.site === undefined) result.implied = true;
    result.between.push(item);
    result.sources.push(source);
  }
  return result;
}

/**
 * A slice is anchored by a barrier call or a barrier a primitive implies; locks, RMWs of other locations and
 * schedule() order too (the scenario includes them) but do not make code a lockless pattern worth pairing.
 */
function orderedBy(s: Slice, role: Side['role']): boolean {
  // A barrier inside a callee orders the callee's own pattern; it does not make the caller's accesses one. A write
  // side is anchored by a barrier that orders stores, a read side by one that orders loads.
  // Barriers implied by set_current_state() and friends serve the sleep/wakeup idiom (store buffering, anchored
  // separately), not message passing.
  // A helper's barrier before (or after) all its accesses orders the caller's accesses around the call.
  const wanted = role === 'writer' ? ['Mb', 'Wmb'] : ['Mb', 'Rmb'];
  return s.fences.some((fence) => wanted.includes(fence.strength) && (fence.inlinedFrom === undefined || fence.boundary === true));
}

function sideRange(flow: Flow, slot: Slot | undefined): TextRange {
  if (slot === undefined) return flow.fn.nameRange;
  return slot.event.type === 'access' && slot.event.inlinedFrom === undefined ? slot.event.lvalue : slot.event.range;
}

function makeSide(flow: Flow, role: Side['role'], first: Slot | undefined, second: Slot | undefined, s: Slice, spec: Partial<SideSpec>): Side {
  const full: SideSpec = {
    first: spec.first ?? accessHow(first),
    between: s.between,
    second: spec.second ?? accessHow(second),
    lockedAtStart: spec.lockedAtStart ?? first?.event.locked ?? false,
    dependency: spec.dependency,
    ...(spec.control === true ? { control: true } : {}),
  };
  // An access's own ordering anchors the side when the access is the function's own, not a callee's.
  const own = (slot: Slot | undefined): boolean => slot !== undefined && slot.event.inlinedFrom === undefined;
  const annotated =
    role === 'writer'
      ? (own(second) && ['release', 'rmw-release', 'rmw-mb'].includes(full.second)) || (own(first) && full.first === 'rmw-mb')
      : (own(first) && ['acquire', 'rmw-acquire', 'rmw-mb'].includes(full.first)) || (own(second) && full.second === 'rmw-mb');
  // Pointer chasing is everywhere; only a dependency from a marked load (rcu_dereference(), READ_ONCE()) is a pattern.
  const markedDependency = full.dependency === true && first !== undefined && first.marked;
  return {
    flow,
    role,
    first,
    second,
    spec: full,
    fences: s.fences,
    sources: s.sources,
    anchored: orderedBy(s, role) || annotated || markedDependency,
    range: sideRange(flow, first ?? second),
  };
}

/** The spin-wait loop a load sits in, when the loop re-reads it and does nothing else shared. */
function spinLoop(flow: Flow, slot: Slot): number | undefined {
  for (let depth = slot.event.loops.length - 1; depth >= 0; depth--) {
    const id = slot.event.loops[depth]!;
    const loop = flow.fn.loops.find((candidate) => candidate.id === id);
    if (loop !== undefined && loop.relaxes && loop.storeless) return id;
  }
  return undefined;
}

/**
 * Fences inside a spin-wait loop before its load of the flag: the loop runs them between every failed read and the
 * read that succeeds, and kernel code of this shape treats them as ordering the flag read before what follows the
 * loop. This is an approximation (see docs/analysis.md), applied only to spin-wait loops.
 */
function loopCarried(flow: Flow, slot: Slot): Slice {
  const loop = spinLoop(flow, slot);
  const result: Slice = { between: [], fences: [], sources: [] };
  if (loop === undefined) return result;
  for (let k = slot.index - 1; k >= 0; k--) {
    const event = flow.slots[k]!.event;
    if (!event.loops.includes(loop)) break;
    if (event.type === 'fence' && event.site !== undefined) {
      const item = betweenOf(event);
      if (item !== undefined) {
        result.between.unshift(item);
        result.fences.unshift(event);
        result.sources.unshift(event);
      }
    }
  }
  return result;
}

function concat(a: Slice, b: Slice): Slice {
  return {
    between: [...a.between, ...b.between],
    fences: [...a.fences, ...b.fences],
    sources: [...a.sources, ...b.sources],
    implied: a.implied === true || b.implied === true,
  };
}

/** Builds the flows: each function's events with callees inlined (one level) and keys resolved. */
export function buildFlows(models: Iterable<FileModel>): Flow[] {
  return new Pairing().flows([...models]);
}

/** What a function's flow was built from, besides the function itself: it is rebuilt when one of these changes. */
interface FlowInputs {
  flow: Flow;
  lockedByCallers: boolean;
  /** The definition each call event resolved to (inlined or not). */
  callees: Array<FunctionModel | undefined>;
}

/** A flow's candidate sides by kind of slice (CANDIDATE_KINDS), each keyed by `x\u0000y` in the order found. */
interface FlowCandidates {
  /** The waited locks (waitedKey) and whether the function hands its result off, which the candidates read. */
  waited: string;
  handsOff: boolean;
  maps: Array<Map<string, Candidate[]>>;
}

/** A join's outcome for one key, kept while the key's candidate lists hold the same candidates in the same order. */
interface JoinedKey {
  writers: readonly Candidate[];
  readers: readonly Candidate[];
  pairs: Pair[];
}

/**
 * Adds one flow's candidate maps to the workspace's, list by list in the flow's key order; the flow's own lists stay
 * unchanged (they are kept for the next merge).
 */
function mergeInto(maps: Array<Map<string, Candidate[]>>, flowMaps: ReadonlyArray<Map<string, Candidate[]>>): void {
  flowMaps.forEach((map, kind) => {
    const into = maps[kind]!;
    for (const [key, list] of map) {
      const all = into.get(key);
      if (all === undefined) into.set(key, list.slice());
      else for (const candidate of list) all.push(candidate);
    }
  });
}

/**
 * Flows and pairs of a workspace, kept across calls: a function whose model object, resolved callees and locking by
 * callers are unchanged keeps its flow, a flow keeps its candidate sides (and the sides built from them), and a key
 * whose candidates are unchanged keeps its pairs. Incremental models keep unchanged functions as the same objects
 * (incremental.ts), so re-pairing after an edit costs the functions it touched plus a pass over the others' cached
 * lists. Everything is computed by the same code as a fresh Pairing, in the same order, so the result is identical.
 */
export class Pairing {
  /**
   * `keep` false: nothing is kept for a next call (the CLI analyses once). Each flow's candidates then go straight
   * into the workspace's maps and are dropped, so the per-flow maps never all live at once beside the merged ones.
   */
  constructor(private readonly keep = true) {}

  private index: TypeIndex | undefined;
  /** Each file's declarations the index was built from; declarations' JSON, computed only when an object changed. */
  private declarations = new Map<string, FileDeclarations>();
  private readonly declarationKeys = new WeakMap<FileDeclarations, string>();
  private flowInputs = new WeakMap<FunctionModel, FlowInputs>();
  private candidates = new WeakMap<Flow, FlowCandidates>();
  private readonly waitedByFlow = new WeakMap<Flow, string[]>();
  /** The flows the last call of `flows` returned, and what it read of each model. */
  private lastFlows: Flow[] | undefined;
  private lastInputs: FlowsInput[] | undefined;
  /** The last call of `pairs`: its flows, stubs and pairs. */
  private lastPairs: { flows: readonly Flow[]; stubs: readonly FunctionStub[]; pairs: Pair[] } | undefined;
  /** Each join's outcome by key, for the next call. */
  private joined = new Map<PairKind, Map<string, JoinedKey>>();
  /** The last merge: each flow's candidate maps, and the workspace's maps merged from them. */
  private merged: { perFlow: ReadonlyArray<ReadonlyArray<Map<string, Candidate[]>>>; maps: Array<Map<string, Candidate[]>> } | undefined;

  /** Flows of every walked function of the models (not helpers walked only to be inlined), in model order. */
  flows(models: readonly FileModel[]): Flow[] {
    // Models whose functions, stubs and declarations are the very lists and objects of the last call (an edit that
    // changed no function) give the same flows: the passes below read nothing else.
    const inputs = models.map((model) => ({ file: model.file, functions: model.functions, stubs: model.stubs, declarations: model.declarations }));
    const last = this.lastInputs;
    if (this.keep) this.lastInputs = inputs;
    if (last !== undefined && this.lastFlows !== undefined && sameInputs(last, inputs)) return this.lastFlows;
    const index = this.typeIndex(models);
    const all: FunctionModel[] = [];
    for (const model of models) all.push(...model.functions);
    // Only the names that functions with a flow call are resolved, and only those functions are asked whether every
    // caller holds a lock: a whole tree has many more functions and stubs than either.
    const sides = new Set<string>();
    const called = new Set<string>();
    for (const fn of all) {
      if (fn.inlineOnly === true) continue;
      sides.add(fn.name);
      for (const event of fn.events) if (event.type === 'call') called.add(event.name);
    }
    // Every definition of a name, walked or stub (a stub has no events to inline), in file order.
    const byName = new Map<string, Array<{ file: string; fn?: FunctionModel }>>();
    const define = (name: string, definition: { file: string; fn?: FunctionModel }): void => {
      const list = byName.get(name);
      if (list === undefined) byName.set(name, [definition]);
      else list.push(definition);
    };
    for (const model of models) {
      for (const fn of model.functions) if (called.has(fn.name)) define(fn.name, { file: model.file, fn });
      for (const stub of model.stubs) if (called.has(stub.name)) define(stub.name, { file: model.file });
    }

    // A helper every caller runs under a lock (remove_element() under pool->lock) is locked itself.
    const callLocks = new Map<string, boolean>();
    const callAt = (name: string, locked: boolean): void => {
      if (sides.has(name)) callLocks.set(name, (callLocks.get(name) ?? true) && locked);
    };
    for (const fn of all) for (const event of fn.events) if (event.type === 'call') callAt(event.name, event.locked);
    // Functions that were not walked (relevance.ts) still call helpers, with or without a lock.
    for (const model of models) {
      for (const stub of model.stubs) for (const [name, locked] of stub.calls) callAt(name, locked);
    }

    // The definition in the caller's file wins; otherwise the first one.
    const resolve = (name: string, file: string): FunctionModel | undefined => {
      const definitions = byName.get(name) ?? [];
      return (definitions.find((definition) => definition.file === file) ?? definitions[0])?.fn;
    };
    const flows: Flow[] = [];
    for (const fn of all) {
      // A helper walked only to be inlined is no side of its own (relevance.ts), so it needs no flow.
      if (fn.inlineOnly === true) continue;
      // `foo_locked()` is the kernel's name for a function its callers call with the lock held.
      const lockedByCallers = callLocks.get(fn.name) === true || /_locked$/.test(fn.name);
      const callees: Array<FunctionModel | undefined> = [];
      for (const event of fn.events) if (event.type === 'call') callees.push(resolve(event.name, fn.file));
      const known = this.keep ? this.flowInputs.get(fn) : undefined;
      if (known !== undefined && known.lockedByCallers === lockedByCallers && sameItems(known.callees, callees)) {
        flows.push(known.flow);
        continue;
      }
      const flow = buildFlow(fn, lockedByCallers, callees, index);
      if (this.keep) this.flowInputs.set(fn, { flow, lockedByCallers, callees });
      flows.push(flow);
    }
    // The very list of the last call when it holds the same flows: what is kept by flow list stays kept.
    if (this.lastFlows !== undefined && sameItems(this.lastFlows, flows)) return this.lastFlows;
    if (this.keep) this.lastFlows = flows;
    return flows;
  }

  /**
   * The struct and typedef index of the models' declarations: kept while every file's declarations are the same (by
   * object, else by JSON); otherwise built again, and then every flow too, since slots' keys come from it.
   */
  private typeIndex(models: readonly FileModel[]): TypeIndex {
    const key = (declarations: FileDeclarations): string => {
      let found = this.declarationKeys.get(declarations);
      if (found === undefined) {
        found = JSON.stringify([declarations.structs, declarations.typedefs]);
        this.declarationKeys.set(declarations, found);
      }
      return found;
    };
    const files = [...this.declarations.keys()];
    const same =
      this.index !== undefined &&
      files.length === models.length &&
      models.every((model, k) => {
        const known = this.declarations.get(model.file);
        return files[k] === model.file && known !== undefined && (known === model.declarations || key(known) === key(model.declarations));
      });
    this.declarations = new Map(models.map((model) => [model.file, model.declarations]));
    if (same) return this.index!;
    const index = new TypeIndex();
    for (const model of models) index.add(model.declarations);
    this.index = index;
    this.flowInputs = new WeakMap();
    this.candidates = new WeakMap();
    return index;
  }

  /**
   * Each kind's candidates of the whole workspace: flow by flow, each flow's keys in its order, as one pass finds them.
   * When the flows' candidate maps are last time's but for some replaced by maps with the same keys in the same order
   * (an edit inside a function rarely changes which locations it accesses), the keys stay in the same order and only
   * their lists are made again, each with the new flow's candidates where the old one's were; otherwise all is merged.
   */
  private merge(perFlow: ReadonlyArray<ReadonlyArray<Map<string, Candidate[]>>>): Array<Map<string, Candidate[]>> {
    const last = this.merged;
    const changed: number[] = [];
    let incremental = last !== undefined && last.perFlow.length === perFlow.length;
    for (let k = 0; incremental && k < perFlow.length; k++) {
      const before = last!.perFlow[k]!;
      const after = perFlow[k]!;
      if (before === after) continue;
      changed.push(k);
      incremental = before.every((map, kind) => sameKeys(map, after[kind]!));
    }
    // A flow's maps that were elsewhere last time (flows in another order) would be found at their old place.
    if (incremental && changed.length > 0) {
      const previous = new Set(last!.perFlow);
      incremental = changed.every((k) => !previous.has(perFlow[k]!));
    }
    let maps: Array<Map<string, Candidate[]>>;
    if (incremental) {
      // The lists that change are new arrays: the join keeps last time's lists to compare with.
      maps = last!.maps;
      for (const k of changed) {
        last!.perFlow[k]!.forEach((map, kind) => {
          const into = maps[kind]!;
          for (const [key, old] of map) {
            const list = into.get(key)!;
            const at = list.indexOf(old[0]!);
            into.set(key, [...list.slice(0, at), ...perFlow[k]![kind]!.get(key)!, ...list.slice(at + old.length)]);
          }
        });
      }
    } else {
      maps = CANDIDATE_KINDS.map(() => new Map<string, Candidate[]>());
      for (const flowMaps of perFlow) mergeInto(maps, flowMaps);
    }
    this.merged = { perFlow, maps };
    return maps;
  }

  /** Every pair of the flows; `stubs` are the functions that were not walked, whose calls still count. */
  pairs(flows: readonly Flow[], stubs: readonly FunctionStub[] = []): Pair[] {
    // The very flows and the same stubs give the same pairs: everything below is made from them and what is kept.
    const last = this.lastPairs;
    if (last !== undefined && last.flows === flows && sameItems(last.stubs, stubs)) return last.pairs;
    let waitedKeys: Set<string>;
    if (this.keep) {
      waitedKeys = new Set<string>();
      for (const flow of flows) {
        let keys = this.waitedByFlow.get(flow);
        if (keys === undefined) {
          keys = [...waitedLocks([flow])];
          this.waitedByFlow.set(flow, keys);
        }
        for (const key of keys) waitedKeys.add(key);
      }
    } else waitedKeys = waitedLocks(flows);
    // Whether a function is called in the workspace is asked only of functions that return a pointer.
    const pointers = new Set<string>();
    for (const flow of flows) if (flow.fn.returnsPointer) pointers.add(flow.fn.name);
    const called = new Set<string>();
    if (pointers.size > 0) {
      for (const flow of flows) for (const event of flow.fn.events) if (event.type === 'call' && pointers.has(event.name)) called.add(event.name);
      for (const stub of stubs) for (const [name] of stub.calls) if (pointers.has(name)) called.add(name);
    }
    // A helper's result goes to its caller in this workspace, which is the one that hands it on.
    const handsOff = (flow: Flow): boolean => flow.fn.returnsPointer && !called.has(flow.fn.name);
    let maps: Array<Map<string, Candidate[]>>;
    if (this.keep) {
      const waitedId = [...waitedKeys].sort().join('\u0000');
      const perFlow = flows.map((flow) => {
        let known = this.candidates.get(flow);
        if (known === undefined || known.waited !== waitedId || known.handsOff !== handsOff(flow)) {
          known = { waited: waitedId, handsOff: handsOff(flow), maps: flowCandidates(flow, waitedKeys, handsOff(flow)) };
          this.candidates.set(flow, known);
        }
        return known.maps;
      });
      maps = this.merge(perFlow);
    } else {
      maps = workspaceCandidates(flows, waitedKeys, handsOff);
    }
    // The keys of this call's new candidate maps are shared through the pool; later calls need not share with them.
    keyPool.clear();
    const joined = new Map<PairKind, Map<string, JoinedKey>>();
    const join = (kind: PairKind, shape: Shape, writers: CandidateKind, readers: CandidateKind, into: Pair[], swapReaderKey = false): void => {
      const after = this.keep ? new Map<string, JoinedKey>() : undefined;
      if (after !== undefined) joined.set(kind, after);
      joinKinds(kind, shape, maps[writers]!, maps[readers]!, into, swapReaderKey, this.joined.get(kind) ?? new Map(), after);
    };
    const pairs: Pair[] = [];
    join('mp', 'MP', CandidateKind.mpW, CandidateKind.mpR, pairs);
    join('message-signal', 'MP', CandidateKind.sigW, CandidateKind.sigR, pairs);
    join('signal-store', 'MP', CandidateKind.firstW, CandidateKind.firstR, pairs);
    join('handoff', 'MP', CandidateKind.handW, CandidateKind.handR, pairs);
    join('lb', 'LB', CandidateKind.lbW, CandidateKind.lbR, pairs);
    const sbPairs: Pair[] = [];
    join('sb', 'SB', CandidateKind.sb, CandidateKind.sb, sbPairs, true);
    if (this.keep) this.joined = joined;
    // Each store-buffering pair is found from both ends; keep one.
    const seen = new Set<string>();
    for (const pair of sbPairs) {
      const ids = pair.sides.map((side) => `${side.flow.fn.file}:${side.first?.event.range.start}:${side.second?.event.range.start}`);
      const id = [...ids].sort().join('|');
      if (seen.has(id)) continue;
      seen.add(id);
      pairs.push(pair);
    }
    if (this.keep) this.lastPairs = { flows, stubs, pairs };
    return pairs;
  }
}

/** What `Pairing.flows` reads of a model. */
interface FlowsInput {
  file: string;
  functions: readonly FunctionModel[];
  stubs: readonly FunctionStub[];
  declarations: FileDeclarations;
}

function sameInputs(a: readonly FlowsInput[], b: readonly FlowsInput[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.file !== y.file || x.functions !== y.functions || x.stubs !== y.stubs || x.declarations !== y.declarations) return false;
  }
  return true;
}

/** Whether two maps have the same keys in the same order. */
function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  const others = b.keys();
  for (const key of a.keys()) if (others.next().value !== key) return false;
  return true;
}

/** One function's flow: its events with callees inlined (one level, `callees` as resolved) and keys resolved. */
function buildFlow(fn: FunctionModel, lockedByCallers: boolean, callees: ReadonlyArray<FunctionModel | undefined>, index: TypeIndex): Flow {
  const events: Event[] = [];
  const origins: number[] = [];
  let call = 0;
  const own = fn.events;
  for (let origin = 0; origin < own.length; origin++) {
    const event = own[origin]!;
    if (event.type === 'call') {
      const callee = callees[call++];
      if (callee === undefined || callee === fn || callee.events.length > INLINE_LIMIT) continue;
      const start = events.length;
      const inners = callee.events;
      let firstAccess = Infinity;
      let lastAccess = -Infinity;
      for (let position = 0; position < inners.length; position++) {
        if (inners[position]!.type !== 'access') continue;
        if (firstAccess === Infinity) firstAccess = position;
        lastAccess = position;
      }
      for (let position = 0; position < inners.length; position++) {
        const inner = inners[position]!;
        // The callee's own calls, receipts, hand-offs and spin-loop hints are not the caller's.
        if (inner.type === 'call' || inner.type === 'receipt' || inner.type === 'handoff' || inner.type === 'relax') continue;
        const boundary = inner.type === 'fence' && (position < firstAccess || position > lastAccess);
        // An access through a parameter is an access through the caller's argument (a dependency carries over).
        const param =
          inner.type === 'access' && inner.loc.rootScope === 'param'
            ? callee.params.findIndex((p) => p.name === inner.loc.rootName)
            : -1;
        const baseVar = param >= 0 ? event.argVars[param] : undefined;
        events.push({
          ...inner,
          ...(inner.type === 'access' ? { baseVar } : {}),
          ...(boundary ? { boundary } : {}),
          inlinedFile: callee.file,
          range: event.range,
          statement: event.statement,
          arms: event.arms,
          loops: event.loops,
          ctrl: event.ctrl,
          locked: event.locked || inner.locked,
          inlinedFrom: callee.name,
        } as Event);
        origins.push(origin);
      }
      // `ng = deref_numa_group(p)`: the callee's last load is the value returned, so a dependency goes through it.
      if (event.valueVar !== undefined) {
        const last = events.slice(start).reverse().find((inner) => inner.type === 'access' && inner.op === 'load');
        if (last !== undefined && last.type === 'access') {
          const position = events.indexOf(last);
          events[position] = { ...last, valueVar: event.valueVar };
        }
      }
      continue;
    }
    events.push(lockedByCallers && !event.locked ? ({ ...event, locked: true } as Event) : event);
    origins.push(origin);
  }
  const slots = events.map((event, position): Slot => {
    const origin = origins[position]!;
    // A lock's key lets an unlock pair with a spin_is_locked() loop on the same lock.
    if ((event.type === 'lock' || event.type === 'unlock') && event.loc !== undefined) {
      return { event, index: position, origin, key: resolveLocation(event.loc, index).key, marked: false };
    }
    // Every slot has the same properties, so the loops over slots see one shape.
    if (event.type !== 'access') return { event, index: position, origin, key: undefined, marked: false };
    const location = resolveLocation(event.loc, index);
    return { event, index: position, origin, key: location.key, marked: event.marking !== 'plain' || location.volatile };
  });
  return { fn, slots };
}

/**
 * A possible side: its keys now, the side itself only when a counterpart with the same keys exists, since most
 * combinations within the window never find one and building a side (its slice) is the costly part.
 */
interface Candidate {
  x: string;
  y: string;
  flow: Flow;
  /**
   * Builds the side from the flow, the slots `i` and `j` and `flag`, as the kind of slice needs them (a plain function
   * and numbers rather than a closure: a whole tree has millions of candidates, and a closure with its contexts took
   * several times the memory of the candidate itself).
   */
  make: SideMaker;
  i: number;
  j: number;
  flag: boolean;
  /** The side once built (sideOf), null when there is none. */
  side: Side | null | undefined;
}

type SideMaker = (flow: Flow, i: number, j: number, flag: boolean) => Side | undefined;

function sideOf(candidate: Candidate): Side | undefined {
  if (candidate.side === undefined) candidate.side = candidate.make(candidate.flow, candidate.i, candidate.j, candidate.flag) ?? null;
  return candidate.side ?? undefined;
}

/**
 * One copy of each `x\u0000y` key while Pairing.pairs() makes per-flow candidate maps: every flow's map would otherwise
 * hold its own copy of keys most flows share (about 1.7 copies of each on net/).
 */
const keyPool = new Map<string, string>();

/**
 * Where a builder's candidates go: one kind's map, and which keys are worth a candidate. A workspace analysed once knows
 * every flow before it makes any candidate, so a key the other side of the join can never have is left out (most
 * keys of a tree are never joined, and making their candidates was most of pairing's time); see workspaceCandidates.
 */
interface Sink {
  map: Map<string, Candidate[]>;
  /** Only keys whose x is one of these and whose y is one of `ys`. */
  xs?: Keys;
  ys?: Keys;
  /** Only keys the other side's map (already complete) has. */
  keys?: ReadonlyMap<string, unknown>;
  /** Only keys whose counterpart some flow can make (workspaceCandidates). */
  joinable?: (x: string, y: string) => boolean;
  /** One copy of each key through `keyPool` (maps kept per flow). */
  pooled: boolean;
}

/** Whether a key with this x, or this y, can be worth a candidate: builders ask before looking for the other access. */
function wantsX(into: Sink, x: string): boolean {
  return into.xs === undefined || into.xs.has(x);
}

function wantsY(into: Sink, y: string): boolean {
  return into.ys === undefined || into.ys.has(y);
}

function pushCandidate(into: Sink, x: string, y: string, flow: Flow, make: SideMaker, i: number, j: number, flag = false): void {
  if (!wantsX(into, x) || !wantsY(into, y)) return;
  if (into.joinable !== undefined && !into.joinable(x, y)) return;
  let key = `${x}\u0000${y}`;
  if (into.keys !== undefined && !into.keys.has(key)) return;
  if (into.pooled) {
    const pooled = keyPool.get(key);
    if (pooled === undefined) keyPool.set(key, key);
    else key = pooled;
  }
  const candidate: Candidate = { x, y, flow, make, i, j, flag, side: undefined };
  const list = into.map.get(key);
  if (list === undefined) into.map.set(key, [candidate]);
  else list.push(candidate);
}

const isStore = (slot: Slot): boolean => isAccess(slot) && slot.event.op !== 'load' && slot.key !== undefined;
/**
 * A lockless read: a load, or an RMW whose value the code gets (not atomic_inc() or set_bit(), which return nothing),
 * and not one whose value only goes into a message or an assertion (`pr_cont("%d", atomic_read(&n))`, `WARN_ON()`).
 */
const isLocklessLoad = (slot: Slot): boolean =>
  isAccess(slot) &&
  slot.event.op !== 'store' &&
  slot.event.returnsNothing !== true &&
  slot.event.diagnostic !== true &&
  !slot.event.locked &&
  slot.key !== undefined;

/**
 * Write-side MP slices: a store of x, then (within the window) a store of y. Unlocking a lock that some function
 * waits on with spin_is_locked() is a release store of the lock word: the stores of the critical section before it
 * are published to the waiter.
 */
function mpWriters(flow: Flow, into: Sink, waited: ReadonlySet<string>): void {
  const { slots } = flow;
  // The keys already paired with the outer access: a few within the window, so an array reused for each.
  const seen: string[] = [];
  for (let j = 0; j < slots.length; j++) {
    const b = slots[j]!;
    const unlock = b.event.type === 'unlock' && b.key !== undefined && waited.has(b.key);
    if ((!isStore(b) && !unlock) || !wantsY(into, b.key!)) continue;
    seen.length = 0;
    for (let i = j - 1; i >= Math.max(0, j - WINDOW); i--) {
      const a = slots[i]!;
      if (!isStore(a) || a.key === b.key || seen.includes(a.key!) || !compatible(a.event, b.event)) continue;
      seen.push(a.key!);
      pushCandidate(into, a.key!, b.key!, flow, mpWriter, i, j, unlock);
    }
  }
}

/** `unlock`: the second store is the release of a lock some function waits on. */
function mpWriter(flow: Flow, i: number, j: number, unlock: boolean): Side {
  const [a, b] = [flow.slots[i]!, flow.slots[j]!];
  const spec: Partial<SideSpec> = unlock ? { second: 'release', lockedAtStart: false } : {};
  return makeSide(flow, 'writer', a, b, slice(flow, i, j, [a.event, b.event]), spec);
}

/** Keys of the locks some function reads locklessly (spin_is_locked(), spin_unlock_wait()). */
function waitedLocks(flows: readonly Flow[]): Set<string> {
  const waited = new Set<string>();
  for (const flow of flows) {
    for (const slot of flow.slots) {
      const event = slot.event;
      if (slot.key !== undefined && event.type === 'access' && event.primitive !== undefined && /spin_(?:is_locked|unlock_wait)$/.test(event.primitive)) waited.add(slot.key);
    }
  }
  return waited;
}

/** Read-side MP slices: a lockless load of y, then a lockless load of x (or a spin on y, then a load of x). */
function mpReaders(flow: Flow, into: Sink): void {
  const { slots } = flow;
  // The keys already paired with the outer access: a few within the window, so an array reused for each.
  const seen: string[] = [];
  for (let i = 0; i < slots.length; i++) {
    const c = slots[i]!;
    if (!isLocklessLoad(c) || !wantsY(into, c.key!)) continue;
    seen.length = 0;
    // spin_is_locked() is mostly an assertion (`WARN_ON(!spin_is_locked(&l))`); it waits for a holder only in a
    // spin-wait loop, or when what follows depends on it.
    const lockTest = isAccess(c) && /spin_is_locked$/.test(c.event.primitive ?? '');
    const waits = lockTest && spinLoop(flow, c) !== undefined;
    for (let j = i + 1; j < Math.min(slots.length, i + 1 + WINDOW); j++) {
      const d = slots[j]!;
      if (!isLocklessLoad(d) || d.key === c.key || seen.includes(d.key!) || !compatible(c.event, d.event)) continue;
      if (lockTest && !waits && !(d.event.ctrl?.includes(c.origin) ?? false)) continue;
      seen.push(d.key!);
      const dependency =
        isAccess(d) && isAccess(c) && d.event.baseVar !== undefined && d.event.baseVar === c.event.valueVar;
      pushCandidate(into, d.key!, c.key!, flow, mpReader, i, j, dependency);
    }
  }
}

function mpReader(flow: Flow, i: number, j: number, dependency: boolean): Side {
  const [c, d] = [flow.slots[i]!, flow.slots[j]!];
  return makeSide(flow, 'reader', c, d, concat(loopCarried(flow, c), slice(flow, i, j, [c.event, d.event])), { dependency });
}

/** Message then signal: stores before a wakeup or IPI; a deferred wakeup (wake_q_add) follows the whole function. */
function signalWriters(flow: Flow, into: Sink): void {
  const { slots } = flow;
  for (let j = 0; j < slots.length; j++) {
    const signal = slots[j]!.event;
    if (signal.type !== 'signal') continue;
    const y = `signal:${signal.signal}`;
    if (!wantsY(into, y)) continue;
    const seen = new Set<string>();
    const candidates = signal.deferred
      ? slots.filter((slot) => isStore(slot)).reverse()
      : slots.slice(Math.max(0, j - WINDOW), j).filter((slot) => isStore(slot) && compatible(slot.event, signal)).reverse();
    for (const a of candidates) {
      if (seen.has(a.key!)) continue;
      seen.add(a.key!);
      pushCandidate(into, a.key!, y, flow, signalWriter, a.index, j);
    }
  }
}

function signalWriter(flow: Flow, i: number, j: number): Side {
  const { slots } = flow;
  const [a, signal] = [slots[i]!, slots[j]!.event as SignalEvent];
  const s = signal.deferred ? slice(flow, i, slots.length, [a.event]) : slice(flow, i, j, [a.event, signal]);
  if (signal.impliesMb) {
    s.between.push('smp_mb');
    s.sources.push(undefined);
  }
  const side = makeSide(flow, 'writer', a, slots[j], s, { second: 'once' });
  side.anchored = true;
  return side;
}

/** An interrupt handler, by the kernel's naming and return type: only those run at an IPI's arrival. */
export function looksLikeHandler(fn: Pick<FunctionModel, 'name' | 'returnBase'>): boolean {
  return fn.returnBase === 'irqreturn_t' || /(?:^|_)(?:ipi|irq|interrupt|isr|demux|handler)(?:_|$)/i.test(fn.name);
}

/** The receiving end of a signal: loads after a wakeup's schedule(), or at an IPI handler's entry. */
function signalReaders(flow: Flow, into: Sink): void {
  const { slots } = flow;
  const receive = (from: number, signal: 'wake' | 'ipi', receipt: Slot | undefined): void => {
    const y = `signal:${signal}`;
    if (!wantsY(into, y)) return;
    const seen = new Set<string>();
    for (let j = from + 1; j < Math.min(slots.length, from + 1 + WINDOW); j++) {
      const d = slots[j]!;
      if (!isLocklessLoad(d) || seen.has(d.key!)) continue;
      if (receipt !== undefined && !compatible(receipt.event, d.event)) continue;
      seen.add(d.key!);
      pushCandidate(into, d.key!, y, flow, signalReader, from, j, receipt !== undefined);
    }
  };
  for (const slot of slots) if (slot.event.type === 'receipt') receive(slot.index, 'wake', slot);
  // A handler that sends IPIs itself is no receiver of one.
  if (looksLikeHandler(flow.fn) && !slots.some((slot) => slot.event.type === 'signal' && slot.event.signal === 'ipi')) receive(-1, 'ipi', undefined);
}

/** `received`: slot `from` is the receipt (a return from schedule()); otherwise the side starts at a handler's entry. */
function signalReader(flow: Flow, from: number, j: number, received: boolean): Side {
  const receipt = received ? flow.slots[from] : undefined;
  const d = flow.slots[j]!;
  const s = slice(flow, from, j, receipt === undefined ? [d.event] : [receipt.event, d.event]);
  // Returning from schedule() after a wakeup orders what the waker did before it (memory-barriers.txt).
  if (receipt !== undefined) {
    s.between.unshift('smp_mb');
    s.sources.unshift(undefined);
  }
  const side = makeSide(flow, 'reader', receipt, d, s, { first: 'once' });
  side.range = sideRange(flow, d);
  side.anchored = true;
  return side;
}

/** Signal then store: a wakeup, then the store the woken task waits for (seed 000's `r_msg`). */
function signalFirstWriters(flow: Flow, into: Sink): void {
  const { slots } = flow;
  for (let i = 0; i < slots.length; i++) {
    const signal = slots[i]!.event;
    if (signal.type !== 'signal' || signal.signal !== 'wake' || signal.deferred || !wantsX(into, 'signal:wake')) continue;
    const seen = new Set<string>();
    for (let j = i + 1; j < Math.min(slots.length, i + 1 + WINDOW); j++) {
      const b = slots[j]!;
      if (!isStore(b) || seen.has(b.key!) || !compatible(signal, b.event)) continue;
      seen.add(b.key!);
      pushCandidate(into, 'signal:wake', b.key!, flow, signalFirstWriter, i, j);
    }
  }
}

function signalFirstWriter(flow: Flow, i: number, j: number): Side {
  const [signal, b] = [flow.slots[i]!, flow.slots[j]!];
  const side = makeSide(flow, 'writer', signal, b, slice(flow, i, j, [signal.event, b.event]), { first: 'once' });
  side.range = sideRange(flow, b);
  return side;
}

/** The woken task spinning on the store: after its schedule(), a spin-wait loop on y; it proceeds once y is set. */
function signalFirstReaders(flow: Flow, into: Sink): void {
  const { slots } = flow;
  if (!wantsX(into, 'signal:wake')) return;
  const receipt = slots.findIndex((slot) => slot.event.type === 'receipt');
  if (receipt < 0) return;
  const seen = new Set<string>();
  for (let i = slots.length - 1; i > receipt; i--) {
    const c = slots[i]!;
    if (!isLocklessLoad(c) || seen.has(c.key!) || spinLoop(flow, c) === undefined) continue;
    seen.add(c.key!);
    let after = i + 1;
    while (after < slots.length && slots[after]!.event.type !== 'access') after++;
    pushCandidate(into, 'signal:wake', c.key!, flow, signalFirstReader, i, after);
  }
}

/** `after`: the first access after the loop's load (or the end of the flow). */
function signalFirstReader(flow: Flow, i: number, after: number): Side {
  const c = flow.slots[i]!;
  return makeSide(flow, 'reader', c, undefined, concat(loopCarried(flow, c), slice(flow, i, after, [c.event])), { second: 'once' });
}

/** Hand-off by return: a store of x, then the function returns a pointer its caller may pass to another CPU (see handsOff). */
function handoffWriters(flow: Flow, into: Sink): void {
  const { slots, fn } = flow;
  for (let j = 0; j < slots.length; j++) {
    const handoff = slots[j]!.event;
    if (handoff.type !== 'handoff' || !wantsY(into, `handoff:${fn.returnBase}`)) continue;
    const seen = new Set<string>();
    for (let i = j - 1; i >= Math.max(0, j - WINDOW); i--) {
      const a = slots[i]!;
      if (!isStore(a) || seen.has(a.key!) || !compatible(a.event, handoff)) continue;
      seen.add(a.key!);
      pushCandidate(into, a.key!, `handoff:${fn.returnBase}`, flow, handoffWriter, i, j);
    }
  }
}

function handoffWriter(flow: Flow, i: number, j: number): Side {
  const [a, handoff] = [flow.slots[i]!, flow.slots[j]!];
  return makeSide(flow, 'writer', a, handoff, slice(flow, i, j, [a.event, handoff.event]), { second: 'once' });
}

/** Hand-off by parameter: a function given an object it never looks into, then reading x locklessly. */
function handoffReaders(flow: Flow, into: Sink): void {
  const { slots, fn } = flow;
  for (const param of fn.params) {
    if (!param.opaque || !wantsY(into, `handoff:${param.type.base}`)) continue;
    const seen = new Set<string>();
    for (let j = 0; j < Math.min(slots.length, WINDOW); j++) {
      const d = slots[j]!;
      if (!isLocklessLoad(d) || seen.has(d.key!)) continue;
      seen.add(d.key!);
      pushCandidate(into, d.key!, `handoff:${param.type.base}`, flow, handoffReader, -1, j);
    }
  }
}

function handoffReader(flow: Flow, _entry: number, j: number): Side | undefined {
  const d = flow.slots[j]!;
  const side = makeSide(flow, 'reader', undefined, d, slice(flow, -1, j, [d.event]), { first: 'once' });
  side.range = sideRange(flow, d);
  // Any function taking a pointer reads something; only one that orders the read is a consumer of a hand-off.
  return side.anchored ? side : undefined;
}

/** Prefix counts of a flow's own smp_mb()/smp_wmb() calls (smp_wmb() so that it can be judged too weak): `counts[k]` for slots before k. */
function ownFenceCounts(flow: Flow): number[] {
  const counts = [0];
  for (const slot of flow.slots) {
    const event = slot.event;
    const fence = event.type === 'fence' && event.site !== undefined && event.inlinedFrom === undefined && (event.strength === 'Mb' || event.strength === 'Wmb');
    counts.push(counts[counts.length - 1]! + (fence ? 1 : 0));
  }
  return counts;
}

/**
 * Releasing an object (load buffering): loads of the object's x, then a store of y that tells another CPU it may
 * reuse the object. Only slices ordered by a barrier call or a release take part: the pattern is the barrier's.
 */
function lbReleasers(flow: Flow, into: Sink): void {
  const { slots } = flow;
  // The keys already paired with the outer access: a few within the window, so an array reused for each.
  const seen: string[] = [];
  const fences = ownFenceCounts(flow);
  for (let j = 0; j < slots.length; j++) {
    const b = slots[j]!;
    if (!isStore(b) || b.event.type !== 'access' || !wantsY(into, b.key!)) continue;
    const releases = b.event.inlinedFrom === undefined && (b.event.strength === 'Release' || b.event.strength === 'Mb');
    seen.length = 0;
    for (let i = j - 1; i >= Math.max(0, j - WINDOW); i--) {
      const a = slots[i]!;
      // The loads must be the function's own: a helper's loads (an allocator reading what it just set up) are no use
      // of an object being handed back.
      if (!isAccess(a) || a.event.op !== 'load' || a.event.inlinedFrom !== undefined || a.key === undefined || a.key === b.key || seen.includes(a.key)) continue;
      if (!compatible(a.event, b.event)) continue;
      if (!releases && fences[j]! - fences[i + 1]! === 0) continue;
      seen.push(a.key);
      pushCandidate(into, a.key, b.key!, flow, lbReleaser, i, j);
    }
  }
}

function lbReleaser(flow: Flow, i: number, j: number): Side | undefined {
  const [a, b] = [flow.slots[i]!, flow.slots[j]!];
  const side = makeSide(flow, 'writer', a, b, slice(flow, i, j, [a.event, b.event]), {});
  return side.anchored ? side : undefined;
}

/**
 * Taking the object back: a marked load of y, then a store of x, ordered by a control dependency (the store is under
 * a test of the load), an acquire, a fully ordered RMW or smp_mb(). Unordered code is no acquirer of anything.
 */
function lbAcquirers(flow: Flow, into: Sink): void {
  const { slots } = flow;
  // The keys already paired with the outer access: a few within the window, so an array reused for each.
  const seen: string[] = [];
  for (let i = 0; i < slots.length; i++) {
    const c = slots[i]!;
    if (!isLocklessLoad(c) || !c.marked || c.event.type !== 'access' || !wantsY(into, c.key!)) continue;
    seen.length = 0;
    for (let j = i + 1; j < Math.min(slots.length, i + 1 + WINDOW); j++) {
      const d = slots[j]!;
      if (!isStore(d) || d.event.inlinedFrom !== undefined || d.key === c.key || seen.includes(d.key!) || !compatible(c.event, d.event)) continue;
      seen.push(d.key!);
      const control = c.event.inlinedFrom === undefined && (d.event.ctrl?.includes(c.origin) ?? false);
      pushCandidate(into, d.key!, c.key!, flow, lbAcquirer, i, j, control);
    }
  }
}

/** `control`: the store depends on the load by control. */
function lbAcquirer(flow: Flow, i: number, j: number, control: boolean): Side | undefined {
  const [c, d] = [flow.slots[i]!, flow.slots[j]!];
  const s = slice(flow, i, j, [c.event, d.event]);
  const side = makeSide(flow, 'reader', c, d, s, { control });
  const acquires = ['acquire', 'rmw-acquire', 'rmw-mb'].includes(side.spec.first) && c.event.inlinedFrom === undefined;
  const full = s.fences.some((fence) => fence.strength === 'Mb' && fence.inlinedFrom === undefined);
  side.anchored = control || acquires || full;
  return side.anchored ? side : undefined;
}

/** Store buffering: a store of x, then a lockless load of y. */
function sbSides(flow: Flow, into: Sink): void {
  const { slots } = flow;
  // The keys already paired with the outer access: a few within the window, so an array reused for each.
  const seen: string[] = [];
  for (let i = 0; i < slots.length; i++) {
    const a = slots[i]!;
    if (!isStore(a) || !wantsX(into, a.key!)) continue;
    seen.length = 0;
    for (let j = i + 1; j < Math.min(slots.length, i + 1 + WINDOW); j++) {
      const b = slots[j]!;
      if (!isLocklessLoad(b) || b.key === a.key || seen.includes(b.key!) || !compatible(a.event, b.event)) continue;
      seen.push(b.key!);
      pushCandidate(into, a.key!, b.key!, flow, sbSide, i, j);
    }
  }
}

function sbSide(flow: Flow, i: number, j: number): Side {
  const [a, b] = [flow.slots[i]!, flow.slots[j]!];
  const s = slice(flow, i, j, [a.event, b.event]);
  const side = makeSide(flow, 'writer', a, b, s, {});
  // Only a full barrier (or one a primitive implies) makes a store-then-load a store-buffering pattern.
  side.anchored = s.implied === true || s.fences.some((fence) => fence.strength === 'Mb' && fence.inlinedFrom === undefined);
  return side;
}

/** A slice made only of events inlined from one callee is the callee's own pattern, found in the callee's flow. */
function onlyInlined(side: Side): boolean {
  const ends = [side.first, side.second].filter((slot): slot is Slot => slot !== undefined);
  return ends.length > 0 && ends.every((slot) => slot.event.inlinedFrom !== undefined);
}

/**
 * A side with no ordering of its own takes part only when it accesses the flag with a marked access (READ_ONCE(),
 * an atomic, a volatile field): plain accesses in unordered code are presumed protected by a lock its callers hold,
 * which the analysis cannot see. Signals and hand-offs are the flag themselves.
 */
function marksFlag(side: Side): boolean {
  const flag = side.role === 'writer' ? side.second : side.first;
  if (flag === undefined) return true;
  return flag.event.type !== 'access' || (flag.marked && flag.event.inlinedFrom === undefined);
}

/**
 * A payload stored with its own release (two rcu_assign_pointer()s in a row) is a publication by itself: readers
 * that load it with its own dependency need nothing between the two, so the two do not form message passing.
 */
function publishesItself(side: Side): boolean {
  return side.spec.first === 'release' || side.spec.first === 'rmw-release';
}

/**
 * A flag set or tested with bit operations (`set_bit()`, `test_and_set_bit()` on `->flags` or `page->private`) is a
 * word of many bits, often a bit lock or claim: the two sides need not be touching the same bit, so it is no flag.
 */
function bitFlag(slot: Slot | undefined): boolean {
  return slot?.event.type === 'access' && /_bit(?:_lock|_unlock)?$|^(?:__)?cpumask_\w+_cpu$/.test(slot.event.primitive ?? '');
}

/** A caller that inlined the other side's function would pair the function with a copy of itself. */
function inlines(side: Side, name: string): boolean {
  return [side.first, side.second].some((slot) => slot?.event.inlinedFrom === name);
}

/**
 * Initialisers (`tasklet_init()`, `*_setup()`, `*_create()`) fill an object nobody else can see yet; with no ordering
 * of their own their stores are published later by someone else, not by the order they are written in.
 */
function initialises(name: string): boolean {
  return /(?:^|_)(?:init|setup|create|reset)(?:_|$)/.test(name);
}

/**
 * rcu_dereference() promises order only to loads through the pointer it returns; a later load of another location
 * (`rq->idle` after `rcu_dereference(rq->curr)`) is outside the RCU publication, not a read side of it.
 */
function rcuWithoutDependency(side: Side): boolean {
  const first = side.first?.event;
  return first?.type === 'access' && /dereference|rcu_access_pointer/.test(first.primitive ?? '') && side.spec.dependency !== true;
}

/** `sd->shared` then `sd->shared->ref`: the second location is reached through the first, an ordering of its own. */
function chained(side: Side): boolean {
  const text = (slot: Slot | undefined): string | undefined => (slot?.event.type === 'access' ? slot.event.loc.text : undefined);
  const [a, b] = [text(side.first), text(side.second)];
  return a !== undefined && b !== undefined && (b.startsWith(`${a}->`) || b.startsWith(`${a}.`) || a.startsWith(`${b}->`) || a.startsWith(`${b}.`));
}

/**
 * The task state set_current_state() writes and a wakeup reads stands for every task's: it makes the sleep/wakeup
 * idiom's store buffering, but as a message it would join the current task's state with any woken task's.
 */
function synthetic(slot: Slot | undefined): boolean {
  return slot?.event.type === 'access' && slot.event.synthetic === true;
}

/** A store to an object the function has just allocated: nobody else can see it before it is published. */
function fresh(slot: Slot | undefined): boolean {
  return slot?.event.type === 'access' && slot.event.fresh === true && slot.event.inlinedFrom === undefined;
}

/** Both accesses reach the running CPU's own per-CPU copy (this_cpu_ptr()): they can never be on two CPUs. */
function sameCpu(a: Slot | undefined, b: Slot | undefined): boolean {
  return a?.event.type === 'access' && b?.event.type === 'access' && a.event.loc.thisCpu === true && b.event.loc.thisCpu === true;
}

/**
 * atomic_set()/refcount_set() giving a counter its first value, against a reader that changes it with an arithmetic
 * RMW (a reference count being dropped): the count is set up before the object is shared, not a publication.
 */
function initialisesCounter(w: Side, r: Side): boolean {
  const name = (slot: Slot | undefined): string => (slot?.event.type === 'access' ? (slot.event.primitive ?? '') : '');
  return /_set$/.test(name(w.second)) && /^(?:atomic|atomic64|atomic_long|refcount|local)_(?:dec|sub|inc|add|fetch)/.test(name(r.first));
}

function fullyLocked(side: Side): boolean {
  return (side.first?.event.locked ?? false) && (side.second?.event.locked ?? false);
}

/** What rules a writer side out of every pair of the shape, whatever the reader. */
function writerFits(w: Side, shape: Shape): boolean {
  if (onlyInlined(w)) return false;
  if (!w.anchored && (!marksFlag(w) || fresh(w.second) || initialises(w.flow.fn.name))) return false;
  if (shape !== 'SB' && (synthetic(w.first) || synthetic(w.second))) return false;
  if (shape === 'MP') return !publishesItself(w) && !chained(w) && !bitFlag(w.second);
  if (shape === 'SB') return !bitFlag(w.first) && !bitFlag(w.second);
  return !chained(w) && !bitFlag(w.second);
}

/** What rules a reader side out of every pair of the shape, whatever the writer. */
function readerFits(r: Side, shape: Shape): boolean {
  if (onlyInlined(r)) return false;
  if (!r.anchored && !marksFlag(r)) return false;
  if (shape !== 'SB' && (synthetic(r.first) || synthetic(r.second))) return false;
  if (shape === 'MP') return !chained(r) && !rcuWithoutDependency(r) && !bitFlag(r.first);
  if (shape === 'SB') return !bitFlag(r.first) && !bitFlag(r.second);
  return !chained(r) && !bitFlag(r.first);
}

/** `y\u0000x` for the key `x\u0000y`. */
function swapped(key: string): string {
  const at = key.indexOf('\u0000');
  return `${key.slice(at + 1)}\u0000${key.slice(0, at)}`;
}

/**
 * Pairs the writers of each key with its readers (for store buffering, `x\u0000y` with `y\u0000x`). A key whose two
 * lists hold the same candidates as in `before` keeps its pairs; each key's outcome goes to `after` for the next call
 * (none when nothing is kept). This loop runs over every key after each edit and is kept small: V8 compiles it
 * without the join of one key (joinKey), which after an edit runs only for the keys whose candidates changed.
 */
function joinKinds(
  kind: PairKind,
  shape: Shape,
  writers: Map<string, Candidate[]>,
  readers: Map<string, Candidate[]>,
  into: Pair[],
  swapReaderKey: boolean,
  before: ReadonlyMap<string, JoinedKey>,
  after: Map<string, JoinedKey> | undefined,
): void {
  for (const [key, list] of writers) {
    const matches = readers.get(swapReaderKey ? swapped(key) : key);
    if (matches === undefined) continue;
    const known = before.get(key);
    const joined = known !== undefined && sameItems(known.writers, list) && sameItems(known.readers, matches) ? known : joinKey(kind, shape, list, matches, known);
    after?.set(key, joined);
    for (const pair of joined.pairs) into.push(pair);
  }
}

/** The pairs of one key's writers and readers; `known` is the key's last join, whose pairs of the same sides are kept. */
function joinKey(kind: PairKind, shape: Shape, list: readonly Candidate[], matches: readonly Candidate[], known: JoinedKey | undefined): JoinedKey {
  const { x, y } = list[0]!;
  const pairs: Pair[] = [];
  // Last time's pairs of the key by their sides: a key joined again after an edit of one of its functions keeps the others'.
  let previous: Map<Side, Map<Side, Pair>> | undefined;
  for (const pair of known?.pairs ?? []) {
    previous ??= new Map();
    const [w, r] = pair.sides;
    let byReader = previous.get(w);
    if (byReader === undefined) {
      byReader = new Map();
      previous.set(w, byReader);
    }
    byReader.set(r, pair);
  }
  // A counterpart in the same file is preferred: other files pair only with sides that have none of their own.
  const file = (candidate: Candidate): string => candidate.flow.fn.file;
  const readerFiles = new Set(matches.map(file));
  const writerFiles = new Set(list.map(file));
  // Each reader's side when it can take part at all, found at its first counterpart: what a side rules out by
  // itself is asked once per side, not once per writer it meets (a key's lists can be long).
  const readerSides: Array<Side | null | undefined> = [];
  const readerPairs = new Array<number>(matches.length).fill(0);
  for (const writerCandidate of list) {
    let w: Side | null | undefined;
    let writerPairs = 0;
    for (let k = 0; k < matches.length && writerPairs < PAIRS_PER_SIDE; k++) {
      if (readerPairs[k]! >= PAIRS_PER_SIDE) continue;
      const readerCandidate = matches[k]!;
      if (file(writerCandidate) !== file(readerCandidate) && (readerFiles.has(file(writerCandidate)) || writerFiles.has(file(readerCandidate)))) continue;
      if (writerCandidate.flow === readerCandidate.flow) continue;
      if (w === undefined) {
        const side = sideOf(writerCandidate);
        w = side !== undefined && writerFits(side, shape) ? side : null;
      }
      if (w === null) break;
      let r = readerSides[k];
      if (r === undefined) {
        const side = sideOf(readerCandidate);
        r = side !== undefined && readerFits(side, shape) ? side : null;
        readerSides[k] = r;
      }
      if (r === null) continue;
      if (!w.anchored && !r.anchored) continue;
      if (fullyLocked(w) && fullyLocked(r)) continue;
      if (sameCpu(w.second, r.first) || sameCpu(w.first, r.second)) continue;
      if (shape === 'MP' && !w.anchored && initialisesCounter(w, r)) continue;
      if (inlines(w, r.flow.fn.name) || inlines(r, w.flow.fn.name)) continue;
      const locked = (slot: Slot | undefined): boolean => slot?.event.locked ?? false;
      const sameLock =
        shape === 'MP'
          ? locked(w.second) && locked(r.first)
          : (locked(w.second) && locked(r.first)) || (locked(r.second) && locked(w.first));
      // The same two sides make the same pair: keeping its object keeps its verdicts (analysis.ts).
      pairs.push(previous?.get(w)?.get(r) ?? { kind, shape, x, y, sides: [w, r], sameLock });
      writerPairs++;
      readerPairs[k]!++;
    }
  }
  return { writers: list, readers: matches, pairs };
}

/** Every pair of the workspace; `stubs` are the functions that were not walked, whose calls still count. */
export function findPairs(flows: readonly Flow[], stubs: readonly FunctionStub[] = []): Pair[] {
  return new Pairing().pairs(flows, stubs);
}

/** The kinds of candidate sides, in the order each flow's are found (the order of `flowCandidates`'s maps). */
enum CandidateKind {
  mpW,
  mpR,
  sigW,
  sigR,
  firstW,
  firstR,
  handW,
  handR,
  sb,
  lbW,
  lbR,
}

const CANDIDATE_KINDS = Object.values(CandidateKind).filter((value): value is CandidateKind => typeof value === 'number');

/** One flow's candidate sides of every kind; they read the workspace only through the waited locks and `handsOff`. */
function flowCandidates(flow: Flow, waited: ReadonlySet<string>, handsOff: boolean): Array<Map<string, Candidate[]>> {
  const sinks = CANDIDATE_KINDS.map((): Sink => ({ map: new Map(), pooled: true }));
  mpWriters(flow, sinks[CandidateKind.mpW]!, waited);
  mpReaders(flow, sinks[CandidateKind.mpR]!);
  signalWriters(flow, sinks[CandidateKind.sigW]!);
  signalReaders(flow, sinks[CandidateKind.sigR]!);
  signalFirstWriters(flow, sinks[CandidateKind.firstW]!);
  signalFirstReaders(flow, sinks[CandidateKind.firstR]!);
  if (handsOff) handoffWriters(flow, sinks[CandidateKind.handW]!);
  handoffReaders(flow, sinks[CandidateKind.handR]!);
  sbSides(flow, sinks[CandidateKind.sb]!);
  lbReleasers(flow, sinks[CandidateKind.lbW]!);
  lbAcquirers(flow, sinks[CandidateKind.lbR]!);
  // Most kinds find nothing in most functions; one shared empty map (never written to) stands for all of those.
  return sinks.map(({ map }) => (map.size === 0 ? NO_CANDIDATES : map));
}

/**
 * The workspace's candidates of every kind, for a workspace analysed once: the maps flowCandidates and mergeInto
 * would give (each kind's keys and lists in flow order) but for keys that can join nothing. Writers come first, each
 * key kept only when both its locations are accessed as the readers' keys need (a message-passing writer's two
 * locations must both be loaded locklessly somewhere, and by one flow); readers then keep only keys some writer has.
 * Store buffering joins its own kind, with the two locations swapped: a store of x then a load of y needs a store of y
 * then a load of x, so some flow must store y and load x.
 */
function workspaceCandidates(flows: readonly Flow[], waited: ReadonlySet<string>, handsOff: (flow: Flow) => boolean): Array<Map<string, Candidate[]>> {
  const maps = CANDIDATE_KINDS.map(() => new Map<string, Candidate[]>());
  // The flows (by index, ascending) that access each key as each kind of side takes its locations from. A writer
  // whose counterpart no one flow can make joins nothing: on the 5.10 tree, a third of the message-passing writers
  // and half of the store-buffering sides.
  const loads = new Map<string, number[]>();
  const stores = new Map<string, number[]>();
  const markedLoads = new Set<string>();
  flows.forEach((flow, index) => {
    for (const slot of flow.slots) {
      // An RMW is both.
      if (isStore(slot)) addFlow(stores, slot.key!, index);
      if (isLocklessLoad(slot)) {
        addFlow(loads, slot.key!, index);
        if (slot.marked) markedLoads.add(slot.key!);
      }
    }
  });
  const sink = (kind: CandidateKind, xs?: Keys, ys?: Keys, keys?: CandidateKind, joinable?: Sink['joinable']): Sink => ({
    map: maps[kind]!,
    xs,
    ys,
    keys: keys === undefined ? undefined : maps[keys],
    joinable,
    pooled: false,
  });
  const mpW = sink(CandidateKind.mpW, loads, loads, undefined, (x, y) => shareFlow(loads.get(x)!, loads.get(y)!));
  const sigW = sink(CandidateKind.sigW, loads);
  const firstW = sink(CandidateKind.firstW, undefined, loads);
  const handW = sink(CandidateKind.handW, loads);
  const sb = sink(CandidateKind.sb, loads, stores, undefined, (x, y) => shareFlow(loads.get(x)!, stores.get(y)!));
  const lbW = sink(CandidateKind.lbW, stores, markedLoads);
  for (const flow of flows) {
    mpWriters(flow, mpW, waited);
    signalWriters(flow, sigW);
    signalFirstWriters(flow, firstW);
    if (handsOff(flow)) handoffWriters(flow, handW);
    sbSides(flow, sb);
    lbReleasers(flow, lbW);
  }
  // A reader's key must be a writer's; its x and y alone already rule out most loads before the other is looked for.
  const readers = (kind: CandidateKind, writers: CandidateKind): Sink => {
    const xs = new Set<string>();
    const ys = new Set<string>();
    for (const [first] of maps[writers]!.values()) {
      xs.add(first!.x);
      ys.add(first!.y);
    }
    return sink(kind, xs, ys, writers);
  };
  const mpR = readers(CandidateKind.mpR, CandidateKind.mpW);
  const sigR = readers(CandidateKind.sigR, CandidateKind.sigW);
  const firstR = readers(CandidateKind.firstR, CandidateKind.firstW);
  const handR = readers(CandidateKind.handR, CandidateKind.handW);
  const lbR = readers(CandidateKind.lbR, CandidateKind.lbW);
  for (const flow of flows) {
    mpReaders(flow, mpR);
    signalReaders(flow, sigR);
    signalFirstReaders(flow, firstR);
    handoffReaders(flow, handR);
    lbAcquirers(flow, lbR);
  }
  return maps;
}

const NO_CANDIDATES = new Map<string, Candidate[]>();

/** What a sink's xs and ys are asked: whether a key is one of them. */
type Keys = Pick<ReadonlySet<string>, 'has'>;

function addFlow(flowsByKey: Map<string, number[]>, key: string, index: number): void {
  const list = flowsByKey.get(key);
  if (list === undefined) flowsByKey.set(key, [index]);
  else if (list[list.length - 1] !== index) list.push(index);
}

/** Whether two ascending lists of flow indices have one in common: each of the shorter's is looked up in the longer. */
export function shareFlow(a: readonly number[], b: readonly number[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let low = 0;
  for (const index of short) {
    let high = long.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (long[middle]! < index) low = middle + 1;
      else high = middle;
    }
    if (low === long.length) return false;
    if (long[low] === index) return true;
  }
  return false;
}

/** sideSites of each side, kept with it: rules ask for them per pair result at each site, after every edit. */
const ownSites = new WeakMap<Side, readonly BarrierSite[]>();

/** The barrier sites of the side's own function its ordering rests on (do not modify the list). */
export function sideSites(side: Side): readonly BarrierSite[] {
  let sites = ownSites.get(side);
  if (sites === undefined) {
    sites = side.fences.flatMap((fence) => (fence.site === undefined || fence.inlinedFrom !== undefined ? [] : [fence.site]));
    ownSites.set(side, sites);
  }
  return sites;
}

/** Every barrier site a side rests on with its file: its own, and a helper's that orders the accesses around its call. */
export function pairedSites(side: Side): Array<{ file: string; site: BarrierSite }> {
  return side.fences.flatMap((fence) => {
    if (fence.site === undefined) return [];
    if (fence.inlinedFrom === undefined) return [{ file: side.flow.fn.file, site: fence.site }];
    return fence.boundary === true && fence.inlinedFile !== undefined ? [{ file: fence.inlinedFile, site: fence.site }] : [];
  });
}
