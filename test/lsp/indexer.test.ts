// The server's background index sets the files' models in the order it lists them, as the CLI does, whatever order
// its worker threads finish them in: pairing reads files in order, so findings must not depend on thread timing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import { kernelStyleFile } from '../../bench/generate';
import { indexFiles } from '../../server/src/index/pool';
import { INDEX_HEAP_SHARE, indexWorkspace } from '../../server/src/lsp/indexer';
import { ServerState } from '../../server/src/lsp/state';

const dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-indexer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workspace index order', () => {
  it('sets the models in the order the files are listed, not as the threads finish them', async () => {
    // The first file listed is large and the others small, so with two threads the others finish first.
    const files = ['a.c', 'b.c', 'c.h'].map((name) => path.join(dir, name));
    writeFileSync(files[0]!, kernelStyleFile(4000, 7));
    writeFileSync(files[1]!, kernelStyleFile(40, 8));
    writeFileSync(files[2]!, 'struct s { int a; };\n');
    const finished: string[] = [];
    await indexFiles(
      files.map((file) => ({ path: file })),
      { jobs: 2, onResult: (input) => finished.push(input.path) },
    );
    expect(finished[0]).not.toBe(files[0]);

    // Without a client the server asks for no progress, sends no status and publishes nothing: no connection is used.
    const state = new ServerState({} as Connection);
    state.folders = [dir];
    expect(await indexWorkspace(state)).toBe(3);
    expect(state.workspace.files()).toEqual(files);
  });

  it('keeps a text set during the pass (a file the watcher reported changed) over the one the pass read', async () => {
    const folder = mkdtempSync(path.join(dir, 'watched-'));
    const [file, other] = [path.join(folder, 'changed.c'), path.join(folder, 'other.c')];
    const otherText = kernelStyleFile(40, 4);
    writeFileSync(file, kernelStyleFile(40, 3));
    writeFileSync(other, otherText);
    // The pass's first status notification comes once it has listed the files: the change lands during the pass.
    const connection = {
      sendNotification: async (_type: unknown, status: { state: string; files: number }) => {
        if (status.state === 'indexing' && status.files === 0) state.workspace.setFile(file, 'int changed_on_disk;\n');
      },
    } as unknown as Connection;
    const state = new ServerState(connection);
    state.support.statusNotification = true;
    state.folders = [folder];
    expect(await indexWorkspace(state)).toBe(2);
    expect(state.workspace.model(file)?.text).toBe('int changed_on_disk;\n');
    expect(state.workspace.model(other)?.text).toBe(otherText);
  });

  it('stops taking files when the heap is nearly full, keeps what it has, and says so', async () => {
    const folder = mkdtempSync(path.join(dir, 'heap-'));
    const files = Array.from({ length: 120 }, (_, k) => path.join(folder, `f${String(k).padStart(3, '0')}.c`));
    files.forEach((file, k) => writeFileSync(file, kernelStyleFile(30, k)));
    const warnings: string[] = [];
    const statuses: Array<{ state: string; files: number }> = [];
    const connection = {
      sendNotification: async (type: unknown, params: { state: string; files: number } & { message: string }) => {
        if (type === ShowMessageNotification.type) warnings.push(params.message);
        else statuses.push(params);
      },
      console: { warn: () => undefined, error: () => undefined },
    } as unknown as Connection;
    const state = new ServerState(connection);
    state.support.statusNotification = true;
    state.folders = [folder];
    // Full from the second look on (every 25 files): the pass stops handing out files after about 50.
    let looks = 0;
    state.heapShare = () => (++looks >= 2 ? INDEX_HEAP_SHARE + 0.1 : 0.1);
    expect(await indexWorkspace(state)).toBe(files.length);
    const indexed = state.workspace.files().length;
    expect(indexed).toBeGreaterThanOrEqual(50);
    expect(indexed).toBeLessThan(files.length);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`indexed ${indexed} of ${files.length} files and stopped`);
    expect(statuses.at(-1)).toEqual({ state: 'idle', files: indexed });
  });
});
