// Rule too-weak-barrier: a barrier orders the slice, but not enough for the pattern (smp_wmb() before a load...).
import type { SideProblem } from '../analysis';
import { sideSites } from '../pairs';
import type { Report, Rule, RuleContext } from './rule';
import { counterparts, describeKey, KeptReports, otherSide, problemsInFile } from './support';

/** Reports by the problem of the group's first result (analysis.ts keeps results of unchanged pairs). */
const kept = new KeptReports<SideProblem>();

export const tooWeakBarrier: Rule = {
  id: 'too-weak-barrier',
  meta: {
    description: 'A barrier is there but does not order what the pattern needs; the LKMM allows the bad outcome.',
    defaultSeverity: 'warning',
    docs: 'docs/rules/too-weak-barrier.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const reports: Report[] = [];
    for (const group of problemsInFile(model, context.analysis().results, 'too-weak')) {
      const report = kept.get(group.problem, group.results, () => {
        const { problem, results } = group;
        const { pair } = results[0]!;
        const sites = sideSites(problem.side);
        const site = sites[sites.length - 1];
        const what = site !== undefined ? `${site.name}()` : `the ${problem.side.role === 'writer' ? 'release' : 'acquire'}`;
        // smp_wmb() orders stores only; a release store of the flag would order the earlier reads as well.
        const release = pair.shape === 'LB' && problem.side.role === 'writer' ? ` (or smp_store_release() of ${describeKey(pair.y)})` : '';
        const needs = (problem.suggestion !== undefined ? `${problem.suggestion}()` : 'a stronger barrier') + release;
        const others = [...new Set(results.map((result) => `${otherSide(result, problem.side).flow.fn.name}()`))].join(', ');
        const shape =
          pair.shape === 'SB'
            ? `a store of ${describeKey(pair.x)} before a load of ${describeKey(pair.y)}`
            : pair.shape === 'LB'
              ? problem.side.role === 'writer'
                ? `the read of ${describeKey(pair.x)} before the write of ${describeKey(pair.y)} that hands the object over`
                : `the read of ${describeKey(pair.y)} before the write of ${describeKey(pair.x)}`
            : problem.side.role === 'writer'
              ? `${describeKey(pair.x)} before ${describeKey(pair.y)}`
              : `the read of ${describeKey(pair.y)} before the read of ${describeKey(pair.x)}`;
        const report: Report = {
          range: group.range,
          message: `too weak: ${what} in ${problem.side.flow.fn.name}() does not order ${shape}, which ${others} relies on; ${needs} does`,
          related: counterparts(results, problem.side),
        };
        if (site !== undefined && problem.suggestion !== undefined && site.primitive.arity === 0) {
          const edit = { file: model.file, range: site.nameRange, newText: problem.suggestion };
          report.fixes = [{ title: `Replace ${site.name}() with ${problem.suggestion}()`, edits: [edit], isPreferred: true }];
        }
        return report;
      });
      reports.push(report);
    }
    return reports;
  },
};
