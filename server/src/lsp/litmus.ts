// .litmus documents in the server: parse errors as diagnostics, and simulator runs in a worker, cached per version.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { LitmusSyntaxError, parseLitmus } from '../simulator/index';
import { DIAGNOSTIC_SOURCE } from './convert';
import type { LitmusOutcome, LitmusJob } from './litmusRun';
import type { LitmusRunResult } from './protocol';
import type { ServerState } from './state';

/** The range of the token starting at a 1-based line:col, so the squiggle covers the word the parser stopped at. */
function errorRange(document: TextDocument, line: number, col: number): Range {
  const start = { line: Math.max(0, line - 1), character: Math.max(0, col - 1) };
  const offset = document.offsetAt(start);
  const token = /^(?:[A-Za-z0-9_]+|\S)/.exec(document.getText().slice(offset, offset + 200))?.[0] ?? '';
  return { start, end: document.positionAt(offset + Math.max(1, token.length)) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The test's header line (`C <name>`), which herd7 requires first: the first line that is not blank. */
export function headerLine(text: string): number {
  return Math.max(0, text.split('\n').findIndex((line) => line.trim() !== ''));
}

/** The line where the final condition (`exists`, `~exists`, `forall`) starts, or undefined if there is none. */
export function conditionLine(text: string): number | undefined {
  const index = text.split('\n').findIndex((line) => /^\s*(?:~\s*exists|exists|forall)\b/.test(line));
  return index < 0 ? undefined : index;
}

/** Parse errors of a .litmus document; an empty list when it parses. */
export function litmusDiagnostics(state: ServerState, document: TextDocument): Diagnostic[] {
  try {
    parseLitmus(document.getText(), state.fileOf(document.uri));
    return [];
  } catch (error) {
    if (error instanceof LitmusSyntaxError) {
      return [
        {
          range: errorRange(document, error.line, error.col),
          severity: DiagnosticSeverity.Error,
          code: 'litmus-syntax',
          source: DIAGNOSTIC_SOURCE,
          message: error.detail,
        },
      ];
    }
    state.logError(`parsing ${document.uri} failed`, error);
    return [];
  }
}

/** Extra time past the simulator's own budget before the worker is terminated from outside (e.g. a stuck parse). */
const GRACE_MS = 2_000;

/** A simulator run in flight for one version of a document. */
export interface LitmusRun {
  version: number;
  promise: Promise<LitmusRunResult>;
  cancel(): void;
}

/** A job running in the litmus worker; `cancel` settles it at once and terminates the worker. */
export interface WorkerRun {
  promise: Promise<LitmusOutcome>;
  cancel(): void;
}

/** Runs one litmus job in a fresh worker thread, stopped from outside if it overruns its budget. */
export function runInWorker(state: ServerState, job: LitmusJob): WorkerRun {
  let finish: (outcome: LitmusOutcome) => void = () => undefined;
  const promise = new Promise<LitmusOutcome>((resolve) => {
    // The worker bundle sits beside this one in dist/.
    const worker = new Worker(path.join(__dirname, 'litmusWorker.js'), { workerData: job });
    const failed = (why: string): LitmusOutcome => ({ ok: false, summary: 'simulator failed', explanation: why, output: why });
    let done = false;
    finish = (outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      const why = `The run exceeded barrierLint.simulator.timeoutMs (${job.timeoutMs} ms) and was stopped.`;
      finish({ ok: false, summary: 'timeout', explanation: why, output: why });
    }, job.timeoutMs + GRACE_MS);
    worker.once('message', (outcome: LitmusOutcome) => finish(outcome));
    worker.once('error', (error) => {
      state.logError(`simulating ${job.fileName} failed`, error);
      finish(failed(message(error)));
    });
    worker.once('exit', (code) => finish(failed(`the simulator worker exited with code ${code}`)));
  });
  const cancelled = 'A newer version of the test replaced this run.';
  return { promise, cancel: () => finish({ ok: false, summary: 'cancelled', explanation: cancelled, output: cancelled }) };
}

function startRun(state: ServerState, document: TextDocument): LitmusRun {
  const { uri, version } = document;
  const job: LitmusJob = { text: document.getText(), fileName: state.fileOf(uri), ...state.settings.simulator };
  const run = runInWorker(state, job);
  return { version, promise: run.promise.then((outcome) => ({ uri, ...outcome })), cancel: run.cancel };
}

/** Stops the run in flight for a document, if any (its text changed or it closed). */
export function cancelLitmusRun(state: ServerState, uri: string): void {
  state.litmusRuns.get(uri)?.cancel();
  state.litmusRuns.delete(uri);
}

/** The result of simulating the document's current text: cached per version, one run in flight per document. */
export function litmusResult(state: ServerState, document: TextDocument): Promise<LitmusRunResult> {
  const cached = cachedLitmusResult(state, document);
  if (cached !== undefined) return Promise.resolve(cached);
  const running = state.litmusRuns.get(document.uri);
  if (running?.version === document.version) return running.promise;
  cancelLitmusRun(state, document.uri);
  const run = startRun(state, document);
  state.litmusRuns.set(document.uri, run);
  void run.promise.then((result) => {
    if (state.litmusRuns.get(document.uri) !== run) return;
    state.litmusRuns.delete(document.uri);
    state.litmusResults.set(document.uri, { version: run.version, result });
  });
  return run.promise;
}

/** The cached result for the document's current text, without running anything. */
export function cachedLitmusResult(state: ServerState, document: TextDocument): LitmusRunResult | undefined {
  const cached = state.litmusResults.get(document.uri);
  return cached?.version === document.version ? cached.result : undefined;
}
