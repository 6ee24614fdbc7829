// Custom protocol between the barrier-lint server and this client, mirroring server/src/lsp/protocol.ts (a test compares).

/** Commands the server executes (`workspace/executeCommand`); any LSP client can invoke them, e.g. from a CodeLens. */
export const ServerCommands = {
  /** Arguments: `[uri]` of a .litmus document. Result: `LitmusRunResult`. */
  runLitmus: 'barrierLint.server.runLitmus',
  /** No arguments. Result: the number of files the index lists once the latest re-index finishes. */
  reindex: 'barrierLint.server.reindex',
  /** Arguments: `[uri, position]` of a barrier or paired access. Result: `BarrierScenario[]`, each run. */
  scenarios: 'barrierLint.server.scenarios',
  /** Arguments: `[uri, position]`. Result: `PlainLocation[]` of the other side of each pairing. */
  pairings: 'barrierLint.server.pairings',
} as const;

/** An LSP Location, spelled out so this file needs no protocol library on either side. */
export interface PlainLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** One pairing of the barrier at a position: the scenario the analyser extracted, and the simulator's run of it. */
export interface BarrierScenario {
  /** The catalogue-style name, e.g. `MP+wmb+rmb`. */
  name: string;
  /** `forbidden`, `allowed` or `unknown`: whether the LKMM lets the bad outcome happen. */
  verdict: string;
  /** One sentence: the two functions, the verdict and, when allowed, which side needs what. */
  summary: string;
  sides: Array<{ role: 'writer' | 'reader'; function: string; location: PlainLocation }>;
  /** The litmus test, runnable as a .litmus file (or with herd7). */
  litmus: string;
  /** The simulator's result in herd7's format. */
  output: string;
}

/** The outcome of running one litmus test through the simulator, as shown in a CodeLens, a hover and a document. */
export interface LitmusRunResult {
  uri: string;
  /** False when the test did not parse, the simulator failed or the run exceeded its time budget. */
  ok: boolean;
  /** A few words, e.g. `Never 0 3` (herd7's observation) or why the run failed, for a CodeLens title. */
  summary: string;
  /** One sentence saying what the summary means for the test's condition, for a hover. */
  explanation: string;
  /** The full result in herd7's output format, or the error message. */
  output: string;
}

/** Notifications the server sends; only to clients that ask with `initializationOptions: { statusNotification: true }`. */
export const ServerNotifications = {
  /** Params: `StatusParams`. Sent when indexing starts, as it progresses, and when it finishes. */
  status: 'barrierLint/status',
} as const;

export interface StatusParams {
  state: 'indexing' | 'idle';
  /** Files indexed so far (`indexing`) or in the index (`idle`). */
  files: number;
  /** Files the current pass will read; present while indexing. */
  total?: number;
}

export interface InitializationOptions {
  statusNotification?: boolean;
  /** A directory the server may keep its index cache in (the extension's storage); no cache when absent. */
  cacheDirectory?: string;
}
