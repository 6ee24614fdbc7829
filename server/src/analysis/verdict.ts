// Verdicts: runs a scenario's litmus text through the bundled LKMM simulator, bounded in time and cached by text.
import { parseLitmus, simulate } from '../simulator/index';
import { litmusText, type Scenario } from './litmus';

/** `forbidden`: the model never reaches the bad outcome; `allowed`: some execution does; `unknown`: no answer. */
export type Verdict = 'forbidden' | 'allowed' | 'unknown';

export interface VerdictDetail {
  verdict: Verdict;
  litmus: string;
  /** The simulator's own words when it gave no answer (timeout, error). */
  reason?: string;
}

/** A scenario is two threads of a handful of events; anything slower than this is a simulator problem, not work. */
export const SCENARIO_TIMEOUT_MS = 2000;
const CACHE_LIMIT = 10_000;

/** Verdicts by litmus text; texts use generic names, so every pair of the same shape shares one run. */
const cache = new Map<string, VerdictDetail>();

export function judgeText(litmus: string): VerdictDetail {
  const known = cache.get(litmus);
  if (known !== undefined) return known;
  let detail: VerdictDetail;
  try {
    const result = simulate(parseLitmus(litmus), { timeoutMs: SCENARIO_TIMEOUT_MS });
    if (result.status !== 'complete') detail = { verdict: 'unknown', litmus, reason: result.message ?? result.status };
    else detail = { verdict: result.observation === 'Never' ? 'forbidden' : 'allowed', litmus };
  } catch (error) {
    detail = { verdict: 'unknown', litmus, reason: error instanceof Error ? error.message : String(error) };
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(litmus, detail);
  return detail;
}

/**
 * Verdicts by the scenario's own data (its JSON, cheaper to make than its litmus text): a workspace analysed again
 * after an edit judges the same scenarios as before, and building every pair's litmus text again dominated the time.
 */
const byScenario = new Map<string, Verdict>();

export function judge(scenario: Scenario): Verdict {
  const key = JSON.stringify(scenario);
  const known = byScenario.get(key);
  if (known !== undefined) return known;
  const verdict = judgeText(litmusText(scenario)).verdict;
  if (byScenario.size >= CACHE_LIMIT) byScenario.delete(byScenario.keys().next().value as string);
  byScenario.set(key, verdict);
  return verdict;
}
