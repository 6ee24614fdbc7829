// The language server's launch: its Node.js and heap from the client's settings (client/src/launch.ts).
import { describe, expect, it } from 'vitest';
import { launchOf } from '../../client/src/launch';

describe('launchOf', () => {
  it("runs on VS Code's own runtime with its default heap by default", () => {
    expect(launchOf({ nodePath: '', maxMemoryMb: 0 })).toEqual({ runtime: undefined, execArgv: [], problems: [] });
  });

  it('runs on the Node.js named, with the heap asked for', () => {
    expect(launchOf({ nodePath: ' /usr/bin/node ', maxMemoryMb: 12288.7 }, (file) => file === '/usr/bin/node')).toEqual({
      runtime: '/usr/bin/node',
      execArgv: ['--max-old-space-size=12288'],
      problems: [],
    });
    expect(launchOf({ nodePath: process.execPath, maxMemoryMb: 0 }).runtime).toBe(process.execPath);
  });

  it('says so, and keeps the default runtime, when the Node.js named does not exist', () => {
    const launch = launchOf({ nodePath: '/nowhere/node', maxMemoryMb: 8192 }, () => false);
    expect(launch.runtime).toBeUndefined();
    expect(launch.execArgv).toEqual(['--max-old-space-size=8192']);
    expect(launch.problems).toEqual(["barrierLint.server.nodePath: /nowhere/node does not exist; the server runs on VS Code's own runtime."]);
  });

  it('ignores a heap limit that is no positive number', () => {
    for (const maxMemoryMb of [-1, 0, 0.5, Number.NaN]) expect(launchOf({ nodePath: '', maxMemoryMb }).execArgv).toEqual([]);
  });
});
