// The `barrier-lint` executable: dispatches `barrier-lint <command> ...` to the command registry.
import { version } from '../../package.json';
import type { CommandIO } from './cli/command';
import { commands, findCommand } from './cli/commands';
import { relaunchWithHeap } from './cli/heap';
import { retiredWorkersExited } from './index/stop';

/** How long a finished command waits for workers stopped at their budget: their parses give up within a moment. */
const RETIRED_EXIT_WAIT_MS = 10_000;

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    `barrier-lint ${version}: finds memory-barrier mistakes in Linux-kernel C.`,
    '',
    'Usage: barrier-lint <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     show this help, or a command\'s help with `barrier-lint <command> --help`',
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

/** Runs one invocation and resolves to its exit code; exported so tests can drive the dispatcher in-process. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    // A bare `barrier-lint` is a usage error: the help goes to stderr so pipelines see nothing on stdout.
    io.stderr.write(help());
    return 2;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(help());
    return 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const command = findCommand(first);
  if (command === undefined) {
    io.stderr.write(`barrier-lint: unknown command '${first}'. Run 'barrier-lint --help' for the list.\n`);
    return 2;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  return command.run(rest, io);
}

// Run only as the bundled executable, not when a test imports this module.
if (typeof require !== 'undefined' && require.main === module) {
  const args = process.argv.slice(2);
  // Only a check reads a whole tree into this process; the other commands start as they are.
  const relaunched = args[0] === 'check' ? relaunchWithHeap(__filename, args) : undefined;
  if (relaunched === undefined) run(args);
  else {
    void relaunched.then((code) => {
      if (code === undefined) run(args);
      else process.exitCode = code;
    });
  }
}

function run(args: string[]): void {
  main(args, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
    async (code) => {
      // Commands that keep the process alive on purpose (the language server) never resolve.
      process.exitCode = code;
      await retiredWorkersExited(RETIRED_EXIT_WAIT_MS);
    },
    (error: unknown) => {
      process.stderr.write(`barrier-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
