// Rule barrier-without-comment: checkpatch.pl's MEMORY_BARRIER warning, a barrier no comment explains.
import type { CommentSpan, FileModel } from '../model';
import type { BarrierSite } from '../sites';
import { indentationAt, lineOf, lineText } from '../text';
import type { Fix } from '../types';
import type { Report, Rule, RuleContext } from './rule';
import { sitePartners } from './support';

/**
 * checkpatch's `ctx_has_comment()` for the line `line` of a barrier, with comments taken from the tree rather than
 * from regular expressions (so `//` inside a string does not count, which is the only difference):
 * - a `//` comment on the barrier's line, the line before or the line after;
 * - a block comment that starts and ends on the barrier's line and ends it (only blanks or a macro's `\` follow);
 * - a block comment covering the line before (ending there, starting there, or running through it).
 * A blank line between the comment and the barrier breaks the link, as it does for checkpatch.
 */
export function hasBarrierComment(model: FileModel, line: number): boolean {
  const { comments } = model;
  if (!inTextOrder(comments)) return comments.some((comment) => explains(model, comment, line));
  // Only comments from the first that ends by the line before to the last that starts by the line after can explain
  // it; in text order their start and end lines never decrease, so a binary search finds the last, and the walk back
  // stops at the first that ends too early. Scanning every comment for every barrier was quadratic.
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comments[middle]!.startLine <= line + 1) low = middle + 1;
    else high = middle;
  }
  for (let k = low - 1; k >= 0 && comments[k]!.endLine >= line - 1; k--) if (explains(model, comments[k]!, line)) return true;
  return false;
}

/** Whether each comment starts after the previous one ends (as the parser lists them), by comment list. */
const ordered = new WeakMap<readonly CommentSpan[], boolean>();

function inTextOrder(comments: readonly CommentSpan[]): boolean {
  let known = ordered.get(comments);
  if (known === undefined) {
    known = comments.every((comment, k) => k === 0 || comment.range.start >= comments[k - 1]!.range.end);
    ordered.set(comments, known);
  }
  return known;
}

function explains(model: FileModel, comment: CommentSpan, line: number): boolean {
  if (!comment.block) return comment.startLine >= line - 1 && comment.startLine <= line + 1;
  if (comment.startLine === line && comment.endLine === line) {
    const lineStart = model.lineStarts[line] ?? 0;
    const rest = lineText(model.text, model.lineStarts, line).slice(comment.range.end - lineStart);
    if (/^\s*(?:\\\s*)?$/.test(rest)) return true;
  }
  return comment.startLine <= line - 1 && comment.endLine >= line - 1;
}

function siteLine(model: FileModel, site: BarrierSite): number {
  return lineOf(model.lineStarts, site.nameRange.start);
}

/**
 * For a barrier that pairs, a comment naming its pair(s) on the line above, indented like the barrier. Unpaired
 * barriers get no fix: only the developer knows what they order, and a placeholder comment would silence checkpatch.
 */
function pairingCommentFix(context: RuleContext, site: BarrierSite): Fix[] {
  const { model } = context;
  // A line inserted in a #define body would need its own `\` continuation; the macro's author places that comment.
  if (site.inMacro) return [];
  const partners = sitePartners(context, site);
  if (partners.length === 0) return [];
  const line = siteLine(model, site);
  const lineStart = model.lineStarts[line] ?? 0;
  const indent = indentationAt(model.text, model.lineStarts, site.range.start);
  // The comment goes on its own line only when the barrier starts its line, so the layout stays the file's.
  if (model.text.slice(lineStart, site.range.start) !== indent) return [];
  const comment = `/* Pairs with ${partners.join(' and ')}. */`;
  return [
    {
      title: `Add a comment: pairs with ${partners.join(' and ')}`,
      edits: [{ file: model.file, range: { start: lineStart, end: lineStart }, newText: `${indent}${comment}\n` }],
      isPreferred: true,
    },
  ];
}

export const barrierWithoutComment: Rule = {
  id: 'barrier-without-comment',
  meta: {
    description:
      'A memory barrier checkpatch.pl wants explained has no comment on its line, the line before or the line after.',
    defaultSeverity: 'warning',
    docs: 'docs/rules/barrier-without-comment.md',
  },
  check(context) {
    const { model } = context;
    const reports: Report[] = [];
    for (const site of model.sites) {
      if (!site.primitive.wantsComment) continue;
      if (hasBarrierComment(model, siteLine(model, site))) continue;
      reports.push({
        range: site.range,
        message: `memory barrier without comment: say what ${site.name}() orders and which barrier it pairs with`,
        fixes: context.fixes === false ? [] : pairingCommentFix(context, site),
      });
    }
    return reports;
  },
};
