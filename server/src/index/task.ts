// One file's share of indexing, as plain messages: read it, summarise it (or take the summary from the cache).
import { buildFileModel, leanModel } from '../analysis/model';
import { parseC } from '../analysis/parse';
import { readSourceSync } from '../sources';
import { contentKey, type SummaryCache } from './cache';
import { lineCount } from './stats';
import { encodeModel } from './summary';

export interface Task {
  id: number;
  /** The path to read. */
  path: string;
  /** The name the model is built under (the CLI's display path, the server's absolute path). */
  name: string;
  /** The text, when the caller has it already (an open editor buffer, a benchmark); otherwise `path` is read. */
  text?: string;
  /** `parse` only parses (the benchmark's baseline) and returns no model. */
  mode: 'summarise' | 'parse';
  /** Return a file that can have no finding as its lean model (model.ts), without its text. */
  lean?: boolean;
}

export type TaskResult =
  | { id: number; kind: 'summary'; text: string; lines: number; bytes: Uint8Array; cached: boolean }
  | { id: number; kind: 'parsed'; lines: number }
  /** Not analysed, on purpose: binary, not UTF-8, too large, over its time budget. */
  | { id: number; kind: 'skipped'; reason: string }
  /** Could not be read, or failed in a way that is a bug of ours; the message names the file. */
  | { id: number; kind: 'error'; message: string };

export function runTask(task: Task, cache: SummaryCache | undefined): TaskResult {
  const { id } = task;
  let text = task.text;
  if (text === undefined) {
    const read = readSourceSync(task.path);
    if (!read.ok) {
      if ('skipped' in read) return { id, kind: 'skipped', reason: read.skipped };
      return { id, kind: 'error', message: `cannot read '${task.name}': ${read.error}` };
    }
    text = read.text;
  }
  if (task.mode === 'parse') {
    const parsed = parseC(text);
    if (!parsed.ok) return { id, kind: 'skipped', reason: parsed.reason };
    return { id, kind: 'parsed', lines: lineCount(text) };
  }
  const lean = task.lean === true;
  const lines = lineCount(text);
  const key = cache === undefined ? undefined : contentKey(task.name, text, lean);
  const hit = key === undefined ? undefined : cache?.get(key);
  // A cached summary goes back with its text, which the reader drops if the model is lean (load.ts).
  if (hit !== undefined) return { id, kind: 'summary', text, lines, bytes: hit, cached: true };
  try {
    const built = buildFileModel(task.name, text);
    const model = lean ? leanModel(built) : built;
    const bytes = encodeModel(model);
    if (key !== undefined) cache?.put(key, bytes);
    // A lean model's text would only be copied to the reader to be dropped there.
    return { id, kind: 'summary', text: model === built ? text : '', lines, bytes, cached: false };
  } catch (error) {
    return { id, kind: 'error', message: `analysis of '${task.name}' failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
