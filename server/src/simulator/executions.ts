// Candidate executions: one path per process, then rf (values must match), the lock reads lock.cat chooses,
// and co per location (linearisations of the orders coherence already forces), each handed to the model.

import type { Value } from './ast';
import { lkmm, type ModelInput, type ModelOutcome } from './lkmm';
import { EventSet, Rel } from './relation';
import type { EventKind, ThreadEvent, Trace } from './threads';

/** An event of a whole execution: its thread event plus where it sits. */
export interface ExecEvent extends ThreadEvent {
  /** -1 for initial writes. */
  proc: number;
  /** Index in its process's path (-1 for initial writes). */
  index: number;
}

/** One complete candidate execution and the model's verdict on it. */
export interface Candidate {
  events: readonly ExecEvent[];
  traces: readonly Trace[];
  outcome: ModelOutcome;
  /** Final value of each location, from the co-last write. */
  finalMemory: Map<string, Value>;
}

/** Thrown from the visitor to stop the enumeration (time, cancellation, bound). */
export class StopEnumeration extends Error {}

/**
 * Everything about a combination of paths that does not depend on the values read: events without values, po,
 * dependencies, the choices lock.cat offers, the writes co orders. Combinations that differ only in values (most
 * of them) share one Shape, and with it the model's memo of value-independent relations.
 */
export interface Shape {
  n: number;
  po: Rel;
  addr: Rel;
  data: Rel;
  ctrl: Rel;
  rmw: Rel;
  /** Ordinary reads, and for each the writes it may read from by location and po (values are checked per frame). */
  reads: number[];
  rfCandidates: number[][];
  /** Failed trylocks and RL outside a critical section, with the LKWs each may read from. */
  lfExternal: number[];
  lfChoices: number[][];
  rus: number[];
  ruChoices: number[][];
  /** Undefined choices make every candidate impossible (an LF or RU with nothing to read). */
  impossible: boolean;
  coWrites: number[][];
  matchedLKW: Set<number>;
  initOf: Map<string, number>;
  /** The read half of each RMW write (and LKW). */
  rmwReadOf: Map<number, number>;
  /** For the value-cycle check: the reads feeding each event's address, and each write's value or address. */
  addrFrom: number[][];
  valueFrom: number[][];
  /** Whether any address or data dependency exists; without one no value can depend on itself. */
  valueDeps: boolean;
  /** Memo for the model (see ModelInput.fixed). */
  fixed: Map<string, unknown>;
  /**
   * The coherence order when po orders every location's writes (each chained after its initial write), so every
   * candidate of the shape has this co; undefined otherwise.
   */
  fixedCo?: Rel;
  /** The model's `monotone` verdict on the shape, once known. */
  monotone?: boolean;
  /** An empty relation, for the lock choices of shapes without lock events. */
  noRel: Rel;
  /** Each location's co-last write under fixedCo, once asked for. */
  finalWrites?: ReadonlyArray<readonly [string, number]>;
}

/**
 * True when event j of a path depends on event i of the same instruction through the instruction's data flow
 * (address, data, or an RMW's read feeding its write): herd7's intra-instruction causality, which orders them.
 */
function flows(t: Trace, i: number, j: number): boolean {
  const e = t.events[j]!;
  const sources = e.rmwRead === undefined ? [...e.addr, ...e.data] : [...e.addr, ...e.data, e.rmwRead];
  return sources.some((k) => k === i || (k > i && t.events[k]!.instr === e.instr && flows(t, i, k)));
}

