// The registry of `barrier-lint` subcommands, in the order `barrier-lint --help` lists them.
import type { Command } from './command';
import { check } from './check';
import { litmus } from './litmus';
import { lsp } from './lsp';
import { scenario } from './scenario';

export const commands: readonly Command[] = [check, lsp, litmus, scenario];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}
