// Incremental models (analysis/incremental.ts): after every edit of a sequence, the model and the findings equal a
// from-scratch analysis of the same text.
import { describe, expect, it } from 'vitest';
import { kernelStyleFile, random } from '../../bench/generate';
import { diffTexts, IncrementalModel } from '../../server/src/analysis/incremental';
import type { PairResult } from '../../server/src/analysis/analysis';
import { Workspace } from '../../server/src/analysis/index';
import { buildFileModel } from '../../server/src/analysis/model';

/** Text a person types or deletes, including what breaks the parse for a while (an open comment, a stray brace). */
const SNIPPETS = [
  '\tsmp_mb();\n',
  '\t/* Pairs with the read side. */\n',
  'static int counter;\n',
  '{',
  '}',
  ';',
  'x',
  ' ',
  '/*',
  '*/',
  '#ifdef CONFIG_SMP\n',
  '#endif\n',
  '#define publish_barrier() smp_wmb()\n',
  'struct queue_1 { int data; int volatile flag; };\n',
  'static int peek(struct queue_2 *q) { return READ_ONCE(q->flag); }\n',
  '\tWRITE_ONCE(q->flag, 1);\n',
  '\tif (READ_ONCE(q->flag))\n\t\treturn 0;\n',
];

/** The next text of a scripted sequence: an insertion, a deletion, or a barrier swapped for another. */
function nextEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const choice = next();
  if (choice < 0.5) return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  if (choice < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 40));
  const line = text.lastIndexOf('\n', at) + 1;
  const swapped = text.slice(line).replace(/smp_[wr]?mb\(\)/, (barrier) => (barrier === 'smp_mb()' ? 'smp_wmb()' : 'smp_mb()'));
  return text.slice(0, line) + swapped;
}

describe('diffTexts', () => {
  it('finds the one changed span, across the chunk size and at either end', () => {
    const base = 'a'.repeat(3000);
    expect(diffTexts(base, `${base.slice(0, 2500)}XY${base.slice(2500)}`)).toEqual({ start: 2500, oldEnd: 2500, newEnd: 2502 });
    expect(diffTexts('abcdef', 'abXYef')).toEqual({ start: 2, oldEnd: 4, newEnd: 4 });
    expect(diffTexts('abc', 'abc')).toEqual({ start: 3, oldEnd: 3, newEnd: 3 });
    expect(diffTexts('', 'new')).toEqual({ start: 0, oldEnd: 0, newEnd: 3 });
    expect(diffTexts('aaaa', 'aa')).toEqual({ start: 2, oldEnd: 4, newEnd: 2 });
  });
});