function buildShape(globals: readonly string[], events: readonly ExecEvent[], traces: readonly Trace[]): Shape {
  const n = events.length;
  const po = Rel.empty(n);
  const addr = Rel.empty(n);
  const data = Rel.empty(n);
  const ctrl = Rel.empty(n);
  const rmw = Rel.empty(n);
  let base = globals.length;
  for (const t of traces) {
    t.events.forEach((e, i) => {
      const g = base + i;
      for (let j = i + 1; j < t.events.length; j++) if (t.events[j]!.instr !== e.instr || flows(t, i, j)) po.add(g, base + j);
      for (const d of e.addr) addr.add(base + d, g);
      for (const d of e.data) data.add(base + d, g);
      for (const d of e.ctrl) ctrl.add(base + d, g);
      if (e.rmwRead !== undefined && e.kind === 'W') rmw.add(base + e.rmwRead, g);
    });
    base += t.events.length;
  }
  const idx = [...events.keys()];
  const kindOf = (i: number) => events[i]!.kind;
  const sameLoc = (i: number, j: number) => events[i]!.loc !== undefined && events[i]!.loc === events[j]!.loc;
  const poLoc = (a: number, b: number) => po.has(a, b) && sameLoc(a, b);
  const isW = (i: number) => kindOf(i) === 'W';
  let impossible = false;

  // rf for ordinary reads: a write to the same location, not po-after the read (nor the read's own RMW write).
  const reads = idx.filter((i) => kindOf(i) === 'R');
  const rfCandidates = reads.map((r) => idx.filter((w) => isW(w) && sameLoc(w, r) && !po.has(r, w)));

  // lock.cat's choices for LF (failed trylock, and RL) and RU events.
  const lfExternal: number[] = [];
  const lfChoices: number[][] = [];
  for (const e of idx.filter((i) => kindOf(i) === 'LF' || kindOf(i) === 'RL')) {
    const inside = idx.some(
      (k) => kindOf(k) === 'LKW' && poLoc(k, e) && !idx.some((u) => kindOf(u) === 'UL' && poLoc(k, u) && poLoc(u, e)),
    );
    if (inside) continue;
    const c = idx.filter((k) => kindOf(k) === 'LKW' && sameLoc(k, e) && events[k]!.proc !== events[e]!.proc);
    if (c.length === 0) impossible = true;
    lfExternal.push(e);
    lfChoices.push(c);
  }
  const rus = idx.filter((i) => kindOf(i) === 'RU');
  const ruChoices = rus.map((e) =>
    idx.filter((u) => {
      if (kindOf(u) === 'UL' && poLoc(u, e)) return !idx.some((u2) => kindOf(u2) === 'UL' && poLoc(u, u2) && poLoc(u2, e));
      return (kindOf(u) === 'UL' || (events[u]!.proc < 0 && isW(u))) && sameLoc(u, e) && events[u]!.proc !== events[e]!.proc;
    }),
  );
  if (ruChoices.some((c) => c.length === 0)) impossible = true;

  // Writes ordered by co, per location: ordinary writes and LKW (UL joins later, in the model).
  const byLoc = new Map<string, number[]>();
  for (const i of idx) {
    const e = events[i]!;
    if ((e.kind === 'W' || e.kind === 'LKW') && e.proc >= 0) {
      const list = byLoc.get(e.loc!) ?? [];
      list.push(i);
      byLoc.set(e.loc!, list);
    }
  }
  // Critical sections, for co0's "an unmatched LKW comes last".
  const matchedLKW = new Set(
    idx.filter(
      (k) =>
        kindOf(k) === 'LKW' &&
        idx.some(
          (u) =>
            kindOf(u) === 'UL' &&
            poLoc(k, u) &&
            !idx.some((m) => (kindOf(m) === 'LKW' || kindOf(m) === 'UL') && poLoc(k, m) && poLoc(m, u)),
        ),
    ),
  );
  const sources = (r: Rel, i: number) => idx.filter((j) => r.has(j, i));
  return {
    n,
    po,
    addr,
    data,
    ctrl,
    rmw,
    reads,
    rfCandidates,
    lfExternal,
    lfChoices,
    rus,
    ruChoices,
    impossible,
    coWrites: [...byLoc.values()],
    matchedLKW,
    initOf: new Map(globals.map((g, i) => [g, i])),
    rmwReadOf: new Map(rmw.pairs().map(([r, w]) => [w, r])),
    addrFrom: idx.map((i) => sources(addr, i)),
    valueFrom: idx.map((i) => [...sources(data, i), ...sources(addr, i)]),
    valueDeps: !addr.isEmpty() || !data.isEmpty(),
    fixed: new Map(),
    fixedCo: poOrderedCo(n, globals, events, [...byLoc.values()], po),
    noRel: Rel.empty(n),
  };
}

