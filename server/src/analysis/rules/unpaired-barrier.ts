// Rule unpaired-barrier: an smp_wmb()/smp_rmb() (or release/acquire) that pairs with nothing anywhere in the index.
import { siteId } from '../analysis';
import { sideSites } from '../pairs';
import type { Report, Rule, RuleContext } from './rule';

/** Barriers that only make sense against a counterpart on another CPU. Full barriers also serve store buffering. */
const NEEDS_PARTNER = new Set(['smp_wmb', 'smp_rmb', 'smp_store_release', 'smp_load_acquire']);

export const unpairedBarrier: Rule = {
  id: 'unpaired-barrier',
  meta: {
    description: 'A write or read barrier with no counterpart anywhere in the workspace index.',
    defaultSeverity: 'info',
    docs: 'docs/rules/unpaired-barrier.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const analysis = context.analysis();
    // Release and acquire also count as paired when they are a slice's annotated access rather than a fence.
    const annotated = new Set<number>();
    for (const result of analysis.results) {
      for (const side of result.pair.sides) {
        if (side.flow.fn.file !== model.file) continue;
        for (const slot of [side.first, side.second]) if (slot !== undefined) annotated.add(slot.event.range.start);
        for (const site of sideSites(side)) annotated.add(site.range.start);
      }
    }
    const reports: Report[] = [];
    for (const site of model.sites) {
      if (!NEEDS_PARTNER.has(site.name) || site.inMacro || site.functionName === undefined) continue;
      if (analysis.bySite.has(siteId(model.file, site)) || annotated.has(site.range.start)) continue;
      const role = site.kind === 'write' || site.kind === 'release' ? 'reads the location it publishes' : 'writes the locations it orders';
      reports.push({
        range: site.range,
        message: `unpaired: no function in the workspace ${role} in the opposite order, so nothing shows what this ${site.name}() pairs with`,
      });
    }
    return reports;
  },
};
