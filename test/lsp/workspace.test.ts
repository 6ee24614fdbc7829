// The server's workspace index: which files it reads (globs, skipped directories) and the Re-index command.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { ServerCommands, ServerNotifications } from '../../server/src/lsp/protocol';
import { TestClient, lspSession } from './client';

const session = lspSession('barrier-lint-index-');

beforeAll(() => {
  for (const file of ['a.c', 'include/a.h', 'drivers/b.c', 'drivers/gen/c.c', 'node_modules/pkg/d.c', 'notes.txt', '.git/e.c']) {
    mkdirSync(path.dirname(path.join(session.dir(), file)), { recursive: true });
    writeFileSync(path.join(session.dir(), file), 'void f(void) { smp_mb(); }\n');
  }
  writeFileSync(path.join(session.dir(), 'drivers/blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]));
});

const reindex = (target: TestClient): Promise<number | null> =>
  target.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.reindex, arguments: [] });

describe('workspace index', () => {
  it('indexes the .c and .h files of the folder, not dependencies, metadata or other files', async () => {
    const { client } = await session.start({ rootPath: session.dir() });
    // The binary file is walked but skipped when read, so it still counts as listed.
    expect(await reindex(client)).toBe(5);
  });

  it('honours the include and exclude settings', async () => {
    const { client } = await session.start({
      rootPath: session.dir(),
      settings: () => ({ include: ['drivers/**/*.c'], exclude: ['**/gen/**'] }),
    });
    expect(await reindex(client)).toBe(2);
  });

  it('reports indexing progress and the index size to a client that asked for status notifications only', async () => {
    const status = ServerNotifications.status;
    const asked = (await session.start({ rootPath: session.dir(), initializationOptions: { statusNotification: true }, record: [status] })).client;
    expect(await reindex(asked)).toBe(5);
    const received = asked.notifications.get(status) ?? [];
    expect(received[0]).toEqual({ state: 'indexing', files: 0, total: 5 });
    expect(received.at(-1)).toEqual({ state: 'idle', files: 5 });

    const silent = (await session.start({ rootPath: session.dir(), record: [status] })).client;
    expect(await reindex(silent)).toBe(5);
    expect(silent.notifications.has(status)).toBe(false);
  });

  it('indexes nothing without a workspace folder', async () => {
    const { client } = await session.start();
    expect(await reindex(client)).toBe(0);
  });
});