/** co as a chain per location after its initial write, when po totally orders each location's writes. */
function poOrderedCo(n: number, globals: readonly string[], events: readonly ExecEvent[], coWrites: number[][], po: Rel): Rel | undefined {
  const co = Rel.empty(n);
  for (const ws of coWrites) {
    const order = [...ws].sort((a, b) => (po.has(a, b) ? -1 : po.has(b, a) ? 1 : 0));
    for (let k = 0; k + 1 < order.length; k++) if (!po.has(order[k]!, order[k + 1]!)) return undefined;
    const init = globals.indexOf(events[order[0]!]!.loc!);
    order.forEach((w, k) => {
      co.add(init, w);
      for (let j = k + 1; j < order.length; j++) co.add(w, order[j]!);
    });
  }
  return co;
}

/** Every combination of one element from each list. */
function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = lists.map(() => 0);
  for (;;) {
    yield idx.map((k, i) => lists[i]![k]!);
    let i = lists.length - 1;
    while (i >= 0 && idx[i]! + 1 >= lists[i]!.length) idx[i--] = 0;
    if (i < 0) return;
    idx[i]!++;
  }
}

/**
 * All linear orders of `items` that respect the `before` edges (pairs of items), generated lazily: a location
 * with many writes has too many orders to hold. `next` forces an item to come immediately after another (or
 * first, after the key -1).
 */
function* linearisations(
  items: number[],
  before: ReadonlyArray<readonly [number, number]>,
  next: ReadonlyMap<number, number>,
): Generator<number[]> {
  const preds = new Map<number, number[]>(items.map((i) => [i, []]));
  for (const [a, b] of before) preds.get(b)?.push(a);
  const placed = new Set<number>();
  const order: number[] = [];
  function* go(): Generator<number[]> {
    if (order.length === items.length) {
      yield [...order];
      return;
    }
    const forced = next.get(order.length === 0 ? -1 : order[order.length - 1]!);
    for (const i of items) {
      if (placed.has(i) || (forced !== undefined && i !== forced)) continue;
      if (!preds.get(i)!.every((p) => placed.has(p))) continue;
      placed.add(i);
      order.push(i);
      yield* go();
      order.pop();
      placed.delete(i);
    }
  }
  yield* go();
}

/** Every choice of one order per location, lazily, as co relations (each order chained after its initial write). */
function* coRelations(shape: Shape, events: readonly ExecEvent[], perLocation: ReadonlyArray<() => Generator<number[]>>): Generator<Rel> {
  const pick: number[][] = [];
  function* go(k: number): Generator<Rel> {
    if (k < perLocation.length) {
      for (const order of perLocation[k]!()) {
        pick[k] = order;
        yield* go(k + 1);
      }
      return;
    }
    const co = Rel.empty(shape.n);
    for (const order of pick) {
      const init = shape.initOf.get(events[order[0]!]!.loc!)!;
      order.forEach((w, i) => {
        co.add(init, w);
        for (let j = i + 1; j < order.length; j++) co.add(w, order[j]!);
      });
    }
    yield co;
  }
  yield* go(0);
}

const shapeIds = new Map<string, number>();

/** A short name for a path's shape: shape keys of many-process frames would otherwise be long strings. */
function shapeId(t: Trace): number {
  let id = shapeIds.get(t.shape);
  if (id === undefined) shapeIds.set(t.shape, (id = shapeIds.size));
  return id;
}

const initCache = new WeakMap<readonly string[], ExecEvent[]>();

/** The initial writes (IW), one per location, in the locations' order; built once per location list. */
function initialWrites(globals: readonly string[], initValues: ReadonlyMap<string, Value>): ExecEvent[] {
  let iw = initCache.get(globals);
  if (iw === undefined) {
    iw = globals.map((loc) => ({
      kind: 'W' as EventKind,
      loc,
      value: initValues.get(loc) ?? 0,
      tags: [],
      atomic: false,
      addr: [],
      data: [],
      ctrl: [],
      origin: 'init',
      instr: -1,
      pos: { line: 0, col: 0 },
      proc: -1,
      index: -1,
    }));
    initCache.set(globals, iw);
  }
  return iw;
}

const traceCache = new WeakMap<Trace, ExecEvent[]>();

/** A path's events as execution events; built once per path. */
function execEvents(t: Trace): ExecEvent[] {
  let out = traceCache.get(t);
  if (out === undefined) {
    out = t.events.map((e, index) => ({ ...e, proc: t.proc, index }));
    traceCache.set(t, out);
  }
  return out;
}

