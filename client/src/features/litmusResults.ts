// Shows simulator results (a .litmus run, a barrier's scenarios) in read-only documents beside the source.
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

/** Opens (or refreshes) a read-only document named after `source`, beside it. */
export async function showResultDocument(source: vscode.Uri, suffix: string, text: string): Promise<void> {
  const name = source.path.split('/').pop() ?? 'barrier-lint';
  const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${name}.${suffix}`, query: source.toString() });
  results.set(uri.toString(), text.endsWith('\n') ? text : `${text}\n`);
  changed.fire(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}

/** Shows a litmus test's result beside it. */
export async function showLitmusResult(result: LitmusRunResult): Promise<void> {
  await showResultDocument(vscode.Uri.parse(result.uri), 'result', result.output);
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
