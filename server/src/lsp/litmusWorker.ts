// Worker-thread entry (bundled to dist/litmusWorker.js): runs one litmus job off the server's main thread, so a long
// simulation neither blocks requests nor survives the edit that made it stale (the server terminates the worker).
import { parentPort, workerData } from 'node:worker_threads';
import { runLitmusText, type LitmusJob } from './litmusRun';

parentPort?.postMessage(runLitmusText(workerData as LitmusJob));
