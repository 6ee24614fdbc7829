// Tests of `barrier-lint scenario FILE:LINE`: the litmus text of each pairing on a line, and its simulated result.
import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../server/src/cli/scenario';
import { parseLitmus } from '../../server/src/simulator/index';

const root = path.resolve(__dirname, '../..');

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function runScenario(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await scenario.run(args, { stdout: out.stream, stderr: err.stream, cwd: root });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('barrier-lint scenario', () => {
  it('prints the litmus test of the over-strong smp_mb() in mempool_free() and the simulator result', async () => {
    const { code, stdout } = await runScenario('examples/mempool-before.c:56');
    expect(code).toBe(0);
    const litmus = stdout.slice(0, stdout.indexOf('Test '));
    expect(() => parseLitmus(litmus)).not.toThrow();
    expect(litmus).toContain('P0: mempool_alloc() at examples/mempool-before.c:41');
    expect(litmus).toContain('\tsmp_mb();\n\tr1 = READ_ONCE(*x);');
    expect(stdout).toMatch(/Observation \S+ Sometimes/);
  });

  it('gives JSON with one scenario per pairing of the line', async () => {
    const { code, stdout } = await runScenario('examples/ipc-msg-after.c:111', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { scenarios: Array<{ kind: string; verdict: string; writer: { function: string }; herd: string }> };
    // The smp_rmb() orders the woken receiver's read of r_msg both after the wakeup (message then signal) and before
    // it proceeds (signal then store), for each of the three senders' paths.
    const pairs = parsed.scenarios.map((s) => `${s.kind} ${s.writer.function}`).sort();
    expect(pairs).toEqual([
      'message-signal expunge_all',
      'message-signal pipelined_send',
      'message-signal pipelined_send',
      'signal-store expunge_all',
      'signal-store pipelined_send',
      'signal-store pipelined_send',
    ]);
    expect(parsed.scenarios.every((s) => s.verdict === 'forbidden' && / Never /.test(s.herd))).toBe(true);
  });

  it('exits 1 for a line with no pairing and 2 for bad arguments', async () => {
    expect((await runScenario('examples/mempool-before.c:1')).code).toBe(1);
    expect((await runScenario('examples/mempool-before.c')).code).toBe(2);
    expect((await runScenario('examples/no-such-file.c:3')).code).toBe(2);
  });
});
