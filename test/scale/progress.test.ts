// The progress bar draws on an interactive terminal only, and erases itself before the findings print.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../server/src/index/progress';

function terminal(isTTY: boolean): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(stream, { isTTY });
  return { stream, text: () => chunks.join('') };
}

describe('progressBar', () => {
  it('draws done/total on a terminal and erases the line when done', () => {
    const tty = terminal(true);
    const bar = progressBar(tty.stream, {});
    bar.update(5, 10);
    bar.update(10, 10);
    bar.done();
    expect(tty.text()).toContain('5/10 files');
    expect(tty.text()).toContain('10/10 files');
    expect(tty.text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('stays silent in a pipe, in CI and on a dumb terminal', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
      [true, { TERM: 'dumb' }],
    ] as const) {
      const out = terminal(isTTY);
      const bar = progressBar(out.stream, env);
      bar.update(1, 2);
      bar.done();
      expect(out.text()).toBe('');
    }
  });
});
