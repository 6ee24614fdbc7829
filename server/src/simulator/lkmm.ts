// The Linux-kernel memory model in TypeScript: linux-kernel.bell, lock.cat and linux-kernel.cat, each relation
// under its .cat name and in the files' order, evaluated on one candidate execution.

import { EventSet, Rel } from './relation';
import type { Value } from './ast';
import type { EventKind } from './threads';

/** One event of a candidate execution, as the model sees it. */
export interface ModelEvent {
  kind: EventKind;
  /** -1 for the initial writes (IW). */
  proc: number;
  loc?: string;
  value?: Value;
  tags: readonly string[];
  atomic: boolean;
}

/**
 * A candidate execution: events plus the relations herd7 builds before running the model (po, dependencies,
 * rmw) and the choices the model's `with ... from` clauses make (rf for LF and RU events, co).
 */
export interface ModelInput {
  events: readonly ModelEvent[];
  po: Rel;
  addr: Rel;
  data: Rel;
  ctrl: Rel;
  /** Read-write pairs of successful RMW primitives. */
  rmw: Rel;
  /** Reads-from for ordinary reads (from ordinary writes, including IW). */
  rf: Rel;
  /** lock.cat's `rfe-lf` and `rf-ru` choices. */
  rfeLf: Rel;
  rfRu: Rel;
  /** lock.cat's co before UL events are merged: a total order per location over W and LKW, IW first. */
  co: Rel;
  /** Final writes (the co-last ordinary write of each location). */
  FW: EventSet;
  /**
   * Memo of the relations that depend only on events, po, dependencies and rmw (not on rf or co), shared by all
   * candidates with the same events: they are computed once per shape instead of once per candidate.
   */
  fixed: Map<string, unknown>;
  /** Allow the sequential-consistency shortcut (off when a caller wants every relation computed). */
  shortcut: boolean;
}

/** The model's checks, in the order herd7 evaluates them. */
export const axioms = [
  'lock-nest',
  'nested-is-locked',
  'unmatched-locks',
  'ConsCo',
  'coherence',
  'atomic',
  'happens-before',
  'propagation',
  'rcu',
  'plain-coherence',
] as const;
export type Axiom = (typeof axioms)[number];

export interface ModelOutcome {
  /** The first check the execution fails, or undefined when the model allows it. */
  rejectedBy?: Axiom;
  /** Names of the raised flags (e.g. `data-race`), only meaningful when allowed. */
  flags: string[];
  /** The final rf and co (locks merged), for witnesses. */
  rf: Rel;
  co: Rel;
  /** Every named relation computed so far, by its .cat name. */
  relations: Map<string, Rel>;
  /**
   * True when the events have no plain access, lock or SRCU event. Every check is then monotone in rf and co (more
   * pairs can only add cycles) and the flags depend only on the events, so an input whose rf is the union of
   * several candidates' rf (with the same co) that the model allows proves each of those candidates allowed, with
   * the same flags.
   */
  monotone: boolean;
}

