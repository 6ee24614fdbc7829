// Verdicts for every pair of the workspace: which side lets the bad outcome happen, and which smp_mb() is stronger
// than any scenario it takes part in needs. The rules read this; it is computed once per workspace version.
import type { FenceEvent } from './events';
import type { Between, SideSpec } from './litmus';
import type { FileModel } from './model';
import { pairedSites, Pairing, scenarioOf, type Flow, type Pair, type Side, type Slot } from './pairs';
import type { BarrierSite } from './sites';
import { sameItems } from './events';
import { judge, type Verdict } from './verdict';

export interface SideProblem {
  side: Side;
  /** `missing`: nothing orders the slice; `too-weak`: a barrier does, but not enough. */
  problem: 'missing' | 'too-weak';
  /** The weakest barrier that makes the scenario forbidden (with the other side fixed too when it is at fault). */
  suggestion?: Between;
}

export interface PairResult {
  pair: Pair;
  verdict: Verdict;
  problems: SideProblem[];
}

export interface OverStrong {
  site: BarrierSite;
  fence: FenceEvent;
  /** The weaker barrier that forbids the bad outcome in every scenario the site takes part in. */
  weaker: Between;
  results: PairResult[];
}

export interface WorkspaceAnalysis {
  flows: Flow[];
  results: PairResult[];
  overStrong: OverStrong[];
  /** Pair results by barrier site (`file:offset` of the call); made from `atSite` when first read. */
  readonly bySite: Map<string, PairResult[]>;
  /** Pair results by barrier site object (each site of a file's model is its own object), in the order of `bySite`. */
  atSite: Map<BarrierSite, PairResult[]>;
  /**
   * Location keys other CPUs access concurrently: the flag of every publication, both locations of store buffering,
   * and a payload the consuming side also writes. A payload written only by publishers is ordered by the pairing
   * itself and needs no marking (rcu_assign_pointer()'s initialised object, an IPI's call data).
   */
  pairedKeys: Set<string>;
}

export function siteId(file: string, site: BarrierSite): string {
  return `${file}:${site.range.start}`;
}

/** The side ends in sending a signal: ordering a store before an IPI or wakeup takes a full barrier. */
const sendsSignal = (side: Side): boolean => side.second?.event.type === 'signal';
const isImplicitEntry = (side: Side): boolean => side.role === 'reader' && side.first === undefined;

/**
 * Barriers that would fix a side, weakest first. A signal or an interrupt is not a plain access: use smp_mb(). In
 * load buffering each side orders a load before a store, which neither smp_wmb() nor smp_rmb() does.
 */
function candidates(pair: Pair, index: 0 | 1): Between[] {
  const side = pair.sides[index];
  if (pair.shape !== 'MP' || sendsSignal(side) || (isImplicitEntry(side) && pair.kind === 'message-signal')) return ['smp_mb'];
  return side.role === 'writer' ? ['smp_wmb', 'smp_mb'] : ['smp_rmb', 'smp_mb'];
}

function withBarrier(spec: SideSpec, barrier: Between): SideSpec {
  return { ...spec, between: [...spec.between, barrier] };
}

function repaired(pair: Pair, index: 0 | 1): SideSpec {
  const [strongest] = candidates(pair, index).slice(-1);
  return withBarrier(pair.sides[index].spec, strongest ?? 'smp_mb');
}

function override(index: 0 | 1, spec: SideSpec, other?: SideSpec): [SideSpec?, SideSpec?] {
  return index === 0 ? [spec, other] : [other, spec];
}

function hasOrdering(side: Side): boolean {
  const annotated = [side.spec.first, side.spec.second].some((how) => how !== 'once' && how !== 'rmw-relaxed');
  return side.fences.length > 0 || annotated;
}

function judgePair(pair: Pair): PairResult {
  const verdict = judge(scenarioOf(pair));
  if (verdict !== 'allowed') return { pair, verdict, problems: [] };
  const fixWriter = judge(scenarioOf(pair, [repaired(pair, 0), undefined]));
  const fixReader = judge(scenarioOf(pair, [undefined, repaired(pair, 1)]));
  const blamed: Array<0 | 1> = fixWriter === 'forbidden' && fixReader !== 'forbidden' ? [0] : fixReader === 'forbidden' && fixWriter !== 'forbidden' ? [1] : [0, 1];
  const problems = blamed.map((index): SideProblem => {
    const other = (1 - index) as 0 | 1;
    const otherSpec = blamed.includes(other) ? repaired(pair, other) : undefined;
    const suggestion = candidates(pair, index).find(
      (barrier) => judge(scenarioOf(pair, override(index, withBarrier(pair.sides[index].spec, barrier), otherSpec))) === 'forbidden',
    );
    const side = pair.sides[index];
    return { side, problem: hasOrdering(side) ? 'too-weak' : 'missing', suggestion };
  });
  return { pair, verdict, problems };
}

