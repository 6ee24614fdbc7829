// textDocument/didOpen, didChange and didClose: keep the analysis in step with the editor's text.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentChangeEvent } from 'vscode-languageserver/node';
import { cancelAnalysis, clearDiagnostics, isLitmus, publishAll, scheduleAnalysis } from '../diagnostics';
import { restoreFromDisk } from '../indexer';
import { cancelLitmusRun } from '../litmus';
import type { ServerState } from '../state';

export function onDidOpen(state: ServerState, event: TextDocumentChangeEvent<TextDocument>): void {
  state.fileOf(event.document.uri);
  state.opening.add(event.document.uri);
}

export function onDidChangeContent(state: ServerState, event: TextDocumentChangeEvent<TextDocument>): void {
  const { uri } = event.document;
  // A simulation of the previous text is stale work.
  if (isLitmus(event.document)) cancelLitmusRun(state, uri);
  scheduleAnalysis(state, uri, state.opening.delete(uri) ? 0 : state.settings.debounceMs);
}

export async function onDidClose(state: ServerState, event: TextDocumentChangeEvent<TextDocument>): Promise<void> {
  const { uri } = event.document;
  state.opening.delete(uri);
  state.lastChanges.delete(uri);
  cancelAnalysis(state, uri);
  clearDiagnostics(state, uri);
  if (isLitmus(event.document)) {
    cancelLitmusRun(state, uri);
    state.litmusResults.delete(uri);
    return;
  }
  await restoreFromDisk(state, state.fileOf(uri));
  publishAll(state);
}
