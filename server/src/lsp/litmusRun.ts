// One simulator run of a litmus text, summarised for editors; runs inside the litmus worker thread.
import { formatHerd, LitmusSyntaxError, parseLitmus, simulate, type SimulationResult } from '../simulator/index';
import type { LitmusRunResult } from './protocol';

export type LitmusOutcome = Omit<LitmusRunResult, 'uri'>;

export interface LitmusJob {
  text: string;
  fileName: string;
  timeoutMs: number;
  /** 0 for no bound. */
  maxExecutions: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  if (result.status === 'limit') return 'The run reached barrierLint.simulator.maxExecutions before all candidate executions were examined.';
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

/** Parses and simulates; never throws, a failure is an outcome with `ok: false`. */
export function runLitmusText(job: LitmusJob): LitmusOutcome {
  let test;
  try {
    test = parseLitmus(job.text, job.fileName);
  } catch (error) {
    const detail = error instanceof LitmusSyntaxError ? `line ${error.line}, column ${error.col}: ${error.detail}` : message(error);
    return { ok: false, summary: 'does not parse', explanation: detail, output: message(error) };
  }
  try {
    const result = simulate(test, { timeoutMs: job.timeoutMs, ...(job.maxExecutions > 0 ? { maxExecutions: job.maxExecutions } : {}) });
    return { ok: result.status === 'complete', summary: summarize(result), explanation: explain(result), output: formatHerd(result) };
  } catch (error) {
    return { ok: false, summary: 'simulator failed', explanation: message(error), output: message(error) };
  }
}
