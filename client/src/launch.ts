// How the language server's process is started: which Node.js and with what heap. Kept apart from extension.ts (no
// vscode import) so the choice is testable without VS Code.
import { existsSync } from 'node:fs';

export interface LaunchSettings {
  /** `barrierLint.server.nodePath`: a Node.js executable, or empty for VS Code's own runtime. */
  nodePath: string;
  /** `barrierLint.server.maxMemoryMb`: the heap limit in MB, or 0 for the runtime's default. */
  maxMemoryMb: number;
}

export interface Launch {
  /** The executable to run the server module with; undefined: VS Code's own runtime (Electron as Node). */
  runtime?: string;
  execArgv: string[];
  /** Why a setting was not used, for the user. */
  problems: string[];
}

/**
 * The server's runtime and V8 flags from the settings. A whole kernel's index outgrows VS Code's runtime, whose heap
 * stops near 4 GB however large the limit asked (its V8 compresses pointers): such a workspace needs a Node.js of its
 * own, as TypeScript's `typescript.tsserver.nodePath` does for large projects.
 */
export function launchOf(settings: LaunchSettings, exists: (file: string) => boolean = existsSync): Launch {
  const problems: string[] = [];
  let runtime: string | undefined;
  const nodePath = settings.nodePath.trim();
  if (nodePath !== '') {
    if (exists(nodePath)) runtime = nodePath;
    else problems.push(`barrierLint.server.nodePath: ${nodePath} does not exist; the server runs on VS Code's own runtime.`);
  }
  const execArgv: string[] = [];
  const heap = Math.floor(settings.maxMemoryMb);
  if (Number.isFinite(heap) && heap > 0) execArgv.push(`--max-old-space-size=${heap}`);
  return { runtime, execArgv, problems };
}