/** Replaces the items a given barrier call contributes to a side's slice. */
function replaceFence(side: Side, fence: FenceEvent, by: Between): SideSpec {
  return { ...side.spec, between: side.spec.between.map((item, k) => (side.sources[k] === fence ? by : item)) };
}

/**
 * An smp_mb() is over-strong when, in every scenario it orders, the weaker barrier of its role (smp_wmb() on a
 * write side, smp_rmb() on a read side) still forbids the bad outcome, the other side taken as fixed when it is at
 * fault. Never in store buffering, and never when the site plays both roles.
 */
function overStrong(results: readonly PairResult[], before: ReadonlyMap<FenceEvent, FenceUses>, after: Map<FenceEvent, FenceUses>): OverStrong[] {
  const found: OverStrong[] = [];
  for (const [fence, uses] of fenceUses(results)) {
    // The same uses (results and sides) give the same answer: the flows and verdicts it reads are theirs.
    const known = before.get(fence);
    const outcome = known !== undefined && sameUses(known.uses, uses) ? known.outcome : fenceOverStrong(fence, uses);
    after.set(fence, { uses, outcome });
    if (outcome !== undefined) found.push(outcome);
  }
  return found;
}

/** A use of an smp_mb(): a pair result and the index of the side it orders. */
interface FenceUse {
  result: PairResult;
  index: 0 | 1;
}

/** The uses of each smp_mb() called in a side's own function (not inlined), in result order. */
function fenceUses(results: readonly PairResult[]): Map<FenceEvent, FenceUse[]> {
  const byFence = new Map<FenceEvent, FenceUse[]>();
  for (const result of results) {
    addFenceUses(byFence, result, 0);
    addFenceUses(byFence, result, 1);
  }
  return byFence;
}

function addFenceUses(byFence: Map<FenceEvent, FenceUse[]>, result: PairResult, index: 0 | 1): void {
  for (const fence of result.pair.sides[index].fences) {
    if (fence.site?.name !== 'smp_mb' || fence.inlinedFrom !== undefined) continue;
    const uses = byFence.get(fence);
    const use: FenceUse = { result, index };
    if (uses === undefined) byFence.set(fence, [use]);
    else uses.push(use);
  }
}

function sameUses(a: readonly FenceUse[], b: readonly FenceUse[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k]!.result !== b[k]!.result || a[k]!.index !== b[k]!.index) return false;
  return true;
}

/** Uses of one smp_mb() in the pair results, and whether it is over-strong in them. */
interface FenceUses {
  uses: readonly FenceUse[];
  outcome: OverStrong | undefined;
}

function fenceOverStrong(fence: FenceEvent, uses: readonly FenceUse[]): OverStrong | undefined {
  if (beforeLocklessWakeup(uses[0]!.result.pair.sides[uses[0]!.index], fence)) return undefined;
  if (uses.some(({ result }) => result.pair.shape !== 'MP')) return undefined;
  const roles = new Set(uses.map(({ result, index }) => result.pair.sides[index].role));
  if (roles.size !== 1) return undefined;
  const weaker: Between = roles.has('writer') ? 'smp_wmb' : 'smp_rmb';
  if (ordersOtherAccesses(uses[0]!.result.pair.sides[uses[0]!.index], fence, weaker)) return undefined;
  const holds = uses.every(({ result, index }) => {
    const other = (1 - index) as 0 | 1;
    const otherAtFault = result.problems.some((problem) => problem.side === result.pair.sides[other]);
    const otherSpec = otherAtFault ? repaired(result.pair, other) : undefined;
    const side = result.pair.sides[index];
    if (candidates(result.pair, index)[0] !== weaker) return false;
    if (judge(scenarioOf(result.pair, override(index, side.spec, otherSpec))) !== 'forbidden') return false;
    return judge(scenarioOf(result.pair, override(index, replaceFence(side, fence, weaker), otherSpec))) === 'forbidden';
  });
  if (!holds || fence.site === undefined) return undefined;
  return { site: fence.site, fence, weaker, results: uses.map(({ result }) => result) };
}

