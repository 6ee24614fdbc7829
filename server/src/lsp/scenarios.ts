// Pairings of the barrier at a position, for the hover, "Run Scenario for Barrier at Cursor" and "Show Pairings".
import type { Position } from 'vscode-languageserver/node';
import { scenariosAt, type ScenarioSide, type SiteScenario } from '../analysis/scenarios';
import { toRange } from './convert';
import { runInWorker } from './litmus';
import type { BarrierScenario, PlainLocation } from './protocol';
import type { ServerState } from './state';

/** The scenarios at a position of an open document; empty when nothing there takes part in a pairing. */
export function scenariosAtPosition(state: ServerState, uri: string, position: Position): SiteScenario[] {
  const document = state.documents.get(uri);
  if (document === undefined) return [];
  return scenariosAt(state.workspace, state.fileOf(uri), document.offsetAt(position));
}

export function sideLocation(state: ServerState, side: ScenarioSide): PlainLocation {
  // The barrier is what the user reads first; a side ordered by an acquire/release or a dependency has none.
  const range = side.barriers[0] ?? side.range;
  return { uri: state.uri(side.file), range: toRange(state.document(side.file), range) };
}

/** One sentence on a scenario: who pairs with whom, and what the LKMM says of the bad outcome. */
export function describeScenario(scenario: SiteScenario): string {
  const [writer, reader] = scenario.sides;
  const who = `${writer.function}() → ${reader.function}()`;
  if (scenario.verdict === 'forbidden') return `${scenario.name}, ${who}: the LKMM forbids the bad outcome.`;
  if (scenario.verdict === 'unknown') return `${scenario.name}, ${who}: the simulator could not decide within its budget.`;
  const needs = scenario.problems.map(
    (problem) => `the ${problem.role} side has ${problem.problem === 'missing' ? 'no ordering' : 'too weak a barrier'}` +
      (problem.suggestion === undefined ? '' : ` (${problem.suggestion}() would do)`),
  );
  return `${scenario.name}, ${who}: the LKMM allows the bad outcome${needs.length > 0 ? `; ${needs.join('; ')}` : ''}.`;
}

/** Runs each scenario through the simulator (in the litmus worker, one at a time) for the editor to show. */
export async function runScenarios(state: ServerState, scenarios: SiteScenario[]): Promise<BarrierScenario[]> {
  const shown: BarrierScenario[] = [];
  for (const scenario of scenarios) {
    const job = { text: scenario.litmus, fileName: `${scenario.name}.litmus`, ...state.settings.simulator };
    const outcome = await runInWorker(state, job).promise;
    shown.push({
      name: scenario.name,
      verdict: scenario.verdict,
      summary: describeScenario(scenario),
      sides: scenario.sides.map((side) => ({ role: side.role, function: side.function, location: sideLocation(state, side) })),
      litmus: scenario.litmus,
      output: outcome.output,
    });
  }
  return shown;
}
