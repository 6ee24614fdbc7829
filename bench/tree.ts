// `npm run bench:tree -- DIR [--jobs N] [--cache]`: whole-tree figures — files, lines, tree-sitter parse-only time,
// full-analysis time, their ratio, lines/s and peak RSS. Both passes use the same worker threads, each pass in a
// process of its own, so that neither inherits the other's heap and each peak RSS is its own pass's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Workspace } from '../server/src/analysis/index';
import { loadWorkspace } from '../server/src/index/load';
import { defaultJobs, indexFiles, type IndexInput } from '../server/src/index/pool';
import { walkSources } from '../server/src/sources';
import { cpuMs } from './proc';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  // `--pass` runs one pass and prints it as JSON: how the benchmark runs each pass in a process of its own.
  options: { jobs: { type: 'string', short: 'j' }, cache: { type: 'boolean' }, pass: { type: 'string' } },
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
  /**
   * The main thread's alone (Linux; 0 elsewhere): it decodes the workers' summaries and then pairs and judges alone.
   * The rest is the workers' and V8's own threads' (optimising compilers, garbage collection).
   */
  mainCpuMs: number;
  lines: number;
  files: number;
  skipped: number;
  errors: number;
  /** The pass's process's peak RSS (its worker threads included), in MB. */
  peakMb: number;
}

/** Parses every file in the workers and keeps nothing: the floor any analysis over tree-sitter stands on. */
async function parseOnly(inputs: IndexInput[]): Promise<Pass> {
  const pass: Pass = { ms: 0, cpuMs: 0, mainCpuMs: 0, lines: 0, files: 0, skipped: 0, errors: 0, peakMb: 0 };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
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
  pass.mainCpuMs = mainThreadCpuMs() - mainCpu;
  return pass;
}

const mainThreadCpuMs = (): number => cpuMs(process.pid, process.pid) ?? 0;

const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** What `barrier-lint check` does (index/load.ts): summaries in the workers, then every rule over every file here. */
async function fullAnalysis(inputs: IndexInput[], cacheDirectory?: string): Promise<Pass & { indexMs: number; findings: number; sites: number; cached: number }> {
  const pass = { ms: 0, cpuMs: 0, mainCpuMs: 0, lines: 0, files: 0, skipped: 0, errors: 0, peakMb: 0, indexMs: 0, findings: 0, sites: 0, cached: 0 };
  const workspace = new Workspace({}, { once: true });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
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
  pass.mainCpuMs = mainThreadCpuMs() - mainCpu;
  return pass;
}

type FullPass = Awaited<ReturnType<typeof fullAnalysis>>;

const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Runs one pass here and prints it as one line of JSON (the child's side of `inProcess`). */
async function runPass(root: string, which: string): Promise<void> {
  const files = await walkSources(path.resolve(root));
  const inputs = files.map((file) => ({ path: file }));
  let result: Pass & { coldMs?: number };
  if (which === 'parse') result = await parseOnly(inputs);
  else if (which === 'full') result = await fullAnalysis(inputs);
  else {
    // The cache's cold and warm runs share a directory, so they share a process.
    const cacheDirectory = mkdtempSync(path.join(tmpdir(), 'barrier-lint-bench-cache-'));
    try {
      const cold = await fullAnalysis(inputs, cacheDirectory);
      const warm = await fullAnalysis(inputs, cacheDirectory);
      result = { ...warm, coldMs: cold.ms };
    } finally {
      rmSync(cacheDirectory, { recursive: true, force: true });
    }
  }
  // Worker threads share the process, so this peak covers them too.
  result.peakMb = peakMb();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a pass in a child process (this script with `--pass`), under the same Node options and loader. */
function inProcess<T>(root: string, which: string): T {
  const args = [...process.execArgv, process.argv[1]!, root, '--pass', which, '--jobs', String(jobs)];
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').at(-1)!) as T;
}

async function main(root: string): Promise<void> {
  const files = await walkSources(path.resolve(root));
  console.log(`tree: ${root} (${files.length} .c/.h files), jobs: ${jobs}`);

  const parse = inProcess<Pass>(root, 'parse');
  console.log(`parse-only:     ${seconds(parse.ms)} (CPU ${seconds(parse.cpuMs)})  ${parse.files} files, ${parse.lines} lines, ${rate(parse.lines, parse.ms)} (${parse.skipped} skipped), peak RSS ${parse.peakMb} MB`);

  const full = inProcess<FullPass>(root, 'full');
  console.log(
    `full analysis:  ${seconds(full.ms)} (CPU ${seconds(full.cpuMs)}, main thread ${seconds(full.mainCpuMs)})  (summaries ${seconds(full.indexMs)}, rules ${seconds(full.ms - full.indexMs)}), ` +
      `${full.files} files, ${full.lines} lines, ${full.sites} barrier sites, ${full.findings} findings, ${full.errors} errors`,
  );
  console.log(`ratio:          ${(full.ms / parse.ms).toFixed(2)}x parse-only (CPU ${(full.cpuMs / parse.cpuMs).toFixed(2)}x)`);
  console.log(`throughput:     ${rate(full.lines, full.ms)}`);

  if (values.cache === true) {
    const warm = inProcess<FullPass & { coldMs: number }>(root, 'cache');
    console.log(`cache, cold:    ${seconds(warm.coldMs)}`);
    console.log(`cache, warm:    ${seconds(warm.ms)}  (${warm.cached} of ${warm.files} summaries from the cache)`);
  }
  console.log(`peak RSS:       ${full.peakMb} MB (full analysis, worker threads included)`);
}

if (values.pass !== undefined) {
  runPass(dir, values.pass).catch((error: unknown) => {
    process.stderr.write(`bench:tree --pass ${values.pass} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  main(dir).catch((error: unknown) => {
    process.stderr.write(`bench:tree failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
