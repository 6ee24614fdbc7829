// textDocument/hover: on a C barrier or marked access, what it orders, its pairings, diagrams and verdicts; on a .litmus test's header or condition, its result.
import path from 'node:path';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { isLitmus } from '../diagnostics';
import { conditionLine, headerLine, litmusResult } from '../litmus';
import { orderingAt, type NearbyAccess, type ScenarioSide, type SiteOrdering, type SiteScenario } from '../../analysis/scenarios';
import { describeScenario, scenariosAtPosition, sideLocation } from '../scenarios';
import type { ServerState } from '../state';

/** The accesses a barrier or marked access sits between in its function, with their location keys. */
function orderingLines(ordering: SiteOrdering): string[] {
  const list = (accesses: NearbyAccess[]): string =>
    accesses.length === 0 ? 'none in this function' : accesses.map((access) => `\`${access.text}\` (${access.op} of \`${access.key}\`)`).join(', ');
  return [
    `**\`${ordering.text}\`** in \`${ordering.function}()\` orders`,
    `- before: ${list(ordering.before)}`,
    `- after: ${list(ordering.after)}`,
  ];
}

const ARROW = ' <-- pairs with --> ';
const GAP = ' '.repeat(ARROW.length);

/**
 * Two columns, CPU 0 the writer and CPU 1 the reader as in the litmus test, in the style of kernel comments that
 * draw a pairing; the row holding the barriers carries the "pairs with" arrow. A side with nothing between its two
 * accesses shows the gap, which is what the verdict is about.
 */
function diagram(scenario: SiteScenario): string[] {
  const [writer, reader] = scenario.sides;
  const column = (side: ScenarioSide): string[] =>
    side.steps.length === 2 ? [side.steps[0]!, '(nothing between)', side.steps[1]!] : side.steps;
  const left = [`CPU 0: ${writer.function}()`, ...column(writer)];
  const right = [`CPU 1: ${reader.function}()`, ...column(reader)];
  const width = Math.max(...left.map((line) => line.length));
  const rows = Math.max(left.length, right.length);
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    const middle = row === 2 && scenario.sides.some((side) => side.barriers.length > 0) ? ARROW : GAP;
    lines.push(`${(left[row] ?? '').padEnd(width)}${middle}${right[row] ?? ''}`.trimEnd());
  }
  return ['```text', ...lines, '```'];
}

function verdictLine(scenario: SiteScenario): string {
  const outcome =
    scenario.kind === 'sb'
      ? 'both CPUs read the old value'
      : scenario.kind === 'lb'
        ? `CPU 1 sees \`${scenario.y}\` new, yet CPU 0's earlier read of \`${scenario.x}\` sees CPU 1's later write`
        : `CPU 1 sees \`${scenario.y}\` new but \`${scenario.x}\` old`;
  if (scenario.verdict === 'forbidden') return `**Verdict** (LKMM simulator): the bad outcome (${outcome}) is forbidden.`;
  if (scenario.verdict === 'unknown') return '**Verdict** (LKMM simulator): undecided within the simulator\'s budget.';
  return `**Verdict** (LKMM simulator): the bad outcome (${outcome}) is reachable. ${scenario.witness ?? ''}`.trimEnd();
}

/**
 * On a barrier or a marked access in C: what it orders, and each pairing it takes part in with a link to the other
 * side, a diagram of the two CPUs and the verdict.
 */
function pairingHover(state: ServerState, params: HoverParams): Hover | null {
  const document = state.documents.get(params.textDocument.uri);
  if (document === undefined) return null;
  const ordering = orderingAt(state.workspace, state.fileOf(params.textDocument.uri), document.offsetAt(params.position));
  const scenarios = scenariosAtPosition(state, params.textDocument.uri, params.position);
  if (ordering === undefined && scenarios.length === 0) return null;
  const lines = ordering === undefined ? [] : [...orderingLines(ordering), ''];
  lines.push(scenarios.length === 0 ? 'Pairs with nothing barrier-lint found.' : '**barrier-lint pairings**');
  for (const scenario of scenarios) {
    const links = scenario.sides
      .filter((side) => !side.here)
      .map((side) => {
        const location = sideLocation(state, side);
        const line = location.range.start.line + 1;
        return `[${side.function}() at ${path.basename(side.file)}:${line}](${location.uri}#L${line})`;
      });
    lines.push('', `- ${describeScenario(scenario)}${links.length > 0 ? ` Pairs with ${links.join(', ')}.` : ''}`, '');
    lines.push(...diagram(scenario), '', verdictLine(scenario));
  }
  if (scenarios.length > 0) lines.push('', 'Run the scenarios with *Barrier Lint: Run Scenario for Barrier at Cursor*.');
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}

export async function onHover(state: ServerState, params: HoverParams): Promise<Hover | null> {
  const document = state.documents.get(params.textDocument.uri);
  if (document === undefined) return null;
  if (!isLitmus(document)) return pairingHover(state, params);
  const text = document.getText();
  const { line } = params.position;
  const condition = conditionLine(text);
  if (line !== headerLine(text) && (condition === undefined || line < condition)) return null;
  // Runs the simulator at most once per version of the text, in a worker, within the configured time budget.
  const result = await litmusResult(state, document);
  return {
    contents: {
      kind: MarkupKind.Markdown,
      value: [`**LKMM simulator**: ${result.summary}`, '', result.explanation, '', '```text', result.output.trimEnd(), '```'].join('\n'),
    },
  };
}
