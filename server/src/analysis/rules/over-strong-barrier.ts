// Rule over-strong-barrier: an smp_mb() where a weaker barrier forbids the bad outcome in every scenario it orders.
import type { OverStrong } from '../analysis';
import type { BarrierSite } from '../sites';
import type { Report, Rule, RuleContext } from './rule';
import { counterparts, describeKey, KeptReports } from './support';

/** Reports by over-strong outcome (analysis.ts keeps the outcome object while its uses are the same). */
const kept = new KeptReports<OverStrong>();

/** Each sites list as a set, kept by list (an edit that changes no site keeps the model's list). */
const siteSets = new WeakMap<readonly BarrierSite[], ReadonlySet<BarrierSite>>();

function siteSet(sites: readonly BarrierSite[]): ReadonlySet<BarrierSite> {
  let set = siteSets.get(sites);
  if (set === undefined) {
    set = new Set(sites);
    siteSets.set(sites, set);
  }
  return set;
}

export const overStrongBarrier: Rule = {
  id: 'over-strong-barrier',
  meta: {
    description: 'A full barrier where, in every pairing it takes part in, smp_wmb() or smp_rmb() is proved enough.',
    defaultSeverity: 'info',
    docs: 'docs/rules/over-strong-barrier.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const reports: Report[] = [];
    const analysis = context.analysis();
    const sites = siteSet(model.sites);
    for (const found of analysis.overStrong) {
      if (!sites.has(found.site)) continue;
      if (!analysis.atSite.has(found.site)) continue;
      const report = kept.get(found, found.results, () => {
        const side = found.results[0]!.pair.sides.find((candidate) => candidate.fences.includes(found.fence))!;
        const orders = [
          ...new Set(
            found.results.map((result) =>
              side.role === 'writer'
                ? `${describeKey(result.pair.x)} before ${describeKey(result.pair.y)}`
                : `the read of ${describeKey(result.pair.y)} before the read of ${describeKey(result.pair.x)}`,
            ),
          ),
        ].join('; ');
        const partners = [...new Set(found.results.map((result) => `${result.pair.sides.find((s) => !s.fences.includes(found.fence))!.flow.fn.name}()`))].join(', ');
        const report: Report = {
          range: found.site.range,
          message: `over-strong: ${found.weaker}() suffices: this ${found.site.name}() orders ${orders} for ${partners}, and the LKMM forbids the bad outcome with ${found.weaker}() in every pairing it takes part in`,
          related: counterparts(found.results, side),
        };
        report.fixes = [
          { title: `Replace ${found.site.name}() with ${found.weaker}()`, edits: [{ file: model.file, range: found.site.nameRange, newText: found.weaker }], isPreferred: true },
        ];
        return report;
      });
      reports.push(report);
    }
    return reports;
  },
};
