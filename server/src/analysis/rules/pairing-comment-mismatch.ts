// Rule pairing-comment-mismatch: a "pairs with smp_wmb() in foo()" comment naming a barrier that does not pair.
import type { WorkspaceAnalysis } from '../analysis';
import type { FunctionModel } from '../events';
import type { CommentSpan, FileModel } from '../model';
import type { Flow } from '../pairs';
import type { BarrierSite } from '../sites';
import { lineOf } from '../text';
import type { Fix } from '../types';
import type { Report, Rule, RuleContext } from './rule';
import { sitePartners } from './support';

/** "Pairs with smp_wmb() in foo()", "paired with rmb in mempool_free()", "pairs with the barrier in foo()". */
const PAIRING = /pair(?:s|ed)?\s+with\s+(?:the\s+)?(?:(\w+)(?:\(\))?\s+)?(?:\w+\s+)?in\s+(\w+)\(\)/i;

/** The comment that explains an ordering site: on its line, or ending on one of the three lines before it. */
function explainingComment(model: FileModel, site: BarrierSite): CommentSpan | undefined {
  if (!['full', 'write', 'read', 'acquire', 'release', 'ctrl'].includes(site.kind)) return undefined;
  const line = lineOf(model.lineStarts, site.nameRange.start);
  // The first such comment in the file's order, as a scan of every comment would find it.
  let found: { index: number; comment: CommentSpan } | undefined;
  for (let end = line - 3; end <= line; end++) {
    const candidate = pairingComments(model).get(end);
    if (candidate !== undefined && (found === undefined || candidate.index < found.index)) found = candidate;
  }
  return found?.comment;
}

/**
 * Whether a comment's text names a pairing, by text: an edit makes new comment objects for every comment after it,
 * whose texts are mostly the same. Emptied when large, as texts come and go while the user types.
 */
const pairingTexts = new Map<string, boolean>();

function namesPairing(text: string): boolean {
  let names = pairingTexts.get(text);
  if (names === undefined) {
    if (pairingTexts.size >= 20_000) pairingTexts.clear();
    names = PAIRING.test(text);
    pairingTexts.set(text, names);
  }
  return names;
}

/** Each file's first comment that names a pairing, by the line it ends on (kept by comment list). */
const byEndLine = new WeakMap<readonly CommentSpan[], Map<number, { index: number; comment: CommentSpan }>>();

function pairingComments(model: FileModel): Map<number, { index: number; comment: CommentSpan }> {
  let lines = byEndLine.get(model.comments);
  if (lines === undefined) {
    lines = new Map();
    for (const [index, comment] of model.comments.entries()) {
      if (!lines.has(comment.endLine) && namesPairing(comment.text)) lines.set(comment.endLine, { index, comment });
    }
    byEndLine.set(model.comments, lines);
  }
  return lines;
}

/** Whether a function's text calls the named barrier (`rmb` also finds smp_rmb(), as comments drop the prefix). */
function callsBarrier(model: FileModel, fn: FunctionModel, barrier: string): boolean {
  const body = model.text.slice(fn.range.start, fn.range.end);
  const name = barrier.replace(/^smp_/, '');
  // smp_mb__after_atomic() is an smp_mb() as far as a comment naming "smp_mb" goes.
  return new RegExp(`\\b(?:smp_)?${name}\\w*\\s*\\(`).test(body);
}

/** Flows by file and function name, per list of flows: each site with a pairing comment looks up two functions. */
const flowsByName = new WeakMap<readonly Flow[], Map<string, Flow[]>>();
/** The location keys each flow accesses. */
const flowKeys = new WeakMap<Flow, ReadonlySet<string>>();

function keysOf(flow: Flow): ReadonlySet<string> {
  let keys = flowKeys.get(flow);
  if (keys === undefined) {
    keys = new Set(flow.slots.flatMap((slot) => (slot.key === undefined ? [] : [slot.key])));
    flowKeys.set(flow, keys);
  }
  return keys;
}

/** Whether the site's function and the named function access some location key in common. */
function sharesLocation(context: RuleContext, model: FileModel, site: BarrierSite, owner: FileModel, fnName: string): boolean {
  const analysis = context.analysis();
  let byName = flowsByName.get(analysis.flows);
  if (byName === undefined) {
    byName = new Map();
    for (const flow of analysis.flows) {
      const id = `${flow.fn.file}\u0000${flow.fn.name}`;
      const list = byName.get(id);
      if (list === undefined) byName.set(id, [flow]);
      else list.push(flow);
    }
    flowsByName.set(analysis.flows, byName);
  }
  const flows = (file: string, name: string | undefined): Flow[] => (name === undefined ? [] : (byName.get(`${file}\u0000${name}`) ?? []));
  const mine = flows(model.file, site.functionName);
  return flows(owner.file, fnName).some((flow) => [...keysOf(flow)].some((key) => mine.some((other) => keysOf(other).has(key))));
}

