// workspace/didChangeWatchedFiles: C files created, changed or deleted on disk outside the editor update the index.
import type { DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { isSourceFile } from '../../sources';
import { publishAll } from '../diagnostics';
import { restoreFromDisk } from '../indexer';
import type { ServerState } from '../state';

export async function onDidChangeWatchedFiles(state: ServerState, params: DidChangeWatchedFilesParams): Promise<void> {
  let changed = false;
  for (const change of params.changes) {
    const file = state.fileOf(change.uri);
    // Open documents follow the editor's text; only the file on disk changed.
    if (!isSourceFile(file) || state.isOpen(file)) continue;
    // A deleted file no longer reads, so restoring it from disk forgets it.
    await restoreFromDisk(state, file);
    changed = true;
  }
  if (changed) publishAll(state);
}
