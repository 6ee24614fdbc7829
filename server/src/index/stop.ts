// Stopping an index worker without terminating it. Worker.terminate() while a thread is inside tree-sitter's native
// code (the parser's callbacks, node methods) throws a C++ Napi::Error nothing catches and aborts the whole process,
// so a worker past its budget is retired instead: its parses give up, it exits by itself after its current file.
import Parser from 'tree-sitter';
import type { Worker } from 'node:worker_threads';

/** Slot of the Int32Array a worker shares with the pool: 1 once the pool has retired the worker. */
const RETIRED = 0;

/** The message that asks a worker to exit once it is idle. */
export const RETIRE = 'retire';

export function createFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/**
 * In a worker: once retired, a parse under way gives up at its next progress check and no new parse starts, so the
 * file it was working on ends soon (as a refusal nobody reads) and the thread can exit.
 */
export function guardParser(flags: Int32Array): void {
  const parse = Parser.prototype.parse;
  Parser.prototype.parse = function guardedParse(this: Parser, input, oldTree, options) {
    if (Atomics.load(flags, RETIRED) === 1) throw new Error('stopped: over its time budget');
    const progress = options?.progressCallback;
    return parse.call(this, input, oldTree, {
      ...options,
      progressCallback: (index: number, hasError: boolean) => Atomics.load(flags, RETIRED) === 1 || (progress?.(index, hasError) ?? false),
    });
  } as typeof parse;
}

/** Whether the pool retired the worker (results it still posts are stale). */
export function retired(flags: Int32Array): boolean {
  return Atomics.load(flags, RETIRED) === 1;
}

/**
 * In the pool: retires a worker. It exits when it reads the message, i.e. after its current file; it no longer keeps
 * the process alive.
 */
export function retire(worker: Worker, flags: Int32Array): void {
  Atomics.store(flags, RETIRED, 1);
  worker.removeAllListeners();
  // A worker that has already exited (it crashed) cannot take the message; nothing is left to stop.
  worker.on('error', () => undefined);
  if (worker.threadId >= 0) {
    lingering.add(worker);
    worker.once('exit', () => lingering.delete(worker));
  }
  worker.postMessage(RETIRE);
  worker.unref();
}

/** Retired workers that have not exited yet. */
const lingering = new Set<Worker>();

/**
 * Waits, at most `ms`, for every retired worker to exit; resolves to whether they all did. A process that ends while one is still inside tree-sitter's
 * native code terminates it there, which aborts the process (as Worker.terminate() would): a command calls this
 * before it returns.
 */
export function retiredWorkersExited(ms: number): Promise<boolean> {
  if (lingering.size === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    // Referenced, so the process waits for it (retired workers no longer keep it alive).
    const timer = setTimeout(() => resolve(lingering.size === 0), ms);
    const check = (): void => {
      if (lingering.size > 0) return;
      clearTimeout(timer);
      resolve(true);
    };
    for (const worker of lingering) worker.once('exit', () => setImmediate(check));
  });
}
