// Tests that a workspace analysed once (Pairing without kept state, which leaves out candidates no join can use)
// pairs exactly as one kept for edits: the same pairs, sides and order, over every kind of pair.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFileModel, type FileModel } from '../../server/src/analysis/model';
import { PAIRS_PER_SIDE, Pairing, shareFlow, type Pair, type Side } from '../../server/src/analysis/pairs';
import { random } from '../../bench/generate';

const examples = path.resolve(__dirname, '../../examples');

/** Store buffering both ways (one side with an RMW, which is a store and a load), beside functions that pair with nothing. */
const storeBuffering = [
  'struct flags { int a; int b; int c; atomic_t n; };',
  '',
  'void left(struct flags *f)',
  '{',
  '\tWRITE_ONCE(f->a, 1);',
  '\tsmp_mb();',
  '\tif (READ_ONCE(f->b))',
  '\t\treturn;',
  '}',
  '',
  'void right(struct flags *f)',
  '{',
  '\tWRITE_ONCE(f->b, 1);',
  '\tsmp_mb();',
  '\tif (READ_ONCE(f->a))',
  '\t\treturn;',
  '\tatomic_xchg(&f->n, 2);',
  '\tsmp_mb();',
  '\tWRITE_ONCE(f->c, READ_ONCE(f->a));',
  '}',
  '',
  'void counter(struct flags *f)',
  '{',
  '\tWRITE_ONCE(f->a, 2);',
  '\tsmp_mb();',
  '\tif (atomic_read(&f->n))',
  '\t\tWRITE_ONCE(f->c, 1);',
  '}',
  '',
  'void unrelated(struct flags *f)',
  '{',
  '\tWRITE_ONCE(f->c, 3);',
  '\tsmp_wmb();',
  '\tWRITE_ONCE(f->c, 4);',
  '}',
].join('\n');

function models(): FileModel[] {
  const files = readdirSync(examples).filter((name) => name.endsWith('.c')).sort();
  return [
    ...files.map((file) => buildFileModel(file, readFileSync(path.join(examples, file), 'utf8'))),
    buildFileModel('sb.c', storeBuffering),
  ];
}

function describeSide(side: Side): string {
  return `${side.flow.fn.file}:${side.flow.fn.name} ${side.role} ${side.first?.index}-${side.second?.index} ${side.anchored} ${JSON.stringify(side.spec)}`;
}

function describePairs(pairs: readonly Pair[]): string[] {
  return pairs.map((pair) => `${pair.kind} ${pair.x} ${pair.y} ${pair.sameLock} | ${describeSide(pair.sides[0])} | ${describeSide(pair.sides[1])}`);
}

function pairsOf(pairing: Pairing, all: readonly FileModel[]): Pair[] {
  return pairing.pairs(pairing.flows(all), all.flatMap((model) => model.stubs));
}

describe('pairing a workspace analysed once', () => {
  it('finds every pair a kept pairing finds, in the same order, over every kind of pair', () => {
    const all = models();
    const kept = describePairs(pairsOf(new Pairing(true), all));
    const once = describePairs(pairsOf(new Pairing(false), all));
    expect(once).toEqual(kept);
    expect(new Set(kept.map((pair) => pair.split(' ')[0]))).toEqual(new Set(['mp', 'message-signal', 'signal-store', 'handoff', 'lb', 'sb']));
  });

  it('pairs each file alone as a kept pairing does', () => {
    for (const model of models()) {
      expect(describePairs(pairsOf(new Pairing(false), [model]))).toEqual(describePairs(pairsOf(new Pairing(true), [model])));
    }
  });
});

describe('shareFlow', () => {
  it('answers as a plain intersection of two ascending lists of flow indices', () => {
    const next = random(11);
    const list = (): number[] => [...new Set(Array.from({ length: Math.floor(next() * 12) }, () => Math.floor(next() * 40)))].sort((a, b) => a - b);
    for (let k = 0; k < 2000; k++) {
      const [a, b] = [list(), list()];
      expect(shareFlow(a, b), `${a} / ${b}`).toBe(a.some((index) => b.includes(index)));
    }
  });
});

describe('pairs per side', () => {
  it('pairs each side with at most PAIRS_PER_SIDE counterparts, its first, and leaves no side out', () => {
    // Writers and readers of one field, one more of each than the limit: one pair per writer and reader otherwise.
    const count = PAIRS_PER_SIDE + 1;
    const lines = ['struct q { int a; int b; };'];
    for (let k = 0; k < count; k++) {
      lines.push(`void w${k}(struct q *p) { WRITE_ONCE(p->b, ${k}); smp_wmb(); WRITE_ONCE(p->a, 1); }`);
      lines.push(`int r${k}(struct q *p) { if (READ_ONCE(p->a)) { smp_rmb(); return READ_ONCE(p->b); } return 0; }`);
    }
    const model = buildFileModel('many.c', lines.join('\n'));
    for (const keep of [true, false]) {
      const pairs = pairsOf(new Pairing(keep), [model]);
      const per = (index: 0 | 1): Map<string, number> => {
        const counts = new Map<string, number>();
        for (const pair of pairs) counts.set(pair.sides[index].flow.fn.name, (counts.get(pair.sides[index].flow.fn.name) ?? 0) + 1);
        return counts;
      };
      const [writers, readers] = [per(0), per(1)];
      expect(writers.size).toBe(count);
      expect(readers.size).toBe(count);
      expect(Math.max(...writers.values(), ...readers.values())).toBe(PAIRS_PER_SIDE);
      // The first writer takes the first PAIRS_PER_SIDE readers; the last reader is left to the next writer.
      expect(pairs.filter((pair) => pair.sides[0].flow.fn.name === 'w0').map((pair) => pair.sides[1].flow.fn.name)).toEqual(
        Array.from({ length: PAIRS_PER_SIDE }, (_, k) => `r${k}`),
      );
      expect(pairs.length).toBeLessThan(count * count);
    }
  });
});