/** Runs the model on one candidate execution. */
export function lkmm(x: ModelInput): ModelOutcome {
  const n = x.events.length;
  const ev = x.events;
  const relations = new Map<string, Rel>();
  const flags: string[] = [];
  const name = <T extends Rel>(key: string, r: T): T => {
    relations.set(key, r);
    return r;
  };
  /** A value that depends only on the static part of the execution, computed once per shape. */
  const fixed = <T>(key: string, make: () => T): T => {
    if (x.fixed.has(key)) return x.fixed.get(key) as T;
    const v = make();
    x.fixed.set(key, v);
    return v;
  };
  /** A named relation that depends only on the static part of the execution. */
  const fixedRel = (key: string, make: () => Rel): Rel => name(key, fixed(key, make));
  const flagFixed = (nameOfFlag: string, make: () => { isEmpty(): boolean }) => {
    if (fixed(`flag:${nameOfFlag}`, () => !make().isEmpty())) flags.push(nameOfFlag);
  };
  const set = (pred: (e: ModelEvent) => boolean) => EventSet.of(n, (i) => pred(ev[i]!));
  const tagged = (tag: string) => fixed(`tag:${tag}`, () => set((e) => e.tags.includes(tag)));
  const kind = (k: EventKind) => fixed(`kind:${k}`, () => set((e) => e.kind === k));
  const id = (s: EventSet) => Rel.id(s);
  const all = fixed('all', () => EventSet.of(n, () => true));
  const emptyRel = fixed('empty', () => Rel.empty(n));
  const flag = (r: { isEmpty(): boolean }, nameOfFlag: string) => {
    if (!r.isEmpty()) flags.push(nameOfFlag);
  };
  let monotone = false;
  const reject = (axiom: Axiom): ModelOutcome => ({ rejectedBy: axiom, flags, rf: x.rf, co: x.co, relations, monotone });

  // ---- Events and relations herd7 provides ----
  const IW = fixed('IW', () => set((e) => e.proc < 0));
  let R = kind('R');
  const W0 = kind('W');
  let W = W0;
  let M = R.union(W);
  const F = kind('F');
  const FW = x.FW;
  const po = x.po;
  const loc = fixed('loc', () => Rel.of(n, (i, j) => ev[i]!.loc !== undefined && ev[i]!.loc === ev[j]!.loc));
  const int = fixed('int', () => Rel.of(n, (i, j) => ev[i]!.proc >= 0 && ev[i]!.proc === ev[j]!.proc));
  const ext = fixed('ext', () => Rel.of(n, (i, j) => !int.has(i, j)));
  const idAll = fixed('id', () => Rel.id(all));
  const poLoc = fixedRel('po-loc', () => po.inter(loc));
  const fencerel = (s: EventSet) => po.to(s).seq(po);
  const RMW = fixed('RMW', () => set((e) => e.atomic));
  const ONCE = tagged('ONCE');
  const RELEASE = tagged('RELEASE');
  const ACQUIRE = tagged('ACQUIRE');
  const MB = tagged('MB');
  const NORETURN = tagged('NORETURN');
  const LKR = kind('LKR');
  const LKW = kind('LKW');
  const UL = kind('UL');
  const RLbase = kind('RL');
  const RU = kind('RU');
  let rmw = x.rmw;

  // ---- linux-kernel.bell ----
  const FailedRMW = fixed('FailedRMW', () => RMW.minus(rmw.domain().union(rmw.range())));
  let Acquire = ACQUIRE.minus(W).minus(FailedRMW);
  let Release = RELEASE.minus(R).minus(FailedRMW);
  const Mb = MB.minus(FailedRMW);
  const Noreturn = NORETURN.minus(W);
  const SrcuLock = tagged('Srcu-lock');
  const SrcuUnlock = tagged('Srcu-unlock');
  const SyncSrcu = tagged('Sync-srcu');
  const RcuLock = tagged('Rcu-lock');
  const RcuUnlock = tagged('Rcu-unlock');

  // rcu-rscs: the recursive matching of nested Rcu-lock and Rcu-unlock, computed to its fixpoint.
  const rcuRscs = fixedRel('rcu-rscs', () => {
    let matched = emptyRel;
    for (;;) {
    const unmatchedLocks = RcuLock.minus(matched.domain());
    const unmatchedUnlocks = RcuUnlock.minus(matched.range());
    const unmatched = unmatchedLocks.union(unmatchedUnlocks);
    const unmatchedPo = po.restrict(unmatched, unmatched);
    const unmatchedLocksToUnlocks = po.restrict(unmatchedLocks, unmatchedUnlocks);
    const next = matched.union(unmatchedLocksToUnlocks.minus(unmatchedPo.seq(unmatchedPo)));
    if (next.equals(matched)) return matched;
    matched = next;
    }
  });
  flagFixed('unmatched-rcu-lock', () => RcuLock.minus(rcuRscs.domain()));
  flagFixed('unmatched-rcu-unlock', () => RcuUnlock.minus(rcuRscs.range()));

  // Both are empty without srcu_read_lock(); most tests have none, so skip the closure then.
  const noSrcu = SrcuLock.isEmpty();
  const carrySrcuData = name('carry-srcu-data', noSrcu ? idAll : x.data.to(SrcuUnlock.complement()).seq(x.rf).star());
  const srcuRscs = name('srcu-rscs', noSrcu ? emptyRel : id(SrcuLock).seq(carrySrcuData, x.data, id(SrcuUnlock)).inter(loc));
  flag(SrcuLock.minus(srcuRscs.domain()), 'unmatched-srcu-lock');
  flag(SrcuUnlock.minus(srcuRscs.range()), 'unmatched-srcu-unlock');
  flag(srcuRscs.inverse().seq(srcuRscs).minus(idAll), 'multiple-srcu-matches');
  flagFixed('invalid-sleep', () => rcuRscs.inter(po.to(SyncSrcu).seq(po)));
  // different-values(srcu-rscs): matched srcu_read_lock() and srcu_read_unlock() must carry the same index.
  if (srcuRscs.pairs().some(([l, u]) => ev[l]!.value !== ev[u]!.value)) flags.push('srcu-bad-value-match');

  const Marked = fixed('Marked', () => M.complement()
    .union(IW)
    .union(ONCE)
    .union(RELEASE)
    .union(ACQUIRE)
    .union(MB)
    .union(RMW)
    .union(LKR)
    .union(LKW)
    .union(UL)
    .union(kind('LF'))
    .union(RLbase)
    .union(RU)
    .union(SrcuLock)
    .union(SrcuUnlock));
  const Plain = fixed('Plain', () => M.minus(Marked));

  const rfiBase = x.rf.inter(int);
  const carryDep = name('carry-dep', x.data.to(SrcuUnlock.complement()).seq(rfiBase).star());
  const addr = name('addr', carryDep.seq(x.addr));
  const ctrl = name('ctrl', carryDep.seq(x.ctrl));
  const data = name('data', carryDep.seq(x.data));

  // ---- lock.cat ----
  const RL = RLbase;
  const LF = fixed('LF', () => kind('LF').union(RL));
  const ALLLOCKS = fixed('ALL-LOCKS', () =>
    LKR.union(LKW).union(UL).union(LF).union(RU).union(SrcuLock).union(SrcuUnlock).union(SyncSrcu),
  );
  monotone = fixed('monotone', () => Plain.isEmpty() && ALLLOCKS.isEmpty());
  flagFixed('mixed-lock-accesses', () => id(M.minus(IW).minus(ALLLOCKS)).seq(loc, id(ALLLOCKS)));
  const lkRmw = fixedRel('lk-rmw', () => poLoc.restrict(LKR, LKW).minus(po.seq(po)));
  rmw = fixedRel('rmw', () => rmw.union(lkRmw));
  flagFixed('unpaired-LKW', () => LKW.minus(lkRmw.range()));
  flagFixed('unpaired-LKR', () => LKR.minus(lkRmw.domain()));
  if (fixed('lock-nest', () => !poLoc.restrict(LKW, LKR).minus(poLoc.to(UL).seq(poLoc)).isEmpty())) return reject('lock-nest');
  if (fixed('nested-is-locked', () => !poLoc.restrict(LKW, RU).minus(poLoc.to(UL).seq(poLoc)).isEmpty())) {
    return reject('nested-is-locked');
  }
  flag(id(FW).seq(loc, id(ALLLOCKS)), 'lock-final');
  R = R.union(LKR).union(LF).union(RU);
  W = W.union(LKW);
  Release = Release.union(UL);
  Acquire = Acquire.union(LKR);
  const critical = fixedRel('critical', () => poLoc.restrict(LKW, UL).minus(poLoc.to(LKW.union(UL)).seq(poLoc)));
  flagFixed('unmatched-unlock', () => UL.minus(critical.range()));
  const UNMATCHEDLKW = fixed('UNMATCHED-LKW', () => LKW.minus(critical.domain()));
  if (fixed('unmatched-locks', () => !Rel.cross(UNMATCHEDLKW, UNMATCHEDLKW).inter(loc).minus(idAll).isEmpty())) {
    return reject('unmatched-locks');
  }
  const rfiLf = fixedRel('rfi-lf', () => poLoc.restrict(LKW, LF).minus(id(LKW).seq(poLoc, id(UL), poLoc)));
  // Shortcut, exact for the executions it accepts: without plain accesses, lock or SRCU events and RCU read-side
  // critical sections, every relation the checks below test (po-loc | com, hb, pb, rb, cobase) is contained in
  // (po | rf | co | fr)+, so when that is acyclic and atomicity holds the execution passes every check, and the
  // flags raised so far are all it raises. Everything else takes the full model.
  if (x.shortcut && fixed('sc-shortcut', () => Plain.isEmpty() && ALLLOCKS.isEmpty() && RcuLock.isEmpty())) {
    const frSc = x.rf.inverse().seq(x.co);
    if (po.union(x.rf, x.co, frSc).isAcyclic() && rmw.inter(frSc.inter(ext).seq(x.co.inter(ext))).isEmpty()) {
      return { flags, rf: x.rf, co: x.co, relations, monotone };
    }
  }
  const rfLf = name('rf-lf', x.rfeLf.union(rfiLf));
  let rf = x.rf.union(rfLf, x.rfRu);

  // cos-opt.cat: the coherence order was chosen among the linearisations of cobase; check cobase as herd7 does.
  const co0 = Rel.cross(IW, W0.minus(IW))
    .union(Rel.cross(W0.minus(FW), FW))
    .inter(loc)
    .union(Rel.cross(IW, LKW).inter(loc))
    .union(Rel.cross(LKW, UNMATCHEDLKW).inter(loc).minus(id(UNMATCHEDLKW)));
  const invrf = rf.inverse();
  const obsco = poLoc
    .inter(Rel.cross(W, W))
    .union(rf.seq(poLoc.inter(Rel.cross(R, W))))
    .union(poLoc.inter(Rel.cross(W, R)).seq(invrf).minus(idAll))
    .union(rf.seq(poLoc.inter(Rel.cross(R, R)), invrf).minus(idAll));
  const cobase = obsco.union(co0);
  if (!cobase.isAcyclic()) return reject('ConsCo');

  W = W.union(UL);
  M = R.union(W);
  let co = x.co.union(critical, critical.inverse().seq(x.co)).plus();
  const coe = co.inter(ext);
  rf = rf.union(id(IW.union(UL)).seq(co.minus(co.seq(co)), lkRmw.inverse()));
  co = name('co', co);
  rf = name('rf', rf);
  const rfe = name('rfe', rf.inter(ext));
  const rfi = name('rfi', rf.inter(int));
  const fr = name('fr', rf.inverse().seq(co));
  const fre = fr.inter(ext);

  // ---- linux-kernel.cat ----
  // Basic relations
  const acqPo = fixedRel('acq-po', () => id(Acquire).seq(po, id(M)));
  const poRel = fixedRel('po-rel', () => id(M).seq(po, id(Release)));
  // Empty without both spin_unlock() and spin_lock(), which is most tests.
  const poUnlockLockPo = name(
    'po-unlock-lock-po',
    UL.isEmpty() || LKR.isEmpty() ? emptyRel : po.seq(id(UL), po.union(rf), id(LKR), po),
  );

  // Fences
  const R4rmb = fixed('R4rmb', () => R.minus(Noreturn));
  const rmb = fixedRel('rmb', () => id(R4rmb).seq(fencerel(tagged('Rmb')), id(R4rmb)));
  const wmb = fixedRel('wmb', () => id(W).seq(fencerel(tagged('Wmb')), id(W)));
  const afterUnlockLock = tagged('After-unlock-lock');
  // mb's disjuncts in the .cat's order, except `[M] ; po-unlock-lock-po ; [After-unlock-lock] ; po ; [M]`: it
  // depends on rf, so it joins after the memoised rest.
  const mb = name(
    'mb',
    fixed('mb', () =>
      id(M)
        .seq(fencerel(Mb), id(M))
        .union(
          id(M).seq(po, id(Mb.inter(R))),
          id(Mb.inter(W)).seq(po, id(M)),
          id(M).seq(fencerel(tagged('Before-atomic')), id(RMW), po.opt(), id(M)),
          id(M).seq(po.opt(), id(RMW), fencerel(tagged('After-atomic')), id(M)),
          id(M).seq(po.opt(), id(LKW), fencerel(tagged('After-spinlock')), id(M)),
          id(M).seq(po.opt(), id(SrcuUnlock), fencerel(tagged('After-srcu-read-unlock')), id(M)),
        ),
    ).union(afterUnlockLock.isEmpty() ? emptyRel : id(M).seq(poUnlockLockPo, id(afterUnlockLock), po, id(M))),
  );
  const gp = fixedRel('gp', () => po.seq(id(tagged('Sync-rcu').union(SyncSrcu)), po.opt()));
  let strongFence = name('strong-fence', mb.union(gp));

  const nonrwFence = name('nonrw-fence', strongFence.union(poRel, acqPo));
  let fence = name('fence', nonrwFence.union(wmb, rmb));
  const barrier = fixedRel('barrier', () =>
    fencerel(
      ['Barrier', 'Rmb', 'Wmb', 'MB', 'Sync-rcu', 'Sync-srcu', 'Before-atomic', 'After-atomic', 'Rcu-lock', 'Rcu-unlock', 'Srcu-lock', 'Srcu-unlock']
        .map(tagged)
        .reduce((a, b) => a.union(b))
        .union(Acquire)
        .union(Release),
    ).union(po.to(Release), id(Acquire).seq(po)),
  );

  // Sequential Consistency Per Variable
  const com = name('com', rf.union(co, fr));
  if (!poLoc.union(com).isAcyclic()) return reject('coherence');

  // Atomic Read-Modify-Write
  if (!rmw.inter(fre.seq(coe)).isEmpty()) return reject('atomic');

  // Preserved Program Order
  const dep = name('dep', addr.union(data));
  const rwdep = name('rwdep', dep.union(ctrl).to(W));
  const overwrite = name('overwrite', co.union(fr));
  const toW = name('to-w', rwdep.union(overwrite.inter(int), addr.to(Plain).seq(wmb)));
  const toR = name('to-r', addr.to(R).union(dep.to(Marked).seq(rfi)));
  const ppo = name('ppo', toR.union(toW, fence.inter(int), poUnlockLockPo.inter(int)));

  // Propagation: Ordering from release operations and strong fences.
  const ACumul = (r: Rel) => rfe.to(Marked).opt().seq(r);
  const rmwSequence = name('rmw-sequence', rf.seq(rmw).star());
  const cumulFence = name(
    'cumul-fence',
    id(Marked).seq(ACumul(strongFence.union(poRel)).union(wmb, poUnlockLockPo), id(Marked), rmwSequence),
  );
  const prop = name(
    'prop',
    id(Marked).seq(overwrite.inter(ext).opt(), cumulFence.star(), id(Marked), rfe.opt(), id(Marked)),
  );

  // Happens Before
  const hb = name('hb', id(Marked).seq(ppo.union(rfe, prop.minus(idAll).inter(int)), id(Marked)));
  if (!hb.isAcyclic()) return reject('happens-before');
  const hbStar = hb.star();

  // Propagation: Each non-rf link needs a strong fence.
  const pb = name('pb', prop.seq(strongFence, hbStar, id(Marked)));
  if (!pb.isAcyclic()) return reject('propagation');
  const pbStar = pb.star();

  // RCU
  const rcuGp = id(tagged('Sync-rcu'));
  const srcuGp = id(SyncSrcu);
  const rcuRscsi = rcuRscs.inverse();
  const srcuRscsi = srcuRscs.inverse();
  // Without grace periods every term of rcu-order is empty (each names rcu-gp, srcu-gp or rcu-order).
  const noGp = fixed('no-gp', () => tagged('Sync-rcu').union(SyncSrcu).isEmpty());
  const rcuLink = name('rcu-link', noGp ? emptyRel : po.opt().seq(hbStar, pbStar, prop, po));
  let rcuOrder = emptyRel;
  if (!noGp) {
    // rcu-order's ten disjuncts, line by line; `;` distributes over `|`, so the pieces around rcu-order are
    // composed once and only the recursive disjuncts are recomputed until the least fixpoint.
    const noSrcuGp = SyncSrcu.isEmpty();
    const gpLink = rcuGp.seq(rcuLink); // rcu-gp ; rcu-link
    const linkRscsi = rcuLink.seq(rcuRscsi); // rcu-link ; rcu-rscsi
    const rscsiLink = rcuRscsi.seq(rcuLink); // rcu-rscsi ; rcu-link
    const linkGp = rcuLink.seq(rcuGp); // rcu-link ; rcu-gp
    const sGpLink = noSrcuGp ? emptyRel : srcuGp.seq(rcuLink);
    const linkSRscsi = noSrcuGp ? emptyRel : rcuLink.seq(srcuRscsi);
    const sRscsiLink = noSrcuGp ? emptyRel : srcuRscsi.seq(rcuLink);
    const linkSGp = noSrcuGp ? emptyRel : rcuLink.seq(srcuGp);
    const base = rcuGp.union(
      srcuGp,
      gpLink.seq(rcuRscsi), // rcu-gp ; rcu-link ; rcu-rscsi
      noSrcuGp ? emptyRel : sGpLink.seq(srcuRscsi).inter(loc), // (srcu-gp ; rcu-link ; srcu-rscsi) & loc
      rscsiLink.seq(rcuGp), // rcu-rscsi ; rcu-link ; rcu-gp
      noSrcuGp ? emptyRel : sRscsiLink.seq(srcuGp).inter(loc), // (srcu-rscsi ; rcu-link ; srcu-gp) & loc
    );
    rcuOrder = base;
    for (;;) {
      const next = base.union(
        gpLink.seq(rcuOrder, linkRscsi), // rcu-gp ; rcu-link ; rcu-order ; rcu-link ; rcu-rscsi
        noSrcuGp ? emptyRel : sGpLink.seq(rcuOrder, linkSRscsi).inter(loc),
        rscsiLink.seq(rcuOrder, linkGp), // rcu-rscsi ; rcu-link ; rcu-order ; rcu-link ; rcu-gp
        noSrcuGp ? emptyRel : sRscsiLink.seq(rcuOrder, linkSGp).inter(loc),
        rcuOrder.seq(rcuLink, rcuOrder), // rcu-order ; rcu-link ; rcu-order
      );
      if (next.equals(rcuOrder)) break;
      rcuOrder = next;
    }
  }
  name('rcu-order', rcuOrder);
  const rcuFence = name('rcu-fence', po.seq(rcuOrder, po.opt()));
  fence = name('fence', fence.union(rcuFence));
  strongFence = name('strong-fence', strongFence.union(rcuFence));

  const rb = name('rb', prop.seq(rcuFence, hbStar, pbStar, id(Marked)));
  if (!rb.isIrreflexive()) return reject('rcu');

  // Plain accesses and data races
  // Without plain accesses, pre-race and mixed-accesses are empty: nothing below can reject or flag.
  if (Plain.isEmpty()) return { flags, rf, co, relations, monotone };
  const mixedAccesses = name(
    'mixed-accesses',
    id(Plain.inter(W))
      .seq(poLoc.minus(barrier), id(Marked))
      .union(id(Marked).seq(poLoc.minus(barrier), id(Plain.inter(W)))),
  );
  flag(mixedAccesses, 'mixed-accesses');

  const xbstar = name('xbstar', hb.union(pb, rb).star());
  const vis = name(
    'vis',
    cumulFence.star().seq(rfe.opt(), id(Marked), strongFence.seq(id(Marked), xbstar).union(xbstar.inter(int))),
  );

  const notNoreturn = Noreturn.complement();
  const wPreBounded = name('w-pre-bounded', id(Marked).seq(addr.union(fence).opt()));
  const rPreBounded = name(
    'r-pre-bounded',
    id(Marked).seq(addr.union(nonrwFence, id(R4rmb).seq(fencerel(tagged('Rmb')), id(notNoreturn))).opt()),
  );
  const wPostBounded = name('w-post-bounded', fence.opt().seq(id(Marked), rmwSequence));
  const rPostBounded = name(
    'r-post-bounded',
    nonrwFence.union(id(notNoreturn).seq(fencerel(tagged('Rmb')), id(R4rmb))).opt().seq(id(Marked)),
  );

  const wwVis = name('ww-vis', fence.union(strongFence.seq(xbstar, wPreBounded), wPostBounded.seq(vis, wPreBounded)));
  const wrVis = name('wr-vis', fence.union(strongFence.seq(xbstar, rPreBounded), wPostBounded.seq(vis, rPreBounded)));
  const rwXbstar = name('rw-xbstar', fence.union(rPostBounded.seq(xbstar, wPreBounded)));

  const preRace = name('pre-race', ext.inter(Rel.cross(Plain, M).union(Rel.cross(M.minus(IW), Plain))));

  const wrIncoh = preRace.inter(rf).inter(rwXbstar.inverse());
  const rwIncoh = preRace.inter(fr).inter(wrVis.inverse());
  const wwIncoh = preRace.inter(co).inter(wwVis.inverse());
  if (!wrIncoh.union(rwIncoh, wwIncoh).isEmpty()) return reject('plain-coherence');

  const wwNonrace = name(
    'ww-nonrace',
    wwVis.inter(Rel.cross(Marked, W).union(rwXbstar)).inter(Rel.cross(W, Marked).union(wrVis)),
  );
  const wwRace = name('ww-race', preRace.inter(co).minus(wwNonrace));
  const wrRace = name('wr-race', preRace.inter(co.opt().seq(rf)).minus(wrVis).minus(rwXbstar.inverse()));
  const rwRace = name('rw-race', preRace.inter(fr).minus(rwXbstar));
  flag(wwRace.union(wrRace, rwRace), 'data-race');

  return { flags, rf, co, relations, monotone };
}
