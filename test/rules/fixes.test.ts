// Quick fixes of barrier-without-comment, pairing-comment-mismatch and missing-barrier's acquire/release alternative:
// each fix applied to the text, re-analysed, removes its finding, adds none, and leaves the pairing's verdict forbidden.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/analysis/index';
import { scenariosAt } from '../../server/src/analysis/scenarios';
import type { Finding, Fix } from '../../server/src/analysis/types';
import { applyEdits, messagePassing } from './support';

const FILE = 'mp.c';

function analyse(text: string): { workspace: Workspace; findings: Finding[] } {
  const workspace = new Workspace();
  workspace.setFile(FILE, text);
  return { workspace, findings: workspace.findings(FILE) };
}

const describeFinding = (finding: Finding): string => `${finding.ruleId}@${finding.message}`;

/** Applies the fix `pick` chooses, then checks the finding is gone, nothing new appears and the pair at the call `pairedAt` is forbidden. */
function applyAndRecheck(text: string, rule: string, pick: (fixes: Fix[]) => Fix | undefined, pairedAt: string): string {
  const before = analyse(text).findings;
  const finding = before.find((candidate) => candidate.ruleId === rule);
  expect(finding, `no ${rule} finding`).toBeDefined();
  const fix = pick(finding!.fixes);
  expect(fix, `no such fix of ${rule}`).toBeDefined();
  const fixed = applyEdits(text, fix!.edits);
  const after = analyse(fixed);
  expect(after.findings.filter((candidate) => candidate.ruleId === rule)).toEqual([]);
  const previous = new Set(before.filter((candidate) => candidate !== finding).map(describeFinding));
  expect(after.findings.map(describeFinding).filter((item) => !previous.has(item))).toEqual([]);
  const scenarios = scenariosAt(after.workspace, FILE, fixed.indexOf(pairedAt));
  expect(scenarios.length).toBeGreaterThan(0);
  expect(scenarios.map((scenario) => scenario.verdict)).toEqual(scenarios.map(() => 'forbidden'));
  return fixed;
}

const preferred = (fixes: Fix[]): Fix | undefined => fixes.find((fix) => fix.isPreferred === true);

describe('barrier-without-comment fix', () => {
  it('inserts a comment naming the pair above a paired barrier, indented like it', () => {
    const text = messagePassing('smp_wmb()', 'smp_rmb()').replace('\tsmp_wmb(); /* Order ->data before ->ready. */', '\tsmp_wmb();');
    const fixed = applyAndRecheck(text, 'barrier-without-comment', preferred, 'smp_wmb();');
    expect(fixed).toContain('\t/* Pairs with smp_rmb() in consume(). */\n\tsmp_wmb();\n');
  });

  it('offers nothing for a barrier that pairs with nothing', () => {
    const text = 'void f(int *p)\n{\n\tWRITE_ONCE(*p, 1);\n\tsmp_mb();\n}\n';
    const finding = analyse(text).findings.find((candidate) => candidate.ruleId === 'barrier-without-comment');
    expect(finding?.fixes).toEqual([]);
  });

  it('offers nothing inside a #define body, where an inserted line would end the macro', () => {
    const text = '#define PUBLISH(p) do { \\\n\tsmp_wmb(); \\\n} while (0)\n';
    const finding = analyse(text).findings.find((candidate) => candidate.ruleId === 'barrier-without-comment');
    expect(finding).toBeDefined();
    expect(finding?.fixes).toEqual([]);
  });
});

describe('pairing-comment-mismatch fix', () => {
  it('corrects the barrier and function the comment names to the actual pair', () => {
    const text = [
      messagePassing('smp_wmb()', 'smp_rmb()').replace('/* Order ->data before ->ready. */', '/* Orders ->data; pairs with smp_mb() in consume(). */'),
      'void unrelated(void)\n{\n\tsmp_mb(); /* Orders nothing shared. */\n}\n',
    ].join('\n');
    const fixed = applyAndRecheck(text, 'pairing-comment-mismatch', preferred, 'smp_wmb();');
    expect(fixed).toContain('smp_wmb(); /* Orders ->data; pairs with smp_rmb() in consume(). */');
  });
});

describe('missing-barrier acquire/release alternative', () => {
  const convert = (fixes: Fix[]): Fix | undefined => fixes.find((fix) => fix.title.startsWith('Convert to'));

  it('converts the reader flag READ_ONCE() to smp_load_acquire(), not preferred', () => {
    const text = messagePassing('smp_wmb()', '');
    const finding = analyse(text).findings.find((candidate) => candidate.ruleId === 'missing-barrier');
    expect(convert(finding!.fixes)?.isPreferred).toBeUndefined();
    expect(preferred(finding!.fixes)?.title).toBe('Add smp_rmb()');
    const fixed = applyAndRecheck(text, 'missing-barrier', convert, 'smp_wmb();');
    expect(fixed).toContain('\t/* Pairs with smp_wmb() in publish(). */\n\tif (!smp_load_acquire(&it->ready))\n');
  });

  it('converts the writer flag WRITE_ONCE() and a plain store to a volatile flag to smp_store_release()', () => {
    const text = messagePassing('', 'smp_rmb()');
    const fixed = applyAndRecheck(text, 'missing-barrier', convert, 'smp_rmb();');
    expect(fixed).toContain('\t/* Pairs with smp_rmb() in consume(). */\n\tsmp_store_release(&it->ready, 1);\n');

    // A plain store pairs only to a volatile field, which behaves as marked.
    const plain = text.replace('\tWRITE_ONCE(it->ready, 1);', '\tit->ready = v + 1;').replace('\tint ready;', '\tvolatile int ready;');
    const fixedPlain = applyAndRecheck(plain, 'missing-barrier', convert, 'smp_rmb();');
    expect(fixedPlain).toContain('\tsmp_store_release(&it->ready, v + 1);\n');
  });
});