/** The events of one combination of paths (initial writes first) and its shape, built once per shape. */
function frame(
  globals: readonly string[],
  initValues: ReadonlyMap<string, Value>,
  traces: readonly Trace[],
  shapes: Map<string, Shape>,
  key = traces.map(shapeId).join('#'),
): { events: ExecEvent[]; shape: Shape } {
  const events: ExecEvent[] = [...initialWrites(globals, initValues)];
  for (const t of traces) events.push(...execEvents(t));
  let shape = shapes.get(key);
  if (shape === undefined) {
    shape = buildShape(globals, events, traces);
    shapes.set(key, shape);
  }
  return { events, shape };
}

/**
 * Decides a whole set of path combinations at once: the paths of one shape, where event k of each combination may
 * carry any value of `possible[k]` (indexed like the frame's events, initial writes first). The model runs once on
 * an abstract execution where each read is copied once per write it may read from (same place in po, same
 * dependencies), each copy reading from its write. Every candidate of every combination maps into it event by
 * event, its relations into the abstract ones, so when the shape's co is fixed and the model is monotone on it
 * (lkmm.ts, `monotone`), the model allowing the abstract execution allows every candidate, with the same flags,
 * which are returned. Undefined when that cannot be shown.
 */
export function allowsEveryCandidate(
  globals: readonly string[],
  initValues: ReadonlyMap<string, Value>,
  traces: readonly Trace[],
  possible: ReadonlyArray<ReadonlySet<Value | undefined>>,
  shapes: Map<string, Shape>,
  observedMemory: readonly string[],
): readonly string[] | undefined {
  const { events, shape } = frame(globals, initValues, traces, shapes);
  if (shape.impossible) return [];
  if (shape.fixedCo === undefined || shape.monotone === false || shape.lfExternal.length > 0 || shape.rus.length > 0) {
    return undefined;
  }
  // The writes each read may read from; an RMW's read keeps one, as its write names one read half.
  const sourcesOf = new Map<number, number[]>();
  for (let k = 0; k < shape.reads.length; k++) {
    const r = shape.reads[k]!;
    const sources = shape.rfCandidates[k]!.filter((w) => [...possible[w]!].some((v) => possible[r]!.has(v)));
    // A read nothing can feed leaves no candidate at all.
    if (sources.length === 0) return [];
    if (sources.length > 1 && shape.rmw.domain().has(r)) return undefined;
    sourcesOf.set(r, sources);
  }
  // The abstract paths: copies replace each read, dependencies on a read become dependencies on all its copies.
  const newIndex: number[] = events.map((_, i) => i);
  const copyOf: Array<[number, number]> = [];
  let next = globals.length;
  let base = globals.length;
  const abstractTraces: Trace[] = traces.map((t) => {
    const within: number[][] = [];
    const out: ThreadEvent[] = [];
    t.events.forEach((e, i) => {
      const g = base + i;
      const sources = sourcesOf.get(g) ?? [undefined];
      within[i] = [];
      for (const w of sources) {
        within[i]!.push(out.length);
        if (w !== undefined) copyOf.push([next, w]);
        newIndex[g] = next++;
        out.push({
          ...e,
          addr: e.addr.flatMap((d) => within[d]!),
          data: e.data.flatMap((d) => within[d]!),
          ctrl: e.ctrl.flatMap((d) => within[d]!),
          rmwRead: e.rmwRead === undefined ? undefined : within[e.rmwRead]![0],
        });
      }
    });
    base += t.events.length;
    return { ...t, events: out };
  });
  const copies = [...sourcesOf].map(([r, ws]) => `${r}:${ws.length}`).join(',');
  const abstract = frame(globals, initValues, abstractTraces, shapes, `${traces.map(shapeId).join('#')}@${copies}`);
  const co = abstract.shape.fixedCo!;
  const rf = Rel.empty(abstract.shape.n);
  for (const [c, w] of copyOf) rf.add(newIndex[w]!, c);
  const empty = Rel.empty(abstract.shape.n);
  const outcome = lkmm({
    events: abstract.events,
    po: abstract.shape.po,
    addr: abstract.shape.addr,
    data: abstract.shape.data,
    ctrl: abstract.shape.ctrl,
    rmw: abstract.shape.rmw,
    rf,
    rfeLf: empty,
    rfRu: empty,
    co,
    FW: finalWrites(abstract.shape, abstract.events, co, observedMemory),
    fixed: abstract.shape.fixed,
    shortcut: true,
  });
  shape.monotone = outcome.monotone;
  return outcome.monotone && outcome.rejectedBy === undefined ? outcome.flags : undefined;
}

