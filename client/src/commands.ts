// The extension's command table: every command package.json contributes, with its handler.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { isLitmusRunResult, showLitmusResult, showResultDocument } from './features/litmusResults';
import { ServerCommands, type BarrierScenario, type PlainLocation } from './protocol';

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

/** The C document and position of the active editor's cursor, as the server commands take them. */
function cursor(): { editor: vscode.TextEditor; args: [string, { line: number; character: number }] } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || (editor.document.languageId !== 'c' && editor.document.languageId !== 'cpp')) {
    void vscode.window.showWarningMessage('Barrier Lint: put the cursor on a barrier in a C file.');
    return undefined;
  }
  const { line, character } = editor.selection.active;
  return { editor, args: [editor.document.uri.toString(), { line, character }] };
}

async function scenariosAtCursor(client: LanguageClient): Promise<{ editor: vscode.TextEditor; scenarios: BarrierScenario[] } | undefined> {
  const at = cursor();
  if (at === undefined) return undefined;
  const scenarios = (await executeOnServer(client, ServerCommands.scenarios, at.args)) as BarrierScenario[] | null;
  if (scenarios === null || scenarios.length === 0) {
    void vscode.window.showInformationMessage('Barrier Lint: nothing at the cursor takes part in a pairing.');
    return undefined;
  }
  return { editor: at.editor, scenarios };
}

async function runScenario(client: LanguageClient): Promise<void> {
  const found = await scenariosAtCursor(client);
  if (found === undefined) return;
  const text = found.scenarios.map((scenario) => `(* ${scenario.summary} *)\n\n${scenario.litmus}\n${scenario.output}`).join('\n');
  await showResultDocument(found.editor.document.uri, 'scenarios', text);
}

async function openScenario(client: LanguageClient): Promise<void> {
  const found = await scenariosAtCursor(client);
  if (found === undefined) return;
  const items = found.scenarios.map((scenario) => ({ label: scenario.name, detail: scenario.summary, scenario }));
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Which pairing?' });
  if (picked === undefined) return;
  const document = await vscode.workspace.openTextDocument({ language: 'litmus', content: picked.scenario.litmus });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
}

async function showPairings(client: LanguageClient): Promise<void> {
  const at = cursor();
  if (at === undefined) return;
  const locations = (await executeOnServer(client, ServerCommands.pairings, at.args)) as PlainLocation[] | null;
  if (locations === null || locations.length === 0) {
    void vscode.window.showInformationMessage('Barrier Lint: nothing at the cursor takes part in a pairing.');
    return;
  }
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    at.editor.document.uri,
    at.editor.selection.active,
    locations.map((location) => client.protocol2CodeConverter.asLocation(location)),
  );
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
  'barrierLint.runScenario': runScenario,
  'barrierLint.openScenario': openScenario,
  'barrierLint.showPairings': showPairings,
  'barrierLint.reindexWorkspace': reindexWorkspace,
  'barrierLint.restartServer': (client) => client.restart(),
  'barrierLint.showOutput': (client) => client.outputChannel.show(),
};

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(client, ...args)));
  }
}
