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
  return explainedLines(model).has(line);
}

/** The lines each file's comments explain, by its comment list: asking every comment for every barrier was quadratic. */
const explained = new WeakMap<readonly CommentSpan[], ReadonlySet<number>>();

function explainedLines(model: FileModel): ReadonlySet<number> {
  let lines = explained.get(model.comments);
  if (lines === undefined) {
    const found = new Set<number>();
    for (const comment of model.comments) {
      if (!comment.block) {
        for (let line = comment.startLine - 1; line <= comment.startLine + 1; line++) found.add(line);
        continue;
      }
      if (comment.startLine === comment.endLine && endsLine(model, comment)) found.add(comment.startLine);
      for (let line = comment.startLine + 1; line <= comment.endLine + 1; line++) found.add(line);
    }
    lines = found;
    explained.set(model.comments, lines);
  }
  return lines;
}

/** Only blanks or a macro's `\` follow the comment on its line. */
function endsLine(model: FileModel, comment: CommentSpan): boolean {
  const lineStart = model.lineStarts[comment.startLine] ?? 0;
  const rest = lineText(model.text, model.lineStarts, comment.startLine).slice(comment.range.end - lineStart);
  return /^\s*(?:\\\s*)?$/.test(rest);
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
        fixes: pairingCommentFix(context, site),
      });
    }
    return reports;
  },
};
