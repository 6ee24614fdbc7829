// `barrier-lint lsp --stdio`: runs the language server over stdio for any LSP client (Neovim, Emacs, Helix, ...).
import type { Command, CommandIO } from './command';

const usage = `Usage: barrier-lint lsp --stdio

Runs the barrier-lint language server, speaking the Language Server Protocol
on stdin/stdout. Point your editor's LSP client at \`barrier-lint lsp --stdio\`.

Options:
  --stdio                  talk over stdin/stdout (the usual choice)
  --node-ipc               talk over a Node IPC channel (when started by a Node client)
  --socket=PORT            talk over a TCP socket on localhost
  --clientProcessId=PID    exit when that process exits (sent by some clients)
  -h, --help               show this help
`;

function isTransport(arg: string): boolean {
  return arg === '--stdio' || arg === '--node-ipc' || arg.startsWith('--socket=') || arg.startsWith('--pipe=');
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const unknown = args.filter((arg) => !isTransport(arg) && !arg.startsWith('--clientProcessId='));
  const transports = args.filter(isTransport);
  if (unknown.length > 0 || transports.length !== 1) {
    const problem =
      unknown.length > 0 ? `unknown option '${unknown[0]}'` : transports.length === 0 ? 'no transport given (use --stdio)' : 'give exactly one transport';
    io.stderr.write(`barrier-lint lsp: ${problem}\nRun 'barrier-lint lsp --help' for usage.\n`);
    return 2;
  }
  // The server module creates its connection from the transport flag in process.argv when it loads, exactly as
  // dist/server.js does when the VS Code client starts it; the import is lazy so other commands never load it.
  await import('../server');
  // The connection owns the process from here and exits it on the client's `exit` notification.
  return new Promise<number>(() => undefined);
}

export const lsp: Command = { name: 'lsp', summary: 'run the language server (barrier-lint lsp --stdio)', usage, run };
