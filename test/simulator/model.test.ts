// The model on small hand-written tests: each classic shape's verdict (checked against herd7 7.58 when written),
// the check that forbids its bad outcome, and the relations of linux-kernel.cat that order it.
import { describe, expect, it } from 'vitest';
import { forEachCandidate, parseLitmus, simulate, type Candidate } from '../../server/src/simulator/index';

interface Case {
  litmus: string;
  /** herd7's Observation figures. */
  observation: string;
  /** The first check rejecting the executions that reach the bad outcome. */
  forbiddenBy?: string;
  flags: string[];
}

const cases: Case[] = [
  {
    // The value 2 justifies itself through control only (no data cycle): herd7 allows it, so the value domains
    // must guess it even though no write produces it before some read has.
    litmus: `C LB-ctrl-justified
{}
P0(int *a, int *b)
{
	int r0;
	int r1 = 2;
	r0 = READ_ONCE(*a);
	if (r0 == 0)
		r1 = 0;
	WRITE_ONCE(*b, r1);
}
P1(int *a, int *b)
{
	int r2;
	r2 = READ_ONCE(*b);
	WRITE_ONCE(*a, r2);
}
exists (0:r0=2 /\\ 1:r2=2)`,
    observation: 'Sometimes 1 4',
    flags: [],
  },
  {
    litmus: `C MP-wmb-rmb
{}
P0(int *a, int *f)
{
	WRITE_ONCE(*a, 1);
	smp_wmb();
	WRITE_ONCE(*f, 1);
}
P1(int *a, int *f)
{
	int r0;
	int r1;
	r0 = READ_ONCE(*f);
	smp_rmb();
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Never 0 3',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C MP-once
{}
P0(int *a, int *f)
{
	WRITE_ONCE(*a, 1);
	WRITE_ONCE(*f, 1);
}
P1(int *a, int *f)
{
	int r0;
	int r1;
	r0 = READ_ONCE(*f);
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Sometimes 1 3',
        flags: [],
  },
  {
    litmus: `C SB-mb
{}
P0(int *a, int *b)
{
	int r0;
	WRITE_ONCE(*a, 1);
	smp_mb();
	r0 = READ_ONCE(*b);
}
P1(int *a, int *b)
{
	int r0;
	WRITE_ONCE(*b, 1);
	smp_mb();
	r0 = READ_ONCE(*a);
}
exists (0:r0=0 /\\ 1:r0=0)`,
    observation: 'Never 0 3',
    forbiddenBy: 'propagation',
    flags: [],
  },
  {
    litmus: `C LB-ctrl-data
{}
P0(int *a, int *b)
{
	int r0;
	r0 = READ_ONCE(*a);
	if (r0)
		WRITE_ONCE(*b, 1);
}
P1(int *a, int *b)
{
	int r0;
	r0 = READ_ONCE(*b);
	WRITE_ONCE(*a, r0);
}
exists (0:r0=1 /\\ 1:r0=1)`,
    observation: 'Never 0 2',
    flags: [],
  },
  {
    litmus: `C WRC-release-acquire
{}
P0(int *a)
{
	WRITE_ONCE(*a, 1);
}
P1(int *a, int *b)
{
	int r0;
	r0 = READ_ONCE(*a);
	smp_store_release(b, 1);
}
P2(int *a, int *b)
{
	int r0;
	int r1;
	r0 = smp_load_acquire(b);
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)`,
    observation: 'Never 0 7',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C IRIW-mb
{}
P0(int *a) { WRITE_ONCE(*a, 1); }
P1(int *a, int *b)
{
	int r0; int r1;
	r0 = READ_ONCE(*a);
	smp_mb();
	r1 = READ_ONCE(*b);
}
P2(int *b) { WRITE_ONCE(*b, 1); }
P3(int *a, int *b)
{
	int r0; int r1;
	r0 = READ_ONCE(*b);
	smp_mb();
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0)`,
    observation: 'Never 0 15',
    forbiddenBy: 'propagation',
    flags: [],
  },
  {
    litmus: `C IRIW-once
{}
P0(int *a) { WRITE_ONCE(*a, 1); }
P1(int *a, int *b)
{
	int r0; int r1;
	r0 = READ_ONCE(*a);
	r1 = READ_ONCE(*b);
}
P2(int *b) { WRITE_ONCE(*b, 1); }
P3(int *a, int *b)
{
	int r0; int r1;
	r0 = READ_ONCE(*b);
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0)`,
    observation: 'Sometimes 1 15',
        flags: [],
  },
  {
    litmus: `C ISA2-release-acquire
{}
P0(int *a, int *b)
{
	WRITE_ONCE(*a, 1);
	smp_store_release(b, 1);
}
P1(int *b, int *c)
{
	int r0;
	r0 = smp_load_acquire(b);
	smp_store_release(c, 1);
}
P2(int *a, int *c)
{
	int r0; int r1;
	r0 = smp_load_acquire(c);
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)`,
    observation: 'Never 0 7',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C Z6.0-release-acquire-mb
{}
P0(int *a, int *b)
{
	WRITE_ONCE(*a, 1);
	smp_store_release(b, 1);
}
P1(int *b, int *c)
{
	int r0;
	r0 = smp_load_acquire(b);
	WRITE_ONCE(*c, 1);
}
P2(int *a, int *c)
{
	int r0;
	WRITE_ONCE(*c, 2);
	smp_mb();
	r0 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ c=2 /\\ 2:r0=0)`,
    observation: 'Sometimes 1 7',
        flags: [],
  },
  {
    litmus: `C 2+2W-release
{}
P0(int *a, int *b)
{
	WRITE_ONCE(*a, 2);
	smp_store_release(b, 1);
}
P1(int *a, int *b)
{
	WRITE_ONCE(*b, 2);
	smp_store_release(a, 1);
}
exists (a=2 /\\ b=2)`,
    observation: 'Sometimes 1 3',
        flags: [],
  },
  {
    litmus: `C R-wmb-mb
{}
P0(int *a, int *b)
{
	WRITE_ONCE(*a, 1);
	smp_wmb();
	WRITE_ONCE(*b, 1);
}
P1(int *a, int *b)
{
	int r0;
	WRITE_ONCE(*b, 2);
	smp_mb();
	r0 = READ_ONCE(*a);
}
exists (b=2 /\\ 1:r0=0)`,
    observation: 'Sometimes 1 3',
        flags: [],
  },
  {
    litmus: `C S-wmb-acquire
{}
P0(int *a, int *b)
{
	WRITE_ONCE(*a, 2);
	smp_wmb();
	WRITE_ONCE(*b, 1);
}
P1(int *a, int *b)
{
	int r0;
	r0 = smp_load_acquire(b);
	WRITE_ONCE(*a, 1);
}
exists (1:r0=1 /\\ a=2)`,
    observation: 'Never 0 3',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C RCU-grace-period
{}
P0(int *a, int *b)
{
	int r0; int r1;
	rcu_read_lock();
	r0 = READ_ONCE(*a);
	r1 = READ_ONCE(*b);
	rcu_read_unlock();
}
P1(int *a, int *b)
{
	WRITE_ONCE(*b, 1);
	synchronize_rcu();
	WRITE_ONCE(*a, 1);
}
exists (0:r0=1 /\\ 0:r1=0)`,
    observation: 'Never 0 3',
    forbiddenBy: 'rcu',
    flags: [],
  },
  {
    litmus: `C RCU-publish
{
	int *p = &a;
	int b = 1;
}
P0(int *c, int **p)
{
	WRITE_ONCE(*c, 2);
	rcu_assign_pointer(*p, c);
}
P1(int **p)
{
	int *r0; int r1;
	rcu_read_lock();
	r0 = rcu_dereference(*p);
	r1 = READ_ONCE(*r0);
	rcu_read_unlock();
}
exists (1:r0=c /\\ 1:r1=0)`,
    observation: 'Never 0 2',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C SRCU-grace-period
{}
P0(int *a, int *b, struct srcu_struct *s)
{
	int r0; int r1; int i;
	i = srcu_read_lock(s);
	r0 = READ_ONCE(*a);
	r1 = READ_ONCE(*b);
	srcu_read_unlock(s, i);
}
P1(int *a, int *b, struct srcu_struct *s)
{
	WRITE_ONCE(*b, 1);
	synchronize_srcu(s);
	WRITE_ONCE(*a, 1);
}
exists (0:r0=1 /\\ 0:r1=0)`,
    observation: 'Never 0 3',
    forbiddenBy: 'rcu',
    flags: [],
  },
  {
    litmus: `C lock-handover
{}
P0(int *a, int *b, spinlock_t *l)
{
	spin_lock(l);
	WRITE_ONCE(*a, 1);
	WRITE_ONCE(*b, 1);
	spin_unlock(l);
}
P1(int *a, int *b, spinlock_t *l)
{
	int r0; int r1;
	spin_lock(l);
	r0 = READ_ONCE(*b);
	r1 = READ_ONCE(*a);
	spin_unlock(l);
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Never 0 2',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C trylock
{}
P0(int *a, spinlock_t *l)
{
	int r0;
	spin_lock(l);
	WRITE_ONCE(*a, 1);
	spin_unlock(l);
}
P1(int *a, spinlock_t *l)
{
	int r0; int r1;
	r0 = spin_trylock(l);
	if (r0) {
		r1 = READ_ONCE(*a);
		spin_unlock(l);
	}
}
exists (1:r0=0)`,
    observation: 'Sometimes 1 2',
        flags: [],
  },
  {
    litmus: `C is-locked-unlock-lock
{}
P0(int *a, spinlock_t *l)
{
	spin_lock(l);
	WRITE_ONCE(*a, 1);
	spin_unlock(l);
}
P1(int *a, spinlock_t *l)
{
	int r0; int r1;
	r0 = spin_is_locked(l);
	spin_lock(l);
	smp_mb__after_unlock_lock();
	r1 = READ_ONCE(*a);
	spin_unlock(l);
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Never 0 4',
    forbiddenBy: 'happens-before',
    flags: [],
  },
  {
    litmus: `C failed-cmpxchg
{}
P0(int *a, int *b)
{
	int r0;
	WRITE_ONCE(*a, 1);
	r0 = cmpxchg(b, 5, 1);
	WRITE_ONCE(*b, 2);
}
P1(int *a, int *b)
{
	int r0; int r1;
	r0 = READ_ONCE(*b);
	smp_rmb();
	r1 = READ_ONCE(*a);
}
exists (1:r0=2 /\\ 1:r1=0)`,
    observation: 'Sometimes 1 3',
        flags: [],
  },
  {
    litmus: `C atomic-inc
{}
P0(atomic_t *v)
{
	int r0;
	r0 = atomic_fetch_inc_relaxed(v);
}
P1(atomic_t *v)
{
	int r0;
	r0 = atomic_inc_return(v);
}
exists (0:r0=0 /\\ 1:r0=1)`,
    observation: 'Never 0 2',
    forbiddenBy: 'atomic',
    flags: [],
  },
  {
    litmus: `C CoRR
{}
P0(int *a) { WRITE_ONCE(*a, 1); }
P1(int *a)
{
	int r0; int r1;
	r0 = READ_ONCE(*a);
	r1 = READ_ONCE(*a);
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Never 0 3',
    forbiddenBy: 'ConsCo',
    flags: [],
  },
  {
    litmus: `C plain-race
{}
P0(int *a, int *f)
{
	*a = 1;
	WRITE_ONCE(*f, 1);
}
P1(int *a, int *f)
{
	int r0; int r1;
	r0 = READ_ONCE(*f);
	r1 = *a;
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Sometimes 1 3',
    flags: ['data-race'],
  },
  {
    litmus: `C plain-no-race
{}
P0(int *a, int *f)
{
	*a = 1;
	smp_store_release(f, 1);
}
P1(int *a, int *f)
{
	int r0; int r1 = 0;
	r0 = smp_load_acquire(f);
	if (r0)
		r1 = *a;
}
exists (1:r0=1 /\\ 1:r1=0)`,
    observation: 'Never 0 2',
    forbiddenBy: 'plain-coherence',
    flags: [],
  },
  {
    litmus: `C lock-observed
{}
P0(int *a, spinlock_t *l)
{
	spin_lock(l);
	WRITE_ONCE(*a, 1);
	spin_unlock(l);
}
P1(int *a, spinlock_t *l)
{
	int r0;
	spin_lock(l);
	r0 = READ_ONCE(*a);
	spin_unlock(l);
}
locations [l]
exists (1:r0=0)`,
    observation: 'Sometimes 1 1',
    flags: ['lock-final'],
  },
  {
    litmus: `C address-offset
{}
P0(int *x, int *y)
{
	int r0;
	int r1;
	r0 = READ_ONCE(*x);
	r1 = r0 - 1;
	WRITE_ONCE(*(y + r1), 2);
}
P1(int *x, int *y)
{
	WRITE_ONCE(*y, 3);
	smp_mb();
	WRITE_ONCE(*x, 1);
}
exists (0:r0=1 /\\ y=3)`,
    observation: 'Never 0 2',
    flags: [],
  },
  {
    litmus: `C filter-lock
{}
P0(int *l, int *a, int *b)
{
	int r0;
	int r1;
	r0 = cmpxchg_acquire(l, 0, 1);
	WRITE_ONCE(*a, 1);
	r1 = READ_ONCE(*b);
	smp_store_release(l, 0);
}
P1(int *l, int *a, int *b)
{
	int r0;
	int r1;
	r0 = cmpxchg_acquire(l, 0, 1);
	WRITE_ONCE(*b, 1);
	r1 = READ_ONCE(*a);
	smp_store_release(l, 0);
}
filter (0:r0=0 /\\ 1:r0=0)
exists (0:r1=0 /\\ 1:r1=0)`,
    observation: 'Never 0 2',
    flags: [],
  },
  {
    // srcu_read_lock() and srcu_read_unlock() read and write the srcu_struct, so they have rf and co of their own.
    litmus: `C srcu-idx
{}
P0(int *a, struct srcu_struct *s)
{
	int r0;
	int i;
	int j;
	i = srcu_read_lock(s);
	r0 = READ_ONCE(*a);
	j = srcu_read_lock(s);
	srcu_read_unlock(s, j);
	srcu_read_unlock(s, i);
}
P1(int *a, struct srcu_struct *s)
{
	int k;
	WRITE_ONCE(*a, 1);
	if (READ_ONCE(*a)) {
		k = srcu_read_lock(s);
		srcu_read_unlock(s, k);
	}
}
locations [0:i; 0:j; 1:k]
exists (0:r0=1)`,
    observation: 'Sometimes 8 8',
    flags: [],
  },
  {
    litmus: `C srcu-bad-index
{}
P0(int *a, struct srcu_struct *s)
{
	int r0;
	int i;
	i = srcu_read_lock(s);
	r0 = READ_ONCE(*a);
	srcu_read_unlock(s, i + 1);
}
P1(int *a, struct srcu_struct *s)
{
	WRITE_ONCE(*a, 1);
	synchronize_srcu(s);
}
exists (0:r0=1)`,
    observation: 'Sometimes 1 1',
    flags: ['srcu-bad-value-match'],
  },
  {
    // Two reads in one expression are not ordered by po (herd7 orders one instruction's events by data flow
    // only), so CoRR does not apply: r0=2 means the first read saw 1 and the second 0.
    litmus: `C intra-instruction
{}
P0(int *x)
{
	int r0;
	r0 = READ_ONCE(*x) * 2 + READ_ONCE(*x);
}
P1(int *x)
{
	WRITE_ONCE(*x, 1);
}
exists (0:r0=2)`,
    observation: 'Sometimes 1 3',
    flags: [],
  },
];

describe('LKMM verdicts on the classic shapes', () => {
  for (const c of cases) {
    const test = parseLitmus(c.litmus);
    it(test.name, () => {
      const result = simulate(test);
      expect(result.status).toBe('complete');
      expect(`${result.observation} ${result.pos} ${result.neg}`).toBe(c.observation);
      expect(result.flags).toEqual(c.flags);
      const bad = result.forbidden.filter((f) => f.satisfies).map((f) => f.axiom);
      if (c.forbiddenBy !== undefined) expect(bad).toContain(c.forbiddenBy);
      if (c.observation.startsWith('Sometimes')) expect(result.witnesses.some((w) => w.satisfies)).toBe(true);
    });
  }
});

/** The candidate executions of a test whose final registers match `regs` (e.g. `{ '1:r0': 1 }`). */
function candidatesWith(litmus: string, regs: Record<string, number | string>): Candidate[] {
  const found: Candidate[] = [];
  forEachCandidate(parseLitmus(litmus), (c) => {
    const matches = Object.entries(regs).every(([key, value]) => {
      const [proc, reg] = key.split(':');
      return c.traces[Number(proc)]?.regs.get(reg!) === value;
    });
    if (matches) found.push(c);
  });
  return found;
}

/** The index of the n-th event of process `proc` with the given kind. */
function event(c: Candidate, proc: number, kind: string, n = 0): number {
  const matching = c.events.map((e, i) => ({ e, i })).filter(({ e }) => e.proc === proc && e.kind === kind);
  const hit = matching[n];
  if (!hit) throw new Error(`no event ${kind} #${n} in P${proc}`);
  return hit.i;
}

function rel(c: Candidate, name: string) {
  const r = c.outcome.relations.get(name);
  if (!r) throw new Error(`relation ${name} was not computed`);
  return r;
}

const byName = (name: string) => cases.find((c) => c.litmus.startsWith(`C ${name}\n`))!.litmus;

describe('LKMM relations', () => {
  it('wmb and rmb order accesses and make the MP cycle an hb cycle', () => {
    const [c] = candidatesWith(byName('MP-wmb-rmb'), { '1:r0': 1, '1:r1': 0 });
    expect(c).toBeDefined();
    const [wa, wf] = [event(c!, 0, 'W', 0), event(c!, 0, 'W', 1)];
    const [rf, ra] = [event(c!, 1, 'R', 0), event(c!, 1, 'R', 1)];
    expect(rel(c!, 'wmb').has(wa, wf)).toBe(true);
    expect(rel(c!, 'rmb').has(rf, ra)).toBe(true);
    expect(rel(c!, 'ppo').has(rf, ra)).toBe(true);
    expect(rel(c!, 'cumul-fence').has(wa, wf)).toBe(true);
    // ra reads the initial a, overwritten by wa: prop runs fr ; cumul-fence ; rfe from ra to rf, inside P1.
    expect(rel(c!, 'prop').has(ra, rf)).toBe(true);
    expect(rel(c!, 'hb').has(ra, rf)).toBe(true);
    expect(c!.outcome.rejectedBy).toBe('happens-before');
  });

  it('a full fence is a strong fence and feeds pb', () => {
    const [c] = candidatesWith(byName('SB-mb'), { '0:r0': 0, '1:r0': 0 });
    const [w0, r0] = [event(c!, 0, 'W'), event(c!, 0, 'R')];
    expect(rel(c!, 'mb').has(w0, r0)).toBe(true);
    expect(rel(c!, 'strong-fence').has(w0, r0)).toBe(true);
    expect(rel(c!, 'ppo').has(w0, r0)).toBe(true);
    expect(c!.outcome.rejectedBy).toBe('propagation');
  });

  it('ctrl reaches into the if branch only, data into the stored value, addr into the address', () => {
    const deps = `C deps
{
  int *p = &a;
}
P0(int *a, int *b, int **p)
{
  int r0;
  int *r1;
  r0 = READ_ONCE(*a);
  if (r0) {
    WRITE_ONCE(*b, r0);
  }
  WRITE_ONCE(*a, 2);
  r1 = READ_ONCE(*p);
  WRITE_ONCE(*r1, 3);
}
P1(int *a)
{
  WRITE_ONCE(*a, 1);
}
exists (0:r0=1)`;
    const [c] = candidatesWith(deps, { '0:r0': 1 });
    const ra = event(c!, 0, 'R', 0);
    const [wb, wa, wr1] = [event(c!, 0, 'W', 0), event(c!, 0, 'W', 1), event(c!, 0, 'W', 2)];
    const rp = event(c!, 0, 'R', 1);
    expect(rel(c!, 'ctrl').has(ra, wb)).toBe(true);
    expect(rel(c!, 'ctrl').has(ra, wa)).toBe(false);
    expect(rel(c!, 'data').has(ra, wb)).toBe(true);
    expect(rel(c!, 'addr').has(rp, wr1)).toBe(true);
    expect(rel(c!, 'rwdep').has(ra, wb)).toBe(true);
    expect(rel(c!, 'ppo').has(rp, wr1)).toBe(true);
  });

  it('release and acquire give po-rel and acq-po, and A-cumulativity carries WRC', () => {
    const [c] = candidatesWith(byName('WRC-release-acquire'), { '1:r0': 1, '2:r0': 1, '2:r1': 0 });
    expect(rel(c!, 'po-rel').has(event(c!, 1, 'R'), event(c!, 1, 'W'))).toBe(true);
    expect(rel(c!, 'acq-po').has(event(c!, 2, 'R', 0), event(c!, 2, 'R', 1))).toBe(true);
    expect(rel(c!, 'cumul-fence').has(event(c!, 0, 'W'), event(c!, 1, 'W'))).toBe(true);
    expect(c!.outcome.rejectedBy).toBe('happens-before');
  });

  it('matches RCU critical sections with grace periods through rcu-order', () => {
    const [c] = candidatesWith(byName('RCU-grace-period'), { '0:r0': 1, '0:r1': 0 });
    const lock = event(c!, 0, 'F', 0);
    const unlock = event(c!, 0, 'F', 1);
    const sync = event(c!, 1, 'F', 0);
    expect(rel(c!, 'rcu-rscs').has(lock, unlock)).toBe(true);
    expect(rel(c!, 'gp').has(event(c!, 1, 'W', 0), event(c!, 1, 'W', 1))).toBe(true);
    expect(rel(c!, 'rcu-order').has(sync, sync)).toBe(true);
    expect(rel(c!, 'rcu-fence').isEmpty()).toBe(false);
    expect(c!.outcome.rejectedBy).toBe('rcu');
  });

  it('pairs lock halves, matches critical sections and hands the lock over through rf', () => {
    const [c] = candidatesWith(byName('lock-handover'), { '1:r0': 1, '1:r1': 1 });
    const [lkr0, lkw0, ul0] = [event(c!, 0, 'LKR'), event(c!, 0, 'LKW'), event(c!, 0, 'UL')];
    const lkr1 = event(c!, 1, 'LKR');
    expect(rel(c!, 'lk-rmw').has(lkr0, lkw0)).toBe(true);
    expect(rel(c!, 'critical').has(lkw0, ul0)).toBe(true);
    expect(rel(c!, 'rf').has(ul0, lkr1)).toBe(true);
    expect(rel(c!, 'co').has(lkw0, ul0)).toBe(true);
    expect(rel(c!, 'po-unlock-lock-po').has(event(c!, 0, 'W', 1), event(c!, 1, 'R', 0))).toBe(true);
    expect(c!.outcome.rejectedBy).toBeUndefined();
  });

  it('a failed cmpxchg provides no ordering: its Mb tag is filtered out', () => {
    const [c] = candidatesWith(byName('failed-cmpxchg'), { '1:r0': 2, '1:r1': 0 });
    const [wa, rb, wb] = [event(c!, 0, 'W', 0), event(c!, 0, 'R', 0), event(c!, 0, 'W', 1)];
    expect(rel(c!, 'rmw').has(rb, wb)).toBe(false);
    expect(rel(c!, 'mb').has(wa, wb)).toBe(false);
    expect(c!.outcome.rejectedBy).toBeUndefined();
  });

  it('plain accesses unordered by marked ones race', () => {
    const [c] = candidatesWith(byName('plain-race'), { '1:r0': 1, '1:r1': 0 });
    expect(rel(c!, 'pre-race').has(event(c!, 1, 'R', 1), event(c!, 0, 'W', 0))).toBe(true);
    expect(rel(c!, 'rw-race').isEmpty()).toBe(false);
    expect(c!.outcome.flags).toContain('data-race');
  });

  it('two RMWs cannot read the same write', () => {
    const [c] = candidatesWith(byName('atomic-inc'), { '0:r0': 0, '1:r0': 1 });
    expect(c!.outcome.rejectedBy).toBe('atomic');
  });
});
