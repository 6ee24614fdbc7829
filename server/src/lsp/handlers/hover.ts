// textDocument/hover: on a C barrier, its pairings and verdicts; on a .litmus test's header or condition, its result.
import path from 'node:path';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { isLitmus } from '../diagnostics';
import { conditionLine, headerLine, litmusResult } from '../litmus';
import { describeScenario, scenariosAtPosition, sideLocation } from '../scenarios';
import type { ServerState } from '../state';

/** On a barrier or a paired access in C: each pairing it takes part in, the verdict, and a link to the other side. */
function pairingHover(state: ServerState, params: HoverParams): Hover | null {
  const scenarios = scenariosAtPosition(state, params.textDocument.uri, params.position);
  if (scenarios.length === 0) return null;
  const lines = ['**barrier-lint pairings**', ''];
  for (const scenario of scenarios) {
    const links = scenario.sides
      .filter((side) => !side.here)
      .map((side) => {
        const location = sideLocation(state, side);
        const line = location.range.start.line + 1;
        return `[${side.function}() at ${path.basename(side.file)}:${line}](${location.uri}#L${line})`;
      });
    lines.push(`- ${describeScenario(scenario)}${links.length > 0 ? ` Pairs with ${links.join(', ')}.` : ''}`);
  }
  lines.push('', 'Run the scenarios with *Barrier Lint: Run Scenario for Barrier at Cursor*.');
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
