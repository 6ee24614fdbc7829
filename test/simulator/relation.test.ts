// The relation algebra the model is written in: each operator against its set-theoretic definition.
import { describe, expect, it } from 'vitest';
import { EventSet, Rel } from '../../server/src/simulator/relation';

const n = 40; // more than one 32-bit word per row
const r = Rel.fromPairs(n, [[0, 1], [1, 2], [2, 35], [35, 3]]);
const s = Rel.fromPairs(n, [[1, 2], [3, 0]]);

describe('Rel', () => {
  it('unions, intersects and subtracts', () => {
    expect(r.union(s).pairs()).toEqual([[0, 1], [1, 2], [2, 35], [3, 0], [35, 3]]);
    expect(r.inter(s).pairs()).toEqual([[1, 2]]);
    expect(r.minus(s).pairs()).toEqual([[0, 1], [2, 35], [35, 3]]);
  });

  it('composes, inverts and closes', () => {
    expect(r.seq(r).pairs()).toEqual([[0, 2], [1, 35], [2, 3]]);
    expect(r.seq(s, r).pairs()).toEqual([[0, 35], [35, 1]]);
    expect(s.inverse().pairs()).toEqual([[0, 3], [2, 1]]);
    expect(r.plus().pairs()).toEqual([[0, 1], [0, 2], [0, 3], [0, 35], [1, 2], [1, 3], [1, 35], [2, 3], [2, 35], [35, 3]]);
    expect(r.star().has(7, 7)).toBe(true);
    expect(r.opt().pairs().length).toBe(4 + n);
  });

  it('restricts to sets and builds products', () => {
    const a = EventSet.of(n, (i) => i === 0 || i === 2);
    const b = EventSet.of(n, (i) => i === 1 || i === 35);
    expect(r.restrict(a, b).pairs()).toEqual([[0, 1], [2, 35]]);
    expect(Rel.id(a).seq(r).pairs()).toEqual([[0, 1], [2, 35]]);
    expect(Rel.cross(a, b).pairs()).toEqual([[0, 1], [0, 35], [2, 1], [2, 35]]);
    expect(r.domain().members()).toEqual([0, 1, 2, 35]);
    expect(r.range().members()).toEqual([1, 2, 3, 35]);
    // `[S] ; r` and `r ; [T]` are the restrictions with an unconstrained other side.
    expect(r.from(a).pairs()).toEqual([[0, 1], [2, 35]]);
    expect(r.to(b).pairs()).toEqual([[0, 1], [2, 35]]);
    expect(r.seq(Rel.id(b)).pairs()).toEqual(r.to(b).pairs());
  });

  it('detects cycles', () => {
    expect(r.isAcyclic()).toBe(true);
    expect(r.union(s).isAcyclic()).toBe(false);
    expect(r.isIrreflexive()).toBe(true);
    expect(r.union(s).plus().isIrreflexive()).toBe(false);
  });
});

describe('EventSet', () => {
  it('has the set operations', () => {
    const a = EventSet.of(n, (i) => i < 3);
    const b = EventSet.of(n, (i) => i > 1 && i < 34);
    expect(a.inter(b).members()).toEqual([2]);
    expect(a.minus(b).members()).toEqual([0, 1]);
    expect(a.union(b).members().length).toBe(34);
    expect(a.complement().members().length).toBe(n - 3);
    expect(EventSet.empty(n).isEmpty()).toBe(true);
  });

  it('complements within the events only, whatever the word boundary', () => {
    for (const size of [0, 1, 31, 32, 33, 64]) {
      const odd = EventSet.of(size, (i) => i % 2 === 1);
      expect(odd.complement().members()).toEqual([...Array(size).keys()].filter((i) => i % 2 === 0));
      expect(odd.complement().complement().members()).toEqual(odd.members());
      expect(EventSet.empty(size).complement().bits.reduce((c, w) => c + popcount(w), 0)).toBe(size);
    }
  });
});

function popcount(w: number): number {
  let c = 0;
  for (let x = w >>> 0; x !== 0; x >>>= 1) c += x & 1;
  return c;
}
