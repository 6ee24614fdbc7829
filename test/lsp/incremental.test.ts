// Incremental sync end to end: range edits applied through the server leave the diagnostics a fresh server gives for
// the final text (the server re-parses only what each edit touched, and settles inexact trees when the user pauses).
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kernelStyleFile, random } from '../../bench/generate';
import { diffTexts } from '../../server/src/analysis/incremental';
import { Workspace } from '../../server/src/analysis/index';
import { lineOf, lineStarts } from '../../server/src/analysis/text';
import { toDiagnostic, uriToFile } from '../../server/src/lsp/convert';
import { lspSession, pathUri } from './client';

const session = lspSession('barrier-lint-incremental-');

function rangeOf(text: string, start: number, end: number): Range {
  const starts = lineStarts(text);
  const position = (offset: number): Range['start'] => {
    const line = lineOf(starts, offset);
    return { line, character: offset - (starts[line] ?? 0) };
  };
  return { start: position(start), end: position(end) };
}

/** Edits as a person makes them: explain a barrier, change one, open a comment and close it again, delete a line. */
function scriptedEdits(): Array<(text: string) => { start: number; end: number; insert: string }> {
  const comment = '\t/* Pairs with the read side. */\n';
  let call = 0;
  return [
    (text) => ({ start: text.indexOf('\tsmp_wmb();'), end: text.indexOf('\tsmp_wmb();'), insert: comment }),
    (text) => ({ start: text.indexOf('\tsmp_rmb();'), end: text.indexOf('\tsmp_rmb();') + '\tsmp_rmb();'.length, insert: '\tsmp_mb();' }),
    (text) => {
      call = text.indexOf('\tWRITE_ONCE(', text.length / 2) + 2;
      return { start: call, end: call, insert: '/*' };
    },
    () => ({ start: call, end: call + 2, insert: '' }),
    (text) => ({ start: text.indexOf(comment), end: text.indexOf(comment) + comment.length, insert: '' }),
  ];
}

describe('incremental sync', () => {
  it('gives, after a sequence of range edits, the diagnostics a fresh server gives for the final text', async () => {
    const uri = pathUri(path.join(session.dir(), 'queue.c'));
    let text = kernelStyleFile(300);
    const edited = await session.start({ settings: () => ({ debounceMs: 0 }) });
    await edited.client.open(uri, text);
    await edited.client.diagnostics(uri, (params) => params.version === 1);
    let version = 1;
    // Each edit's offsets are found in the text it applies to, so later edits see the earlier ones.
    for (const next of scriptedEdits()) {
      const { start, end, insert } = next(text);
      version = await edited.client.edit(uri, rangeOf(text, start, end), insert);
      text = text.slice(0, start) + insert + text.slice(end);
      await edited.client.diagnostics(uri, (params) => params.version === version);
    }
    // A re-parse that left errors is settled a second after the last edit; the last publication is the one shown.
    await sleep(1500);
    const shown = edited.client.published.filter((params) => params.uri === uri).at(-1);
    expect(await edited.client.stop()).toBe(0);

    const fresh = await session.start({ settings: () => ({ debounceMs: 0 }) });
    await fresh.client.open(uri, text);
    const expected = await fresh.client.diagnostics(uri, (params) => params.version === 1);
    expect(await fresh.client.stop()).toBe(0);
    expect(expected.diagnostics.length).toBeGreaterThan(0);
    expect(shown?.diagnostics).toEqual(expected.diagnostics);
  });

  it('publishes after each bench-style edit the diagnostics a fresh analysis of the text gives', async () => {
    const uri = pathUri(path.join(session.dir(), 'queue.c'));
    const file = uriToFile(uri);
    let text = kernelStyleFile(1200);
    const edited = await session.start({ settings: () => ({ debounceMs: 0 }) });
    await edited.client.open(uri, text);
    await edited.client.diagnostics(uri, (params) => params.version === 1);
    const next = random(9);
    // Explain a barrier, take the explanation away, swap a barrier, type into a return (as bench:edit does).
    const kinds: Array<[RegExp, (line: string) => string[]]> = [
      [/^\tsmp_[wr]?mb\(\);$/, (line) => ['\t/* Pairs with the other side of this queue. */', line]],
      [/^\t\/\* Pairs with the other side/, () => []],
      [/^\tsmp_[wr]?mb\(\);$/, (line) => [line.includes('smp_mb') ? '\tsmp_wmb();' : '\tsmp_mb();']],
      [/^\treturn /, (line) => [line.replace(/;$/, ' ;')]],
    ];
    let compared = 0;
    for (let i = 0; i < 12; i++) {
      const [pattern, change] = kinds[i % kinds.length]!;
      const lines = text.split('\n');
      const found = lines.flatMap((line, index) => (pattern.test(line) ? [index] : []));
      const at = found[Math.floor(next() * found.length)];
      if (at === undefined) continue;
      lines.splice(at, 1, ...change(lines[at]!));
      const after = lines.join('\n');
      const edit = diffTexts(text, after);
      const version = await edited.client.edit(uri, rangeOf(text, edit.start, edit.oldEnd), after.slice(edit.start, edit.newEnd));
      text = after;
      const published = await edited.client.diagnostics(uri, (params) => params.version === version);
      const fresh = new Workspace();
      fresh.setFile(file, text);
      const document = TextDocument.create(uri, 'c', version, text);
      const expected = fresh.findings(file).map((finding) => toDiagnostic(finding, { document: () => document, uri: () => uri }));
      expect(expected.length).toBeGreaterThan(0);
      expect(published.diagnostics, `after edit ${i}`).toEqual(expected);
      compared++;
    }
    expect(await edited.client.stop()).toBe(0);
    expect(compared).toBe(12);
  });
});
