// `npm run bench:litmus [DIR|FILE...]`: simulates every litmus test given (default: both ../shared/litmus folders)
// in one process and prints total wall time, tests per second and the five slowest tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatHerd, parseLitmus, simulate } from '../server/src/simulator/index';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const timeoutSec = Number(process.env.LITMUS_TIMEOUT ?? 600);
const inputs = args.length > 0 ? args : ['herd-catalogue', 'kernel'].map((d) => path.resolve(root, '../shared/litmus', d));

function collect(p: string): string[] {
  if (statSync(p).isFile()) return [p];
  return readdirSync(p, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? collect(path.join(p, d.name)) : d.name.endsWith('.litmus') ? [path.join(p, d.name)] : [],
  );
}

const files = inputs.flatMap(collect).sort();
const times: Array<{ file: string; ms: number; status: string }> = [];
let failed = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
for (const file of files) {
  const t0 = performance.now();
  let status: string;
  try {
    const result = simulate(parseLitmus(readFileSync(file, 'utf8'), file), { timeoutMs: timeoutSec * 1000, witnesses: false });
    formatHerd(result);
    status = result.status;
  } catch (error) {
    status = `parse error: ${(error as Error).message}`;
    failed++;
  }
  times.push({ file, ms: performance.now() - t0, status });
}
const total = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const incomplete = times.filter((t) => t.status !== 'complete' && !t.status.startsWith('parse error')).length;
console.log(`tests: ${files.length} (${failed} unparsable, ${incomplete} stopped at the ${timeoutSec}s timeout)`);
console.log(`total wall time: ${total.toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`);
console.log(`tests/s: ${(files.length / total).toFixed(1)}`);
console.log('five slowest:');
for (const t of [...times].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
  console.log(`  ${(t.ms / 1000).toFixed(3)} s  ${path.relative(process.cwd(), t.file)}${t.status === 'complete' ? '' : ` (${t.status})`}`);
}
