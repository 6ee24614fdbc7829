// CPU time of a process or of one of its threads, from /proc: what the benchmarks report beside wall time.
import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) a process has used, in ms, from /proc (Linux); undefined elsewhere. With `thread`, only
 * that thread's (the process id names the main thread): V8 compiles and collects garbage on threads of its own, and
 * worker threads are threads of the process too.
 */
export function cpuMs(pid: number | undefined, thread?: number): number | undefined {
  try {
    const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
