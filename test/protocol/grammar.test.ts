// The .litmus TextMate grammar: its kernel-primitive pattern covers the shared primitive table, and its block
// patterns recognise the parts of a litmus test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPrimitives } from '../../server/src/lkmm/primitives';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
}

const grammar: { repository: Record<string, Rule & { patterns?: Rule[] }> } = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../syntaxes/litmus.tmLanguage.json'), 'utf8'),
);

/** The grammar's Oniguruma patterns used here are also valid JavaScript regular expressions. */
function pattern(source: string | undefined): RegExp {
  if (source === undefined) throw new Error('pattern missing');
  return new RegExp(source);
}

function repository(name: string): Rule & { patterns?: Rule[] } {
  const rule = grammar.repository[name];
  if (rule === undefined) throw new Error(`no repository rule ${name}`);
  return rule;
}

describe('litmus grammar', () => {
  it('highlights every primitive of the LKMM primitive table, as a whole word', () => {
    const primitives = pattern(repository('primitives').match);
    for (const { name } of allPrimitives()) expect(primitives.exec(` ${name}(`)?.[0], name).toBe(name);
  });

  it('does not highlight ordinary identifiers as primitives', () => {
    const primitives = pattern(repository('primitives').match);
    for (const word of ['r0', 'x', 'flag', 'my_smp_mb', 'barriers', 'WRITE_ONCE_X']) expect(primitives.exec(word), word).toBeNull();
  });

  it('opens a process on `P<n>(`, a condition on its quantifier, and a comment on `(*`', () => {
    expect(pattern(repository('process').begin).exec('P1(int *x, int *y)')?.[1]).toBe('P1');
    expect(pattern(repository('process').begin).exec('Px(int *x)')).toBeNull();
    const condition = pattern(repository('condition').begin);
    for (const line of ['exists (1:r0=1 /\\ 1:r1=0)', '~exists (0:r0=0)', 'forall (x=1)', 'filter (0:r0=1)', 'locations [x;y;]']) {
      expect(condition.test(line), line).toBe(true);
    }
    expect(condition.test('existsx (0:r0=0)')).toBe(false);
    const [blockComment] = repository('comments').patterns ?? [];
    expect(pattern(blockComment?.begin).test('(* Result: Never *)')).toBe(true);
  });
});
