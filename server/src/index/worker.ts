// The index worker thread (bundled as dist/indexWorker.js): runs the tasks the pool posts and posts back results.
import { parentPort, workerData } from 'node:worker_threads';
import { SummaryCache } from './cache';
import { guardParser, RETIRE } from './stop';
import { runTask, type Task } from './task';

export interface WorkerData {
  /** Where summaries are cached, or undefined for no cache. */
  cacheDirectory?: string;
  /** The analysis version the pool computed, so every thread keys the cache alike. */
  codeVersion: string;
  /** The flags this thread shares with the pool (stop.ts). */
  flags: SharedArrayBuffer;
}

const data = workerData as WorkerData;
guardParser(new Int32Array(data.flags));
const cache = data.cacheDirectory === undefined ? undefined : new SummaryCache(data.cacheDirectory, data.codeVersion);

parentPort?.on('message', (task: Task | typeof RETIRE) => {
  // Exiting from here, between files, is the one safe way for a thread with native tree-sitter state to stop.
  if (task === RETIRE) process.exit(0);
  const result = runTask(task, cache);
  if (result.kind !== 'summary') {
    parentPort?.postMessage(result);
    return;
  }
  // A Buffer that is all of its memory (the serializer's are) is moved, not cloned, to the main thread; one that may
  // be a view into a pool shared with other Buffers is copied first.
  const { buffer, byteOffset, byteLength } = result.bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) {
    parentPort?.postMessage(result, [buffer]);
    return;
  }
  const bytes = new Uint8Array(result.bytes);
  parentPort?.postMessage({ ...result, bytes }, [bytes.buffer]);
});
