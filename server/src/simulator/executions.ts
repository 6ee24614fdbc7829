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

/** The static part of one combination of paths: events and the relations that do not depend on rf or co. */
interface Frame {
  events: ExecEvent[];
  traces: Trace[];
  n: number;
  po: Rel;
  addr: Rel;
  data: Rel;
  ctrl: Rel;
  rmw: Rel;
  /** Identifies the static part (events without values, po, dependencies): frames that share it share `fixed`. */
  shape: string;
}

function buildFrame(globals: readonly string[], initValues: ReadonlyMap<string, Value>, traces: Trace[]): Frame {
  const events: ExecEvent[] = globals.map((loc) => ({
    kind: 'W' as EventKind,
    loc,
    value: initValues.get(loc) ?? 0,
    tags: [],
    atomic: false,
    addr: [],
    data: [],
    ctrl: [],
    origin: 'init',
    pos: { line: 0, col: 0 },
    proc: -1,
    index: -1,
  }));
  const offsets: number[] = [];
  for (const t of traces) {
    offsets.push(events.length);
    t.events.forEach((e, index) => events.push({ ...e, proc: t.proc, index }));
  }
  const n = events.length;
  const po = Rel.empty(n);
  const addr = Rel.empty(n);
  const data = Rel.empty(n);
  const ctrl = Rel.empty(n);
  const rmw = Rel.empty(n);
  traces.forEach((t, ti) => {
    const base = offsets[ti]!;
    t.events.forEach((e, i) => {
      const g = base + i;
      for (let j = i + 1; j < t.events.length; j++) po.add(g, base + j);
      for (const d of e.addr) addr.add(base + d, g);
      for (const d of e.data) data.add(base + d, g);
      for (const d of e.ctrl) ctrl.add(base + d, g);
      if (e.rmwRead !== undefined && e.kind === 'W') rmw.add(base + e.rmwRead, g);
    });
  });
  const shape = events
    .map((e) => `${e.proc}${e.kind}${e.loc ?? ''}${e.tags.join(',')}${e.atomic ? 'a' : ''}${e.rmwRead ?? ''}|${e.addr}|${e.data}|${e.ctrl}`)
    .join(';');
  return { events, traces, n, po, addr, data, ctrl, rmw, shape };
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

/** All linear orders of `items` that respect the `before` edges (pairs of items). */
function linearisations(items: number[], before: ReadonlyArray<readonly [number, number]>): number[][] {
  const out: number[][] = [];
  const preds = new Map<number, number[]>(items.map((i) => [i, []]));
  for (const [a, b] of before) preds.get(b)?.push(a);
  const placed = new Set<number>();
  const order: number[] = [];
  const go = (): void => {
    if (order.length === items.length) {
      out.push([...order]);
      return;
    }
    for (const i of items) {
      if (placed.has(i)) continue;
      if (!preds.get(i)!.every((p) => placed.has(p))) continue;
      placed.add(i);
      order.push(i);
      go();
      order.pop();
      placed.delete(i);
    }
  };
  go();
  return out;
}

/**
 * Enumerates the candidate executions of one combination of paths and runs the model on each.
 * `visit` receives every candidate that passes the pre-model pruning.
 */
export function enumerateFrame(
  globals: readonly string[],
  initValues: ReadonlyMap<string, Value>,
  traces: Trace[],
  visit: (c: Candidate) => void,
  shapes: Map<string, Map<string, unknown>>,
): void {
  const f = buildFrame(globals, initValues, traces);
  let fixed = shapes.get(f.shape);
  if (fixed === undefined) {
    fixed = new Map();
    shapes.set(f.shape, fixed);
  }
  const { events, n, po } = f;
  const sameLoc = (i: number, j: number) => events[i]!.loc !== undefined && events[i]!.loc === events[j]!.loc;
  const isW = (i: number) => events[i]!.kind === 'W';
  const idx = [...events.keys()];

  // rf for ordinary reads: a write to the same location with the same value, not po-after the read.
  const reads = idx.filter((i) => events[i]!.kind === 'R');
  const rfChoices: number[][] = [];
  for (const r of reads) {
    const c = idx.filter((w) => isW(w) && sameLoc(w, r) && events[w]!.value === events[r]!.value && !po.has(r, w));
    if (c.length === 0) return;
    rfChoices.push(c);
  }

  // lock.cat's choices for LF (failed trylock, and RL) and RU events.
  const kindOf = (i: number) => events[i]!.kind;
  const poLoc = (a: number, b: number) => po.has(a, b) && sameLoc(a, b);
  const lfs = idx.filter((i) => kindOf(i) === 'LF' || kindOf(i) === 'RL');
  const lfChoices: number[][] = [];
  const lfExternal: number[] = [];
  for (const e of lfs) {
    const inside = idx.some(
      (k) => kindOf(k) === 'LKW' && poLoc(k, e) && !idx.some((u) => kindOf(u) === 'UL' && poLoc(k, u) && poLoc(u, e)),
    );
    if (inside) continue;
    const c = idx.filter((k) => kindOf(k) === 'LKW' && sameLoc(k, e) && events[k]!.proc !== events[e]!.proc);
    if (c.length === 0) return;
    lfExternal.push(e);
    lfChoices.push(c);
  }
  const rus = idx.filter((i) => kindOf(i) === 'RU');
  const ruChoices: number[][] = [];
  for (const e of rus) {
    const c = idx.filter((u) => {
      if (kindOf(u) === 'UL' && poLoc(u, e)) {
        return !idx.some((u2) => kindOf(u2) === 'UL' && poLoc(u, u2) && poLoc(u2, e));
      }
      return (kindOf(u) === 'UL' || (events[u]!.proc < 0 && isW(u))) && sameLoc(u, e) && events[u]!.proc !== events[e]!.proc;
    });
    if (c.length === 0) return;
    ruChoices.push(c);
  }

  // Writes ordered by co, per location: ordinary writes and LKW (UL joins later, in the model).
  const coWrites = new Map<string, number[]>();
  for (const i of idx) {
    const e = events[i]!;
    if ((e.kind === 'W' || e.kind === 'LKW') && e.proc >= 0) {
      const list = coWrites.get(e.loc!) ?? [];
      list.push(i);
      coWrites.set(e.loc!, list);
    }
  }
  const initOf = new Map<string, number>(globals.map((g, i) => [g, i]));
  // critical sections and unmatched LKWs, for co0's "an unmatched LKW comes last".
  const isLKW = (i: number) => kindOf(i) === 'LKW';
  const matchedLKW = new Set(
    idx.filter(
      (k) =>
        isLKW(k) &&
        idx.some(
          (u) =>
            kindOf(u) === 'UL' &&
            poLoc(k, u) &&
            !idx.some((m) => (kindOf(m) === 'LKW' || kindOf(m) === 'UL') && poLoc(k, m) && poLoc(m, u)),
        ),
    ),
  );

  for (const rfPick of product(rfChoices)) {
    const rfOf = new Map<number, number>();
    reads.forEach((r, k) => rfOf.set(r, rfPick[k]!));
    if (hasValueCycle(f, rfOf)) continue;
    for (const lfPick of product(lfChoices)) {
      for (const ruPick of product(ruChoices)) {
        const readsFrom = new Map(rfOf);
        lfExternal.forEach((e, k) => readsFrom.set(e, lfPick[k]!));
        rus.forEach((e, k) => readsFrom.set(e, ruPick[k]!));
        const orders = coOrders(coWrites, readsFrom, po, sameLoc, isLKW, matchedLKW);
        if (orders === undefined) continue;
        const rf = Rel.empty(n);
        for (const [r, w] of rfOf) rf.add(w, r);
        const rfeLf = Rel.empty(n);
        lfExternal.forEach((e, k) => rfeLf.add(lfPick[k]!, e));
        const rfRu = Rel.empty(n);
        rus.forEach((e, k) => rfRu.add(ruPick[k]!, e));
        for (const pick of product(orders)) {
          const co = Rel.empty(n);
          const finalMemory = new Map<string, Value>();
          const fw: number[] = [];
          for (const order of pick) {
            const loc = events[order[0]!]!.loc!;
            const init = initOf.get(loc)!;
            order.forEach((w, k) => {
              co.add(init, w);
              for (let j = k + 1; j < order.length; j++) co.add(w, order[j]!);
            });
            const ordinary = order.filter(isW);
            const last = ordinary[ordinary.length - 1];
            if (last !== undefined) fw.push(last);
          }
          const input: ModelInput = {
            events,
            po,
            addr: f.addr,
            data: f.data,
            ctrl: f.ctrl,
            rmw: f.rmw,
            rf,
            rfeLf,
            rfRu,
            co,
            FW: EventSet.of(n, (i) => fw.includes(i)),
            fixed,
          };
          const outcome = lkmm(input);
          for (const g of globals) finalMemory.set(g, finalValue(events, outcome.co, initOf.get(g)!));
          visit({ events, traces: f.traces, outcome, finalMemory });
        }
      }
    }
  }
}

/** The value of a location at the end: its co-last write's (a held lock reads as 1, a released one as 0). */
function finalValue(events: readonly ExecEvent[], co: Rel, init: number): Value {
  // co is a total order on the location's writes, so one pass climbing it reaches the maximum.
  let last = init;
  for (let j = 0; j < events.length; j++) if (co.has(last, j)) last = j;
  const e = events[last]!;
  if (e.kind === 'LKW') return 1;
  if (e.kind === 'UL') return 0;
  return e.value ?? 0;
}

/**
 * The orders coherence forces among a location's writes whatever else happens (cos-opt.cat's cobase, on
 * writes), then every linearisation; undefined when they are cyclic.
 */
function coOrders(
  coWrites: Map<string, number[]>,
  readsFrom: Map<number, number>,
  po: Rel,
  sameLoc: (a: number, b: number) => boolean,
  isLKW: (i: number) => boolean,
  matchedLKW: Set<number>,
): number[][][] | undefined {
  const out: number[][][] = [];
  const readers = [...readsFrom.keys()];
  for (const ws of coWrites.values()) {
    const inSet = new Set(ws);
    const edges: Array<[number, number]> = [];
    const edge = (a: number, b: number) => {
      if (a !== b && inSet.has(a) && inSet.has(b)) edges.push([a, b]);
    };
    for (const a of ws) {
      for (const b of ws) if (po.has(a, b)) edge(a, b);
      if (isLKW(a) && !matchedLKW.has(a)) for (const b of ws) if (isLKW(b)) edge(b, a);
    }
    for (const r of readers) {
      const w = readsFrom.get(r)!;
      if (!sameLoc(r, ws[0]!)) continue;
      for (const b of ws) if (po.has(r, b)) edge(w, b);
      for (const a of ws) if (po.has(a, r)) edge(a, w);
      for (const r2 of readers) if (r2 !== r && po.has(r, r2) && sameLoc(r, r2)) edge(w, readsFrom.get(r2)!);
    }
    const orders = linearisations(ws, edges);
    if (orders.length === 0) return undefined;
    out.push(orders);
  }
  return out;
}

/**
 * True when the chosen rf makes a value depend on itself (a read whose location or value comes, through
 * writes it reads from, from itself): herd7 cannot solve such equations and drops the candidate.
 */
function hasValueCycle(f: Frame, rfOf: Map<number, number>): boolean {
  const deps = (i: number): number[] => {
    const out: number[] = [];
    for (let j = 0; j < f.n; j++) if (f.addr.has(j, i)) out.push(j);
    const w = rfOf.get(i);
    if (w !== undefined) for (let j = 0; j < f.n; j++) if (f.data.has(j, w) || f.addr.has(j, w)) out.push(j);
    return out;
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