describe('incremental model', () => {
  it('equals buildFileModel after each of 100 scripted edits, including ones that break and mend the parse', () => {
    let text = kernelStyleFile(300);
    const next = random(11);
    const incremental = new IncrementalModel('/src/queue.c');
    expect(incremental.update(text)).toEqual(buildFileModel('/src/queue.c', text));
    let settled = 0;
    for (let i = 0; i < 100; i++) {
      text = nextEdit(text, next);
      const model = incremental.update(text);
      const fresh = buildFileModel('/src/queue.c', text);
      // A re-parse from the previous tree that leaves errors may recover from them unlike a fresh parse: then the
      // model is exact only once settled, as the server does when the user pauses.
      if (incremental.isExact()) expect(model, `after edit ${i}`).toEqual(fresh);
      else {
        settled++;
        expect(incremental.settle(), `after edit ${i}, settled`).toEqual(fresh);
        expect(incremental.isExact()).toBe(true);
      }
    }
    // The sequence takes both ways.
    expect(settled).toBeGreaterThan(0);
    expect(settled).toBeLessThan(100);
  });

  it('reuses what an edit did not touch and re-extracts the edited function', () => {
    const text = kernelStyleFile(300);
    const incremental = new IncrementalModel('/src/queue.c');
    const before = incremental.update(text);
    const [first, second, third] = before.functions;
    expect(third).toBeDefined();
    const events = second!.events.slice();
    const end = second!.range.end;
    // A comment line inside the second walked function changes none of its events: it keeps its very objects, moved.
    const at = text.indexOf('\n', second!.range.start + 1) + 1;
    const commented = `${text.slice(0, at)}\t/* note */\n${text.slice(at)}`;
    const after = incremental.update(commented);
    expect(after).toEqual(buildFileModel('/src/queue.c', commented));
    expect(after.functions[0]).toBe(first);
    expect(after.functions[1]).toBe(second);
    expect(after.functions[1]!.events.every((event, k) => event === events[k])).toBe(true);
    expect(second!.range.end).toBe(end + '\t/* note */\n'.length);
    // A call added to the third changes its events: it is walked again into new objects.
    const inside = commented.indexOf('\n', third!.range.start + 1) + 1;
    const called = `${commented.slice(0, inside)}\tsmp_mb();\n${commented.slice(inside)}`;
    const later = incremental.update(called);
    expect(later).toEqual(buildFileModel('/src/queue.c', called));
    expect(later.functions[1]).toBe(second);
    expect(later.functions[2]).not.toBe(third);
  });

  it('after a paste too large to take item by item, an edit inside one function gives the new text’s model', () => {
    const original = kernelStyleFile(300);
    const incremental = new IncrementalModel('/src/queue.c');
    incremental.update(original);
    // An edit inside a function first, so the model has a selection and lists of its own making.
    const inside = buildFileModel('/src/queue.c', original).functions[1]!.range.start;
    const text = `${original.slice(0, inside)}${original.slice(inside).replace('\n', '\n\t/* first */\n')}`;
    expect(incremental.update(text)).toEqual(buildFileModel('/src/queue.c', text));
    // More new items than are extracted one by one: the whole text is extracted again, with more functions walked.
    const helpers = Array.from({ length: 80 }, (_, k) => `static void helper_${k}(struct queue_1 *q)\n{\n\tWRITE_ONCE(q->flag, ${k});\n\tsmp_wmb();\n}\n`).join('\n');
    const pasted = `${text}\n${helpers}`;
    expect(incremental.update(pasted)).toEqual(buildFileModel('/src/queue.c', pasted));
    // Then a comment line inside the first walked function, taken item by item.
    const first = buildFileModel('/src/queue.c', pasted).functions[0]!;
    const at = pasted.indexOf('\n', first.range.start + 1) + 1;
    const commented = `${pasted.slice(0, at)}\t/* note */\n${pasted.slice(at)}`;
    expect(incremental.update(commented)).toEqual(buildFileModel('/src/queue.c', commented));
  });

  it('sees a comment opened inside a function run on past it, as a whole parse does', () => {
    const text = [
      'struct box { int data; int ready; };',
      '',
      'void box_post(struct box *b, int v)',
      '{',
      '\tWRITE_ONCE(b->data, v);',
      '\tsmp_wmb();',
      '\tWRITE_ONCE(b->ready, 1);',
      '}',
      '',
      '/* Pairs with box_post(). */',
      'int box_take(struct box *b)',
      '{',
      '\tint ready = READ_ONCE(b->ready);',
      '',
      '\tsmp_rmb();',
      '\treturn ready ? READ_ONCE(b->data) : -1;',
      '}',
      '',
    ].join('\n');
    const incremental = new IncrementalModel('/src/box.c');
    incremental.update(text);
    // Alone, box_post() would read `W / *RITE_ONCE(...)`; in the file, a comment opens and runs to the one below.
    const at = text.indexOf('\tWRITE_ONCE(') + 2;
    const opened = `${text.slice(0, at)}/*${text.slice(at)}`;
    expect(incremental.update(opened)).toEqual(buildFileModel('/src/box.c', opened));
    expect(incremental.update(text)).toEqual(buildFileModel('/src/box.c', text));
    const closed = `${text.slice(0, at)}/* x */${text.slice(at)}`;
    expect(incremental.update(closed)).toEqual(buildFileModel('/src/box.c', closed));
  });

  it('moves the lines of later comments when an edit of unchanged length adds or removes a line', () => {
    const text = kernelStyleFile(300);
    const incremental = new IncrementalModel('/src/queue.c');
    const before = incremental.update(text);
    // A space inside the first walked function becomes a line break: no offset moves, every later line does.
    const fn = before.functions[0]!;
    const at = text.indexOf(' ', text.indexOf('{', fn.range.start));
    expect(at).toBeLessThan(fn.range.end);
    const broken = `${text.slice(0, at)}\n${text.slice(at + 1)}`;
    const after = incremental.update(broken);
    expect(after).toEqual(buildFileModel('/src/queue.c', broken));
    expect(after.comments.some((comment) => comment.range.start > fn.range.end)).toBe(true);
    expect(incremental.update(text)).toEqual(buildFileModel('/src/queue.c', text));
  });

  it('gives the refusal of a binary text, then analyses the text again once it is C', () => {
    const incremental = new IncrementalModel('/src/queue.c');
    const text = kernelStyleFile(100);
    incremental.update(text);
    expect(incremental.update(`\0${text}`).refused).toBe('binary file');
    expect(incremental.update(text)).toEqual(buildFileModel('/src/queue.c', text));
  });
});

