// .litmus documents in the server: parse errors as diagnostics, and simulator runs cached per document version.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { formatHerd, LitmusSyntaxError, parseLitmus, simulate, type SimulationResult } from '../simulator/index';
import { DIAGNOSTIC_SOURCE } from './convert';
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

/** A CodeLens title's worth: herd7's observation (`Never 0 3`), or why the run stopped. */
function summarize(result: SimulationResult): string {
  if (result.status === 'error') return `error: ${result.message ?? 'simulation failed'}`;
  if (result.status !== 'complete') return `${result.status} after ${result.candidates} executions`;
  return `${result.observation} ${result.pos} ${result.neg}`;
}

/** What the observation means, in the words of the LKMM: which executions the model allows. */
function explain(result: SimulationResult): string {
  if (result.status === 'timeout') return 'The run exceeded barrierLint.simulator.timeoutMs before all candidate executions were examined.';
  if (result.status !== 'complete') return result.message ?? 'The run stopped before all candidate executions were examined.';
  const total = result.pos + result.neg;
  const condition = `\`${result.condition}\``;
  const satisfied =
    result.observation === 'Never'
      ? `none of the ${total} executions the LKMM allows satisfies ${condition}`
      : result.observation === 'Always'
        ? `all ${total} executions the LKMM allows satisfy ${condition}`
        : `${result.pos} of the ${total} executions the LKMM allows satisfy ${condition}`;
  return `${result.observation}: ${satisfied}.`;
}

function run(state: ServerState, document: TextDocument): LitmusRunResult {
  const { uri } = document;
  let test;
  try {
    test = parseLitmus(document.getText(), state.fileOf(uri));
  } catch (error) {
    const detail = error instanceof LitmusSyntaxError ? `line ${error.line}, column ${error.col}: ${error.detail}` : message(error);
    return { uri, ok: false, summary: 'does not parse', explanation: detail, output: message(error) };
  }
  try {
    const result = simulate(test, { timeoutMs: state.settings.simulator.timeoutMs });
    return {
      uri,
      ok: result.status === 'complete',
      summary: summarize(result),
      explanation: explain(result),
      output: formatHerd(result),
    };
  } catch (error) {
    state.logError(`simulating ${uri} failed`, error);
    return { uri, ok: false, summary: 'simulator failed', explanation: message(error), output: message(error) };
  }
}

/** The result of simulating the document's current text, computed once per version. */
export function litmusResult(state: ServerState, document: TextDocument): LitmusRunResult {
  const cached = state.litmusResults.get(document.uri);
  if (cached !== undefined && cached.version === document.version) return cached.result;
  const result = run(state, document);
  state.litmusResults.set(document.uri, { version: document.version, result });
  return result;
}

/** The cached result for the document's current text, without running anything. */
export function cachedLitmusResult(state: ServerState, document: TextDocument): LitmusRunResult | undefined {
  const cached = state.litmusResults.get(document.uri);
  return cached?.version === document.version ? cached.result : undefined;
}
