// The pairings a barrier (or one of its paired accesses) at an offset takes part in, as plain data with litmus text:
// what the editor's hover, "Run Scenario" and "Show Pairings" show.
import type { PairResult, SideProblem, WorkspaceAnalysis } from './analysis';
import { siteId } from './analysis';
import { litmusText, scenarioName } from './litmus';
import type { FileModel } from './model';
import { scenarioOf, sideSites, type Pair, type PairKind, type Side } from './pairs';
import type { TextRange } from './types';
import type { Verdict } from './verdict';

export interface ScenarioSide {
  role: 'writer' | 'reader';
  function: string;
  file: string;
  /** Where the side's slice starts (its first access, else the function). */
  range: TextRange;
  /** The barrier calls ordering the side, in its own function. */
  barriers: TextRange[];
  /** True for the side the offset asked about. */
  here: boolean;
  /** The side's slice as written, one statement a line (first access, the barriers between, second access). */
  steps: string[];
}

export interface SiteScenario {
  /** The catalogue-style name, e.g. `MP+wmb+rmb`. */
  name: string;
  kind: PairKind;
  x: string;
  y: string;
  verdict: Verdict;
  problems: Array<{ role: 'writer' | 'reader'; problem: 'missing' | 'too-weak'; suggestion?: string }>;
  sides: [ScenarioSide, ScenarioSide];
  /** The litmus test the verdict was computed from; the simulator (or herd7) can run it as is. */
  litmus: string;
  /** When the bad outcome is allowed: the execution that reaches it, in words. */
  witness?: string;
}

/** One access near a barrier, as the hover lists it. */
export interface NearbyAccess {
  op: 'load' | 'store' | 'rmw';
  /** The location key, e.g. `struct msg_receiver::r_msg`. */
  key: string;
  /** The statement as written. */
  text: string;
  range: TextRange;
}

/** What the barrier or marked access at an offset orders: the accesses of its function before and after it. */
export interface SiteOrdering {
  /** The barrier call or access as written. */
  text: string;
  function: string;
  before: NearbyAccess[];
  after: NearbyAccess[];
}

/** What scenariosAt reads of a Workspace. */
export interface ScenarioSource {
  model(file: string): FileModel | undefined;
  analysis(): WorkspaceAnalysis;
}

const within = (range: TextRange, offset: number): boolean => range.start <= offset && offset <= range.end;

function touches(side: Side, file: string, offset: number): boolean {
  if (side.flow.fn.file !== file) return false;
  if (sideSites(side).some((site) => within(site.range, offset))) return true;
  return [side.first, side.second].some((slot) => slot !== undefined && within(slot.event.range, offset));
}

/** How many accesses on each side of a barrier the hover lists: a lockless slice is a few statements long. */
const NEARBY = 3;
/** Longer statements are cut so a diagram column stays readable. */
const STEP_WIDTH = 36;

function written(text: string, range: TextRange): string {
  const flat = text.slice(range.start, range.end).replace(/\s+/g, ' ').trim();
  return flat.length > STEP_WIDTH ? `${flat.slice(0, STEP_WIDTH - 1)}…` : flat;
}

function steps(side: Side, text: string): string[] {
  const ranges = [side.first?.event.range, ...side.fences.map((fence) => fence.site?.range ?? fence.range), side.second?.event.range];
  return ranges
    .filter((range): range is TextRange => range !== undefined)
    .sort((a, b) => a.start - b.start)
    .map((range) => written(text, range));
}

/** Why the LKMM lets the bad outcome happen, one clause per side at fault; CPU 0 is the pair's first side, as in P0. */
function because(pair: Pair, problems: SideProblem[]): string {
  const clauses = problems.map(({ side, problem }) => {
    const cpu = `CPU ${pair.sides.indexOf(side)}`;
    const accesses = pair.shape === 'SB' ? 'write and read' : pair.shape === 'LB' ? 'read and write' : side.role === 'reader' ? 'two reads' : 'two writes';
    if (problem === 'missing') return `nothing orders ${cpu}'s ${accesses}`;
    const ordering = side.spec.between.map((item) => (/^(?:smp_|barrier)/.test(item) ? `${item}()` : item)).join(', ');
    return `${ordering || 'its ordering'} does not order ${cpu}'s ${accesses}`;
  });
  return clauses.length > 0 ? clauses.join(' and ') : 'the two sides are not ordered enough';
}

