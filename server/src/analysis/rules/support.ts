// Helpers the pairing rules share: naming locations and sides in messages, related information, inserted lines.
import type { PairResult, SideProblem } from '../analysis';
import type { FileModel } from '../model';
import { sameItems } from '../events';
import { sideSites, type Side } from '../pairs';
import type { BarrierSite } from '../sites';
import { indentationAt } from '../text';
import type { RelatedInfo, TextEdit, TextRange } from '../types';
import type { Report, RuleContext } from './rule';

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
  return partnerOf(side).description;
}

/** Where related information about a side points (its last barrier call, else its range) and how it names the side. */
interface Partner {
  range: TextRange;
  description: string;
}

/** Partners by side: a side's sites and function are fixed, and its ranges move in place with edits (incremental.ts). */
const partners = new WeakMap<Side, Partner>();

function partnerOf(side: Side): Partner {
  let partner = partners.get(side);
  if (partner === undefined) {
    const sites = sideSites(side);
    const last = sites[sites.length - 1];
    partner = { range: last?.range ?? side.range, description: last !== undefined ? `${last.name}() in ${side.flow.fn.name}()` : `${side.flow.fn.name}()` };
    partners.set(side, partner);
  }
  return partner;
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
    const { range, description } = partnerOf(other);
    const id = `${other.flow.fn.file}:${range.start}`;
    if (seen.has(id)) continue;
    seen.add(id);
    related.push({ file: other.flow.fn.file, range, message: `${verb} ${description}` });
  }
  return related;
}

/**
 * sitePartners' answer for a site, kept while the site's pair results are the same objects: the names it gives depend
 * on nothing else, and two rules ask for each barrier after every edit.
 */
const partnerNames = new WeakMap<BarrierSite, { results: readonly PairResult[]; names: string[] }>();

/** What a barrier site of the checked file pairs with, as a comment names it (`smp_rmb() in consume()`); empty if nothing. */
export function sitePartners(context: RuleContext, site: BarrierSite): string[] {
  const { model } = context;
  const results = context.analysis().atSite.get(site) ?? [];
  const known = partnerNames.get(site);
  if (known !== undefined && sameItems(known.results, results)) return known.names;
  const side = results[0]?.pair.sides.find(
    (candidate) => candidate.flow.fn.file === model.file && sideSites(candidate).some((other) => other.range.start === site.range.start),
  );
  const names = side === undefined ? [] : counterparts(results, side, '').map((related) => related.message.trim());
  partnerNames.set(site, { results, names });
  return names;
}

/**
 * A rule's reports kept by what they were made from: the problem or outcome a group of pair results starts from, and
 * the results. The sides of an unchanged function stay the same objects across edits, with offsets moved in place and
 * their function's text unchanged (incremental.ts), so a report made from the same objects is the same report; with
 * hundreds of results at a busy barrier, making it again after every edit was most of a rule's time. Each caller gets
 * its own copy of the report's top level.
 */
export class KeptReports<K extends object> {
  private readonly kept = new WeakMap<K, { results: readonly PairResult[]; report: Report }>();

  get(key: K, results: readonly PairResult[], make: () => Report): Report {
    const known = this.kept.get(key);
    if (known !== undefined && sameItems(known.results, results)) return { ...known.report };
    const report = make();
    this.kept.set(key, { results, report });
    return { ...report };
  }
}

/** A group of problems reported at one place. */
type ProblemGroup = { range: TextRange; problem: SideProblem; results: PairResult[] };

/**
 * problemsInFile's groups by results list, file and kind. They depend on the results alone, and edits keep their order:
 * ranges move in place, in the same direction for all of a file's ranges after an edit (incremental.ts).
 */
const groupsByResults = new WeakMap<readonly PairResult[], Map<string, ProblemGroup[]>>();

/** Problems of the given kind on sides in this file, grouped by where they are reported. */
export function problemsInFile(model: FileModel, results: readonly PairResult[], kind: SideProblem['problem']): ProblemGroup[] {
  let known = groupsByResults.get(results);
  if (known === undefined) {
    known = new Map();
    groupsByResults.set(results, known);
  }
  const id = `${kind}\u0000${model.file}`;
  let groups = known.get(id);
  if (groups === undefined) {
    groups = groupProblems(model, results, kind);
    known.set(id, groups);
  }
  return groups;
}

function groupProblems(model: FileModel, results: readonly PairResult[], kind: SideProblem['problem']): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const [result, problem] of problemsByFile(results).get(model.file) ?? []) {
    if (problem.problem !== kind) continue;
    const range = reportRange(problem);
    const id = `${range.start}:${range.end}`;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { range, problem, results: [result] });
    else group.results.push(result);
  }
  return [...groups.values()].sort((a, b) => a.range.start - b.range.start);
}

const problemIndex = new WeakMap<readonly PairResult[], Map<string, Array<[PairResult, SideProblem]>>>();

/** Per analysis (its results list), every problem by its side's file, in result order: each file reads its own. */
function problemsByFile(results: readonly PairResult[]): Map<string, Array<[PairResult, SideProblem]>> {
  const known = problemIndex.get(results);
  if (known !== undefined) return known;
  const byFile = new Map<string, Array<[PairResult, SideProblem]>>();
  for (const result of results) {
    for (const problem of result.problems) {
      const file = problem.side.flow.fn.file;
      const list = byFile.get(file);
      if (list === undefined) byFile.set(file, [[result, problem]]);
      else list.push([result, problem]);
    }
  }
  problemIndex.set(results, byFile);
  return byFile;
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