/** When the barrier does pair, a fix rewriting the comment's "pairs with ..." to name the actual pair(s). */
function correctionFix(context: RuleContext, site: BarrierSite, comment: CommentSpan): Fix[] {
  // The offsets come from the comment as written; one spelling "smp mb" is left for the developer to correct.
  const match = PAIRING.exec(comment.text);
  const partners = sitePartners(context, site).join(' and ');
  if (match === null || partners === '') return [];
  const lead = /^pair(?:s|ed)?\s+with\s+/i.exec(match[0])![0];
  const start = comment.range.start + match.index;
  return [
    {
      title: `Correct the comment: pairs with ${partners}`,
      edits: [{ file: context.model.file, range: { start, end: start + match[0].length }, newText: `${lead}${partners}` }],
      isPreferred: true,
    },
  ];
}

/** Each model's first walked function of each name, kept by function list: every commented barrier looks one up. */
const byName = new WeakMap<readonly FunctionModel[], ReadonlyMap<string, FunctionModel>>();

function functionsByName(model: FileModel): ReadonlyMap<string, FunctionModel> {
  let functions = byName.get(model.functions);
  if (functions === undefined) {
    const found = new Map<string, FunctionModel>();
    for (const fn of model.functions) if (!found.has(fn.name)) found.set(fn.name, fn);
    functions = found;
    byName.set(model.functions, functions);
  }
  return functions;
}

/**
 * Per analysis (the workspace's files do not change under one), the first two models in index order that walk a
 * function of each name: a comment's function is looked up in its own file first, then in the first other one.
 */
const modelsByFunction = new WeakMap<WorkspaceAnalysis, Map<string, FileModel[]>>();

function ownerOf(context: RuleContext, fnName: string): FileModel | undefined {
  const { model, index } = context;
  if (functionsByName(model).has(fnName)) return model;
  const analysis = context.analysis();
  let byFunction = modelsByFunction.get(analysis);
  if (byFunction === undefined) {
    byFunction = new Map();
    for (const other of index.models()) {
      for (const name of functionsByName(other).keys()) {
        const list = byFunction.get(name);
        if (list === undefined) byFunction.set(name, [other]);
        else if (list.length < 2) list.push(other);
      }
    }
    modelsByFunction.set(analysis, byFunction);
  }
  return byFunction.get(fnName)?.find((other) => other !== model);
}

export const pairingCommentMismatch: Rule = {
  id: 'pairing-comment-mismatch',
  meta: {
    description: 'A comment says the barrier pairs with a barrier in some function, but that barrier does not pair with it.',
    defaultSeverity: 'warning',
    docs: 'docs/rules/pairing-comment-mismatch.md',
  },
  check(context: RuleContext) {
    const { model } = context;
    const reports: Report[] = [];
    for (const site of model.sites) {
      const comment = explainingComment(model, site);
      if (comment === undefined) continue;
      // "smp mb" is how some comments spell smp_mb().
      const match = PAIRING.exec(comment.text.replace(/\bsmp\s+([wr]?mb)\b/g, 'smp_$1'))!;
      const [, barrier, fnName] = match as unknown as [string, string | undefined, string];
      // Only a function the index knows can be checked; one outside the workspace may well pair. The same file first:
      // a static function of that name elsewhere is another function.
      const owner = ownerOf(context, fnName);
      const target = owner === undefined ? undefined : functionsByName(owner).get(fnName);
      if (owner === undefined || target === undefined) continue;
      const named = `${barrier !== undefined ? `${barrier}() in ` : ''}${fnName}()`;
      let why: string | undefined;
      if (barrier !== undefined && !/^(?:barrier|the)$/i.test(barrier) && !callsBarrier(owner, target, barrier)) {
        why = `${fnName}() has no ${barrier}()`;
      } else if (!sharesLocation(context, model, site, owner, fnName)) {
        // The pairs found may be incomplete, so a comment is only contradicted when the two functions share no
        // location at all: then nothing the barrier orders can be what the other side reads.
        why = `${fnName}() accesses none of the locations ${site.functionName ?? 'this function'}() does`;
      }
      if (why === undefined) continue;
      reports.push({
        range: site.range,
        message: `pairing comment mismatch: the comment says this ${site.name}() pairs with ${named}, but ${why}`,
        related: [{ file: model.file, range: comment.range, message: 'the pairing comment' }],
        fixes: context.fixes === false ? [] : correctionFix(context, site, comment),
      });
    }
    return reports;
  },
};