/**
 * The barrier is followed, before any other barrier or store, by a wakeup that tests its wait queue locklessly (wake_up_bit(),
 * wake_up_var()): it orders the caller's stores before that test, the sleep/wakeup idiom's store buffering, which the
 * pairs do not show; no weaker barrier does that.
 */
function beforeLocklessWakeup(side: Side, fence: FenceEvent): boolean {
  const slots = side.flow.slots;
  const at = slots.findIndex((slot) => slot.event === fence);
  for (let k = at + 1; k >= 1 && k < slots.length; k++) {
    const event = slots[k]!.event;
    if (event.type === 'fence' || (event.type === 'access' && event.op !== 'load')) return false;
    if (event.type === 'signal' && event.signal === 'wake' && !event.impliesMb && !event.deferred) return true;
  }
  return false;
}

/** How far around an smp_mb() (in events of its function) a store before it and a load after it are looked for. */
const STORE_LOAD_REACH = 12;

/**
 * The smp_mb() also stands between a shared store and a later shared load of its function (with no other barrier
 * between), which only a full barrier orders: a pattern the pairs may not show (store buffering with code outside the
 * workspace, a counter incremented before a state is checked). Neither smp_wmb() nor smp_rmb() keeps that order, so
 * the barrier is not called over-strong. On a read side the same holds for a shared load before it and a shared
 * store after it (`rcu_read_unlock_trace_special()` ends a read-side section with smp_mb() before its stores), which
 * smp_rmb() does not order.
 */
function ordersOtherAccesses(side: Side, fence: FenceEvent, weaker: Between): boolean {
  const slots = side.flow.slots;
  const at = slots.findIndex((slot) => slot.event === fence);
  if (at < 0) return false;
  const shared = (slot: Slot, load: boolean): boolean =>
    slot.key !== undefined &&
    slot.event.type === 'access' &&
    !slot.event.locked &&
    slot.event.synthetic !== true &&
    (load ? slot.event.op !== 'store' : slot.event.op !== 'load');
  const near = (from: number, step: number, load: boolean): boolean => {
    for (let k = from, n = 0; k >= 0 && k < slots.length && n < STORE_LOAD_REACH; k += step, n++) {
      const slot = slots[k]!;
      if (slot.event.type === 'fence') return false;
      if (shared(slot, load)) return true;
    }
    return false;
  };
  if (near(at - 1, -1, false) && near(at + 1, 1, true)) return true;
  return weaker === 'smp_rmb' && near(at - 1, -1, true) && near(at + 1, 1, false);
}

const isLocation = (key: string): boolean => !key.startsWith('signal:') && !key.startsWith('handoff:');

/** The keys a flow writes (stores and RMWs), kept per flow. */
function writtenKeys(flow: Flow, cache: WeakMap<Flow, Set<string>>): Set<string> {
  let keys = cache.get(flow);
  if (keys === undefined) {
    keys = new Set(flow.slots.flatMap((slot) => (slot.key !== undefined && slot.event.type === 'access' && slot.event.op !== 'load' ? [slot.key] : [])));
    cache.set(flow, keys);
  }
  return keys;
}

function racyKeys(results: readonly PairResult[], written: WeakMap<Flow, Set<string>>): Set<string> {
  const writes = (flow: Flow, key: string): boolean => writtenKeys(flow, written).has(key);
  const racy = new Set<string>();
  for (const { pair } of results) {
    if (isLocation(pair.y)) racy.add(pair.y);
    // In load buffering the object's x is handed over by the flag, not raced on.
    if (pair.shape === 'LB') continue;
    if (!isLocation(pair.x)) continue;
    // The payload is accessed concurrently only when the consuming side also writes it (mempool's curr_nr).
    if (pair.shape === 'SB' || writes(pair.sides[1].flow, pair.x)) racy.add(pair.x);
  }
  return racy;
}

/** Pairs and verdicts of a set of files, analysed afresh. */
export function analyzeWorkspace(models: Iterable<FileModel>): WorkspaceAnalysis {
  return new Analyzer().analyze(models);
}

/**
 * Analyses a workspace again and again as its files change (Workspace keeps one), keeping what did not change: flows,
 * candidates and pairs (Pairing), each pair's result, each smp_mb()'s over-strong outcome for the same uses, and the
 * keys each flow writes. The result is what analyzeWorkspace gives for the same models.
 */
