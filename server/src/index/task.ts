// One file's share of indexing, as plain messages: read it, summarise it (or take the summary from the cache).
import { buildFileModel, leanFromText, leanModel, type FileModel } from '../analysis/model';
import { parseC } from '../analysis/parse';
import { readSourceSync } from '../sources';
import { contentKey, type SummaryCache } from './cache';
import { lineCount } from './stats';
import { decodeModel, encodeModel, type StringPool } from './summary';

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
  const text = taskText(task);
  if (typeof text !== 'string') return text;
  if (task.mode === 'parse') {
    const parsed = parseC(text);
    if (!parsed.ok) return { id, kind: 'skipped', reason: parsed.reason };
    return { id, kind: 'parsed', lines: lineCount(text) };
  }
  const summary = summarise(task, text, cache);
  if (summary.kind === 'error') return summary;
  const { lines } = summary;
  if (summary.kind === 'hit') return { id, kind: 'summary', text, lines, bytes: summary.bytes, cached: true };
  const { model, key } = summary;
  const bytes = encodeModel(model);
  if (key !== undefined) cache?.put(key, bytes);
  // A lean model's text would only be copied to the reader to be dropped there.
  return { id, kind: 'summary', text: model.text === '' ? '' : text, lines, bytes, cached: false };
}

/** A summary built on the calling thread (pool.ts's inline share): the model itself, encoded only for the cache. */
export type LocalResult = { kind: 'model'; model: FileModel; lines: number; cached: boolean } | Extract<TaskResult, { kind: 'skipped' | 'error' }>;

export function summariseHere(task: Task, cache: SummaryCache | undefined, strings: StringPool): LocalResult {
  const text = taskText(task);
  if (typeof text !== 'string') return text;
  const summary = summarise(task, text, cache);
  if (summary.kind === 'error') return summary;
  const { lines } = summary;
  if (summary.kind === 'hit') {
    try {
      return { kind: 'model', model: decodeModel(summary.bytes, text, strings), lines, cached: true };
    } catch (error) {
      return { id: task.id, kind: 'error', message: badSummary(task.name, error) };
    }
  }
  if (summary.key !== undefined) cache?.put(summary.key, encodeModel(summary.model));
  // Strings of a model built here are slices of its file's text, which a lean model no longer holds: copies keep the
  // text from staying alive through them.
  strings.internAll(summary.model, true);
  return { kind: 'model', model: summary.model, lines, cached: false };
}

export const badSummary = (name: string, error: unknown): string =>
  `analysis of '${name}' failed: bad summary: ${error instanceof Error ? error.message : String(error)}`;

/** The task's text, read when the task does not carry it; or why there is none. */
function taskText(task: Task): string | Extract<TaskResult, { kind: 'skipped' | 'error' }> {
  if (task.text !== undefined) return task.text;
  const read = readSourceSync(task.path);
  if (read.ok) return read.text;
  if ('skipped' in read) return { id: task.id, kind: 'skipped', reason: read.skipped };
  return { id: task.id, kind: 'error', message: `cannot read '${task.name}': ${read.error}` };
}

/** The model of a text (lean when asked) and the cache key to store it under, or the cache's bytes for it. */
function summarise(
  task: Task,
  text: string,
  cache: SummaryCache | undefined,
): { kind: 'built'; model: FileModel; lines: number; key?: string } | { kind: 'hit'; lines: number; bytes: Uint8Array } | Extract<TaskResult, { kind: 'error' }> {
  const lean = task.lean === true;
  const lines = lineCount(text);
  const key = cache === undefined ? undefined : contentKey(task.name, text, lean);
  const hit = key === undefined ? undefined : cache?.get(key);
  // A cached summary goes back with its text, which the reader drops if the model is lean (load.ts).
  if (hit !== undefined) return { kind: 'hit', lines, bytes: hit };
  try {
    const model = lean ? (leanFromText(task.name, text) ?? leanModel(buildFileModel(task.name, text))) : buildFileModel(task.name, text);
    return { kind: 'built', model, lines, key };
  } catch (error) {
    return { id: task.id, kind: 'error', message: `analysis of '${task.name}' failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
