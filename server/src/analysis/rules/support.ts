// Helpers the pairing rules share: naming locations and sides in messages, related information, inserted lines.
import { siteId, type PairResult, type SideProblem } from '../analysis';
import type { FileModel } from '../model';
import { sideSites, type Side } from '../pairs';
import type { BarrierSite } from '../sites';
import { indentationAt } from '../text';
import type { RelatedInfo, TextEdit, TextRange } from '../types';
import type { RuleContext } from './rule';

/** A location key as a reader says it: `struct msg_receiver::r_msg` → `->r_msg`; signals and hand-offs in words. */
export function describeKey(key: string): string {
  if (key === 'signal:wake') return 'the wakeup';
  if (key === 'signal:ipi') return 'the IPI';
  if (key.startsWith('handoff:')) return 'the object handed over';
  const field = /::(\w+)$/.exec(key);
  return field !== null ? `->${field[1]}` : key;
}

/** `smp_wmb() in pipelined_send()`, or `pipelined_send()` when the side has no barrier call. */
export function describeSide(side: Side): string {
  const sites = sideSites(side);
  const last = sites[sites.length - 1];
  return last !== undefined ? `${last.name}() in ${side.flow.fn.name}()` : `${side.flow.fn.name}()`;
}

/**
 * The side of a pair opposite `side`. Results grouped at one place hold different Side objects for it (one per pair a
 * barrier takes part in), so the side is recognised by its function and role, not by identity (a pair never joins a function with itself).
 */
export function otherSide(result: PairResult, side: Side): Side {
  const [first, second] = result.pair.sides;
  const same = (candidate: Side): boolean => candidate.flow === side.flow && candidate.role === side.role;
  return same(first) ? second : first;
}

/** Related information pointing at the other side of each pair. */
export function counterparts(results: readonly PairResult[], side: Side, verb = 'pairs with'): RelatedInfo[] {
  const seen = new Set<string>();
  const related: RelatedInfo[] = [];
  for (const result of results) {
    const other = otherSide(result, side);
    const sites = sideSites(other);
    const range = sites[sites.length - 1]?.range ?? other.range;
    const id = `${other.flow.fn.file}:${range.start}`;
    if (seen.has(id)) continue;
    seen.add(id);
    related.push({ file: other.flow.fn.file, range, message: `${verb} ${describeSide(other)}` });
  }
  return related;
}

/** What a barrier site of the checked file pairs with, as a comment names it (`smp_rmb() in consume()`); empty if nothing. */
export function sitePartners(context: RuleContext, site: BarrierSite): string[] {
  const { model } = context;
  const results = context.analysis().bySite.get(siteId(model.file, site)) ?? [];
  const side = results[0]?.pair.sides.find(
    (candidate) => candidate.flow.fn.file === model.file && sideSites(candidate).some((other) => other.range.start === site.range.start),
  );
  return side === undefined ? [] : counterparts(results, side, '').map((related) => related.message.trim());
}

/** Problems of the given kind on sides in this file, grouped by where they are reported. */
export function problemsInFile(
  model: FileModel,
  results: readonly PairResult[],
  kind: SideProblem['problem'],
): Array<{ range: TextRange; problem: SideProblem; results: PairResult[] }> {
  const groups = new Map<string, { range: TextRange; problem: SideProblem; results: PairResult[] }>();
  for (const result of results) {
    for (const problem of result.problems) {
      if (problem.problem !== kind || problem.side.flow.fn.file !== model.file) continue;
      const range = reportRange(problem);
      const id = `${range.start}:${range.end}`;
      const group = groups.get(id);
      if (group === undefined) groups.set(id, { range, problem, results: [result] });
      else group.results.push(result);
    }
  }
  return [...groups.values()].sort((a, b) => a.range.start - b.range.start);
}

/** A missing barrier is reported at the slice's access; a too-weak one at its strongest barrier call. */
function reportRange(problem: SideProblem): TextRange {
  if (problem.problem === 'too-weak') {
    const sites = sideSites(problem.side);
    const last = sites[sites.length - 1];
    if (last !== undefined) return last.range;
  }
  return problem.side.range;
}

/** True when a statement's text is a plain expression statement, after which a line can be inserted safely. */
function isSimpleStatement(text: string): boolean {
  return text.trimEnd().endsWith(';') && !/^\s*(?:if|for|while|do|switch|return|goto|break|continue|case|default)\b/.test(text);
}

/**
 * An edit inserting `line` on its own line after (or before) a statement, indented like it; undefined if unsafe.
 * After a compound statement (an `if`, a loop) only when the access it must precede, at `precede`, comes after it.
 */
export function insertLine(
  model: FileModel,
  statement: TextRange | undefined,
  where: 'after' | 'before',
  line: string,
  precede?: number,
): TextEdit | undefined {
  if (statement === undefined) return undefined;
  const text = model.text.slice(statement.start, statement.end);
  if (where === 'after' && !isSimpleStatement(text) && (precede === undefined || statement.end > precede)) return undefined;
  const indent = indentationAt(model.text, model.lineStarts, statement.start);
  // Only statements that start their line keep the file's layout when a line goes before or after them.
  if (model.text.slice(statement.start - indent.length, statement.start) !== indent) return undefined;
  if (where === 'before') return { file: model.file, range: { start: statement.start, end: statement.start }, newText: `${line}\n${indent}` };
  return { file: model.file, range: { start: statement.end, end: statement.end }, newText: `\n${indent}${line}` };
}
