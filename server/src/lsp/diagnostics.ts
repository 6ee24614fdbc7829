// Publishing diagnostics: re-analyses a changed document after a quiet period, then republishes every open document.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from './convert';
import { litmusDiagnostics } from './litmus';
import { toDiagnostics } from './published';
import type { ServerState } from './state';

export function isLitmus(document: TextDocument): boolean {
  return document.languageId === 'litmus' || document.uri.endsWith('.litmus');
}

function diagnosticsFor(state: ServerState, document: TextDocument): Diagnostic[] {
  const file = state.fileOf(document.uri);
  const refusal = state.workspace.refusal(file);
  if (refusal !== undefined) {
    // Say so once, at the top, rather than leave an empty Problems list that reads as "no barrier mistakes".
    const top = { line: 0, character: 0 };
    return [
      {
        range: { start: top, end: top },
        severity: DiagnosticSeverity.Information,
        source: DIAGNOSTIC_SOURCE,
        message: `barrier-lint did not analyse this file: ${refusal}`,
      },
    ];
  }
  // Rules turned off and severities overridden in the settings are applied by the Workspace (see configuration.ts).
  // Marked as toDiagnostic's, so the stdio writer can copy the JSON of those unchanged since the last publication.
  // A diagnostic carries no fixes (code actions ask for them), so none are made.
  return toDiagnostics(state.workspace.findings(file, { fixes: false }), state);
}

function publish(state: ServerState, document: TextDocument): void {
  let diagnostics: Diagnostic[];
  try {
    diagnostics = isLitmus(document) ? litmusDiagnostics(state, document) : diagnosticsFor(state, document);
  } catch (error) {
    state.logError(`analysis of ${document.uri} failed`, error);
    diagnostics = [];
  }
  void state.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

/**
 * Republishes every open document (e.g. after settings change, the index learns files, or an edit that may change
 * pairs elsewhere), `first` at once and the others one per event-loop turn so requests are served in between. A newer
 * call abandons what an older one has not published yet, since it publishes those documents again.
 */
export function publishAll(state: ServerState, first?: TextDocument): void {
  const generation = ++state.publishGeneration;
  // A document whose analysis is pending publishes when it runs; publishing now would show the previous text's findings.
  const due = (document: TextDocument): boolean => state.documents.get(document.uri) !== undefined && !state.pendingAnalyses.has(document.uri);
  const queue = state.documents.all().filter((document) => document !== first);
  if (first !== undefined && due(first)) publish(state, first);
  const next = (): void => {
    if (generation !== state.publishGeneration) return;
    const document = queue.shift();
    if (document === undefined) return;
    if (due(document)) publish(state, document);
    setImmediate(next);
  };
  setImmediate(next);
}

/** Feeds the document's current text to the analysis and republishes all open documents, since pairs cross files. */
function analyze(state: ServerState, uri: string): void {
  state.pendingAnalyses.delete(uri);
  const document = state.documents.get(uri);
  if (document === undefined) return;
  // A litmus test stands alone: only its own parse errors change.
  if (isLitmus(document)) {
    publish(state, document);
    return;
  }
  try {
    // An open document keeps its syntax tree in the Workspace, so an edit re-extracts only what it changed.
    state.workspace.editFile(state.fileOf(uri), document.getText());
  } catch (error) {
    state.logError(`parsing ${uri} failed`, error);
  }
  publishAll(state, document);
  state.pendingSettles.set(
    uri,
    setTimeout(() => settle(state, uri), SETTLE_MS),
  );
}

/** Quiet time after an edit before a document whose incremental re-parse left syntax errors is parsed afresh. */
const SETTLE_MS = 1000;

/** Parses a paused document afresh if its incremental tree may differ from a fresh one, and republishes if so. */
function settle(state: ServerState, uri: string): void {
  state.pendingSettles.delete(uri);
  const document = state.documents.get(uri);
  if (document === undefined || isLitmus(document)) return;
  try {
    if (state.workspace.settleFile(state.fileOf(uri))) publishAll(state, document);
  } catch (error) {
    state.logError(`parsing ${uri} failed`, error);
  }
}

/**
 * Schedules a re-analysis of the document `delayMs` from now, cancelling one still pending for it. A change that comes
 * at least `delayMs` after the document's previous change (the user had paused) is analysed at once: the quiet time
 * only gathers a burst of changes into one analysis at its end, and an isolated edit waits for nothing.
 */
export function scheduleAnalysis(state: ServerState, uri: string, delayMs: number): void {
  cancelAnalysis(state, uri);
  const now = performance.now();
  const previous = state.lastChanges.get(uri);
  state.lastChanges.set(uri, now);
  if (delayMs > 0 && previous !== undefined && now - previous >= delayMs) {
    analyze(state, uri);
    // The quiet time counts from the end of this analysis, so changes queued behind it still form a burst.
    state.lastChanges.set(uri, performance.now());
    return;
  }
  state.pendingAnalyses.set(
    uri,
    setTimeout(() => analyze(state, uri), delayMs),
  );
}

export function cancelAnalysis(state: ServerState, uri: string): void {
  for (const pending of [state.pendingAnalyses, state.pendingSettles]) {
    const timer = pending.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    pending.delete(uri);
  }
}

export function clearDiagnostics(state: ServerState, uri: string): void {
  void state.connection.sendDiagnostics({ uri, diagnostics: [] });
}
