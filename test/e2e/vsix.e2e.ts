// Checks the packaged .vsix: only the bundle and the tree-sitter runtime inside, a manifest that activates on C and
// litmus files in untrusted workspaces, and a parser and CLI that work from the unpacked extension alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFile, linesCalling, node24Home, repoRoot, requireFile, requireSetupTool, vsixPath } from './env';

/** The only packages the bundle leaves external (scripts/build.mjs) and so the only ones the .vsix may carry. */
const runtimePackages = ['tree-sitter', 'tree-sitter-c', 'node-gyp-build'];
/** Every platform tree-sitter and tree-sitter-c ship prebuilds for. */
const platforms = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

let unpacked = '';
let entries: string[] = [];

beforeAll(() => {
  requireFile(vsixPath, 'the packaged extension', 'run `npm run package` first');
  // `unzip -Z1` prints one archive path per line.
  entries = execFileSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8' }).split('\n').filter(Boolean);
  unpacked = mkdtempSync(path.join(os.tmpdir(), 'barrier-lint-vsix-'));
  execFileSync('unzip', ['-q', vsixPath, '-d', unpacked]);
});

afterAll(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

describe('the .vsix contents', () => {
  it('holds every bundle the build wrote and no sources, tests or source maps', () => {
    // `npm run package` has just built dist/, so each script there is an entry point (client, server, CLI, workers)
    // that the extension may load; a new one missing from .vscodeignore would break only the installed extension.
    const bundles = readdirSync(path.join(repoRoot, 'dist')).filter((name) => name.endsWith('.js'));
    expect(bundles).toEqual(expect.arrayContaining(['extension.js', 'server.js', 'cli.js']));
    for (const bundle of bundles) {
      expect(entries).toContain(`extension/dist/${bundle}`);
    }
    expect(entries.filter((entry) => /\.(ts|map)$/.test(entry))).toEqual([]);
    expect(entries.filter((entry) => /^extension\/(client|server|test|scripts|bench|examples)\//.test(entry))).toEqual([]);
  });

  it('ships only the runtime packages from node_modules, with prebuilds for every platform', () => {
    const packages = new Set(
      entries.flatMap((entry) => /^extension\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(entry)?.slice(1) ?? []),
    );
    expect([...packages].sort()).toEqual([...runtimePackages].sort());
    for (const platform of platforms) {
      expect(entries).toContain(`extension/node_modules/tree-sitter/prebuilds/${platform}/tree-sitter.node`);
      expect(entries).toContain(`extension/node_modules/tree-sitter-c/prebuilds/${platform}/tree-sitter-c.node`);
    }
  });

  it('declares activation on C and litmus files and untrusted-workspace support', () => {
    const manifest = JSON.parse(readFileSync(path.join(unpacked, 'extension/package.json'), 'utf8')) as {
      main?: string;
      activationEvents?: string[];
      capabilities?: { untrustedWorkspaces?: { supported?: boolean | string } };
    };
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(['onLanguage:c', 'onLanguage:litmus']));
    expect(manifest.capabilities?.untrustedWorkspaces?.supported).toBe(true);
  });
});

describe('the unpacked extension', () => {
  /** Parses a barrier call with the packaged runtime under the given Node and prints the tree. */
  function parseWith(node: string): string {
    const extensionDir = path.join(unpacked, 'extension');
    const script = `
      const Parser = require(${JSON.stringify(path.join(extensionDir, 'node_modules/tree-sitter'))});
      const C = require(${JSON.stringify(path.join(extensionDir, 'node_modules/tree-sitter-c'))});
      const parser = new Parser();
      parser.setLanguage(C);
      process.stdout.write(parser.parse('void f(void) { smp_mb(); }').rootNode.toString());`;
    return execFileSync(node, ['-e', script], { encoding: 'utf8', cwd: os.tmpdir() });
  }

  it('loads tree-sitter and the C grammar with plain node (this Node and the Node 24 code-server runs)', () => {
    const node24 = requireSetupTool(path.join(node24Home, 'bin/node'), 'Node 24');
    for (const node of [process.execPath, node24]) {
      expect(parseWith(node)).toMatch(/\(call_expression function: \(identifier\) arguments: \(argument_list\)\)/);
    }
  });

  it('runs the packaged CLI on the fixture without the repository node_modules', () => {
    // The CLI prints paths relative to its working directory, so it runs beside a copy of the fixture, outside the
    // repository, where only the unpacked extension's own node_modules can satisfy its requires.
    const name = path.basename(fixtureFile);
    const cwd = path.join(unpacked, 'check');
    mkdirSync(cwd);
    copyFileSync(fixtureFile, path.join(cwd, name));
    const result = spawnSync(process.execPath, [path.join(unpacked, 'extension/dist/cli.js'), 'check', name], {
      encoding: 'utf8',
      cwd,
    });
    // stderr carries the CLI's summary line; a runtime that failed to load would show up here as an Error.
    expect(result.stderr).not.toMatch(/Error|ERR_/);
    expect(result.status).toBe(1);
    const [uncommented] = linesCalling(fixtureFile, 'smp_wmb');
    expect(result.stdout).toMatch(new RegExp(`^${name.replace(".", "\\.")}:${uncommented}:\\d+: warning: .*\\[barrier-without-comment\\]$`, 'm'));
    const [commented] = linesCalling(fixtureFile, 'smp_rmb');
    expect(result.stdout).not.toContain(`${name}:${commented}:`);
  });
});
