// A one-line progress bar for long checks, drawn only on an interactive terminal: pipes and CI logs stay clean.
const WIDTH = 30;
/** Redraws at most this often, so a fast run over cached files does not spend its time drawing. */
const INTERVAL_MS = 100;

export interface Progress {
  update(done: number, total: number): void;
  /** Erases the bar, so the findings and the summary print on a clean line. */
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

export function progressBar(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Progress {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (!tty || env.CI !== undefined || env.TERM === 'dumb') return silent;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < INTERVAL_MS && done < total) return;
      last = now;
      const filled = total === 0 ? WIDTH : Math.round((WIDTH * done) / total);
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total} files`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
