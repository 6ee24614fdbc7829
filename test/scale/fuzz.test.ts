// A sample of the fuzzer (`npm run fuzz` runs 10,000 cases): mutated kernel-style C never throws and stays in budget.
import { describe, expect, it } from 'vitest';
import { fuzz, fuzzCase } from '../../bench/fuzzing';

describe('fuzzing', () => {
  it('mutates: cases differ from one another and from run to run of the seed only by index', () => {
    expect(fuzzCase(1, 0)).not.toBe(fuzzCase(1, 1));
    expect(fuzzCase(1, 5)).toBe(fuzzCase(1, 5));
  });

  it('finds no exception and no case over its budget in 60 cases', async () => {
    const report = await fuzz(60, { seed: 42 });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(60);
  }, 300_000);
});