/**
 * Enumerates the candidate executions of one combination of paths and runs the model on each; `visit` receives
 * every candidate that passes the pre-model pruning. With `allowedFlags` the combination is already known to be
 * allowed with those flags (allowsEveryCandidate) and the model is not run.
 */
export function enumerateFrame(
  globals: readonly string[],
  initValues: ReadonlyMap<string, Value>,
  traces: Trace[],
  visit: (c: Candidate) => void,
  shapes: Map<string, Shape>,
  shortcut: boolean,
  observedMemory: readonly string[],
  allowedFlags?: readonly string[],
): void {
  const { events, shape } = frame(globals, initValues, traces, shapes);
  if (shape.impossible) return;
  const { n, po, reads } = shape;

  // Values must match: keep the writes of each read's candidates that wrote the value it read.
  const rfChoices: number[][] = [];
  for (let k = 0; k < reads.length; k++) {
    const value = events[reads[k]!]!.value;
    const c = shape.rfCandidates[k]!.filter((w) => events[w]!.value === value);
    if (c.length === 0) return;
    rfChoices.push(c);
  }

  for (const rfPick of product(rfChoices)) {
    const rfOf = new Map<number, number>();
    reads.forEach((r, k) => rfOf.set(r, rfPick[k]!));
    if (hasValueCycle(shape, rfOf)) continue;
    for (const lfPick of product(shape.lfChoices)) {
      for (const ruPick of product(shape.ruChoices)) {
        let coChoices: Iterable<Rel>;
        if (shape.fixedCo !== undefined && shape.coWrites.every((ws) => ws.length === 1)) coChoices = [shape.fixedCo];
        else {
          const readsFrom = new Map(rfOf);
          shape.lfExternal.forEach((e, k) => readsFrom.set(e, lfPick[k]!));
          shape.rus.forEach((e, k) => readsFrom.set(e, ruPick[k]!));
          const orders = coOrders(shape, events, readsFrom);
          if (orders === undefined) continue;
          // When po orders each location's writes, that order is the only pick if the rf leaves any.
          coChoices =
            shape.fixedCo === undefined ? coRelations(shape, events, orders) : orders.every((o) => !o().next().done) ? [shape.fixedCo] : [];
        }
        const rf = Rel.empty(n);
        for (const [r, w] of rfOf) rf.add(w, r);
        const rfeLf = shape.lfExternal.length === 0 ? shape.noRel : Rel.empty(n);
        shape.lfExternal.forEach((e, k) => rfeLf.add(lfPick[k]!, e));
        const rfRu = shape.rus.length === 0 ? shape.noRel : Rel.empty(n);
        shape.rus.forEach((e, k) => rfRu.add(ruPick[k]!, e));
        for (const co of coChoices) {
          if (allowedFlags !== undefined) {
            // Already proved allowed (see allowsEveryCandidate); without locks the model's rf and co are these.
            const outcome: ModelOutcome = { flags: [...allowedFlags], rf, co, relations: new Map(), monotone: true };
            visit({ events, traces, outcome, finalMemory: finalMemoryOf(shape, events, co) });
            continue;
          }
          const input: ModelInput = {
            events,
            po,
            addr: shape.addr,
            data: shape.data,
            ctrl: shape.ctrl,
            rmw: shape.rmw,
            rf,
            rfeLf,
            rfRu,
            co,
            FW: finalWrites(shape, events, co, observedMemory),
            fixed: shape.fixed,
            shortcut,
          };
          const outcome = lkmm(input);
          visit({ events, traces, outcome, finalMemory: finalMemoryOf(shape, events, outcome.co) });
        }
      }
    }
  }
}

/**
 * FW: the final write of each location the final state observes, the initial write if no other ordinary write
 * (herd7's `FW` covers only observed locations; lock.cat's lock-final flag reads it).
 */
function finalWrites(shape: Shape, events: readonly ExecEvent[], co: Rel, observedMemory: readonly string[]): EventSet {
  const FW = EventSet.empty(shape.n);
  for (const loc of observedMemory) {
    const init = shape.initOf.get(loc);
    if (init === undefined) continue;
    const last = lastWrite(events, co, init);
    FW.bits[last >>> 5]! |= 1 << (last & 31);
  }
  return FW;
}

