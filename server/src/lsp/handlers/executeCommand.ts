// workspace/executeCommand: the server commands of protocol.ts (re-index, run a litmus test).
import { ResponseError, ErrorCodes, type ExecuteCommandParams } from 'vscode-languageserver/node';
import { indexWorkspace } from '../indexer';
import { ServerCommands } from '../protocol';
import type { ServerState } from '../state';

export async function onExecuteCommand(state: ServerState, params: ExecuteCommandParams): Promise<unknown> {
  switch (params.command) {
    case ServerCommands.reindex:
      return (await indexWorkspace(state)) ?? null;
    default:
      throw new ResponseError(ErrorCodes.InvalidParams, `barrier-lint: unknown command '${params.command}'`);
  }
}
