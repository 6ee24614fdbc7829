// The parallel indexer: worker threads build the same models as the analysis in-process, skip bad files with a
// reason, stop a file that runs over its budget, and stop handing out files when cancelled.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelStyleFile } from '../../bench/generate';
import { Workspace } from '../../server/src/analysis/index';
import { buildFileModel, leanModel } from '../../server/src/analysis/model';
import { loadWorkspace } from '../../server/src/index/load';
import { INLINE_MAX_BYTES, indexFiles, type IndexInput, type IndexOutcome } from '../../server/src/index/pool';
import { retiredWorkersExited } from '../../server/src/index/stop';
import { readSource } from '../../server/src/sources';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-pool-'));
  mkdirSync(path.join(dir, 'sub'));
  for (let i = 0; i < 6; i++) writeFileSync(path.join(dir, `sub/q${i}.c`), kernelStyleFile(150, i + 1));
  writeFileSync(path.join(dir, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(inputs: IndexInput[], options: { jobs?: number; budgetMs?: number; cacheDirectory?: string; cancelled?: () => boolean; inline?: boolean; lean?: boolean } = {}) {
  const outcomes = new Map<string, IndexOutcome>();
  const complete = await indexFiles(inputs, { ...options, onResult: (input, outcome) => outcomes.set(input.name ?? input.path, outcome) });
  return { complete, outcomes };
}

describe('indexFiles', () => {
  it('builds in worker threads exactly the models the analysis builds in-process, with any number of jobs', async () => {
    const inputs = Array.from({ length: 6 }, (_, i) => ({ path: path.join(dir, `sub/q${i}.c`), name: `sub/q${i}.c` }));
    for (const jobs of [1, 3]) {
      const { complete, outcomes } = await run(inputs, { jobs });
      expect(complete).toBe(true);
      expect(outcomes.size).toBe(6);
      for (const [i, input] of inputs.entries()) {
        const outcome = outcomes.get(input.name);
        expect(outcome?.kind).toBe('model');
        if (outcome?.kind !== 'model') continue;
        expect(outcome.model).toEqual(buildFileModel(input.name, kernelStyleFile(150, i + 1)));
      }
    }
  });

  it('skips binary files and reports unreadable ones by name', async () => {
    const { outcomes } = await run([{ path: path.join(dir, 'blob.c') }, { path: path.join(dir, 'missing.c') }]);
    expect(outcomes.get(path.join(dir, 'blob.c'))).toEqual({ kind: 'skipped', reason: 'binary file' });
    const missing = outcomes.get(path.join(dir, 'missing.c'));
    expect(missing?.kind).toBe('error');
    expect(missing?.kind === 'error' && missing.message).toContain('missing.c');
  });

  it('skips a pipe named like a source instead of blocking a worker (or the server) in its read', async () => {
    const pipe = path.join(dir, 'pipe.c');
    execFileSync('mkfifo', [pipe]);
    const { complete, outcomes } = await run([{ path: pipe }, { path: path.join(dir, 'sub/q0.c') }]);
    expect(complete).toBe(true);
    expect(outcomes.get(pipe)).toEqual({ kind: 'skipped', reason: 'not a regular file' });
    expect(outcomes.get(path.join(dir, 'sub/q0.c'))?.kind).toBe('model');
    // The server reads files it is told of through the asynchronous reader, which skips it alike.
    expect(await readSource(pipe)).toEqual({ ok: false, skipped: 'not a regular file' });
  });

  it('stops a file that runs over its budget, skips it with a note, and goes on with the others', async () => {
    const big = kernelStyleFile(20_000, 9);
    const { complete, outcomes } = await run(
      [
        { path: 'big.c', text: big },
        { path: 'small.c', text: 'int x;\n' },
      ],
      { jobs: 1, budgetMs: 5 },
    );
    expect(complete).toBe(true);
    expect(outcomes.get('big.c')).toEqual({ kind: 'skipped', reason: expect.stringMatching(/took longer than/) });
    // The replacement worker may itself be cut short by so small a budget; it must still answer for the file.
    expect(['model', 'skipped']).toContain(outcomes.get('small.c')?.kind);
    // The stopped worker gives up its parse and exits, which a command waits for before the process ends.
    expect(await retiredWorkersExited(20_000)).toBe(true);
  });

  it('hands out no more files once cancelled', async () => {
    const inputs = Array.from({ length: 20 }, (_, i) => ({ path: `f${i}.c`, text: `int x${i};\n` }));
    let seen = 0;
    const complete = await indexFiles(inputs, { jobs: 1, cancelled: () => seen >= 3, onResult: () => seen++ });
    expect(complete).toBe(false);
    expect(seen).toBe(3);
  });

  it('takes summaries from the cache on a second run', async () => {
    const cacheDirectory = path.join(dir, 'cache');
    const inputs = [{ path: path.join(dir, 'sub/q0.c') }];
    const first = await run(inputs, { cacheDirectory });
    const second = await run(inputs, { cacheDirectory });
    const [a, b] = [first.outcomes.get(inputs[0]!.path), second.outcomes.get(inputs[0]!.path)];
    expect(a?.kind === 'model' && a.cached).toBe(false);
    expect(b?.kind === 'model' && b.cached).toBe(true);
    if (a?.kind === 'model' && b?.kind === 'model') expect(b.model).toEqual(a.model);
  });
});

describe('indexFiles with the calling thread taking a share (inline)', () => {
  // More files than the workers hold at first (one running and eight queued each), so the calling thread takes some.
  const many = Array.from({ length: 30 }, (_, k) => ({ path: `g${k}.c`, text: kernelStyleFile(150, k + 1) }));
  const header = { path: 'plain.h', text: 'struct s { int a; };\nint f(struct s *p) { return p->a; }\n' };

  it('builds exactly the models the analysis builds in-process, lean ones included, with any number of jobs', async () => {
    for (const jobs of [2, 3]) {
      const { complete, outcomes } = await run([...many, header], { jobs, inline: true, lean: true });
      expect(complete).toBe(true);
      expect(outcomes.size).toBe(many.length + 1);
      for (const input of [...many, header]) {
        const outcome = outcomes.get(input.path);
        expect(outcome?.kind === 'model' && outcome.model).toEqual(leanModel(buildFileModel(input.path, input.text)));
      }
      expect(outcomes.get('plain.h')).toMatchObject({ kind: 'model', model: { text: '' } });
    }
  });

  it('leaves files over its size limit to the workers, whose budget stops them', async () => {
    const big = kernelStyleFile(20_000, 9);
    expect(big.length).toBeGreaterThan(INLINE_MAX_BYTES);
    const { complete, outcomes } = await run([...many, { path: 'big.c', text: big }], { jobs: 2, inline: true, budgetMs: 5 });
    expect(complete).toBe(true);
    expect(outcomes.get('big.c')).toEqual({ kind: 'skipped', reason: expect.stringMatching(/took longer than/) });
    expect(outcomes.size).toBe(many.length + 1);
    expect(await retiredWorkersExited(20_000)).toBe(true);
  });

  it('skips and reports bad files, takes summaries from the cache, and stops when cancelled', async () => {
    const bad = await run([...many.slice(0, 9), { path: path.join(dir, 'blob.c') }, { path: path.join(dir, 'missing.c') }], { jobs: 2, inline: true });
    expect(bad.outcomes.get(path.join(dir, 'blob.c'))).toEqual({ kind: 'skipped', reason: 'binary file' });
    expect(bad.outcomes.get(path.join(dir, 'missing.c'))?.kind).toBe('error');
    const cacheDirectory = path.join(dir, 'inline-cache');
    const first = await run(many, { jobs: 2, inline: true, cacheDirectory });
    const second = await run(many, { jobs: 2, inline: true, cacheDirectory });
    for (const input of many) {
      const [a, b] = [first.outcomes.get(input.path), second.outcomes.get(input.path)];
      expect(a?.kind === 'model' && !a.cached && b?.kind === 'model' && b.cached).toBe(true);
      if (a?.kind === 'model' && b?.kind === 'model') expect(b.model).toEqual(a.model);
    }
    let seen = 0;
    expect(await indexFiles(many, { jobs: 2, inline: true, cancelled: () => seen >= 3, onResult: () => seen++ })).toBe(false);
    expect(seen).toBeLessThan(many.length);
  });
});

describe('loadWorkspace', () => {
  it('sets the models in the order of the inputs whatever order the threads finish them in, leaving out the text of files that can have no finding', async () => {
    // The first file is large and the others small, so with two threads the others finish first.
    const inputs = [
      { path: 'big.c', text: kernelStyleFile(4000, 7) },
      { path: 'small.c', text: kernelStyleFile(40, 8) },
      { path: 'plain.h', text: 'struct s { int a; };\nint f(struct s *p);\n' },
    ];
    const finished: string[] = [];
    await indexFiles(inputs, { jobs: 2, onResult: (input) => finished.push(input.path) });
    expect(finished[0]).not.toBe('big.c');
    const workspace = new Workspace({}, { once: true });
    const load = await loadWorkspace(workspace, inputs, { jobs: 2 });
    expect(workspace.files()).toEqual(['big.c', 'small.c', 'plain.h']);
    expect(load.loaded.map(({ name, lines }) => [name, lines])).toEqual([
      ['big.c', inputs[0]!.text.split('\n').length - 1],
      ['small.c', inputs[1]!.text.split('\n').length - 1],
      ['plain.h', 2],
    ]);
    // A header that declares a struct is kept for its declarations, without its text.
    expect(workspace.model('plain.h')).toMatchObject({ text: '', lineStarts: [], declarations: { structs: { 'struct s': { a: expect.anything() } } } });
    expect(workspace.model('small.c')?.text).toBe(inputs[1]!.text);
  });
});
