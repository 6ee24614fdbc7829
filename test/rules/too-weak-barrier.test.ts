// Tests of too-weak-barrier: a barrier of the wrong kind for the pattern, named with the one that suffices.
import { describe, expect, it } from 'vitest';
import { applyEdits, findingObjects, findings, messagePassing } from './support';

const RULE = 'too-weak-barrier';

/** The sleep/wakeup idiom we write for tests, with the waker's barrier as given. */
function sleepWakeup(wakerBarrier: string): string {
  return [
    'struct waiter_state {',
    '\tbool done;',
    '\tstruct wait_queue_head wq;',
    '};',
    '',
    'void finish(struct waiter_state *s)',
    '{',
    '\tWRITE_ONCE(s->done, true);',
    `\t${wakerBarrier}(); /* Order ->done before the waitqueue check. */`,
    '\tif (waitqueue_active(&s->wq))',
    '\t\twake_up(&s->wq);',
    '}',
    '',
    'void wait_done(struct waiter_state *s)',
    '{',
    '\tDEFINE_WAIT(wait);',
    '',
    '\tfor (;;) {',
    '\t\tprepare_to_wait(&s->wq, &wait, TASK_UNINTERRUPTIBLE);',
    '\t\tif (READ_ONCE(s->done))',
    '\t\t\tbreak;',
    '\t\tschedule();',
    '\t}',
    '\tfinish_wait(&s->wq, &wait);',
    '}',
    '',
  ].join('\n');
}

describe(RULE, () => {
  it('flags smp_wmb() ordering a store before a load (the sleep/wakeup idiom) and names smp_mb()', () => {
    const code = sleepWakeup('smp_wmb');
    expect(findings({ 'wait.c': code }, RULE)).toEqual([`${RULE} wait.c:9`]);
    const [finding] = findingObjects({ 'wait.c': code }, 'wait.c', RULE);
    expect(finding?.message).toMatch(/smp_mb\(\) does/);
    const fixed = applyEdits(code, finding!.fixes[0]!.edits);
    expect(fixed).toContain('\tsmp_mb(); /* Order ->done');
    expect(findings({ 'wait.c': fixed })).toEqual([]);
  });

  it('does not flag smp_mb() in store buffering (nor call it over-strong)', () => {
    expect(findings({ 'wait.c': sleepWakeup('smp_mb') })).toEqual([]);
  });

  it('flags a write barrier on the read side and names smp_rmb()', () => {
    const code = messagePassing('smp_wmb()', 'smp_wmb()');
    expect(findings({ 'mp.c': code }, RULE)).toEqual([`${RULE} mp.c:17`]);
    expect(findingObjects({ 'mp.c': code }, 'mp.c', RULE)[0]?.message).toMatch(/smp_rmb\(\) does/);
  });
});
