// Rule unmarked-access: a plain C access to a location used in a lockless pairing; READ_ONCE()/WRITE_ONCE() it.
import type { AccessEvent } from '../events';
import type { PairResult } from '../analysis';
import type { Side, Slot } from '../pairs';
import type { Fix } from '../types';
import type { Report, Rule, RuleContext } from './rule';
import { describeKey } from './support';

export const unmarkedAccess: Rule = {
  id: 'unmarked-access',
  meta: {
    description: 'A plain load, or a plain store outside any lock, of a location other CPUs access locklessly.',
    defaultSeverity: 'warning',
    docs: 'docs/rules/unmarked-access.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const analysis = context.analysis();
    // Without fixes, the reports are the results' alone (their ranges are lvalues, moved in place by edits, in order).
    const kept = context.fixes === false ? keptReports(analysis.results) : undefined;
    const known = kept?.get(model.file);
    if (known !== undefined) return known;
    const reports: Report[] = [];
    const seen = new Set<number>();
    for (const [slot, side] of racingSlots(analysis.results).get(model.file) ?? []) {
      const event = slot.event;
      if (event.type !== 'access' || slot.marked || slot.key === undefined || event.inlinedFrom !== undefined) continue;
      if (event.locked || !analysis.pairedKeys.has(slot.key) || seen.has(event.lvalue.start)) continue;
      seen.add(event.lvalue.start);
      const verb = event.op === 'load' ? 'read' : 'written';
      const marker = event.op === 'load' ? 'READ_ONCE' : 'WRITE_ONCE';
      reports.push({
        range: event.lvalue,
        message: `unmarked access: ${describeKey(slot.key)} is ${verb} with a plain C access, but other CPUs access it locklessly (it is part of a pairing): use ${marker}() so the compiler cannot tear, fuse or re-read it`,
        fixes: context.fixes === false ? [] : markingFix(model.text, model.file, event),
      });
    }
    reports.sort((a, b) => a.range.start - b.range.start);
    kept?.set(model.file, reports);
    return reports;
  },
};

/** Reports made without fixes, by results list and file. */
const reportsByResults = new WeakMap<readonly PairResult[], Map<string, Report[]>>();

function keptReports(results: readonly PairResult[]): Map<string, Report[]> {
  let byFile = reportsByResults.get(results);
  if (byFile === undefined) {
    byFile = new Map();
    reportsByResults.set(results, byFile);
  }
  return byFile;
}

/** Per analysis (its results list), the racing slots by the file of their side's flow; each file's check reads its own. */
const slotsByFile = new WeakMap<readonly PairResult[], Map<string, Array<[Slot, Side]>>>();

/**
 * Only the racing accesses a pairing is made of: the flag's store and load (the payload's are ordered by the pairing
 * itself), all four of store buffering, and a hand-off's lockless read of state others update. Elsewhere
 * (initialisation, helpers under a lock, debug checks) plain accesses to the same fields are the norm. Each slot comes
 * with the side it belongs to, filed under that side's flow's file: a side's accesses are slots of its own flow.
 */
function racingSlots(results: readonly PairResult[]): Map<string, Array<[Slot, Side]>> {
  const known = slotsByFile.get(results);
  if (known !== undefined) return known;
  const byFile = new Map<string, Array<[Slot, Side]>>();
  const add = (slot: Slot | undefined, side: Side): void => {
    if (slot === undefined) return;
    const file = side.flow.fn.file;
    const list = byFile.get(file);
    if (list === undefined) byFile.set(file, [[slot, side]]);
    else list.push([slot, side]);
  };
  for (const { pair } of results) {
    const [writer, reader] = pair.sides;
    // Store buffering whose sides both pass through a lock is ordered by the lock, not racing.
    const throughLocks = pair.sides.every((side) => side.spec.between.includes('lock') || side.spec.between.includes('unlock'));
    if (pair.kind === 'sb') {
      if (!throughLocks) {
        add(writer.first, writer);
        add(writer.second, writer);
        add(reader.first, reader);
        add(reader.second, reader);
      }
    } else if (pair.kind === 'handoff') add(reader.second, reader);
    else {
      add(writer.second, writer);
      add(reader.first, reader);
    }
  }
  slotsByFile.set(results, byFile);
  return byFile;
}

/** `x` → `READ_ONCE(x)` for a load; `x = v;` → `WRITE_ONCE(x, v);` for a simple assignment statement. */
function markingFix(text: string, file: string, event: AccessEvent): Fix[] {
  const lvalue = text.slice(event.lvalue.start, event.lvalue.end);
  if (event.op === 'load') {
    return [{ title: `Use READ_ONCE(${lvalue})`, edits: [{ file, range: event.lvalue, newText: `READ_ONCE(${lvalue})` }], isPreferred: true }];
  }
  if (event.op !== 'store' || event.statement === undefined) return [];
  const statement = text.slice(event.statement.start, event.statement.end);
  const assignment = /^([^=;]+?)\s*=(?!=)\s*([^;]+);$/s.exec(statement);
  if (assignment === null || assignment[1]!.trim() !== lvalue.trim()) return [];
  const edit = { file, range: event.statement, newText: `WRITE_ONCE(${lvalue}, ${assignment[2]!.trim()});` };
  return [{ title: `Use WRITE_ONCE(${lvalue}, ...)`, edits: [edit], isPreferred: true }];
}
