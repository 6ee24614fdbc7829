// textDocument/hover: on a .litmus test's header or condition, the simulator's result for the current text.
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { isLitmus } from '../diagnostics';
import { conditionLine, headerLine, litmusResult } from '../litmus';
import type { ServerState } from '../state';

export async function onHover(state: ServerState, params: HoverParams): Promise<Hover | null> {
  const document = state.documents.get(params.textDocument.uri);
  if (document === undefined || !isLitmus(document)) return null;
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
