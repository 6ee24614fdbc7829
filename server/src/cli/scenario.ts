// `barrier-lint scenario FILE:LINE`: prints the litmus tests extracted for the barrier on a line, and their results.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Workspace } from '../analysis/index';
import type { PairResult } from '../analysis/analysis';
import { litmusText } from '../analysis/litmus';
import { scenarioOf, sideSites, type Side } from '../analysis/pairs';
import { lineOf } from '../analysis/text';
import { formatHerd, parseLitmus, simulate } from '../simulator/index';
import { isSourceFile, readSource, walkSources } from '../sources';
import type { Command, CommandIO } from './command';

const usage = `Usage: barrier-lint scenario FILE:LINE [PATH...] [--json] [--timeout SEC]

Prints the litmus test(s) extracted for the barrier (or the paired access) on LINE of FILE, one per
pairing it takes part in, each followed by the simulator's result in herd7's format. The pairing
index holds FILE, the .c and .h files of its directory, and every PATH given (files or directories).

Options:
  --json          print one JSON object (for the editor): the pairs, their litmus text and verdicts
  --timeout SEC   bound on each simulation (default 10)
  -h, --help      show this help

Exit status: 0 scenarios printed, 1 nothing on that line takes part in a pairing, 2 usage or input error.
`;

interface Target {
  file: string;
  line: number;
}

function parseTarget(text: string | undefined): Target | undefined {
  const match = text === undefined ? null : /^(.*):(\d+)$/.exec(text);
  if (match === null) return undefined;
  const line = Number(match[2]);
  return line >= 1 ? { file: match[1]!, line } : undefined;
}

/** Whether a side's barrier call or one of its two accesses is on the given 1-based line of the file. */
function touches(side: Side, workspace: Workspace, file: string, line: number): boolean {
  if (side.flow.fn.file !== file) return false;
  const model = workspace.model(file);
  if (model === undefined) return false;
  const onLine = (offset: number): boolean => lineOf(model.lineStarts, offset) + 1 === line;
  if (sideSites(side).some((site) => onLine(site.range.start))) return true;
  return [side.first, side.second].some((slot) => slot !== undefined && onLine(slot.event.range.start));
}

function where(side: Side, workspace: Workspace): { function: string; file: string; line: number } {
  const model = workspace.model(side.flow.fn.file);
  const line = model === undefined ? 0 : lineOf(model.lineStarts, side.range.start) + 1;
  return { function: side.flow.fn.name, file: side.flow.fn.file, line };
}

async function indexFiles(workspace: Workspace, files: string[], io: CommandIO): Promise<void> {
  for (const file of files) {
    const read = await readSource(file);
    if (read.ok) workspace.setFile(path.relative(io.cwd, file) || file, read.text);
  }
}

async function run(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, timeout: { type: 'string' } } });
  } catch (error) {
    io.stderr.write(`barrier-lint scenario: ${(error as Error).message}\nRun 'barrier-lint scenario --help' for usage.\n`);
    return 2;
  }
  const [first, ...extra] = parsed.positionals;
  const target = parseTarget(first);
  const timeoutSec = parsed.values.timeout === undefined ? 10 : Number(parsed.values.timeout);
  if (target === undefined || !Number.isFinite(timeoutSec) || timeoutSec <= 0) {
    io.stderr.write(
      target === undefined
        ? `barrier-lint scenario: expected FILE:LINE (e.g. ipc/msg.c:196)\nRun 'barrier-lint scenario --help' for usage.\n`
        : 'barrier-lint scenario: --timeout wants a positive number of seconds\n',
    );
    return 2;
  }
  const absolute = path.resolve(io.cwd, target.file);
  const source = await readSource(absolute);
  if (!source.ok) {
    io.stderr.write(`barrier-lint scenario: ${target.file}: ${'error' in source ? source.error : `skipped: ${source.skipped}`}\n`);
    return 2;
  }
  const directory = path.dirname(absolute);
  const siblings = (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isFile() && isSourceFile(entry.name));
  const files = new Set<string>(siblings.map((entry) => path.join(directory, entry.name)));
  for (const given of extra) {
    const full = path.resolve(io.cwd, given);
    try {
      if ((await stat(full)).isDirectory()) for (const file of await walkSources(full)) files.add(file);
      else files.add(full);
    } catch {
      io.stderr.write(`barrier-lint scenario: cannot read '${given}'\n`);
      return 2;
    }
  }
  files.delete(absolute);
  const workspace = new Workspace();
  const name = path.relative(io.cwd, absolute) || absolute;
  workspace.setFile(name, source.text);
  await indexFiles(workspace, [...files], io);

  const results: PairResult[] = workspace
    .analysis()
    .results.filter((result) => result.pair.sides.some((side) => touches(side, workspace, name, target.line)));
  const scenarios = results.map((result) => {
    const [writer, reader] = result.pair.sides.map((side) => where(side, workspace));
    const comment = [
      `${result.pair.kind} pair: ${result.pair.x} before ${result.pair.y}`,
      `P0: ${writer!.function}() at ${writer!.file}:${writer!.line}`,
      `P1: ${reader!.function}() at ${reader!.file}:${reader!.line}`,
    ].join('\n');
    const litmus = litmusText(scenarioOf(result.pair), comment);
    const simulation = simulate(parseLitmus(litmus), { timeoutMs: timeoutSec * 1000 });
    const problems = result.problems.map((problem) => ({ side: problem.side.role, problem: problem.problem, suggestion: problem.suggestion }));
    return { kind: result.pair.kind, x: result.pair.x, y: result.pair.y, writer, reader, verdict: result.verdict, problems, litmus, herd: formatHerd(simulation) };
  });

  if (parsed.values.json === true) {
    io.stdout.write(`${JSON.stringify({ file: name, line: target.line, scenarios }, null, 2)}\n`);
  } else {
    for (const scenario of scenarios) io.stdout.write(`${scenario.litmus}\n${scenario.herd}\n`);
    if (scenarios.length === 0) io.stderr.write(`barrier-lint scenario: nothing on ${name}:${target.line} takes part in a pairing\n`);
  }
  return scenarios.length > 0 ? 0 : 1;
}

export const scenario: Command = { name: 'scenario', summary: 'print the litmus tests extracted for the barrier on FILE:LINE', usage, run };
