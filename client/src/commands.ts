// The extension's command table: every command package.json contributes, with its handler.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { isLitmusRunResult, showLitmusResult } from './features/litmusResults';
import { ServerCommands } from './protocol';

type Handler = (client: LanguageClient, ...args: unknown[]) => unknown;

function executeOnServer(client: LanguageClient, command: string, args: unknown[] = []): Promise<unknown> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

async function runLitmusTest(client: LanguageClient, target?: unknown): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (uri === undefined || !uri.path.endsWith('.litmus')) {
    void vscode.window.showWarningMessage('Barrier Lint: open a .litmus file to run it.');
    return;
  }
  const result = await executeOnServer(client, ServerCommands.runLitmus, [uri.toString()]);
  if (isLitmusRunResult(result)) await showLitmusResult(result);
}

async function reindexWorkspace(client: LanguageClient): Promise<void> {
  const files = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Barrier Lint: re-indexing' },
    () => executeOnServer(client, ServerCommands.reindex),
  );
  if (typeof files === 'number') void vscode.window.setStatusBarMessage(`Barrier Lint: indexed ${files} files`, 5000);
}

export const commands: Record<string, Handler> = {
  'barrierLint.runLitmusTest': runLitmusTest,
  'barrierLint.reindexWorkspace': reindexWorkspace,
  'barrierLint.restartServer': (client) => client.restart(),
  'barrierLint.showOutput': (client) => client.outputChannel.show(),
};

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(client, ...args)));
  }
}
