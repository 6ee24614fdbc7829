// Room for a whole kernel: `check` holds every file's summary and the pairing on one thread, whose heap Node caps by
// default well below what a full tree needs on a machine that has the memory, so the CLI relaunches itself with more.
import { spawn } from 'node:child_process';
import { constants, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** Set in the relaunched process, which must not relaunch again. */
export const RELAUNCHED = 'BARRIER_LINT_RELAUNCHED';

/** The most a check asks for: a kernel tree's summaries and pairs need a few gigabytes, not the whole machine. */
const MAX_HEAP_MB = 16_384;

/**
 * The `--max-old-space-size` (MB) to relaunch `check` with, or undefined to run here: three quarters of the machine's
 * memory, at most 16 GB, when that is well above the current limit. Never when the user chose a heap size (on the
 * command line or in NODE_OPTIONS) or this process is the relaunched one.
 */
export function relaunchHeapMb(
  limitBytes: number,
  totalBytes: number,
  execArgv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  if (env[RELAUNCHED] !== undefined) return undefined;
  const chosen = (flags: string): boolean => /--max[-_]old[-_]space[-_]size/.test(flags);
  if (execArgv.some(chosen) || chosen(env.NODE_OPTIONS ?? '')) return undefined;
  const wanted = Math.min(MAX_HEAP_MB, Math.floor((totalBytes / 1024 / 1024) * 0.75));
  // A quarter more is worth a second process start (~40 ms); less is not.
  return wanted > (limitBytes / 1024 / 1024) * 1.25 ? wanted : undefined;
}

/** Signals a supervisor or a terminal sends to stop a command, passed on to the relaunched child. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs this CLI again in a child process with a larger heap when relaunchHeapMb asks for one, and resolves to its exit
 * code (128 + the signal's number when a signal ended it); undefined when the command is to run in this process. A
 * stopping signal sent to this process alone (`timeout`, a CI runner) is passed on, so the child does not outlive it
 * (SIGKILL, which no process can catch, excepted).
 */
export function relaunchWithHeap(script: string, args: readonly string[]): Promise<number | undefined> | undefined {
  const heapMb = relaunchHeapMb(getHeapStatistics().heap_size_limit, totalmem(), process.execArgv, process.env);
  if (heapMb === undefined) return undefined;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heapMb}`, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, [RELAUNCHED]: '1' },
    });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const settle = (code: number | undefined): void => {
      for (const signal of FORWARDED) process.off(signal, forward);
      resolve(code);
    };
    // Without a child (no memory to start one) the command runs here, with the default heap. A child that started
    // settles at its exit, whatever else goes wrong (a signal it could not be sent).
    child.once('error', () => {
      if (child.pid === undefined) settle(undefined);
    });
    child.once('exit', (code, signal) => settle(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))));
  });
}
