// Rule missing-barrier: one side of a lockless publish/consume has no ordering, and the simulator reaches the bad outcome.
import type { SideProblem } from '../analysis';
import type { FileModel } from '../model';
import type { Pair } from '../pairs';
import { indentationAt } from '../text';
import type { Fix } from '../types';
import type { Report, Rule, RuleContext } from './rule';
import { counterparts, describeKey, insertLine, KeptReports, otherSide, problemsInFile } from './support';

/** Reports by the problem of the group's first result (analysis.ts keeps results of unchanged pairs). */
const kept = new KeptReports<SideProblem>();

function message(problem: SideProblem, pair: Pair, others: string): string {
  const { side, suggestion } = problem;
  // In store buffering each side stores its own location first: name them from this side's point of view.
  const [x, y] = pair.shape === 'SB' && side === pair.sides[1] ? [pair.y, pair.x] : [pair.x, pair.y];
  const fn = `${side.flow.fn.name}()`;
  const add = suggestion !== undefined ? `add ${suggestion}()` : 'add a barrier';
  if (pair.shape === 'LB') {
    return side.role === 'writer'
      ? `missing barrier: ${fn} reads ${describeKey(x)} and then writes ${describeKey(y)}, handing the object over, with nothing ordering the two, so ${others} can reuse it and this read can see ${others}'s write of ${describeKey(x)}: ${add} between them, or write ${describeKey(y)} with smp_store_release()`
      : `missing barrier: ${fn} reads ${describeKey(y)} and then writes ${describeKey(x)} with nothing ordering the two, so ${others} can still be reading ${describeKey(x)}: ${add} between them, or read ${describeKey(y)} with smp_load_acquire()`;
  }
  if (pair.shape === 'SB') {
    return `missing barrier: ${fn} writes ${describeKey(x)} and then reads ${describeKey(y)} with nothing ordering the two, while ${others} writes ${describeKey(y)} and then reads ${describeKey(x)} (store buffering: both can read the old values): ${add} between them`;
  }
  if (side.role === 'writer') {
    const then = y.startsWith('signal:') ? `sends ${describeKey(y)}` : y.startsWith('handoff:') ? 'returns the object to its caller' : `writes ${describeKey(y)}`;
    const seen = y.startsWith('handoff:') ? 'the object' : describeKey(y);
    if (x.startsWith('signal:')) {
      return `missing barrier: ${fn} sends ${describeKey(x)} and then writes ${describeKey(y)} with nothing ordering the two, so ${others} can see ${describeKey(y)} before ${describeKey(x)}: ${add} between them`;
    }
    return `missing barrier: ${fn} writes ${describeKey(x)} and then ${then} with nothing ordering the two, so ${others} can see ${seen} but an old ${describeKey(x)}: ${add} between them`;
  }
  if (side.first === undefined) {
    const received = y.startsWith('handoff:') ? 'the object it is given' : describeKey(y);
    return `missing barrier: ${fn} reads ${describeKey(x)} after receiving ${received} with nothing ordering the two, so it can miss what ${others} wrote before it: ${add} before the read`;
  }
  if (side.second === undefined) {
    return `missing barrier: ${fn} waits for ${describeKey(y)} and then proceeds with nothing ordering that read before what follows, so it can run ahead of ${describeKey(x)} in ${others}: ${add} after the read`;
  }
  // A loop or `if` on the first read already orders later stores (a control dependency); the kernel's idiom for
  // ordering later loads too is smp_acquire__after_ctrl_dep().
  const first = side.first.event;
  const controlled = suggestion === 'smp_rmb' && first.inlinedFrom === undefined && (side.second.event.ctrl?.includes(side.first.origin) ?? false);
  const alternative = controlled ? ' (or smp_acquire__after_ctrl_dep(), as the read controls what follows)' : '';
  return `missing barrier: ${fn} reads ${describeKey(y)} and then ${describeKey(x)} with nothing ordering the two, so it can see ${describeKey(y)} from ${others} but an old ${describeKey(x)}: ${add} after the first read${alternative}`;
}

/**
 * The alternative to a barrier in message passing: the reader's flag load becomes smp_load_acquire(), or the
 * writer's flag store smp_store_release(), which orders the other access as the barrier would. Only for flag accesses
 * written as READ_ONCE()/WRITE_ONCE() or plain C of an lvalue (`p->flag = v`), whose text can be rewritten as is.
 * checkpatch wants acquire/release explained as it wants barriers, so the statement gets the pairing comment above.
 */
