// Suppression comments: `/* barrier-lint: ignore <rule-id>[, <rule-id>...] */` on a finding's line or the line before.
import type { FileModel } from './model';
import { lineOf } from './text';
import type { Finding } from './types';

const DIRECTIVE = /barrier-lint:\s*ignore\s+([\w-]+(?:\s*,\s*[\w-]+)*)/g;

/** 0-based line → rule ids a comment suppresses there (the lines the comment covers and the line after it). */
function suppressedLines(model: FileModel): Map<number, Set<string>> {
  const lines = new Map<number, Set<string>>();
  for (const comment of model.comments) {
    if (!comment.text.includes('barrier-lint:')) continue;
    for (const match of comment.text.matchAll(DIRECTIVE)) {
      const ids = (match[1] ?? '').split(/\s*,\s*/);
      for (let line = comment.startLine; line <= comment.endLine + 1; line++) {
        const set = lines.get(line) ?? new Set<string>();
        for (const id of ids) set.add(id);
        lines.set(line, set);
      }
    }
  }
  return lines;
}

/** The findings no suppression comment of the file names; the CLI and the server both see only these. */
export function withoutSuppressed(model: FileModel, findings: Finding[]): Finding[] {
  const lines = suppressedLines(model);
  if (lines.size === 0) return findings;
  return findings.filter((finding) => !lines.get(lineOf(model.lineStarts, finding.range.start))?.has(finding.ruleId));
}
