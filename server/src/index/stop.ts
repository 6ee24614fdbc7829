// Stopping an index worker safely. Terminating a thread while tree-sitter's native parser is calling back into
// JavaScript (its input and progress callbacks) aborts the whole process, so a worker says when it is in the parser,
// and a stop first asks the parser to give up and waits for it to return.
import Parser from 'tree-sitter';
import type { Worker } from 'node:worker_threads';

/** Slots of the Int32Array a worker shares with the pool. */
const IN_PARSE = 0;
const STOP = 1;

export function createFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * In a worker: wraps the parser so every parse is marked, a parse under way gives up once a stop is requested, and
 * none starts after it. The store-then-load order on both sides (Atomics are sequentially consistent) means either
 * the worker sees the stop or the pool sees the parse.
 */
export function guardParser(flags: Int32Array): void {
  const parse = Parser.prototype.parse;
  Parser.prototype.parse = function guardedParse(this: Parser, input, oldTree, options) {
    Atomics.store(flags, IN_PARSE, 1);
    try {
      if (Atomics.load(flags, STOP) === 1) throw new Error('stopped: over its time budget');
      const progress = options?.progressCallback;
      return parse.call(this, input, oldTree, {
        ...options,
        progressCallback: (index: number, hasError: boolean) => Atomics.load(flags, STOP) === 1 || (progress?.(index, hasError) ?? false),
      });
    } finally {
      Atomics.store(flags, IN_PARSE, 0);
    }
  } as typeof parse;
}

/** Whether a stop was requested (results a stopped worker still posts are stale). */
export function stopRequested(flags: Int32Array): boolean {
  return Atomics.load(flags, STOP) === 1;
}

/** In the pool: stops a worker, waiting while it is inside the parser (which gives up at its next progress check). */
export async function stopWorker(worker: Worker, flags: Int32Array): Promise<void> {
  Atomics.store(flags, STOP, 1);
  while (Atomics.load(flags, IN_PARSE) === 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await worker.terminate();
}
