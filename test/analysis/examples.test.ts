// Acceptance: the examples/ reproducing each seed, before and after its fix, give exactly these findings.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/analysis/index';
import { lineOf } from '../rules/support';

const examples = path.resolve(__dirname, '../../examples');

function check(files: string[], once = false): { findings: string[]; workspace: Workspace } {
  const workspace = new Workspace({}, { once });
  const texts = new Map(files.map((file) => [file, readFileSync(path.join(examples, file), 'utf8')]));
  for (const [file, text] of texts) workspace.setFile(file, text);
  const findings = files.flatMap((file) =>
    workspace.findings(file).map((finding) => `${finding.ruleId} ${file}:${lineOf(texts.get(file)!, finding.range.start)}`),
  );
  return { findings, workspace };
}

const expected: Record<string, string[]> = {
  // Seed 000: smp_mb() between the wakeup and the r_msg store is over-strong on the send and expunge paths; the
  // receiver spinning on r_msg has no smp_rmb().
  'ipc-msg-before.c': [
    'over-strong-barrier ipc-msg-before.c:40',
    'over-strong-barrier ipc-msg-before.c:56',
    'over-strong-barrier ipc-msg-before.c:66',
    'missing-barrier ipc-msg-before.c:111',
  ],
  'ipc-msg-after.c': [],
  // Seed 001: WRITE_ONCE()/READ_ONCE() publication through the wake queue.
  'ipc-msg-wake-q.c': [],
  // Seed 002: the message is not ordered before the IPI, and the handler's xchg_local() orders nothing.
  'ipi-message-before.c': ['missing-barrier ipi-message-before.c:21', 'missing-barrier ipi-message-before.c:31'],
  'ipi-message-after.c': [],
  // Seed 004: no smp_wmb() after taking from the reserve; an undocumented smp_mb() where smp_rmb() suffices,
  // read with a plain access.
  'mempool-before.c': [
    'missing-barrier mempool-before.c:41',
    'barrier-without-comment mempool-before.c:56',
    'over-strong-barrier mempool-before.c:56',
    'unmarked-access mempool-before.c:57',
  ],
  'mempool-after.c': [],
  // Control dependency: a spin_is_locked() loop orders later stores only; reading what the holder wrote needs
  // smp_acquire__after_ctrl_dep() after the loop.
  'lock-wait-before.c': ['missing-barrier lock-wait-before.c:20'],
  'lock-wait-after.c': [],
  // Releasing an object (load buffering): smp_wmb() does not order the consumer's reads of the slot before the store
  // that hands it back; smp_store_release() does.
  'slot-release-before.c': ['too-weak-barrier slot-release-before.c:20'],
  'slot-release-after.c': [],
};

describe('examples reproducing the seeds', () => {
  it('cover every example file', () => {
    expect(readdirSync(examples).filter((name) => name.endsWith('.c')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s', (file, findings) => {
    expect(check([file]).findings).toEqual(findings);
  });

  it('gives the same findings when all examples are checked together, in a workspace analysed once or kept for edits', () => {
    const all = Object.keys(expected).sort();
    for (const once of [false, true]) expect(check(all, once).findings.sort()).toEqual(Object.values(expected).flat().sort());
  });

  it('pairs the wake_q publication (seed 001) and proves it', () => {
    const { workspace } = check(['ipc-msg-wake-q.c']);
    const pairs = workspace.analysis().results.filter((result) => result.pair.x === 'struct msg_receiver::r_msg');
    expect(pairs.map((result) => `${result.pair.sides[0].flow.fn.name}->${result.pair.sides[1].flow.fn.name}`)).toContain(
      'pipelined_send->do_msgrcv',
    );
    expect(pairs.every((result) => result.verdict === 'forbidden')).toBe(true);
  });

  it('pairs the fixed barriers (seed 000 after) and proves them', () => {
    const { workspace } = check(['ipc-msg-after.c']);
    const sites = workspace.analysis().bySite;
    const model = workspace.model('ipc-msg-after.c')!;
    const barriers = model.sites.filter((site) => site.name === 'smp_wmb' || site.name === 'smp_rmb');
    expect(barriers).toHaveLength(4);
    for (const site of barriers) {
      const results = sites.get(`ipc-msg-after.c:${site.range.start}`) ?? [];
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((result) => result.verdict === 'forbidden')).toBe(true);
    }
  });
});