function finalMemoryOf(shape: Shape, events: readonly ExecEvent[], co: Rel): Map<string, Value> {
  const finalMemory = new Map<string, Value>();
  if (co === shape.fixedCo) {
    // The co-last write of each location is then the same for every candidate of the shape.
    shape.finalWrites ??= [...shape.initOf].map(([g, init]) => [g, lastWrite(events, co, init)] as const);
    for (const [g, w] of shape.finalWrites) finalMemory.set(g, events[w]!.value ?? 0);
  } else for (const [g, init] of shape.initOf) finalMemory.set(g, events[lastWrite(events, co, init)]!.value ?? 0);
  return finalMemory;
}

/**
 * The write whose value a location holds at the end: its co-last ordinary write. Lock events are not stores for
 * herd7, so a spinlock reads as its initial value.
 */
function lastWrite(events: readonly ExecEvent[], co: Rel, init: number): number {
  // co is a total order on the location's writes, so one pass climbing it reaches the maximum.
  let last = init;
  for (let j = 0; j < events.length; j++) if (events[j]!.kind === 'W' && co.has(last, j)) last = j;
  return last;
}

/**
 * The orders coherence forces among a location's writes whatever else happens (cos-opt.cat's cobase, on
 * writes), then every linearisation; undefined when they are cyclic.
 */
function coOrders(
  shape: Shape,
  events: readonly ExecEvent[],
  readsFrom: Map<number, number>,
): Array<() => Generator<number[]>> | undefined {
  const { po, matchedLKW } = shape;
  const out: Array<() => Generator<number[]>> = [];
  for (const ws of shape.coWrites) {
    if (ws.length === 1) {
      out.push(function* () {
        yield ws;
      });
      continue;
    }
    const loc = events[ws[0]!]!.loc;
    const inSet = new Set(ws);
    const edges: Array<[number, number]> = [];
    const edge = (a: number, b: number) => {
      if (a !== b && inSet.has(a) && inSet.has(b)) edges.push([a, b]);
    };
    const isLKW = (i: number) => events[i]!.kind === 'LKW';
    for (const a of ws) {
      for (const b of ws) if (po.has(a, b)) edge(a, b);
      if (isLKW(a) && !matchedLKW.has(a)) for (const b of ws) if (isLKW(b)) edge(b, a);
    }
    for (const [r, w] of readsFrom) {
      if (events[r]!.loc !== loc) continue;
      for (const b of ws) if (po.has(r, b)) edge(w, b);
      for (const a of ws) if (po.has(a, r)) edge(a, w);
      for (const [r2, w2] of readsFrom) if (r2 !== r && po.has(r, r2) && events[r2]!.loc === loc) edge(w, w2);
    }
    // On a location with many writes, an RMW's write must follow the write its read reads from at once
    // (coherence and atomicity leave no other place), which cuts the orders to enumerate; a second RMW reading
    // the same write leaves none. Small locations keep every order so the model names the failed check.
    const next = new Map<number, number>();
    if (ws.length > 6) {
      for (const w of ws) {
        const r = events[w]!.rmwRead === undefined ? undefined : shape.rmwReadOf.get(w);
        const from = r === undefined ? undefined : readsFrom.get(r);
        if (from === undefined) continue;
        const key = events[from]!.proc < 0 ? -1 : from;
        if (next.has(key)) return undefined;
        next.set(key, w);
      }
    }
    out.push(() => linearisations(ws, edges, next));
  }
  return out;
}

/**
 * True when the chosen rf makes a value depend on itself (a read whose location or value comes, through
 * writes it reads from, from itself): herd7 cannot solve such equations and drops the candidate.
 */
function hasValueCycle(shape: Shape, rfOf: Map<number, number>): boolean {
  if (!shape.valueDeps) return false;
  const deps = (i: number): number[] => {
    const w = rfOf.get(i);
    return w === undefined ? shape.addrFrom[i]! : [...shape.addrFrom[i]!, ...shape.valueFrom[w]!];
  };
  const state = new Map<number, 1 | 2>();
  const visit = (i: number): boolean => {
    const s = state.get(i);
    if (s === 1) return true;
    if (s === 2) return false;
    state.set(i, 1);
    for (const j of deps(i)) if (visit(j)) return true;
    state.set(i, 2);
    return false;
  };
  for (const r of rfOf.keys()) if (visit(r)) return true;
  return false;
}