function witnessOf(pair: Pair, problems: SideProblem[]): string {
  if (pair.shape === 'LB') {
    return `CPU 0 reads ${pair.x} then writes ${pair.y}; CPU 1 reads ${pair.y} == new, then writes ${pair.x}, and CPU 0's read saw that write: allowed because ${because(pair, problems)}.`;
  }
  if (pair.shape === 'SB') {
    return `CPU 0 writes ${pair.x}, CPU 1 writes ${pair.y}, then CPU 0 reads ${pair.y} == old and CPU 1 reads ${pair.x} == old: allowed because ${because(pair, problems)}.`;
  }
  return `CPU 0 writes ${pair.x} then ${pair.y}; CPU 1 reads ${pair.y} == new, then ${pair.x} == old: allowed because ${because(pair, problems)}.`;
}

function describeSide(side: Side, here: boolean, text: string): ScenarioSide {
  return {
    role: side.role,
    function: side.flow.fn.name,
    file: side.flow.fn.file,
    range: side.range,
    barriers: sideSites(side).map((site) => site.range),
    here,
    steps: steps(side, text),
  };
}

/**
 * The pair results for the barrier call at `offset` in `file`, or for the pairs whose paired accesses include the
 * access at `offset`; empty when nothing there takes part in a pairing.
 */
export function scenariosAt(source: ScenarioSource, file: string, offset: number): SiteScenario[] {
  const analysis = source.analysis();
  const site = source.model(file)?.sites.find((candidate) => within(candidate.range, offset));
  const results: PairResult[] =
    (site === undefined ? undefined : analysis.bySite.get(siteId(file, site))) ??
    analysis.results.filter((result) => result.pair.sides.some((side) => touches(side, file, offset)));
  return results.map(({ pair, verdict, problems }) => {
    const [writer, reader] = pair.sides;
    const writerHere = touches(writer, file, offset);
    const textOf = (side: Side): string => source.model(side.flow.fn.file)?.text ?? '';
    const sides: [ScenarioSide, ScenarioSide] = [
      describeSide(writer, writerHere, textOf(writer)),
      describeSide(reader, !writerHere, textOf(reader)),
    ];
    const comment = [
      `${pair.kind} pair: ${pair.x} before ${pair.y}`,
      `P0: ${writer.flow.fn.name}() in ${writer.flow.fn.file}`,
      `P1: ${reader.flow.fn.name}() in ${reader.flow.fn.file}`,
    ].join('\n');
    const scenario = scenarioOf(pair);
    return {
      name: scenarioName(scenario),
      kind: pair.kind,
      x: pair.x,
      y: pair.y,
      verdict,
      problems: problems.map((problem) => ({ role: problem.side.role, problem: problem.problem, suggestion: problem.suggestion })),
      sides,
      litmus: litmusText(scenario, comment),
      ...(verdict === 'allowed' ? { witness: witnessOf(pair, problems) } : {}),
    };
  });
}

/**
 * The barrier call or marked access at `offset` and the keyed accesses of its function just before and after it;
 * undefined when there is neither at the offset.
 */
export function orderingAt(source: ScenarioSource, file: string, offset: number): SiteOrdering | undefined {
  const model = source.model(file);
  if (model === undefined) return undefined;
  for (const flow of source.analysis().flows) {
    if (flow.fn.file !== file || !within(flow.fn.range, offset)) continue;
    // Events inlined from a callee carry the call's range: the call itself is neither a barrier nor an access here.
    const index = flow.slots.findIndex(({ event }) =>
      event.inlinedFrom === undefined && within(event.range, offset) &&
      (event.type === 'fence' || (event.type === 'access' && event.marking !== 'plain')),
    );
    if (index < 0) continue;
    const nearby = (slots: typeof flow.slots): NearbyAccess[] =>
      slots.flatMap(({ event, key }) =>
        event.type === 'access' && key !== undefined
          ? [{ op: event.op, key, text: written(model.text, event.statement ?? event.range), range: event.range }]
          : [],
      );
    const event = flow.slots[index]!.event;
    return {
      text: written(model.text, event.range),
      function: flow.fn.name,
      before: nearby(flow.slots.slice(0, index)).slice(-NEARBY),
      after: nearby(flow.slots.slice(index + 1)).slice(0, NEARBY),
    };
  }
  return undefined;
}
