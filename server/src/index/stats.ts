// The closing summary of a check: files, lines, barrier sites, pairs, findings by rule and time.
import type { Workspace } from '../analysis/index';
import type { Finding } from '../analysis/types';

export interface CheckStats {
  files: number;
  lines: number;
  skipped: number;
  cached: number;
  sites: number;
  pairs: number;
  findingsByRule: Map<string, number>;
  ms: number;
}

/** `lines` counts the lines of every file analysed (the workspace may not hold every text). */
export function checkStats(workspace: Workspace, findings: readonly Finding[], extra: { lines: number; skipped: number; cached: number; ms: number }): CheckStats {
  let files = 0;
  for (const model of workspace.models()) if (model.refused === undefined) files++;
  const { sites, pairs } = workspace.stats();
  const findingsByRule = new Map<string, number>();
  for (const finding of findings) findingsByRule.set(finding.ruleId, (findingsByRule.get(finding.ruleId) ?? 0) + 1);
  return { files, sites, pairs, findingsByRule, ...extra };
}

/** Lines as editors count them: a final newline ends the last line rather than starting another. */
export function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return text.length === 0 || text.endsWith('\n') ? count : count + 1;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

export function formatStats(stats: CheckStats): string {
  const byRule = [...stats.findingsByRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = byRule.reduce((sum, [, count]) => sum + count, 0);
  const extra = [stats.skipped > 0 ? `${stats.skipped} skipped` : '', stats.cached > 0 ? `${stats.cached} from cache` : ''].filter(Boolean);
  return [
    `barrier-lint: ${plural(stats.files, 'file')}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}, ${plural(stats.lines, 'line')}, ` +
      `${plural(stats.sites, 'barrier site')}, ${plural(stats.pairs, 'pair')}, ${plural(total, 'finding')} in ${(stats.ms / 1000).toFixed(1)} s`,
    ...byRule.map(([rule, count]) => `  ${String(count).padStart(6)}  ${rule}`),
  ].join('\n') + '\n';
}
