// `barrier-lint litmus`: herd7 blocks for every file in one process, JSON witnesses, timeouts, exit status.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { litmus } from '../../server/src/cli/litmus';

const dir = mkdtempSync(path.join(tmpdir(), 'litmus-cli-'));
const write = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const sb = write(
  'SB.litmus',
  `C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`,
);
const broken = write('broken.litmus', 'C broken\n{}\nP0(int *x)\n{\n  WRITE_ONCE(*x 1);\n}\nexists (x=1)\n');

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await litmus.run(args, { stdout, stderr, cwd: dir });
  return { code, out, err };
}

describe('barrier-lint litmus', () => {
  it('prints herd7 blocks for every file and exits 2 when one does not parse', async () => {
    const { code, out, err } = await run([broken, sb]);
    expect(code).toBe(2);
    expect(err).toBe("broken.litmus:5:17: expected ')' but found '1'\n");
    expect(out).toContain('Test SB Allowed\nStates 4\n');
    expect(out).toContain('Observation SB Sometimes 1 3\n');
  });

  it('exits 0 when every test ran', async () => {
    expect((await run([sb])).code).toBe(0);
  });

  it('gives witnesses and the rejecting axioms as JSON', async () => {
    const { code, out } = await run([sb, '--json']);
    expect(code).toBe(0);
    const { results } = JSON.parse(out) as { results: Array<{ witnesses: unknown[]; herd: string; states: unknown[] }> };
    expect(results).toHaveLength(1);
    expect(results[0]!.witnesses).toHaveLength(results[0]!.states.length);
    expect(results[0]!.herd).toContain('Positive: 1 Negative: 3');
  });

  it('reports a missing file and bad options', async () => {
    expect((await run(['nope.litmus'])).err).toBe('barrier-lint litmus: nope.litmus: no such file\n');
    expect((await run([])).code).toBe(2);
    expect((await run([sb, '--timeout', 'soon'])).code).toBe(2);
  });
});
