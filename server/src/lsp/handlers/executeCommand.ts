// workspace/executeCommand: the server commands of protocol.ts (re-index, run a litmus test).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeLensRefreshRequest, ErrorCodes, ResponseError, type ExecuteCommandParams } from 'vscode-languageserver/node';
import { readSource } from '../../sources';
import { indexWorkspace } from '../indexer';
import { litmusResult } from '../litmus';
import { ServerCommands, type LitmusRunResult } from '../protocol';
import type { ServerState } from '../state';

async function runLitmusCommand(state: ServerState, uri: unknown): Promise<LitmusRunResult> {
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'barrier-lint: runLitmus takes the URI of a .litmus document');
  // Clients may run a test that is not open (e.g. from a file explorer); then it is read from disk.
  let document = state.documents.get(uri);
  if (document === undefined) {
    const read = await readSource(state.fileOf(uri));
    if (!read.ok) throw new ResponseError(ErrorCodes.InvalidParams, `barrier-lint: cannot read ${uri}: ${'error' in read ? read.error : read.skipped}`);
    document = TextDocument.create(uri, 'litmus', 0, read.text);
  }
  const result = await litmusResult(state, document);
  // The CodeLens title shows the last result.
  if (state.support.codeLensRefresh) void state.connection.sendRequest(CodeLensRefreshRequest.type);
  return result;
}

export async function onExecuteCommand(state: ServerState, params: ExecuteCommandParams): Promise<unknown> {
  switch (params.command) {
    case ServerCommands.reindex:
      return indexWorkspace(state);
    case ServerCommands.runLitmus:
      return runLitmusCommand(state, params.arguments?.[0]);
    default:
      throw new ResponseError(ErrorCodes.InvalidParams, `barrier-lint: unknown command '${params.command}'`);
  }
}
