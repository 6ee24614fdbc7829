// Background index of the workspace folders' C files, so that pairs are found across files that are not open.
import path from 'node:path';
import { minimatch } from 'minimatch';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readSource, walkSources } from '../sources';
import { fileToUri } from './convert';
import { publishAll } from './diagnostics';
import type { ServerState } from './state';

/** How many files are read between yields to the event loop, so requests are served while the index builds. */
const FILES_PER_SLICE = 25;

function matcher(folder: string, patterns: string[]): (file: string, isDirectory: boolean) => boolean {
  return (file, isDirectory) => {
    const relative = path.relative(folder, file).split(path.sep).join('/');
    // A directory is tested with a trailing slash so `**/node_modules/**` prunes node_modules itself.
    const subject = isDirectory ? `${relative}/` : relative;
    return patterns.some((pattern) => minimatch(subject, pattern, { dot: true }));
  };
}

async function listFiles(state: ServerState): Promise<string[]> {
  const files: string[] = [];
  for (const folder of state.folders) {
    const excluded = matcher(folder, state.settings.exclude);
    const included = matcher(folder, state.settings.include);
    const skip = (file: string): boolean => excluded(file, false) || excluded(file, true);
    for (const file of await walkSources(folder, skip)) if (included(file, false)) files.push(file);
  }
  return files;
}

/**
 * (Re-)indexes the workspace folders into the analysis Workspace. A newer call makes a running one stop at its next
 * slice. Files open in the editor keep their editor text. Resolves to the number of files indexed, or undefined
 * when superseded.
 */
export async function indexWorkspace(state: ServerState): Promise<number | undefined> {
  const generation = ++state.indexGeneration;
  const stale = (): boolean => generation !== state.indexGeneration;
  const progress = state.support.workDoneProgress ? await state.connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('Barrier Lint: indexing', 0, 'listing files', false);
  try {
    const files = await listFiles(state);
    if (stale()) return undefined;
    const gone = new Set(state.diskFiles.keys());
    for (const [index, file] of files.entries()) {
      gone.delete(file);
      const read = await readSource(file);
      if (read.ok) {
        state.diskFiles.set(file, TextDocument.create(fileToUri(file), 'c', 0, read.text));
        if (!state.isOpen(file)) setFile(state, file, read.text);
      }
      if ((index + 1) % FILES_PER_SLICE === 0) {
        progress?.report(Math.round((100 * (index + 1)) / files.length), `${index + 1}/${files.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
        if (stale()) return undefined;
      }
    }
    for (const file of gone) {
      state.diskFiles.delete(file);
      if (!state.isOpen(file)) state.workspace.removeFile(file);
    }
    publishAll(state);
    return files.length;
  } finally {
    progress?.done();
  }
}

function setFile(state: ServerState, file: string, text: string): void {
  try {
    state.workspace.setFile(file, text);
  } catch (error) {
    state.logError(`indexing ${file} failed`, error);
  }
}

/**
 * When the editor closes a document the analysis goes back to the file's text on disk if the index covers it
 * (it may have been saved with changes), and forgets it otherwise.
 */
export async function restoreFromDisk(state: ServerState, file: string): Promise<void> {
  const read = state.diskFiles.has(file) ? await readSource(file) : undefined;
  if (state.isOpen(file)) return;
  if (read?.ok) {
    state.diskFiles.set(file, TextDocument.create(fileToUri(file), 'c', 0, read.text));
    setFile(state, file, read.text);
  } else {
    state.diskFiles.delete(file);
    state.workspace.removeFile(file);
  }
}
