// The language server: one connection and one table that routes each LSP message to its handler in lsp/handlers/.
import { format } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import { onCodeAction } from './lsp/handlers/codeAction';
import { onCodeLens } from './lsp/handlers/codeLens';
import { onDidChangeConfiguration } from './lsp/handlers/configuration';
import { onDidChangeContent, onDidClose, onDidOpen } from './lsp/handlers/documents';
import { onExecuteCommand } from './lsp/handlers/executeCommand';
import { onHover } from './lsp/handlers/hover';
import { onDidChangeWorkspaceFolders, onInitialize, onInitialized } from './lsp/handlers/initialize';
import { onShutdown } from './lsp/handlers/shutdown';
import { onDidChangeWatchedFiles } from './lsp/handlers/watchedFiles';
import { PublicationEncoder } from './lsp/published';
import { ServerState } from './lsp/state';

/**
 * The connection over the transport named in process.argv (--stdio from the VS Code client and from
 * `barrier-lint lsp`; --node-ipc from a client that asks for it). Over stdio the messages are written by our encoder,
 * which copies the JSON of diagnostics unchanged since a document's last publication (published.ts); the library's
 * own stdio set-up is kept otherwise (exit when stdin closes), and console output, which would corrupt the protocol on
 * stdout, goes to the client's log as it does there.
 */
function connect(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const encoder = new PublicationEncoder();
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: { name: 'application/json', encode: async (message) => encoder.encode(message) } });
  // The library wraps whichever side is a stream (createMessageConnection), so stdin keeps its handling; its typings
  // offer only two streams or two message objects.
  const stdio = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
  console.log = console.info = console.debug = (...args: unknown[]) => stdio.console.log(format(...args));
  console.warn = (...args: unknown[]) => stdio.console.warn(format(...args));
  console.error = (...args: unknown[]) => stdio.console.error(format(...args));
  return stdio;
}

// Less inlining into optimised code: the first edits of a document wait on V8 compiling the edit path on threads that
// compete with the main thread for the cores, and the compiles are smaller. With bench:edit's generated file the
// server's CPU per edit fell 9% (8 interleaved runs each), and its main thread's did not rise (docs/performance.md).
setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');

const connection = connect();
const state = new ServerState(connection);

/**
 * Wraps a handler so a failure is logged and answered, never thrown into the connection: bad input must not take
 * the server down.
 */
function guarded<P, R>(what: string, handler: (state: ServerState, params: P) => R | Promise<R>, fallback: R) {
  return async (params: P): Promise<R> => {
    try {
      return await handler(state, params);
    } catch (error) {
      state.logError(what, error);
      return fallback;
    }
  };
}

connection.onInitialize((params) => onInitialize(state, params));
connection.onInitialized(() => {
  // The folder-change event exists only once the client has said it sends it.
  if (state.support.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(guarded('didChangeWorkspaceFolders', onDidChangeWorkspaceFolders, undefined));
  }
  void guarded<undefined, void>('initialized', onInitialized, undefined)(undefined);
});
connection.onShutdown(guarded('shutdown', onShutdown, undefined));
connection.onDidChangeWatchedFiles(guarded('didChangeWatchedFiles', onDidChangeWatchedFiles, undefined));
connection.onDidChangeConfiguration(guarded('didChangeConfiguration', onDidChangeConfiguration, undefined));
connection.onExecuteCommand((params) => onExecuteCommand(state, params));
connection.onHover(guarded('hover', onHover, null));
connection.onCodeLens(guarded('codeLens', onCodeLens, []));
connection.onCodeAction(guarded('codeAction', onCodeAction, []));
state.documents.onDidOpen(guarded('didOpen', onDidOpen, undefined));
state.documents.onDidChangeContent(guarded('didChange', onDidChangeContent, undefined));
state.documents.onDidClose(guarded('didClose', onDidClose, undefined));

state.documents.listen(connection);
connection.listen();
