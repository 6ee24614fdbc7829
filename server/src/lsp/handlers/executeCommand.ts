// workspace/executeCommand: the server commands of protocol.ts (re-index, run a litmus test, scenarios, pairings).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeLensRefreshRequest, ErrorCodes, ResponseError, type ExecuteCommandParams, type Position } from 'vscode-languageserver/node';
import { readSource } from '../../sources';
import { indexWorkspace } from '../indexer';
import { litmusResult } from '../litmus';
import { ServerCommands, type LitmusRunResult } from '../protocol';
import { runScenarios, scenariosAtPosition, sideLocation } from '../scenarios';
import type { ServerState } from '../state';

function positionArguments(params: ExecuteCommandParams): { uri: string; position: Position } {
  const [uri, position] = params.arguments ?? [];
  const valid =
    typeof uri === 'string' &&
    typeof (position as Position | undefined)?.line === 'number' &&
    typeof (position as Position | undefined)?.character === 'number';
  if (!valid) throw new ResponseError(ErrorCodes.InvalidParams, `barrier-lint: ${params.command} takes [uri, position]`);
  return { uri, position: position as Position };
}

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
    case ServerCommands.scenarios: {
      const { uri, position } = positionArguments(params);
      return runScenarios(state, scenariosAtPosition(state, uri, position));
    }
    case ServerCommands.pairings: {
      const { uri, position } = positionArguments(params);
      return scenariosAtPosition(state, uri, position).flatMap((scenario) =>
        scenario.sides.filter((side) => !side.here).map((side) => sideLocation(state, side)),
      );
    }
    default:
      throw new ResponseError(ErrorCodes.InvalidParams, `barrier-lint: unknown command '${params.command}'`);
  }
}
