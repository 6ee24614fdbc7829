// The pairings a barrier (or one of its paired accesses) at an offset takes part in, as plain data with litmus text:
// what the editor's hover, "Run Scenario" and "Show Pairings" show.
import type { PairResult, WorkspaceAnalysis } from './analysis';
import { siteId } from './analysis';
import { litmusText, scenarioName } from './litmus';
import type { FileModel } from './model';
import { scenarioOf, sideSites, type PairKind, type Side } from './pairs';
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

function describeSide(side: Side, here: boolean): ScenarioSide {
  return {
    role: side.role,
    function: side.flow.fn.name,
    file: side.flow.fn.file,
    range: side.range,
    barriers: sideSites(side).map((site) => site.range),
    here,
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
    const sides: [ScenarioSide, ScenarioSide] = [describeSide(writer, writerHere), describeSide(reader, !writerHere)];
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
    };
  });
}
