// Rule unpaired-barrier: an smp_wmb()/smp_rmb() (or release/acquire) that pairs with nothing anywhere in the index.
import type { Report, Rule, RuleContext } from './rule';

/**
 * Barriers that only make sense against a counterpart on another CPU. Full barriers also serve store buffering,
 * and release/acquire often pair with locks or control dependencies the analysis does not model as sides.
 */
const NEEDS_PARTNER = new Set(['smp_wmb', 'smp_rmb']);

export const unpairedBarrier: Rule = {
  id: 'unpaired-barrier',
  meta: {
    description: 'An smp_wmb() or smp_rmb() with no counterpart anywhere in the workspace index.',
    defaultSeverity: 'info',
    docs: 'docs/rules/unpaired-barrier.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const analysis = context.analysis();
    const reports: Report[] = [];
    for (const site of model.sites) {
      if (!NEEDS_PARTNER.has(site.name) || site.inMacro || site.functionName === undefined) continue;
      if (analysis.atSite.has(site)) continue;
      const role = site.kind === 'write' ? 'reads the location it publishes' : 'writes the locations it orders';
      reports.push({
        range: site.range,
        message: `unpaired: no function in the workspace ${role} in the opposite order, so nothing shows what this ${site.name}() pairs with`,
      });
    }
    return reports;
  },
};
