// Bundles the VS Code client, the language server and the CLI with esbuild into dist/ (CommonJS for Node 20).
import { build, context } from 'esbuild';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * tree-sitter and tree-sitter-c are native N-API modules that find their prebuilds relative to their own
 * package directory, so they are loaded from node_modules at run time (and shipped in the .vsix) rather than bundled.
 * `vscode` is provided by the editor host.
 */
const nativeExternals = ['tree-sitter', 'tree-sitter-c'];

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  // Watch mode reports each rebuild (the watch task's problem matcher reads it); a one-off build prints only problems.
  logLevel: watch ? 'info' : 'warning',
  external: nativeExternals,
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: [...nativeExternals, 'vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // The server runs simulations in a worker thread, loaded from this file beside dist/server.js and dist/cli.js.
  { ...common, entryPoints: ['server/src/lsp/litmusWorker.ts'], outfile: 'dist/litmusWorker.js' },
  // The parallel indexer's worker threads (server/src/index/pool.ts) load this file beside dist/server.js and dist/cli.js.
  { ...common, entryPoints: ['server/src/index/worker.ts'], outfile: 'dist/indexWorker.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  const contexts = await Promise.all(targets.map((options) => context(options)));
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(targets.map((options) => build(options)));
  // The package's `bin` points at dist/cli.js, which must be directly executable after a build from a clean clone.
  await chmod(path.join(root, 'dist/cli.js'), 0o755);
  console.log(`built ${targets.map((options) => options.outfile).join(', ')}`);
}
