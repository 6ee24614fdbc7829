// The contract every `barrier-lint` subcommand implements; the dispatcher in server/src/cli.ts reads the registry.

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where relative paths resolve from. */
  cwd: string;
}

export interface Command {
  /** The subcommand word, e.g. `check`. */
  name: string;
  /** One line for `barrier-lint --help`. */
  summary: string;
  /** The full usage text for `barrier-lint <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code (0 clean, 1 findings or failed expectation, 2 usage/input error). */
  run(args: string[], io: CommandIO): Promise<number>;
}