export class Analyzer {
  private readonly pairing: Pairing;

  /** `keep` false for a workspace analysed once: pairing keeps nothing for a next analysis (pairs.ts). */
  constructor(private readonly keep = true) {
    this.pairing = new Pairing(keep);
  }

  /** The last analysis's pairs and what was made from them alone. */
  private last:
    | { pairs: Pair[]; files: ReadonlyMap<BarrierSite, string>; parts: Pick<WorkspaceAnalysis, 'results' | 'overStrong' | 'atSite' | 'pairedKeys'> }
    | undefined;

  private readonly judged = new WeakMap<Pair, PairResult>();
  private fences = new Map<FenceEvent, FenceUses>();
  private readonly written = new WeakMap<Flow, Set<string>>();
  private readonly paired = new WeakMap<Side, Array<{ file: string; site: BarrierSite }>>();

  analyze(models: Iterable<FileModel>): WorkspaceAnalysis {
    const list = [...models];
    const flows = this.pairing.flows(list);
    const pairs = this.pairing.pairs(flows, list.flatMap((model) => model.stubs));
    // The same pairs give the same results, sites, racy keys and over-strong barriers (all are read from the pairs'
    // sides and flows): an edit that changed no pair (a comment, blanks) keeps them, the very lists included, so
    // what the rules keep by results list is kept too. The analysis is a new object: the models it reads are new.
    const last = this.last;
    if (last !== undefined && sameItems(last.pairs, pairs)) {
      return analysisOf(flows, last.parts.results, last.parts.overStrong, last.parts.atSite, last.files, last.parts.pairedKeys);
    }
    const results = this.results(pairs);
    // Where each site is, by site: a site object is only ever in one file.
    const files = new Map<BarrierSite, string>();
    const atSite = this.sites(results, files);
    const pairedKeys = racyKeys(results, this.written);
    const fences = new Map<FenceEvent, FenceUses>();
    const found = overStrong(results, this.fences, fences);
    this.fences = fences;
    if (this.keep) this.last = { pairs, files, parts: { results, overStrong: found, atSite, pairedKeys } };
    return analysisOf(flows, results, found, atSite, files, pairedKeys);
  }

  /** Each pair's result: judged once per pair object (pairing keeps the objects of unchanged pairs). */
  private results(pairs: readonly Pair[]): PairResult[] {
    const results = new Array<PairResult>(pairs.length);
    for (let k = 0; k < pairs.length; k++) {
      const pair = pairs[k]!;
      let result = this.judged.get(pair);
      if (result === undefined) {
        result = judgePair(pair);
        this.judged.set(pair, result);
      }
      results[k] = result;
    }
    return results;
  }

  /** Pair results by barrier site, in result order, and each site's file into `files`. */
  private sites(results: readonly PairResult[], files: Map<BarrierSite, string>): Map<BarrierSite, PairResult[]> {
    const atSite = new Map<BarrierSite, PairResult[]>();
    for (const result of results) {
      this.addSites(atSite, files, result, result.pair.sides[0]);
      this.addSites(atSite, files, result, result.pair.sides[1]);
    }
    return atSite;
  }

  private addSites(atSite: Map<BarrierSite, PairResult[]>, files: Map<BarrierSite, string>, result: PairResult, side: Side): void {
    let sites = this.paired.get(side);
    if (sites === undefined) {
      sites = pairedSites(side);
      this.paired.set(side, sites);
    }
    for (const { file, site } of sites) {
      const list = atSite.get(site);
      if (list === undefined) {
        atSite.set(site, [result]);
        files.set(site, file);
      } else list.push(result);
    }
  }
}

function analysisOf(
  flows: Flow[],
  results: PairResult[],
  overStrong: OverStrong[],
  atSite: Map<BarrierSite, PairResult[]>,
  files: ReadonlyMap<BarrierSite, string>,
  pairedKeys: Set<string>,
): WorkspaceAnalysis {
  let bySite: Map<string, PairResult[]> | undefined;
  return {
    flows,
    results,
    overStrong,
    // Ids hold offsets, which an edit before the site moves; rules use `atSite`, so the ids are made only when asked for.
    get bySite(): Map<string, PairResult[]> {
      bySite ??= new Map([...atSite].map(([site, list]) => [siteId(files.get(site)!, site), list]));
      return bySite;
    },
    atSite,
    pairedKeys,
  };
}
