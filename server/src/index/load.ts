// Loads many files into an analysis Workspace through the parallel indexer: what the CLI's check runs over a tree.
import type { Workspace } from '../analysis/index';
import { leanModel, type FileModel } from '../analysis/model';
import { indexFiles, type IndexInput } from './pool';

export interface LoadedFile {
  name: string;
  /** Empty for a file that can have no finding (analysis/model.ts, leanModel). */
  text: string;
  lines: number;
}

export interface LoadResult {
  /** Files set in the workspace, in the order of the inputs (so output does not depend on thread timing). */
  loaded: LoadedFile[];
  skipped: Array<{ file: string; reason: string }>;
  errors: string[];
  /** How many summaries came from the on-disk cache. */
  cached: number;
}

export interface LoadOptions {
  /** Threads to analyse with, the calling one included (pool.ts's inline share); the number of cores by default. */
  jobs?: number;
  cacheDirectory?: string;
  onProgress?(done: number, total: number): void;
}

export async function loadWorkspace(workspace: Workspace, inputs: readonly IndexInput[], options: LoadOptions = {}): Promise<LoadResult> {
  const loaded: Array<LoadedFile & { index: number; model: FileModel }> = [];
  const skipped: LoadResult['skipped'] = [];
  const errors: string[] = [];
  let cached = 0;
  let done = 0;
  await indexFiles(inputs, {
    jobs: options.jobs,
    cacheDirectory: options.cacheDirectory,
    lean: true,
    // A tree analysed once is a batch job: this thread has nothing else to do until every model is in.
    inline: true,
    onResult(input, outcome, index) {
      const name = input.name ?? input.path;
      if (outcome.kind === 'model') {
        // The workers leave out a lean model's text; one from the cache comes with it.
        const model = leanModel(outcome.model);
        loaded.push({ name, text: model.text, lines: outcome.lines, index, model });
        if (outcome.cached) cached++;
      } else if (outcome.kind === 'skipped') {
        skipped.push({ file: name, reason: outcome.reason });
      } else if (outcome.kind === 'error') {
        errors.push(outcome.message);
      }
      options.onProgress?.(++done, inputs.length);
    },
  });
  // Models are set in the order of the inputs, not as the threads finish them: pairing reads the workspace's files in
  // order (the first definition of a struct or a function wins), and the findings must not depend on thread timing.
  loaded.sort((a, b) => a.index - b.index);
  for (const { model } of loaded) workspace.setModel(model);
  return { loaded: loaded.map(({ name, text, lines }) => ({ name, text, lines })), skipped, errors, cached };
}
