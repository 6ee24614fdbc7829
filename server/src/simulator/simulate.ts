// Runs a parsed litmus test through the LKMM: enumerates candidate executions, keeps those the model allows,
// and tallies final states, witnesses, flags and the condition's verdict as herd7 does; plain data out.

import type { LitmusTest, LocRef, Prop, Value } from './ast';
import { allowsEveryCandidate, enumerateFrame, StopEnumeration, type Candidate, type Shape } from './executions';
import type { Axiom } from './lkmm';
import { compareValues, enumeratePaths, globalLocations, SimulationError, valueDomains, type Trace } from './threads';

export interface SimulateOptions {
  /** Cancels the run; checked between candidate executions. */
  signal?: AbortSignal;
  /** Wall-clock bound; the result then has status `timeout`. */
  timeoutMs?: number;
  /** Bound on candidate executions examined; the result then has status `limit`. */
  maxExecutions?: number;
  /** Collect one witness execution per final state (default true; herd7's text output does not need them). */
  witnesses?: boolean;
}

/** One location's value in a final state, printed as herd7 prints it (`0:r1`, `[x]`). */
export interface StateBinding {
  loc: string;
  value: string;
}

export interface WitnessEvent {
  id: number;
  /** -1 for an initial write. */
  proc: number;
  kind: string;
  loc?: string;
  value?: string;
  tags: string[];
  origin: string;
  line: number;
  col: number;
}

/** One execution the model allows, reaching a given final state. */
export interface Witness {
  state: StateBinding[];
  /** Whether the state satisfies the condition's proposition. */
  satisfies: boolean;
  events: WitnessEvent[];
  rf: Array<[number, number]>;
  co: Array<[number, number]>;
  flags: string[];
}

/** A final state some candidate execution reaches but the model never allows, with the check that rejects it. */
export interface ForbiddenState {
  state: StateBinding[];
  satisfies: boolean;
  axiom: Axiom;
}

export interface SimulationResult {
  name: string;
  fileName?: string;
  /** `complete`, or why the run stopped early. */
  status: 'complete' | 'timeout' | 'limit' | 'cancelled' | 'error';
  message?: string;
  kind: 'Allowed' | 'Forbidden' | 'Required';
  /** Final states of allowed executions, in herd7's order. */
  states: StateBinding[][];
  ok: boolean;
  /** The `Positive:`/`Negative:` figures as printed (swapped for `~exists`, as herd7 does). */
  positive: number;
  negative: number;
  /** Executions satisfying / not satisfying the proposition (the `Observation` figures). */
  pos: number;
  neg: number;
  observation: 'Always' | 'Sometimes' | 'Never';
  flags: string[];
  /** The condition as herd7 prints it after `Condition `. */
  condition: string;
  witnesses: Witness[];
  forbidden: ForbiddenState[];
  /** Candidate executions examined. */
  candidates: number;
  elapsedMs: number;
}

/** herd7's printing of a value. */
export function showValue(v: Value): string {
  return typeof v === 'number' ? String(v) : v;
}

function showLoc(l: LocRef): string {
  return l.kind === 'reg' ? `${l.proc}:${l.name}` : `[${l.name}]`;
}

