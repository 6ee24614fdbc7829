// Bounds and cancellation: a run over its time or execution bound, or aborted, stops with a clear status and block.
import { describe, expect, it } from 'vitest';
import { formatHerd, parseLitmus, simulate } from '../../server/src/simulator/index';

/** An IRIW-like test with `readers` reading processes: 4^readers candidate executions. */
function manyReaders(readers: number): string {
  const procs = [`P0(int *x, int *y)\n{\n  WRITE_ONCE(*x, 1);\n  WRITE_ONCE(*y, 1);\n}`];
  for (let p = 1; p <= readers; p++) {
    procs.push(`P${p}(int *x, int *y)\n{\n  int r0; int r1;\n  r0 = READ_ONCE(*x);\n  smp_mb();\n  r1 = READ_ONCE(*y);\n}`);
  }
  return `C many-readers\n{}\n${procs.join('\n')}\nexists (1:r0=1 /\\ 1:r1=0)\n`;
}

describe('simulate bounds', () => {
  it('stops at maxExecutions with status limit', () => {
    const result = simulate(parseLitmus(manyReaders(3)), { maxExecutions: 5 });
    expect(result.status).toBe('limit');
    expect(result.candidates).toBe(5);
    expect(formatHerd(result)).toBe(
      'Test many-readers Allowed\nStopped at the execution bound: 5 candidate executions examined, result incomplete\n',
    );
  });

  it('stops at the timeout with status timeout', () => {
    const result = simulate(parseLitmus(manyReaders(9)), { timeoutMs: 50 });
    expect(result.status).toBe('timeout');
    expect(formatHerd(result)).toMatch(/^Test many-readers Allowed\nTimeout after \d+\.\ds: \d+ candidate executions examined, result incomplete\n$/);
  });

  it('enumerates coherence orders lazily, so a location with many writes times out instead of exhausting memory', () => {
    const procs = [0, 1, 2, 3, 4, 5, 6].map((p) => `P${p}(int *x) { WRITE_ONCE(*x, ${2 * p + 1}); WRITE_ONCE(*x, ${2 * p + 2}); }`);
    const result = simulate(parseLitmus(`C many-writes\n{}\n${procs.join('\n')}\nexists (x=1)\n`), { timeoutMs: 200 });
    expect(result.status).toBe('timeout');
  });

  it('honours an aborted signal', () => {
    const controller = new AbortController();
    controller.abort();
    const result = simulate(parseLitmus(manyReaders(2)), { signal: controller.signal });
    expect(result.status).toBe('cancelled');
  });

  it('completes the same test without bounds', () => {
    const result = simulate(parseLitmus(manyReaders(2)));
    expect(result.status).toBe('complete');
    expect(result.candidates).toBe(16);
  });

  it('reports a test it cannot run as an error result', () => {
    const result = simulate(parseLitmus('C bad\n{}\nP0(int *x)\n{\n  WRITE_ONCE(*x, 1);\n}\nexists (3:r0=1)\n'));
    expect(result.status).toBe('error');
    expect(result.message).toBe('the condition names 3:r0 but there is no process P3');
  });
});
