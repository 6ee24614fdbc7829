// Shared by the rule tests: analyse a few files together and list findings as `rule file:line` strings.
import { Workspace } from '../../server/src/analysis/index';
import type { Finding } from '../../server/src/analysis/types';

export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Findings of every file, optionally of one rule, as `rule file:line`, in file then line order. */
export function findings(files: Record<string, string>, rule?: string): string[] {
  const workspace = new Workspace();
  for (const [file, text] of Object.entries(files)) workspace.setFile(file, text);
  const out: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const finding of workspace.findings(file)) {
      if (rule === undefined || finding.ruleId === rule) out.push(`${finding.ruleId} ${file}:${lineOf(text, finding.range.start)}`);
    }
  }
  return out;
}

/** The findings objects of one file, for tests of messages, related information and fixes. */
export function findingObjects(files: Record<string, string>, file: string, rule: string): Finding[] {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(name, text);
  return workspace.findings(file).filter((finding) => finding.ruleId === rule);
}

/** Applies a fix's edits (all in one file) to its text. */
export function applyEdits(text: string, edits: Array<{ range: { start: number; end: number }; newText: string }>): string {
  return [...edits]
    .sort((a, b) => b.range.start - a.range.start)
    .reduce((current, edit) => current.slice(0, edit.range.start) + edit.newText + current.slice(edit.range.end), text);
}

/** Kernel-style message passing we write for tests: `publish()` stores data then ready, `consume()` the converse. */
export function messagePassing(writerBarrier: string, readerBarrier: string): string {
  return [
    'struct item {',
    '\tint data;',
    '\tint ready;',
    '};',
    '',
    'void publish(struct item *it, int v)',
    '{',
    '\tWRITE_ONCE(it->data, v);',
    writerBarrier === '' ? '' : `\t${writerBarrier}; /* Order ->data before ->ready. */`,
    '\tWRITE_ONCE(it->ready, 1);',
    '}',
    '',
    'int consume(struct item *it)',
    '{',
    '\tif (!READ_ONCE(it->ready))',
    '\t\treturn -1;',
    readerBarrier === '' ? '' : `\t${readerBarrier}; /* Order ->ready before ->data. */`,
    '\treturn READ_ONCE(it->data);',
    '}',
    '',
  ].join('\n');
}
