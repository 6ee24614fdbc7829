// Loads many files into an analysis Workspace through the parallel indexer: what the CLI's check runs over a tree.
import type { Workspace } from '../analysis/index';
import { indexFiles, type IndexInput } from './pool';
import { lineCount } from './stats';

export interface LoadedFile {
  name: string;
  /** Empty for a file that can have no finding (see loadWorkspace). */
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
  jobs?: number;
  cacheDirectory?: string;
  onProgress?(done: number, total: number): void;
}

export async function loadWorkspace(workspace: Workspace, inputs: readonly IndexInput[], options: LoadOptions = {}): Promise<LoadResult> {
  const position = new Map(inputs.map((input, index) => [input, index]));
  const loaded: Array<LoadedFile & { index: number }> = [];
  const skipped: LoadResult['skipped'] = [];
  const errors: string[] = [];
  let cached = 0;
  let done = 0;
  await indexFiles(inputs, {
    jobs: options.jobs,
    cacheDirectory: options.cacheDirectory,
    onResult(input, outcome) {
      const name = input.name ?? input.path;
      if (outcome.kind === 'model') {
        const { model } = outcome;
        const lines = lineCount(model.text);
        // Findings come from sites and walked functions; a file with neither matters to pairing only through its
        // declarations and stubs, so its text is not held (in a whole tree most files are such headers and drivers).
        const lean = model.sites.length === 0 && model.functions.length === 0 && model.refused === undefined;
        workspace.setModel(lean ? { ...model, text: '', lineStarts: [], comments: [] } : model);
        loaded.push({ name, text: lean ? '' : model.text, lines, index: position.get(input) ?? 0 });
        if (outcome.cached) cached++;
      } else if (outcome.kind === 'skipped') {
        skipped.push({ file: name, reason: outcome.reason });
      } else if (outcome.kind === 'error') {
        errors.push(outcome.message);
      }
      options.onProgress?.(++done, inputs.length);
    },
  });
  loaded.sort((a, b) => a.index - b.index);
  return { loaded: loaded.map(({ name, text, lines }) => ({ name, text, lines })), skipped, errors, cached };
}
