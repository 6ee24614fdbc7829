// A status bar item fed by the server's `barrierLint/status` notification: indexing progress, then the index size.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerNotifications, type StatusParams } from '../protocol';

export function activate(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  item.name = 'Barrier Lint';
  item.command = 'barrierLint.showOutput';
  item.text = '$(sync~spin) Barrier Lint';
  item.tooltip = 'Barrier Lint: starting the language server';
  item.show();
  context.subscriptions.push(
    item,
    client.onNotification(ServerNotifications.status, (params: StatusParams) => {
      if (params.state === 'indexing') {
        item.text = `$(sync~spin) Barrier Lint: ${params.files}/${params.total ?? '?'}`;
        item.tooltip = 'Barrier Lint: indexing the workspace so barriers pair across files';
      } else {
        const files = `${params.files} file${params.files === 1 ? '' : 's'}`;
        item.text = `$(check) Barrier Lint: ${files}`;
        item.tooltip = `Barrier Lint: ${files} indexed. Click for the server's output.`;
      }
    }),
  );
}
