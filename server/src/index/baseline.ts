// Baselines: fingerprints that survive unrelated edits, so `check --baseline FILE` reports only new findings.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Finding } from '../analysis/types';

/** The SARIF `partialFingerprints` key our fingerprints are written under. */
export const FINGERPRINT_KEY = 'barrierLint/v1';

/**
 * A finding's fingerprint: its rule, its file and the code on its line with blanks collapsed. Line numbers and
 * messages are left out on purpose, since both change when unrelated code above moves or a pair's other side moves.
 */
export function fingerprint(finding: Finding, text: string): string {
  const lineStart = text.lastIndexOf('\n', finding.range.start - 1) + 1;
  const newline = text.indexOf('\n', finding.range.start);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline).replace(/\s+/g, ' ').trim();
  return createHash('sha1').update(`${finding.ruleId}\0${finding.file}\0${line}`).digest('hex');
}

/** Fingerprint → how many findings had it, from our JSON output (`findings[].fingerprint`) or our SARIF. */
export async function readBaseline(file: string): Promise<Map<string, number>> {
  const data: unknown = JSON.parse(await readFile(file, 'utf8'));
  const prints: unknown[] = [];
  const record = data as { findings?: Array<{ fingerprint?: unknown }>; runs?: Array<{ results?: Array<{ partialFingerprints?: Record<string, unknown> }> }> };
  if (Array.isArray(record.findings)) {
    for (const finding of record.findings) prints.push(finding.fingerprint);
  } else if (Array.isArray(record.runs)) {
    for (const run of record.runs) for (const result of run.results ?? []) prints.push(result.partialFingerprints?.[FINGERPRINT_KEY]);
  } else {
    throw new Error('not a barrier-lint JSON or SARIF report');
  }
  const counts = new Map<string, number>();
  for (const print of prints) if (typeof print === 'string') counts.set(print, (counts.get(print) ?? 0) + 1);
  return counts;
}

/**
 * The findings the baseline does not account for. It is a multiset: with two identical findings in the baseline and
 * three now, one is new.
 */
export function newFindings<T>(findings: readonly T[], print: (finding: T) => string, baseline: ReadonlyMap<string, number>): T[] {
  const left = new Map(baseline);
  return findings.filter((finding) => {
    const key = print(finding);
    const count = left.get(key) ?? 0;
    if (count === 0) return true;
    left.set(key, count - 1);
    return false;
  });
}
