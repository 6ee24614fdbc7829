// Shows simulator results of .litmus runs (from the command or the server's CodeLens) in a read-only document.
import * as vscode from 'vscode';
import type { LitmusRunResult } from '../protocol';

export const RESULT_SCHEME = 'barrier-lint-result';

const results = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

export function activate(context: vscode.ExtensionContext): void {
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => results.get(uri.toString()) ?? '',
  };
  context.subscriptions.push(changed, vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, provider));
}

/** Opens (or refreshes) the result document beside the litmus test it belongs to. */
export async function showLitmusResult(result: LitmusRunResult): Promise<void> {
  const source = vscode.Uri.parse(result.uri);
  const name = source.path.split('/').pop() ?? 'litmus';
  const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${name}.result`, query: source.toString() });
  results.set(uri.toString(), result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  changed.fire(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  if (!result.ok) void vscode.window.showWarningMessage(`Barrier Lint: ${result.summary}`);
}

export function isLitmusRunResult(value: unknown): value is LitmusRunResult {
  const candidate = value as Partial<LitmusRunResult> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.uri === 'string' &&
    typeof candidate.ok === 'boolean' &&
    typeof candidate.summary === 'string' &&
    typeof candidate.output === 'string'
  );
}
