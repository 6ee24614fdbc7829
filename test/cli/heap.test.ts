// When `barrier-lint check` relaunches itself with a larger heap (cli/heap.ts), and that the relaunched run is the same run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { kernelStyleFile } from '../../bench/generate';
import { RELAUNCHED, relaunchHeapMb } from '../../server/src/cli/heap';

const GB = 1024 ** 3;

describe('relaunchHeapMb', () => {
  it('asks for three quarters of the memory when that is well above the current limit', () => {
    expect(relaunchHeapMb(4 * GB, 24 * GB, [], {})).toBe(16_384);
    expect(relaunchHeapMb(2 * GB, 8 * GB, [], {})).toBe(6144);
  });

  it('keeps the current heap when it is close to what it would ask for', () => {
    expect(relaunchHeapMb(4 * GB, 6 * GB, [], {})).toBeUndefined();
    expect(relaunchHeapMb(4 * GB, 2 * GB, [], {})).toBeUndefined();
  });

  it('never overrides a heap size the user chose, nor relaunches a relaunched process', () => {
    expect(relaunchHeapMb(2 * GB, 24 * GB, ['--max-old-space-size=3000'], {})).toBeUndefined();
    expect(relaunchHeapMb(2 * GB, 24 * GB, [], { NODE_OPTIONS: '--max_old_space_size=3000' })).toBeUndefined();
    expect(relaunchHeapMb(2 * GB, 24 * GB, [], { [RELAUNCHED]: '1' })).toBeUndefined();
  });
});

/**
 * A preload in `dir` that records each process's pid and main-thread heap limit, one line each: the NODE_OPTIONS that
 * load it, and the file it writes.
 */
function recordHeaps(dir: string): { nodeOptions: string; heaps: string } {
  const heaps = path.join(dir, 'heaps.txt');
  const preload = path.join(dir, 'heap-preload.js');
  const line = "process.pid + ' ' + require('v8').getHeapStatistics().heap_size_limit + '\\n'";
  writeFileSync(preload, `if (require('worker_threads').isMainThread) require('fs').appendFileSync(${JSON.stringify(heaps)}, ${line});\n`);
  return { nodeOptions: `--require ${preload}`, heaps };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('check relaunched with a larger heap', () => {
  const cli = path.resolve(__dirname, '../../dist/cli.js');

  it('passes a stopping signal sent to the first process on to the child, and exits as the signal ended it', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
    const env: Record<string, string | undefined> = { ...process.env };
    delete env[RELAUNCHED];
    delete env.NODE_OPTIONS;
    // Only where the check relaunches is there a child to stop.
    if (relaunchHeapMb(getHeapStatistics().heap_size_limit, totalmem(), [], env) === undefined) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-heap-signal-'));
    try {
      // Enough files that the check is still running when the signal comes.
      for (let k = 0; k < 300; k++) writeFileSync(path.join(dir, `f${k}.c`), kernelStyleFile(400, k + 1));
      const { nodeOptions, heaps } = recordHeaps(dir);
      const first = spawn(process.execPath, [cli, 'check', '--no-cache', '--jobs', '1', '.'], { cwd: dir, env: { ...env, NODE_OPTIONS: nodeOptions }, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
      const pids = async (): Promise<number[]> => {
        for (;;) {
          const lines = existsSync(heaps) ? readFileSync(heaps, 'utf8').trim().split('\n') : [];
          if (lines.length >= 2) return lines.map((line) => Number(line.split(' ')[0]));
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const [parent, child] = await pids();
      expect(parent).toBe(first.pid);
      process.kill(parent!, 'SIGTERM');
      expect(await exited).toBe(143);
      for (let waited = 0; alive(child!) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(alive(child!)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('runs in a child with the larger heap, printing what a run in the first process prints, with its exit code', () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
    const dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-heap-'));
    try {
      writeFileSync(path.join(dir, 'publish.c'), 'void publish(int *flag)\n{\n\tsmp_wmb();\n\tWRITE_ONCE(*flag, 1);\n}\n');
      // Each process of the run records its main thread's heap limit: the first one, and the relaunched one if any.
      const { nodeOptions, heaps } = recordHeaps(dir);
      const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: nodeOptions };
      delete env[RELAUNCHED];
      const check = (extra: Record<string, string>) => {
        rmSync(heaps, { force: true });
        const result = spawnSync(process.execPath, [cli, 'check', '--no-cache', '--format', 'json', 'publish.c'], { cwd: dir, encoding: 'utf8', env: { ...env, ...extra } });
        return { ...result, heaps: readFileSync(heaps, 'utf8').trim().split('\n').map((line) => Number(line.split(' ')[1])) };
      };
      const wanted = relaunchHeapMb(getHeapStatistics().heap_size_limit, totalmem(), [], {});
      const relaunched = check({});
      const here = check({ [RELAUNCHED]: '1' });
      expect(here.heaps).toHaveLength(1);
      if (wanted === undefined) expect(relaunched.heaps).toHaveLength(1);
      else {
        expect(relaunched.heaps).toHaveLength(2);
        // V8 adds its young generation to the old space asked for.
        expect(relaunched.heaps[1]! / 1024 / 1024).toBeGreaterThanOrEqual(wanted);
      }
      expect(relaunched.status).toBe(1);
      expect(here.status).toBe(1);
      expect(relaunched.stdout).toBe(here.stdout);
      expect(relaunched.stdout).toContain('barrier-without-comment');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
