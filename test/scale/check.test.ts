// The issue-5 options of `barrier-lint check` (the built CLI): --jobs, the cache, --baseline, suppressions, the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const uncommented = (name: string): string => `void ${name}(int *flag)\n{\n\tsmp_wmb();\n\tWRITE_ONCE(*flag, 1);\n}\n`;
const cli = path.resolve(__dirname, '../../dist/cli.js');

/** Runs the built executable, as users and CI do, so the bundled worker (dist/indexWorker.js) is the one exercised. */
async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-scale-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commentRule = '[barrier-without-comment]';

describe('check over many files', () => {
  it('prints the same findings with one job or several, and a closing summary on stderr', async () => {
    for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, `f${i}.c`), uncommented(`publish${i}`));
    const one = await run(['check', '--jobs', '1', '--no-cache', '.'], dir);
    const three = await run(['check', '--jobs', '3', '--no-cache', '.'], dir);
    expect(one.code).toBe(1);
    expect(three.stdout).toBe(one.stdout);
    expect(one.stdout.split('\n').filter((line) => line.endsWith(commentRule))).toHaveLength(5);
    expect(one.stderr).toMatch(/barrier-lint: 5 files, 25 lines, 10 barrier sites, \d+ pairs?, \d+ findings? in [\d.]+ s/);
    expect(one.stderr).toMatch(/\s5 {2}barrier-without-comment/);
    // Not a terminal: no progress bar.
    expect(one.stderr).not.toContain('\r');
  });

  it('writes the cache under the working directory and reads it on the next run', async () => {
    const first = await run(['check', '.'], dir);
    expect(existsSync(path.join(dir, '.barrier-lint-cache'))).toBe(true);
    const second = await run(['check', '.'], dir);
    expect(second.stderr).toContain('(5 from cache)');
    expect(second.stdout).toBe(first.stdout);
  });

  it('rejects a --jobs that is not a positive whole number', async () => {
    expect((await run(['check', '--jobs', '0', '.'], dir)).code).toBe(2);
    expect((await run(['check', '--jobs', 'many', '.'], dir)).code).toBe(2);
  });
});

describe('--baseline', () => {
  it('reports only findings the JSON or SARIF baseline does not hold, even after the code moved', async () => {
    const base = path.join(dir, 'base');
    rmSync(base, { recursive: true, force: true });
    mkdirSync(base);
    writeFileSync(path.join(base, 'a.c'), uncommented('publish'));
    for (const format of ['json', 'sarif']) {
      const report = await run(['check', '--no-cache', '--format', format, 'a.c'], base);
      writeFileSync(path.join(base, `baseline.${format}`), report.stdout);
    }
    // Unrelated lines above move the old finding; a second barrier is new.
    writeFileSync(path.join(base, 'a.c'), `/* moved */\n\n${uncommented('publish')}${uncommented('publish2')}`);
    for (const format of ['json', 'sarif']) {
      const result = await run(['check', '--no-cache', '--baseline', `baseline.${format}`, 'a.c'], base);
      const flagged = result.stdout.split('\n').filter((line) => line.endsWith(commentRule));
      expect(flagged).toEqual([expect.stringMatching(/^a\.c:10:2: /)]);
    }
    const json = JSON.parse(readFileSync(path.join(base, 'baseline.json'), 'utf8')) as { findings: Array<{ fingerprint: string }> };
    expect(json.findings[0]?.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  });

  it('exits 2 with a clear message when the baseline is not a report', async () => {
    writeFileSync(path.join(dir, 'junk.json'), '{"hello": 1}');
    const result = await run(['check', '--baseline', 'junk.json', '.'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read baseline 'junk.json'");
  });
});

describe('suppression comments', () => {
  it('hide the named rule on the same line or the line after the comment, and nothing else', async () => {
    const sup = mkdtempSync(path.join(tmpdir(), 'barrier-lint-suppress-'));
    try {
      const sameLine = 'void a(int *f)\n{\n\tsmp_wmb(); /* barrier-lint: ignore barrier-without-comment */\n\tWRITE_ONCE(*f, 1);\n}\n';
      const lineBefore = 'void b(int *f)\n{\n\t// barrier-lint: ignore unpaired-barrier, barrier-without-comment\n\n\tsmp_wmb();\n}\n';
      const otherRule = 'void c(int *f)\n{\n\t/* barrier-lint: ignore missing-barrier */\n\tsmp_wmb();\n\tWRITE_ONCE(*f, 1);\n}\n';
      writeFileSync(path.join(sup, 'same.c'), sameLine);
      writeFileSync(path.join(sup, 'before.c'), lineBefore);
      writeFileSync(path.join(sup, 'other.c'), otherRule);
      const result = await run(['check', '--no-cache', 'same.c', 'before.c', 'other.c'], sup);
      const flagged = result.stdout.split('\n').filter((line) => line.endsWith(commentRule));
      expect(flagged.some((line) => line.startsWith('same.c'))).toBe(false);
      // A blank line separates the comment from the barrier in before.c: two lines away is not suppressed.
      expect(flagged.some((line) => line.startsWith('before.c:5'))).toBe(true);
      expect(flagged.some((line) => line.startsWith('other.c'))).toBe(false);
    } finally {
      rmSync(sup, { recursive: true, force: true });
    }
  });
});