function acquireReleaseFix(model: FileModel, problem: SideProblem, pair: Pair, partner: string): Fix | undefined {
  const { side } = problem;
  if (pair.shape !== 'MP' || side.first === undefined || side.second === undefined) return undefined;
  const slot = side.role === 'reader' ? side.first : side.second;
  const event = slot.event;
  if (event.type !== 'access' || event.inlinedFrom !== undefined || event.op === 'rmw') return undefined;
  if (!(event.primitive === undefined ? event.marking === 'plain' : ['READ_ONCE', 'WRITE_ONCE'].includes(event.primitive))) return undefined;
  const lvalue = model.text.slice(event.lvalue.start, event.lvalue.end);
  let newText: string;
  if (event.op === 'load') {
    if (side.role !== 'reader') return undefined;
    newText = `smp_load_acquire(&${lvalue})`;
  } else {
    if (side.role !== 'writer') return undefined;
    const rest = model.text.slice(event.lvalue.end, event.range.end);
    const value = (event.primitive === undefined ? /^\s*=(?!=)\s*([^]+?)\s*$/ : /^\s*,\s*([^]+?)\s*\)$/).exec(rest)?.[1];
    if (value === undefined) return undefined;
    newText = `smp_store_release(&${lvalue}, ${value})`;
  }
  const { statement } = event;
  if (statement === undefined || statement.start > event.range.start) return undefined;
  const indent = indentationAt(model.text, model.lineStarts, statement.start);
  if (model.text.slice(statement.start - indent.length, statement.start) !== indent) return undefined;
  // One edit from the statement's start: an insertion and a replacement at the same offset would have no order.
  const lead = model.text.slice(statement.start, event.range.start);
  return {
    title: `Convert to ${newText.slice(0, newText.indexOf('('))}()`,
    edits: [
      {
        file: model.file,
        range: { start: statement.start, end: event.range.end },
        newText: `/* Pairs with ${partner}. */\n${indent}${lead}${newText}`,
      },
    ],
  };
}

export const missingBarrier: Rule = {
  id: 'missing-barrier',
  meta: {
    description: 'One side of a lockless publish/consume pair has no ordering, and the LKMM allows the bad outcome.',
    defaultSeverity: 'warning',
    docs: 'docs/rules/missing-barrier.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const reports: Report[] = [];
    for (const group of problemsInFile(model, context.analysis().results, 'missing')) {
      const { problem, results } = group;
      const { pair } = results[0]!;
      // Fixes are made each time: their edits hold offsets of the text as it is now.
      const report = kept.get(problem, results, () => {
        const others = [...new Set(results.map((result) => `${otherSide(result, problem.side).flow.fn.name}()`))].join(', ');
        return { range: group.range, message: message(problem, pair, others), related: counterparts(results, problem.side) };
      });
      if (context.fixes === false) {
        reports.push(report);
        continue;
      }
      const barrier = problem.suggestion;
      if (barrier !== undefined) {
        const partner = report.related?.[0]?.message.replace(/^pairs with /, '');
        const line = `${barrier}(); /* Pairs with ${partner ?? 'the other side'}. */`;
        const side = problem.side;
        const spin = side.first === undefined ? undefined : side.flow.fn.loops.find((loop) => loop.relaxes && side.first!.event.loops.includes(loop.id));
        const edit =
          side.role === 'writer'
            ? side.second?.event.type === 'signal'
              ? insertLine(model, side.second.event.statement, 'before', line)
              : insertLine(model, side.first?.event.statement, 'after', line, side.second?.event.range.start)
            : side.first === undefined
              ? insertLine(model, side.second?.event.statement, 'before', line)
              : insertLine(model, spin?.range ?? side.first.event.statement, 'after', line, side.second?.event.range.start ?? Infinity);
        if (edit !== undefined) report.fixes = [{ title: `Add ${barrier}()`, edits: [edit], isPreferred: true }];
      }
      const partner = report.related?.[0]?.message.replace(/^pairs with /, '') ?? 'the other side';
      const conversion = acquireReleaseFix(model, problem, pair, partner);
      if (conversion !== undefined) report.fixes = [...(report.fixes ?? []), conversion];
      reports.push(report);
    }
    return reports;
  },
};
