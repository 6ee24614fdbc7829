// textDocument/codeLens: a "Run" lens on each .litmus test, titled with the last result for the current text.
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { isLitmus } from '../diagnostics';
import { cachedLitmusResult, headerLine } from '../litmus';
import { ServerCommands } from '../protocol';
import type { ServerState } from '../state';

export function onCodeLens(state: ServerState, params: CodeLensParams): CodeLens[] {
  const document = state.documents.get(params.textDocument.uri);
  if (document === undefined || !isLitmus(document)) return [];
  const line = headerLine(document.getText());
  const result = cachedLitmusResult(state, document);
  const title = result === undefined ? '▶ Run litmus test' : `▶ Run litmus test · ${result.summary}`;
  return [
    {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      command: { title, command: ServerCommands.runLitmus, arguments: [document.uri] },
    },
  ];
}
