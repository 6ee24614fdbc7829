// Builds kernel-barrier-lint.vsix: the production bundle plus the tree-sitter runtime, packaged by vsce from a staging copy.
//
// Why a staging copy: tree-sitter's published linux-x64 prebuild needs GLIBCXX_3.4.31 (GCC 13's libstdc++), so it does
// not load on Debian 12, Ubuntu 22.04 or anything older. npm builds tree-sitter from source when the prebuild fails to
// load (allowScripts in package.json), and that build links against this machine's older libstdc++, so it loads on
// those systems and on newer ones too. The staging copy ships that binary in place of the linux-x64 prebuild, keeping
// the .vsix universal (every other platform keeps its published prebuild) without touching the shared node_modules.
// node-gyp-build looks in build/Release before prebuilds/, so shipping build/Release instead would break macOS and
// Windows.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'kernel-barrier-lint.vsix');
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');

/** Top-level entries of the repository that never belong in a staging copy (vsce's .vscodeignore filters the rest). */
const notStaged = new Set(['.git', 'node_modules', 'test-artifacts', '.barrier-lint-cache', 'coverage']);

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production'], root);

const stage = mkdtempSync(path.join(os.tmpdir(), 'barrier-lint-package-'));
try {
  for (const entry of readdirSync(root)) {
    if (notStaged.has(entry) || entry.endsWith('.vsix')) continue;
    cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }

  // vsce asks npm for the production dependency tree, so the stage holds that tree (nested packages come with
  // their parents); .vscodeignore then keeps only what the bundle leaves external.
  // npm ls exits non-zero over problems elsewhere in the tree (an extraneous dev package, say) but still lists it.
  const listing = spawnSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8' });
  if (!listing.stdout) throw new Error(`npm ls printed no dependency tree: ${listing.stderr}`);
  const productionDirs = listing.stdout
    .split('\n')
    .map((dir) => path.relative(root, dir))
    .filter((dir) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(dir));
  for (const dir of productionDirs) {
    cpSync(path.join(root, dir), path.join(stage, dir), { recursive: true });
  }

  const localBuild = path.join(root, 'node_modules/tree-sitter/build/Release/tree_sitter_runtime_binding.node');
  if (process.platform === 'linux' && process.arch === 'x64' && existsSync(localBuild)) {
    cpSync(localBuild, path.join(stage, 'node_modules/tree-sitter/prebuilds/linux-x64/tree-sitter.node'));
    console.log('package: linux-x64 tree-sitter binary is the one built from source here (loads with older libstdc++)');
  } else {
    console.log('package: no local tree-sitter build; linux-x64 keeps the published prebuild (needs GCC 13 libstdc++)');
  }

  run(process.execPath, [vsce, 'package', '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'], stage);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
