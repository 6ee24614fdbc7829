// `npm run fuzz [-- --cases N --first I --seed S --jobs N | --print INDEX]`: runs the fuzzer (bench/fuzzing.ts), exits 1 on any failure.
import { parseArgs } from 'node:util';
import { retiredWorkersExited } from '../server/src/index/stop';
import { fuzz, fuzzCase, type FuzzProgress } from './fuzzing';

const options = { cases: { type: 'string' }, first: { type: 'string' }, seed: { type: 'string' }, jobs: { type: 'string' }, print: { type: 'string' } } as const;
const { values } = parseArgs({ options });
const seed = Number(values.seed ?? 1);

/** One progress line on stderr, so a long run shows it is alive and what it has found while stdout stays the summary. */
function showProgress(progress: FuzzProgress, cases: number): void {
  const seconds = progress.elapsedMs / 1000;
  const rate = progress.done / Math.max(seconds, 0.001);
  const slowest = progress.slowestIndex < 0 ? 'none yet' : `${Math.round(progress.slowestMs)} ms (case ${progress.slowestIndex})`;
  const costliest = progress.costliestIndex < 0 ? '' : `, most CPU ${Math.round(progress.costliestCpuMs)} ms (case ${progress.costliestIndex})`;
  const rss = Math.round(process.memoryUsage.rss() / (1024 * 1024));
  process.stderr.write(
    `fuzz: ${progress.done}/${cases} cases, ${rate.toFixed(2)} cases/s, ${progress.failures.length} failures, ${progress.refusals.length} refused, slowest ${slowest}${costliest}, ` +
      `${seconds.toFixed(0)} s wall, ${(progress.cpuMs / 1000).toFixed(0)} s CPU, ${rss} MB RSS\n`,
  );
}

if (values.print !== undefined) {
  // Reproduces one case's text, to look at a failure in an editor or feed it to `barrier-lint check`.
  process.stdout.write(fuzzCase(seed, Number(values.print)));
} else {
  const cases = Number(values.cases ?? 10_000);
  const first = Number(values.first ?? 0);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  fuzz(cases, {
    seed,
    first,
    jobs,
    onProgress: (progress) => showProgress(progress, cases),
    onFailure: (failure) => process.stderr.write(`fuzz: case ${failure.index} failed: ${failure.reason}\n`),
    onRefusal: (refusal) => process.stderr.write(`fuzz: case ${refusal.index} refused (not a failure): ${refusal.reason}\n`),
  }).then(
    (report) => {
      showProgress(report, cases);
      const range = first === 0 ? '' : `, cases ${first}-${first + cases - 1}`;
      console.log(`fuzz: ${report.cases} cases (seed ${seed}${range}) in ${(report.totalMs / 1000).toFixed(1)} s, slowest case ${Math.round(report.slowestMs)} ms`);
      const costliest = report.costliestIndex < 0 ? '' : `; most CPU ${Math.round(report.costliestCpuMs)} ms, case ${report.costliestIndex}`;
      console.log(`  ${(report.cases / (report.totalMs / 1000)).toFixed(2)} cases/s wall, ${(report.cpuMs / 1000).toFixed(1)} s CPU; slowest is case ${report.slowestIndex}${costliest}`);
      if (report.refusals.length > 0) console.log(`  ${report.refusals.length} cases refused by the product (binary, or parsing past its budget): ${report.refusals.map((r) => r.index).join(', ')}`);
      for (const failure of report.failures.slice(0, 20)) console.log(`  case ${failure.index}: ${failure.reason}`);
      console.log(report.failures.length === 0 ? 'no failures' : `${report.failures.length} failures (reproduce one with --print INDEX)`);
      process.exitCode = report.failures.length === 0 ? 0 : 1;
      // Workers stopped at their budget must be out of tree-sitter before the process ends (index/stop.ts).
      return retiredWorkersExited(10_000);
    },
    (error: unknown) => {
      process.stderr.write(`fuzz failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
