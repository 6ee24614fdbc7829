// `npm run fuzz [-- --cases N --seed S --jobs N]`: runs the fuzzer (bench/fuzzing.ts) and exits 1 on any failure.
import { parseArgs } from 'node:util';
import { fuzz, fuzzCase } from './fuzzing';

const { values } = parseArgs({ options: { cases: { type: 'string' }, seed: { type: 'string' }, jobs: { type: 'string' }, print: { type: 'string' } } });
const seed = Number(values.seed ?? 1);

if (values.print !== undefined) {
  // Reproduces one case's text, to look at a failure in an editor or feed it to `barrier-lint check`.
  process.stdout.write(fuzzCase(seed, Number(values.print)));
} else {
  const cases = Number(values.cases ?? 10_000);
  fuzz(cases, { seed, jobs: values.jobs === undefined ? undefined : Number(values.jobs) }).then(
    (report) => {
      console.log(`fuzz: ${report.cases} cases (seed ${seed}) in ${(report.totalMs / 1000).toFixed(1)} s, slowest case ${Math.round(report.slowestMs)} ms`);
      for (const failure of report.failures.slice(0, 20)) console.log(`  case ${failure.index}: ${failure.reason}`);
      console.log(report.failures.length === 0 ? 'no failures' : `${report.failures.length} failures (reproduce one with --print INDEX)`);
      process.exitCode = report.failures.length === 0 ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`fuzz failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