/** herd7's location order for states: registers by process then name, then globals by name. */
function compareLocs(a: LocRef, b: LocRef): number {
  if (a.kind === 'reg' && b.kind === 'reg') return a.proc - b.proc || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (a.kind === 'reg') return -1;
  if (b.kind === 'reg') return 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function propLocs(p: Prop, out: LocRef[]): void {
  switch (p.kind) {
    case 'atom':
      out.push(p.loc);
      return;
    case 'same':
      out.push(p.loc, p.other);
      return;
    case 'not':
      propLocs(p.prop, out);
      return;
    case 'and':
    case 'or':
      p.props.forEach((q) => propLocs(q, out));
      return;
    case 'implies':
      propLocs(p.left, out);
      propLocs(p.right, out);
      return;
    default:
      return;
  }
}

/** The condition printed as herd7 does: memory locations in brackets, `~` as `not`, minimal parentheses. */
export function showProp(p: Prop, above: 'top' | 'and' | 'or' | 'implies' = 'top'): string {
  // herd7 parenthesises a sub-proposition unless it has the same operator, or is a conjunction under a disjunction.
  const paren = (here: 'and' | 'or' | 'implies', s: string) =>
    above !== 'top' && above !== here && !(above === 'or' && here === 'and') ? `(${s})` : s;
  switch (p.kind) {
    case 'atom':
      return `${showLoc(p.loc)}=${showValue(p.value)}`;
    case 'same':
      return `${showLoc(p.loc)}=${showLoc(p.other)}`;
    case 'not':
      return `not (${showProp(p.prop)})`;
    case 'and':
      return paren('and', p.props.map((q) => showProp(q, 'and')).join(' /\\ '));
    case 'or':
      return paren('or', p.props.map((q) => showProp(q, 'or')).join(' \\/ '));
    case 'implies':
      return paren('implies', `${showProp(p.left, 'implies')} => ${showProp(p.right, 'implies')}`);
    case 'true':
      return 'true';
    case 'false':
      return 'false';
  }
}

/**
 * Three-valued evaluation for early filtering: `lookup` returns undefined for what is not known yet (final memory,
 * other processes' registers); the result is undefined unless the known part decides the proposition.
 */
function partialProp(p: Prop, lookup: (l: LocRef) => Value | undefined): boolean | undefined {
  switch (p.kind) {
    case 'atom': {
      const v = lookup(p.loc);
      return v === undefined ? undefined : v === p.value;
    }
    case 'same': {
      const a = lookup(p.loc);
      const b = lookup(p.other);
      return a === undefined || b === undefined ? undefined : a === b;
    }
    case 'not': {
      const v = partialProp(p.prop, lookup);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      let result: boolean | undefined = true;
      for (const q of p.props) {
        const v = partialProp(q, lookup);
        if (v === false) return false;
        if (v === undefined) result = undefined;
      }
      return result;
    }
    case 'or': {
      let result: boolean | undefined = false;
      for (const q of p.props) {
        const v = partialProp(q, lookup);
        if (v === true) return true;
        if (v === undefined) result = undefined;
      }
      return result;
    }
    case 'implies': {
      const l = partialProp(p.left, lookup);
      const r = partialProp(p.right, lookup);
      if (l === false || r === true) return true;
      return l === true && r === false ? false : undefined;
    }
    case 'true':
      return true;
    case 'false':
      return false;
  }
}

function evalProp(p: Prop, lookup: (l: LocRef) => Value): boolean {
  switch (p.kind) {
    case 'atom':
      return lookup(p.loc) === p.value;
    case 'same':
      return lookup(p.loc) === lookup(p.other);
    case 'not':
      return !evalProp(p.prop, lookup);
    case 'and':
      return p.props.every((q) => evalProp(q, lookup));
    case 'or':
      return p.props.some((q) => evalProp(q, lookup));
    case 'implies':
      return !evalProp(p.left, lookup) || evalProp(p.right, lookup);
    case 'true':
      return true;
    case 'false':
      return false;
  }
}

/** The locations the final states show: `locations [...]` and the condition's, deduplicated, in herd7's order. */
function observedLocations(test: LitmusTest): LocRef[] {
  const all: LocRef[] = [...test.locations];
  propLocs(test.condition, all);
  const seen = new Set<string>();
  return all
    .filter((l) => {
      const k = showLoc(l);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(compareLocs);
}

const kinds = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' } as const;

/**
 * Calls `visit` with every candidate execution of the test and the model's verdict on it; `tick` runs between
 * combinations of paths (it may throw StopEnumeration). Exposed for tests and tools that inspect relations: unless
 * `shortcut` is set, every relation of an allowed execution is computed.
 */
export function forEachCandidate(
  test: LitmusTest,
  visit: (c: Candidate) => void,
  tick: () => void = () => {},
  shortcut = false,
): void {
  const globalsList = globalLocations(test);
  const globals = new Set(globalsList);
  const initValues = new Map<string, Value>();
  const initRegs = new Map<number, Map<string, Value>>();
  for (const item of test.init) {
    if (item.proc === undefined) initValues.set(item.name, item.value);
    else {
      const m = initRegs.get(item.proc) ?? new Map<string, Value>();
      m.set(item.name, item.value);
      initRegs.set(item.proc, m);
    }
  }
  const regsOf = (p: number) => initRegs.get(p) ?? new Map<string, Value>();

  const observedMemory = observedLocations(test).flatMap((l) => (l.kind === 'mem' ? [l.name] : []));
  const pathLimit = 1 << 16;
  const domains = valueDomains(test, globals, initValues, regsOf, pathLimit);
  // A `filter` drops executions before the model; what it says about one process's registers drops that
  // process's paths outright, and what it says about all registers drops combinations of paths.
  const filter = test.filter;
  const regOf = (traces: ReadonlyMap<number, Trace>) => (l: LocRef) =>
    l.kind === 'reg' ? (traces.get(l.proc)?.regs.get(l.name) ?? (traces.has(l.proc) ? 0 : undefined)) : undefined;
  const tracesPerProc: Trace[][] = test.processes.map((p) =>
    enumeratePaths(p, globals, domains, regsOf(p.id), pathLimit).filter(
      (t) => !filter || partialProp(filter, regOf(new Map([[p.id, t]]))) !== false,
    ),
  );
  // Cells reached by address arithmetic (`x+1`) are locations too, initially 0.
  const cells = new Set(globalsList);
  for (const t of tracesPerProc.flat()) for (const e of t.events) if (e.loc !== undefined) cells.add(e.loc);
  const locations = [...cells].sort();
  if (tracesPerProc.some((t) => t.length === 0)) return;
  const shapes = new Map<string, Shape>();
  const chosen: Trace[] = [];
  const leaf = (allowedFlags?: readonly string[]) => {
    tick();
    const filtered = filter !== undefined && partialProp(filter, regOf(new Map(chosen.map((t) => [t.proc, t])))) === false;
    if (!filtered) enumerateFrame(locations, initValues, chosen, visit, shapes, shortcut, observedMemory, allowedFlags);
  };
  // Every combination of the paths of processes `from` onwards after those chosen, the last process varying fastest.
  const combinations = (from: number, atLeaf: () => void) => {
    if (from === tracesPerProc.length) return atLeaf();
    for (const t of tracesPerProc[from]!) {
      chosen.push(t);
      combinations(from + 1, atLeaf);
      chosen.pop();
    }
  };
  if (!shortcut) return combinations(0, leaf);

  // Search over the processes' paths: before enumerating the combinations below a choice of the first processes'
  // paths, try to prove them all allowed with one run of the model (allowsEveryCandidate); the rest of such a
  // subtree is then only enumerated for its states. This is what makes the many-process RCU rings tractable,
  // where nearly every combination is allowed. Only processes whose paths share one shape are abstracted.
  const oneShape = tracesPerProc.map((ts) => ts.every((t) => t.shape === ts[0]!.shape));
  const valuesOf = tracesPerProc.map((ts) => ts[0]!.events.map((_, k) => new Set(ts.map((t) => t.events[k]?.value))));
  const below: number[] = [];
  for (let p = tracesPerProc.length, size = 1; p >= 0; p--) {
    below[p] = size;
    if (p > 0) size *= tracesPerProc[p - 1]!.length;
  }
  // A subtree this small costs about as much to enumerate as the proof would.
  const worthProving = 8;
  const search = (from: number): void => {
    if (from === tracesPerProc.length) return leaf();
    if (below[from]! >= worthProving && oneShape.slice(from).every(Boolean)) {
      const representative = [...chosen, ...tracesPerProc.slice(from).map((ts) => ts[0]!)];
      const possible: Array<Set<Value | undefined>> = locations.map((g) => new Set([initValues.get(g) ?? 0]));
      for (const t of chosen) for (const e of t.events) possible.push(new Set([e.value]));
      for (let p = from; p < tracesPerProc.length; p++) possible.push(...valuesOf[p]!);
      const flags = allowsEveryCandidate(locations, initValues, representative, possible, shapes, observedMemory);
      if (flags !== undefined) return combinations(from, () => leaf(flags));
    }
    for (const t of tracesPerProc[from]!) {
      chosen.push(t);
      search(from + 1);
      chosen.pop();
    }
  };
  search(0);
}

/** Simulates one litmus test under the LKMM (linux-kernel.cfg), as herd7 would. */
export function simulate(test: LitmusTest, options: SimulateOptions = {}): SimulationResult {
  const started = Date.now();
  const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const condition = `${test.quantifier} (${showProp(test.condition)})`;
  const base = {
    name: test.name,
    fileName: test.fileName,
    kind: kinds[test.quantifier],
    condition,
  };

  const observed = observedLocations(test);
  const observedNames = observed.map(showLoc);
  const bindings = (values: readonly Value[]): StateBinding[] => observedNames.map((loc, i) => ({ loc, value: showValue(values[i]!) }));

  let candidates = 0;
  let status: SimulationResult['status'] = 'complete';
  let message: string | undefined;
  // Only the values while running: a test can have hundreds of thousands of states.
  const allowed = new Map<string, Value[]>();
  const witnesses = new Map<string, Witness>();
  const rejected = new Map<string, ForbiddenState>();
  const flags = new Set<string>();
  let pos = 0;
  let neg = 0;

  const checkBounds = () => {
    if (options.signal?.aborted) {
      status = 'cancelled';
      throw new StopEnumeration();
    }
    if (Date.now() > deadline) {
      status = 'timeout';
      throw new StopEnumeration();
    }
    if (options.maxExecutions !== undefined && candidates >= options.maxExecutions) {
      status = 'limit';
      throw new StopEnumeration();
    }
  };

  const visit = (c: Candidate) => {
    candidates++;
    if ((candidates & 63) === 0 || options.maxExecutions !== undefined) checkBounds();
    const lookup = (l: LocRef): Value => {
      if (l.kind === 'mem') return c.finalMemory.get(l.name) ?? 0;
      return c.traces[l.proc]?.regs.get(l.name) ?? 0;
    };
    if (test.filter && !evalProp(test.filter, lookup)) return;
    const values = observed.map(lookup);
    const key = values.map(showValue).join(';');
    const stateOf = () => bindings(values);
    const satisfies = evalProp(test.condition, lookup);
    const { outcome } = c;
    if (outcome.rejectedBy !== undefined) {
      if (!rejected.has(key) && rejected.size < 64) rejected.set(key, { state: stateOf(), satisfies, axiom: outcome.rejectedBy });
      return;
    }
    if (satisfies) pos++;
    else neg++;
    for (const f of outcome.flags) flags.add(f);
    if (!allowed.has(key)) allowed.set(key, values);
    if (options.witnesses !== false && !witnesses.has(key)) {
      witnesses.set(key, {
        state: stateOf(),
        satisfies,
        events: c.events.map((e, id) => ({
          id,
          proc: e.proc,
          kind: e.kind,
          loc: e.loc,
          value: e.value === undefined ? undefined : showValue(e.value),
          tags: [...e.tags],
          origin: e.origin,
          line: e.pos.line,
          col: e.pos.col,
        })),
        rf: outcome.rf.pairs(),
        co: outcome.co.pairs(),
        flags: [...outcome.flags],
      });
    }
  };

  try {
    for (const l of observed) {
      if (l.kind === 'reg' && !test.processes.some((p) => p.id === l.proc)) {
        throw new SimulationError(`the condition names ${l.proc}:${l.name} but there is no process P${l.proc}`);
      }
    }
    forEachCandidate(test, visit, checkBounds, true);
  } catch (err) {
    if (err instanceof SimulationError) {
      status = 'error';
      message = err.message;
    } else if (!(err instanceof StopEnumeration)) {
      throw err;
    }
  }

  const sortedStates = [...allowed.values()].sort((a, b) => {
    for (let i = 0; i < a.length; i++) {
      const c = compareValues(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  const ok = test.quantifier === 'exists' ? pos > 0 : test.quantifier === '~exists' ? pos === 0 : neg === 0;
  const [positive, negative] = test.quantifier === '~exists' ? [neg, pos] : [pos, neg];
  const forbidden = [...rejected.entries()].filter(([k]) => !allowed.has(k)).map(([, v]) => v);
  return {
    ...base,
    status,
    message,
    states: sortedStates.map(bindings),
    ok,
    positive,
    negative,
    pos,
    neg,
    observation: pos === 0 ? 'Never' : neg === 0 ? 'Always' : 'Sometimes',
    flags: [...flags].sort(),
    witnesses: [...witnesses.values()],
    forbidden,
    candidates,
    elapsedMs: Date.now() - started,
  };
}
