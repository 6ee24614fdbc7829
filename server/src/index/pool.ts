// The parallel indexer: worker threads summarise files (or take summaries from the cache) under a per-file time budget.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileModel } from '../analysis/model';
import { analysisVersion, SummaryCache } from './cache';
import { createFlags, retire, retired } from './stop';
import { decodeModel, StringPool } from './summary';
import { badSummary, summariseHere, type LocalResult, type Task, type TaskResult } from './task';
import type { WorkerData } from './worker';

/**
 * A file may take this long in a worker before the worker is stopped and the file skipped. It is above the parser's
 * own budget (analysis/parse.ts), so that budget fires first and this one only catches extraction that runs away.
 */
export const FILE_BUDGET_MS = 20_000;

/**
 * The calling thread's share (IndexOptions.inline) takes no file larger than this: its work cannot be stopped, so the
 * files that could run long go to the workers, whose budget can. Kernel sources are mostly well under it.
 */
export const INLINE_MAX_BYTES = 256 * 1024;

/**
 * How many files a worker holds beside the one it runs when the calling thread summarises too: that thread takes the
 * workers' results only between its own files, and a worker must not run dry meanwhile.
 */
const INLINE_QUEUE = 8;

export interface IndexInput {
  /** The path to read. */
  path: string;
  /** The name the model is built under; `path` when absent. */
  name?: string;
  /** The text, when the caller has it already; otherwise `path` is read by a worker. */
  text?: string;
}

export type IndexOutcome =
  | { kind: 'model'; model: FileModel; lines: number; cached: boolean; ms: number }
  | { kind: 'parsed'; lines: number; ms: number }
  | { kind: 'skipped'; reason: string }
  /** The message names the file. */
  | { kind: 'error'; message: string };