/** Small edits that mostly leave the parse whole: blanks, line breaks, comments, a character in a name or a number. */
const TYPING = [' ', '\n', '\t/* c */\n', '/* c */', 'x', '1', '_', '\n\n'];

describe('Workspace.editFile', () => {
  it('keeps an edited function’s objects only when its events are the same, and then equals a fresh analysis', () => {
    const next = random(11);
    let edited = kernelStyleFile(500);
    const other = kernelStyleFile(150);
    const workspace = new Workspace();
    workspace.setFile('/src/other.c', other);
    workspace.editFile('/src/queue.c', edited);
    let before = new Set(workspace.model('/src/queue.c')!.functions);
    let results = workspace.analysis().results;
    let keptAll = 0;
    let changed = 0;
    for (let i = 0; i < 60; i++) {
      // Inside a function body mostly: the edits this path is for.
      const functions = workspace.model('/src/queue.c')!.functions;
      const fn = functions[Math.floor(next() * functions.length)]!;
      const at = fn.range.start + 1 + Math.floor(next() * (fn.range.end - fn.range.start - 2));
      edited = next() < 0.8 ? edited.slice(0, at) + TYPING[Math.floor(next() * TYPING.length)] + edited.slice(at) : edited.slice(0, at) + edited.slice(at + 1);
      workspace.editFile('/src/queue.c', edited);
      const { fresh, analysis } = compareWithFresh(workspace, other, edited, `after edit ${i}`);
      expect(workspace.findings('/src/queue.c'), `after edit ${i}`).toEqual(fresh.findings('/src/queue.c'));
      expect(workspace.findings('/src/other.c'), `after edit ${i}`).toEqual(fresh.findings('/src/other.c'));
      const now = workspace.model('/src/queue.c')!.functions;
      if (now.length === before.size && now.every((one) => before.has(one))) {
        keptAll++;
        // The same functions make the same pairs: their results are kept as the very list the rules keep reports by.
        expect(analysis.results).toBe(results);
      } else changed++;
      before = new Set(now);
      results = analysis.results;
    }
    // Both paths are taken: edits that leave every function as it was, and edits that change one.
    expect(keptAll).toBeGreaterThan(10);
    expect(changed).toBeGreaterThan(10);
  });


  it('gives the findings of a fresh Workspace after a sequence of edits, in the edited file and the one it pairs with', () => {
    const next = random(5);
    let edited = kernelStyleFile(400);
    const other = kernelStyleFile(200);
    const workspace = new Workspace();
    workspace.setFile('/src/other.c', other);
    workspace.editFile('/src/queue.c', edited);
    for (let i = 0; i < 40; i++) {
      edited = nextEdit(edited, next);
      workspace.editFile('/src/queue.c', edited);
      if (i % 10 !== 9) continue;
      workspace.settleFile('/src/queue.c');
      const fresh = freshWorkspace(other, edited);
      expect(workspace.findings('/src/queue.c'), `after edit ${i}`).toEqual(fresh.findings('/src/queue.c'));
      expect(workspace.findings('/src/other.c'), `after edit ${i}`).toEqual(fresh.findings('/src/other.c'));
      expect(workspace.findings('/src/queue.c').length).toBeGreaterThan(0);
    }
  });
});

/** The two files analysed afresh: what a kept analysis must equal. */
function freshWorkspace(other: string, queue: string): Workspace {
  const fresh = new Workspace();
  fresh.setFile('/src/other.c', other);
  fresh.setFile('/src/queue.c', queue);
  return fresh;
}

