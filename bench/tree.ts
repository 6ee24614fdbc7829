// `npm run bench:tree -- DIR [--jobs N] [--cache]`: whole-tree figures — files, lines, tree-sitter parse-only time,
// full-analysis time, their ratio, lines/s and peak RSS. Both passes use the same worker threads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Workspace } from '../server/src/analysis/index';
import { loadWorkspace } from '../server/src/index/load';
import { defaultJobs, indexFiles, type IndexInput } from '../server/src/index/pool';
import { walkSources } from '../server/src/sources';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { jobs: { type: 'string', short: 'j' }, cache: { type: 'boolean' } },
});
const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
const dir = positionals[0];
if (dir === undefined) {
  process.stderr.write('usage: npm run bench:tree -- DIR [--jobs N] [--cache]\n');
  process.exit(2);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (lines: number, ms: number): string => `${Math.round(lines / (ms / 1000)).toLocaleString('en-US')} lines/s`;

interface Pass {
  ms: number;
  /** CPU time of the whole process, worker threads included: steadier than wall time on a shared machine. */
  cpuMs: number;
  lines: number;
  files: number;
  skipped: number;
  errors: number;
}

/** Parses every file in the workers and keeps nothing: the floor any analysis over tree-sitter stands on. */
async function parseOnly(inputs: IndexInput[]): Promise<Pass> {
  const pass: Pass = { ms: 0, cpuMs: 0, lines: 0, files: 0, skipped: 0, errors: 0 };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await indexFiles(inputs, {
    jobs,
    mode: 'parse',
    onResult(_input, outcome) {
      if (outcome.kind === 'parsed') {
        pass.files++;
        pass.lines += outcome.lines;
      } else if (outcome.kind === 'skipped') pass.skipped++;
      else pass.errors++;
    },
  });
  pass.ms = performance.now() - started;
  pass.cpuMs = cpuSince(cpu);
  return pass;
}

const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** What `barrier-lint check` does (index/load.ts): summaries in the workers, then every rule over every file here. */
async function fullAnalysis(inputs: IndexInput[], cacheDirectory?: string): Promise<Pass & { indexMs: number; findings: number; sites: number; cached: number }> {
  const pass = { ms: 0, cpuMs: 0, lines: 0, files: 0, skipped: 0, errors: 0, indexMs: 0, findings: 0, sites: 0, cached: 0 };
  const workspace = new Workspace({}, { once: true });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const load = await loadWorkspace(workspace, inputs, { jobs, cacheDirectory });
  pass.indexMs = performance.now() - started;
  pass.files = load.loaded.length;
  pass.skipped = load.skipped.length;
  pass.errors = load.errors.length;
  pass.cached = load.cached;
  for (const { name, lines } of load.loaded) {
    pass.lines += lines;
    pass.sites += workspace.model(name)?.sites.length ?? 0;
    try {
      pass.findings += workspace.findings(name).length;
    } catch {
      pass.errors++;
    }
  }
  pass.ms = performance.now() - started;
  pass.cpuMs = cpuSince(cpu);
  return pass;
}

async function main(root: string): Promise<void> {
  const files = await walkSources(path.resolve(root));
  const inputs = files.map((file) => ({ path: file }));
  console.log(`tree: ${root} (${files.length} .c/.h files), jobs: ${jobs}`);

  const parse = await parseOnly(inputs);
  console.log(`parse-only:     ${seconds(parse.ms)} (CPU ${seconds(parse.cpuMs)})  ${parse.files} files, ${parse.lines} lines, ${rate(parse.lines, parse.ms)} (${parse.skipped} skipped)`);

  const full = await fullAnalysis(inputs);
  console.log(
    `full analysis:  ${seconds(full.ms)} (CPU ${seconds(full.cpuMs)})  (summaries ${seconds(full.indexMs)}, rules ${seconds(full.ms - full.indexMs)}), ` +
      `${full.files} files, ${full.lines} lines, ${full.sites} barrier sites, ${full.findings} findings, ${full.errors} errors`,
  );
  console.log(`ratio:          ${(full.ms / parse.ms).toFixed(2)}x parse-only (CPU ${(full.cpuMs / parse.cpuMs).toFixed(2)}x)`);
  console.log(`throughput:     ${rate(full.lines, full.ms)}`);

  if (values.cache === true) {
    const cacheDirectory = mkdtempSync(path.join(tmpdir(), 'barrier-lint-bench-cache-'));
    try {
      const cold = await fullAnalysis(inputs, cacheDirectory);
      const warm = await fullAnalysis(inputs, cacheDirectory);
      console.log(`cache, cold:    ${seconds(cold.ms)}`);
      console.log(`cache, warm:    ${seconds(warm.ms)}  (${warm.cached} of ${warm.files} summaries from the cache)`);
    } finally {
      rmSync(cacheDirectory, { recursive: true, force: true });
    }
  }
  // Worker threads share the process, so this peak covers them too.
  console.log(`peak RSS:       ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

main(dir).catch((error: unknown) => {
  process.stderr.write(`bench:tree failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