export interface IndexOptions {
  /** Worker threads; the number of cores by default. */
  jobs?: number;
  /** `parse` only parses each file (the benchmark's baseline); `summarise` (the default) builds models. */
  mode?: Task['mode'];
  /** Where summaries are cached across runs; no cache when absent. */
  cacheDirectory?: string;
  /** Files that can have no finding come back as lean models (analysis/model.ts), without their text. */
  lean?: boolean;
  /**
   * The calling thread summarises files too, beside one worker fewer (`summarise` mode, two jobs or more): its models
   * are not encoded, moved and decoded, and one isolate fewer compiles the analysis. For batch runs such as the CLI's;
   * a server's thread must stay free for its requests. Files over INLINE_MAX_BYTES are left to the workers.
   */
  inline?: boolean;
  /** Per-file time budget in milliseconds. */
  budgetMs?: number;
  /** Called once per input, in completion order; `index` is the input's position in `inputs`. */
  onResult(input: IndexInput, outcome: IndexOutcome, index: number): void;
  /** Polled before each file is handed out: true stops the run (a newer index pass superseded it). */
  cancelled?: () => boolean;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Starts one worker: the bundled dist/indexWorker.js beside the running bundle, or, when running from sources
 * (tests, tsx scripts), worker.ts compiled on the fly by tsx.
 */
function startWorker(shared: Omit<WorkerData, 'flags'>): { worker: Worker; flags: Int32Array } {
  const flags = createFlags();
  const workerData: WorkerData = { ...shared, flags: flags.buffer as SharedArrayBuffer };
  const bundled = path.join(__dirname, 'indexWorker.js');
  if (existsSync(bundled)) return { worker: new Worker(bundled, { workerData }), flags };
  const load = createRequire(__filename);
  const script = `require(${JSON.stringify(load.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'worker.ts'))});`;
  return { worker: new Worker(script, { eval: true, workerData }), flags };
}

interface Slot {
  worker: Worker;
  flags: Int32Array;
  /** The input being worked on, its index and when it was started. */
  busy?: { index: number; started: number; timer: NodeJS.Timeout };
  /**
   * The inputs posted to the worker to start next, so that it never waits for the main thread (busy decoding another
   * worker's model, or summarising a file of its own) to hand it one. Each one's budget starts when the result before
   * it arrives.
   */
  queued: number[];
}

/** Indexes the inputs across worker threads; resolves to false when `cancelled` stopped it early. */
export function indexFiles(inputs: readonly IndexInput[], options: IndexOptions): Promise<boolean> {
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), inputs.length));
  const budget = options.budgetMs ?? FILE_BUDGET_MS;
  const mode = options.mode ?? 'summarise';
  const inline = options.inline === true && mode === 'summarise' && jobs > 1;
  const depth = inline ? INLINE_QUEUE : 1;
  const data = { cacheDirectory: options.cacheDirectory, codeVersion: analysisVersion() };
  // Entries an older build wrote can never be read again; without this the cache would grow with every upgrade.
  if (options.cacheDirectory !== undefined) new SummaryCache(options.cacheDirectory, data.codeVersion).pruneOtherVersions();
  // One pool for the run: models of a tree repeat the same names and keywords (summary.ts).
  const strings = new StringPool();
  let next = 0;
  /** Inputs a replaced worker had queued, and those the calling thread leaves to workers, handed out before the others. */
  const requeued: number[] = [];
  let done = 0;
  const slots: Slot[] = [];

  return new Promise<boolean>((resolve) => {
    if (inputs.length === 0) {
      resolve(true);
      return;
    }
    let finished = false;
    const finish = (complete: boolean): void => {
      if (finished) return;
      finished = true;
      for (const slot of slots) {
        if (slot.busy !== undefined) clearTimeout(slot.busy.timer);
        retire(slot.worker, slot.flags);
      }
      resolve(complete);
    };

    const taskOf = (index: number, input: IndexInput): Task => ({ id: index, path: input.path, name: input.name ?? input.path, text: input.text, mode, lean: options.lean });

    /** Frees a slot of its file, which it gives back, or undefined when it had none (or the run is over). */
    const release = (slot: Slot): NonNullable<Slot['busy']> | undefined => {
      const busy = slot.busy;
      if (busy === undefined || finished) return undefined;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      return busy;
    };

    /** Starts the budget of a file the worker begins now. */
    const start = (slot: Slot, index: number): void => {
      const timer = setTimeout(() => {
        const limit = budget >= 1000 ? `${budget / 1000} s` : `${budget} ms`;
        replace(slot, { kind: 'skipped', reason: `analysis took longer than ${limit}` });
      }, budget);
      slot.busy = { index, started: performance.now(), timer };
    };

    /** Hands a file's outcome to the caller, unless the run was cancelled meanwhile. */
    const complete = (index: number, outcome: IndexOutcome): void => {
      if (finished) return;
      const input = inputs[index];
      if (input !== undefined) {
        try {
          options.onResult(input, outcome, index);
        } catch {
          // A failing consumer must not stop the other files; the consumer reports its own failures.
        }
      }
      done++;
      if (done === inputs.length) finish(true);
    };

    const failure = (slot: Slot, why: string): IndexOutcome => {
      const input = slot.busy === undefined ? undefined : inputs[slot.busy.index];
      return { kind: 'error', message: `analysis of '${input?.name ?? input?.path ?? '?'}' failed: ${why}` };
    };

    /** Replaces a worker that timed out or died; its file is settled with `outcome`, its queued one goes to another. */
    const replace = (slot: Slot, outcome: IndexOutcome): void => {
      retire(slot.worker, slot.flags);
      const busy = release(slot);
      requeued.push(...slot.queued);
      slot.queued = [];
      if (!finished) {
        Object.assign(slot, startWorker(data));
        listen(slot);
      }
      if (busy === undefined) return;
      complete(busy.index, outcome);
      dispatch(slot);
    };

    const listen = (slot: Slot): void => {
      const { worker } = slot;
      worker.on('message', (result: TaskResult) => {
        // A worker past its budget may still answer before it stops; the file is settled as over budget instead.
        if (slot.busy === undefined || result.id !== slot.busy.index || retired(slot.flags)) return;
        const busy = release(slot);
        if (busy === undefined) return;
        const ms = performance.now() - busy.started;
        // The worker has started its next file; another is queued before this one's model is decoded here.
        const following = slot.queued.shift();
        if (following !== undefined) start(slot, following);
        dispatch(slot);
        complete(busy.index, toOutcome(result, inputs[busy.index], ms, strings));
      });
      worker.on('error', (error) => replace(slot, failure(slot, `its worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!finished) replace(slot, failure(slot, `its worker exited with code ${code}`));
      });
    };

    /** Posts files to a worker until it has one running and its queue is full. */
    const dispatch = (slot: Slot): void => {
      while (!finished && (slot.busy === undefined || slot.queued.length < depth)) {
        if (options.cancelled?.() === true) {
          finish(false);
          return;
        }
        const index = requeued.shift() ?? (next < inputs.length ? next++ : undefined);
        const input = index === undefined ? undefined : inputs[index];
        if (index === undefined || input === undefined) return;
        if (slot.busy === undefined) start(slot, index);
        else slot.queued.push(index);
        slot.worker.postMessage(taskOf(index, input));
      }
    };

    const cacheHere = inline && options.cacheDirectory !== undefined ? new SummaryCache(options.cacheDirectory, data.codeVersion) : undefined;
    /** The calling thread's share: one file per turn of the event loop, so that workers' results are taken between. */
    const summariseNext = (): void => {
      if (finished) return;
      if (options.cancelled?.() === true) {
        finish(false);
        return;
      }
      let index: number | undefined;
      while (index === undefined && next < inputs.length) {
        const candidate = next++;
        if (fitsInline(inputs[candidate]!)) index = candidate;
        else {
          requeued.push(candidate);
          for (const slot of slots) dispatch(slot);
        }
      }
      if (index === undefined) return;
      const input = inputs[index]!;
      const started = performance.now();
      complete(index, localOutcome(summariseHere(taskOf(index, input), cacheHere, strings), performance.now() - started));
      setImmediate(summariseNext);
    };

    for (let i = 0; i < (inline ? jobs - 1 : jobs); i++) {
      const slot: Slot = { ...startWorker(data), queued: [] };
      listen(slot);
      slots.push(slot);
    }
    for (const slot of slots) dispatch(slot);
    if (inline) setImmediate(summariseNext);
  });
}

function toOutcome(result: TaskResult, input: IndexInput | undefined, ms: number, strings: StringPool): IndexOutcome {
  switch (result.kind) {
    case 'summary':
      try {
        return { kind: 'model', model: decodeModel(result.bytes, result.text, strings), lines: result.lines, cached: result.cached, ms };
      } catch (error) {
        // A cache entry from a crashed writer or a different Node version: report it rather than trust it.
        return { kind: 'error', message: badSummary(input?.name ?? input?.path ?? '?', error) };
      }
    case 'parsed':
      return { kind: 'parsed', lines: result.lines, ms };
    case 'skipped':
      return { kind: 'skipped', reason: result.reason };
    case 'error':
      return { kind: 'error', message: result.message };
  }
}

/** Whether the calling thread may take the input (IndexOptions.inline); one it cannot size is read there, to report. */
function fitsInline(input: IndexInput): boolean {
  if (input.text !== undefined) return input.text.length <= INLINE_MAX_BYTES;
  try {
    return statSync(input.path).size <= INLINE_MAX_BYTES;
  } catch {
    return true;
  }
}

function localOutcome(result: LocalResult, ms: number): IndexOutcome {
  if (result.kind === 'model') return { ...result, ms };
  if (result.kind === 'skipped') return { kind: 'skipped', reason: result.reason };
  return { kind: 'error', message: result.message };
}
