// `barrier-lint litmus`: runs C litmus tests through the bundled LKMM simulator and prints herd7's result blocks.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatHerd, LitmusSyntaxError, parseLitmus, simulate, type SimulationResult } from '../simulator/index';
import type { Command, CommandIO } from './command';

const usage = `Usage: barrier-lint litmus FILE... [--json] [--timeout SEC]

Simulates each C litmus test under the Linux-kernel memory model (as herd7 -conf linux-kernel.cfg
does) and prints herd7's result block for it, all files in one process.

Options:
  --json           print one JSON array: per test the result, one witness execution per final state
                   (events, rf, co) and, for outcomes the model forbids, the axiom that rejects them
  --timeout SEC    stop a test after SEC seconds (default 60); it prints a timeout block and the run goes on
  -h, --help       show this help

Exit status: 0 all tests ran, 2 usage error or a file that could not be read or parsed.
`;

interface FileFailure {
  file: string;
  error: string;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, timeout: { type: 'string' } },
    });
  } catch (error) {
    io.stderr.write(`barrier-lint litmus: ${(error as Error).message}\nRun 'barrier-lint litmus --help' for usage.\n`);
    return 2;
  }
  const files = parsed.positionals;
  const timeoutSec = parsed.values.timeout === undefined ? 60 : Number(parsed.values.timeout);
  if (files.length === 0 || !Number.isFinite(timeoutSec) || timeoutSec <= 0) {
    io.stderr.write(
      files.length === 0
        ? `barrier-lint litmus: no litmus file given\nRun 'barrier-lint litmus --help' for usage.\n`
        : `barrier-lint litmus: --timeout wants a positive number of seconds\n`,
    );
    return 2;
  }
  const results: SimulationResult[] = [];
  const failures: FileFailure[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      failures.push({ file, error: `${file}: ${reason}` });
      io.stderr.write(`barrier-lint litmus: ${file}: ${reason}\n`);
      continue;
    }
    let result: SimulationResult;
    try {
      result = simulate(parseLitmus(text, file), { timeoutMs: timeoutSec * 1000, witnesses: parsed.values.json === true });
    } catch (error) {
      if (!(error instanceof LitmusSyntaxError)) throw error;
      failures.push({ file, error: error.message });
      io.stderr.write(`${error.message}\n`);
      continue;
    }
    results.push(result);
    if (!parsed.values.json) io.stdout.write(formatHerd(result));
  }
  if (parsed.values.json) {
    const withText = results.map((r) => ({ ...r, herd: formatHerd(r) }));
    io.stdout.write(`${JSON.stringify({ results: withText, failures }, null, 2)}\n`);
  }
  return failures.length > 0 ? 2 : 0;
}

export const litmus: Command = {
  name: 'litmus',
  summary: 'simulate C litmus tests under the LKMM and print herd7-style results',
  usage,
  run,
};
