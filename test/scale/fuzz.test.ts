// A sample of the fuzzer (`npm run fuzz` runs 10,000 cases): mutated kernel-style C never throws and stays in budget.
import { describe, expect, it } from 'vitest';
import { fuzz, fuzzCase } from '../../bench/fuzzing';
import { FILE_BUDGET_MS } from '../../server/src/index/pool';

describe('fuzzing', () => {
  it('mutates: cases differ from one another and from run to run of the seed only by index', () => {
    expect(fuzzCase(1, 0)).not.toBe(fuzzCase(1, 1));
    expect(fuzzCase(1, 5)).toBe(fuzzCase(1, 5));
    expect(fuzzCase(2, 5)).not.toBe(fuzzCase(1, 5));
  });

  it('finds no exception and no case over its budget in 60 cases, reporting progress as it goes', async () => {
    const seen: number[] = [];
    // The pool's budget is wall time, which a loaded machine stretches many times over (a case of 0.5 s of CPU has
    // taken 20 s at load average 14), so the sample gives the pool room and holds each case's own CPU time, measured
    // with one job, to the product's budget; a runaway case still fails, stopped at the longer budget.
    const report = await fuzz(60, { seed: 42, jobs: 1, budgetMs: 6 * FILE_BUDGET_MS, progressEvery: 20, onProgress: (progress) => seen.push(progress.done) });
    expect(report.failures).toEqual([]);
    expect(report.costliestCpuMs).toBeGreaterThan(0);
    expect(report.costliestCpuMs).toBeLessThan(FILE_BUDGET_MS);
    expect(report.cases).toBe(60);
    expect(report.done).toBe(60);
    // The run streams: progress comes while cases remain, the report closes it.
    expect(seen).toEqual([20, 40]);
    expect(report.slowestIndex).toBeGreaterThanOrEqual(0);
    expect(report.slowestIndex).toBeLessThan(60);
  }, 900_000);

  it('runs one range of a longer run: --first names the cases it checks', async () => {
    // The report names cases by their index in the whole run (7 and 8), not by their place in the range (0 and 1).
    const report = await fuzz(2, { seed: 42, first: 7, jobs: 1, budgetMs: 6 * FILE_BUDGET_MS });
    expect(report.failures).toEqual([]);
    expect([7, 8]).toContain(report.slowestIndex);
    expect([7, 8]).toContain(report.costliestIndex);
  }, 300_000);
});