/** Checks that the kept analysis has the fresh one's results and site ids, and gives both for further checks. */
function compareWithFresh(workspace: Workspace, other: string, queue: string, label: string) {
  const fresh = freshWorkspace(other, queue);
  const analysis = workspace.analysis();
  const expected = fresh.analysis();
  expect(analysis.results.map(describeResult), label).toEqual(expected.results.map(describeResult));
  expect([...analysis.bySite.keys()], label).toEqual([...expected.bySite.keys()]);
  return { fresh, analysis, expected };
}

/** A pair result as plain data (functions, roles, specs, verdict, problems), to compare analyses made apart. */
function describeResult(result: PairResult): unknown {
  const side = (s: PairResult['pair']['sides'][0]): unknown => ({ file: s.flow.fn.file, fn: s.flow.fn.name, role: s.role, range: s.range, spec: s.spec, anchored: s.anchored });
  const { pair } = result;
  return {
    kind: pair.kind,
    x: pair.x,
    y: pair.y,
    sameLock: pair.sameLock,
    sides: pair.sides.map(side),
    verdict: result.verdict,
    problems: result.problems.map((problem) => ({ side: pair.sides.indexOf(problem.side), problem: problem.problem, suggestion: problem.suggestion })),
  };
}

/** Edits bench:edit makes (explain a barrier, take the comment away, swap a barrier, type into a return), and one changing a struct. */
function benchEdit(text: string, k: number, next: () => number): string {
  const lines = text.split('\n');
  const pick = (pattern: RegExp): number | undefined => {
    const found = lines.flatMap((line, index) => (pattern.test(line) ? [index] : []));
    return found[Math.floor(next() * found.length)];
  };
  const at = [/^\tsmp_[wr]?mb\(\);$/, /^\t\/\* Pairs with the other side/, /^\tsmp_[wr]?mb\(\);$/, /^\treturn /, /^\tint (?:volatile )?flag;$/][k % 5]!;
  const line = pick(at);
  if (line === undefined) return text;
  const current = lines[line]!;
  const replaced = [
    ['\t/* Pairs with the other side of this queue. */', current],
    [],
    [current.includes('smp_mb') ? '\tsmp_wmb();' : '\tsmp_mb();'],
    [current.replace(/;$/, ' ;')],
    [current.includes('volatile') ? '\tint flag;' : '\tint volatile flag;'],
  ][k % 5]!;
  lines.splice(line, 1, ...replaced);
  return lines.join('\n');
}

describe('Workspace analysis across edits', () => {
  it('equals a fresh analysis after every edit, pairs and findings, while keeping the results of pairs the edit did not touch', () => {
    const next = random(3);
    let edited = kernelStyleFile(2000);
    const other = kernelStyleFile(150);
    const workspace = new Workspace();
    workspace.setFile('/src/other.c', other);
    workspace.editFile('/src/queue.c', edited);
    let before = workspace.analysis().results;
    let kept = 0;
    for (let i = 0; i < 25; i++) {
      edited = benchEdit(edited, i, next);
      workspace.editFile('/src/queue.c', edited);
      const { fresh, analysis, expected } = compareWithFresh(workspace, other, edited, `after edit ${i}`);
      expect([...analysis.pairedKeys], `after edit ${i}`).toEqual([...expected.pairedKeys]);
      expect(analysis.overStrong.map((found) => [found.site.range, found.weaker])).toEqual(expected.overStrong.map((found) => [found.site.range, found.weaker]));
      // As the server publishes (first, without fixes): the same findings, with no fixes made.
      const withFixes = fresh.findings('/src/queue.c');
      expect(withFixes.some((finding) => finding.fixes.length > 0)).toBe(true);
      expect(workspace.findings('/src/queue.c', { fixes: false }), `after edit ${i}`).toEqual(withFixes.map((finding) => ({ ...finding, fixes: [] })));
      expect(workspace.findings('/src/queue.c'), `after edit ${i}`).toEqual(fresh.findings('/src/queue.c'));
      expect(workspace.findings('/src/other.c'), `after edit ${i}`).toEqual(fresh.findings('/src/other.c'));
      // An edit inside one function (every kind but the struct's) keeps most pair results as they were.
      const previous = new Set(before);
      const same = analysis.results.filter((result) => previous.has(result)).length;
      if (i % 5 !== 4 && same > analysis.results.length / 2) kept++;
      before = analysis.results;
    }
    expect(before.length).toBeGreaterThan(100);
    expect(kept).toBeGreaterThanOrEqual(18);
  });
});
