// Background index of the workspace folders' C files, so that pairs are found across files that are not open.
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { minimatch } from 'minimatch';
import type { FileModel } from '../analysis/model';
import { indexFiles } from '../index/pool';
import { isSourceFile, readSource, walkSources } from '../sources';
import { publishAll } from './diagnostics';
import type { ServerState } from './state';

/** Progress is reported, and the heap looked at, every this many files. */
const FILES_PER_REPORT = 25;

/**
 * The index stops taking files once this share of the heap's limit is in use: pairing the files indexed needs room
 * of its own, and a heap that runs out ends the server. On the 5.10 tree the server's RSS is about 1.05 GB once
 * indexed and 1.73 GB once a first document's analysis has paired the whole tree; a whole kernel's index, four times
 * as large, is more than VS Code's own runtime holds (its heap stops near 4 GB).
 */
export const INDEX_HEAP_SHARE = 0.45;

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
 * (Re-)indexes the workspace folders into the analysis Workspace and resolves to the number of files listed. A newer
 * call makes a running one stop at its next slice; the older call then resolves with the newer one's count (0 when
 * stopIndexing ended indexing for good).
 */
export async function indexWorkspace(state: ServerState): Promise<number> {
  const generation = ++state.indexGeneration;
  let pass = buildIndex(state, generation);
  state.indexing = pass;
  let count = await pass;
  while (count === undefined && state.indexing !== pass) {
    pass = state.indexing;
    count = await pass;
  }
  return count ?? 0;
}

/** Stops the running pass without starting another; resolves once it has wound down. */
export async function stopIndexing(state: ServerState): Promise<void> {
  state.indexGeneration++;
  await state.indexing;
}

/** One indexing pass; undefined when a newer pass superseded it. */
async function buildIndex(state: ServerState, generation: number): Promise<number | undefined> {
  const stale = (): boolean => generation !== state.indexGeneration;
  const progress = state.support.workDoneProgress ? await state.connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('Barrier Lint: indexing', 0, 'listing files', false);
  try {
    const files = await listFiles(state);
    if (stale()) return undefined;
    // A file the watcher or a closed editor sets again during the pass has a newer text than the pass may have read.
    const atStart = new Map(files.map((file) => [file, state.workspace.model(file)]));
    state.sendStatus({ state: 'indexing', files: 0, total: files.length });
    const gone = new Set(state.indexedFiles);
    for (const file of files) gone.delete(file);
    // Worker threads read and summarise the files (or take the summaries from the cache); the results arrive as
    // messages, so requests are served between them. A newer pass stops this one from handing out more files.
    let done = 0;
    let heapFull = false;
    const inputs = files.map((file) => ({ path: file }));
    const models = new Array<FileModel | undefined>(inputs.length);
    const complete = await indexFiles(inputs, {
      cacheDirectory: state.cacheDirectory,
      cancelled: () => stale() || heapFull,
      onResult(input, outcome, index) {
        if (outcome.kind === 'model') {
          state.indexedFiles.add(input.path);
          models[index] = outcome.model;
        } else if (outcome.kind === 'error') {
          state.logError('indexing', outcome.message);
        }
        if (++done % FILES_PER_REPORT === 0) {
          progress?.report(Math.round((100 * done) / files.length), `${done}/${files.length} files`);
          state.sendStatus({ state: 'indexing', files: done, total: files.length });
          heapFull ||= state.heapShare() > INDEX_HEAP_SHARE;
        }
      },
    });
    if (stale() || (!complete && !heapFull)) return undefined;
    // Models are set in the order the files are listed, not as the threads finish them, as the CLI's loadWorkspace
    // sets them: pairing reads the workspace's files in order (the first definition of a struct or a function wins),
    // and the findings must not depend on thread timing. An open document keeps the model of its editor's text.
    models.forEach((model, index) => {
      const file = inputs[index]!.path;
      if (model !== undefined && !state.isOpen(file) && state.workspace.model(file) === atStart.get(file)) state.workspace.setModel(model);
    });
    for (const file of gone) {
      state.indexedFiles.delete(file);
      if (!state.isOpen(file)) state.workspace.removeFile(file);
    }
    publishAll(state);
    const indexed = models.reduce((count, model) => count + (model === undefined ? 0 : 1), 0);
    if (heapFull) {
      const limitMb = Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024));
      state.warn(
        `indexed ${indexed} of ${files.length} files and stopped: the server's heap is ${Math.round(100 * state.heapShare())}% of its ${limitMb} MB limit, ` +
          'and barriers are not paired with the files left out. Start the server with a larger heap (in VS Code: ' +
          'barrierLint.server.maxMemoryMb, with barrierLint.server.nodePath for more than 4 GB), or narrow barrierLint.include.',
      );
    }
    state.sendStatus({ state: 'idle', files: heapFull ? indexed : files.length });
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

/** Whether the index covers a file: inside a workspace folder, matched by an include glob and by no exclude glob. */
export function isIndexed(state: ServerState, file: string): boolean {
  if (!isSourceFile(file)) return false;
  return state.folders.some((folder) => {
    const relative = path.relative(folder, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
    return matcher(folder, state.settings.include)(file, false) && !matcher(folder, state.settings.exclude)(file, false);
  });
}

/**
 * Brings the analysis in step with a file's text on disk, when the editor closes it (it may have been saved with
 * changes) or the file watcher reports it: read again if the index covers it, forgotten otherwise.
 */
export async function restoreFromDisk(state: ServerState, file: string): Promise<void> {
  const read = isIndexed(state, file) ? await readSource(file) : undefined;
  if (state.isOpen(file)) return;
  if (read?.ok) {
    state.indexedFiles.add(file);
    setFile(state, file, read.text);
  } else {
    state.indexedFiles.delete(file);
    state.workspace.removeFile(file);
  }
}
