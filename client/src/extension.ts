// The VS Code extension: starts the barrier-lint language server (dist/server.js) over stdio and activates the features.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type NodeModule, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { readConfig, SECTION } from './config';
import { launchOf } from './launch';
import * as litmusResults from './features/litmusResults';
import * as statusBar from './features/statusBar';
import { ServerCommands, type InitializationOptions } from './protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  // Over stdio the server writes its messages itself, copying the JSON of diagnostics an edit left unchanged
  // (server/src/lsp/published.ts); over IPC Node would serialize every publication whole.
  const run: NodeModule = { module, transport: TransportKind.stdio };
  // `.vscode/launch.json` attaches to this port to debug the server.
  const debug: NodeModule = { module, transport: TransportKind.stdio };
  const configureLaunch = (): void => {
    const section = vscode.workspace.getConfiguration(SECTION);
    const launch = launchOf({ nodePath: section.get<string>('server.nodePath', ''), maxMemoryMb: section.get<number>('server.maxMemoryMb', 0) });
    for (const problem of launch.problems) void vscode.window.showWarningMessage(`Barrier Lint: ${problem}`);
    run.runtime = debug.runtime = launch.runtime;
    run.options = { execArgv: launch.execArgv };
    debug.options = { execArgv: [...launch.execArgv, '--nolazy', '--inspect=6009'] };
  };
  configureLaunch();
  const serverOptions: ServerOptions = { run, debug };
  // The language client reads the launch options at each start, so a restart picks up the new ones.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(`${SECTION}.server`)) return;
      configureLaunch();
      const restart = 'Restart';
      if ((await vscode.window.showInformationMessage('Barrier Lint: restart the language server to use its new launch settings.', restart)) === restart) await client?.restart();
    }),
  );
  // The workspace's own storage keeps one cache per workspace; without a folder open, the global storage does.
  const storage = context.storageUri ?? context.globalStorageUri;
  const initializationOptions: InitializationOptions = { statusNotification: true, cacheDirectory: vscode.Uri.joinPath(storage, 'index-cache').fsPath };
  const clientOptions: LanguageClientOptions = {
    initializationOptions,
    documentSelector: [
      { language: 'c' },
      // VS Code opens .h files as C++ by default; kernel headers are C.
      { language: 'cpp', pattern: '**/*.h' },
      { language: 'litmus' },
    ],
    synchronize: {
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{c,h}'),
    },
    middleware: {
      // The server pulls its settings; answer with the typed view so it always sees complete settings.
      workspace: {
        configuration: (params, token, next) =>
          params.items.some((item) => item.section === SECTION)
            ? params.items.map((item) => (item.section === SECTION ? readConfig(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : null))
            : next(params, token),
      },
      // A CodeLens "Run" executes the server command directly; show its result like the palette command does.
      executeCommand: async (command, args, next) => {
        const result: unknown = await next(command, args);
        if (command === ServerCommands.runLitmus && litmusResults.isLitmusRunResult(result)) await litmusResults.showLitmusResult(result);
        return result;
      },
    },
  };
  client = new LanguageClient('barrierLint', 'Barrier Lint', serverOptions, clientOptions);
  litmusResults.activate(context);
  registerCommands(context, client);
  statusBar.activate(context, client);
  await client.start();
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
