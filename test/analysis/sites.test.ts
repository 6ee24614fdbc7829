// Tests of barrier-site extraction: every primitive of the table, macro-heavy code, and code that does not parse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzCase } from '../../bench/fuzzing';
import { kernelStyleFile } from '../../bench/generate';
import { buildFileModel } from '../../server/src/analysis/model';
import { parseC, type SyntaxNode } from '../../server/src/analysis/parse';
import { Locator, NamesFromText, splitArguments } from '../../server/src/analysis/sites';
import { allPrimitives } from '../../server/src/lkmm/primitives';

const fixtures = path.resolve(__dirname, '../fixtures/extract');

function sitesOf(text: string): Array<{ name: string; kind: string; text: string; args: string[]; fn?: string; inMacro: boolean }> {
  return buildFileModel('test.c', text).sites.map((site) => ({
    name: site.name,
    kind: site.kind,
    text: text.slice(site.range.start, site.range.end),
    args: site.args.map((arg) => text.slice(arg.start, arg.end)),
    fn: site.functionName,
    inMacro: site.inMacro,
  }));
}

describe('extractSites', () => {
  it('finds a call of every primitive in the table, with its kind and arguments', () => {
    const primitives = allPrimitives();
    const calls = primitives.map((p) => `\t${p.name}(${Array.from({ length: p.arity }, (_, i) => `a${i}`).join(', ')});`);
    const text = `void every_primitive(void)\n{\n${calls.join('\n')}\n}\n`;
    const sites = sitesOf(text);
    expect(sites.map((site) => site.name)).toEqual(primitives.map((p) => p.name));
    for (const [i, p] of primitives.entries()) {
      expect(sites[i]?.kind).toBe(p.kind);
      expect(sites[i]?.args).toHaveLength(p.arity);
      expect(sites[i]?.fn).toBe('every_primitive');
    }
  });

  it('ignores declarations, definitions and mentions that are not calls', () => {
    const text = [
      'static inline void smp_mb(void);',
      'void smp_wmb(void) { }',
      'void (*hook)(void) = smp_rmb;',
      '/* smp_mb() in a comment */',
      'const char *s = "smp_mb()";',
      'int not_a_barrier(void) { return smp_mbx(); }',
    ].join('\n');
    expect(sitesOf(text)).toEqual([]);
  });

  it('finds barriers in macro-heavy code, inside #define bodies too', () => {
    const text = readFileSync(path.join(fixtures, 'macro-heavy.c'), 'utf8');
    const sites = sitesOf(text);
    expect(sites.map((site) => `${site.fn}:${site.name}${site.inMacro ? '(macro)' : ''}`)).toEqual([
      'publish:smp_wmb(macro)',
      'publish:WRITE_ONCE(macro)',
      'consume:READ_ONCE(macro)',
      'consume:smp_rmb(macro)',
      'drain_all:smp_mb__before_atomic',
      'drain_all:atomic_dec',
      'drain_all:smp_mb',
      'drain_all:barrier',
      'drain_all:spin_unlock',
      'wait_ready:smp_load_acquire',
      'wait_ready:xchg_relaxed',
      'wait_ready:cmpxchg',
    ]);
    const acquire = sites.find((site) => site.name === 'smp_load_acquire');
    expect(acquire?.args).toEqual(['&per_cpu(queues, cpu).ready']);
    const macroWrite = sites.find((site) => site.name === 'WRITE_ONCE');
    expect(macroWrite?.text).toBe('WRITE_ONCE((p)->ready, (v))');
  });

  it('finds barriers in code tree-sitter cannot parse, and names their functions', () => {
    const text = readFileSync(path.join(fixtures, 'broken.c'), 'utf8');
    const sites = sitesOf(text);
    expect(sites.map((site) => `${site.fn}:${site.text}`)).toEqual([
      'broken_writer:smp_wmb()',
      'broken_writer:WRITE_ONCE(it->ready, 1)',
      'broken_writer:smp_store_release(&it->done, 1)',
      'broken_reader:smp_load_acquire(&it->done)',
      'after_garbage:smp_mb()',
    ]);
  });

  it('keeps offsets exact after non-ASCII text', () => {
    const text = '// Überprüfung: 😀\nvoid f(int *p) { smp_store_release(p, 1); }\n';
    expect(sitesOf(text).map((site) => site.text)).toEqual(['smp_store_release(p, 1)']);
  });

  it('gives no sites, and a reason, for binary input', () => {
    const model = buildFileModel('blob.c', 'smp_mb();\0\0');
    expect(model.sites).toEqual([]);
    expect(model.refused).toBe('binary file');
  });

  it('locates each word as descendantForIndex and parent do, moving one cursor', () => {
    const texts = [
      ...['macro-heavy.c', 'broken.c'].map((name) => readFileSync(path.join(fixtures, name), 'utf8')),
      kernelStyleFile(400, 3),
      // Error recovery's MISSING tokens are empty nodes, where descendantForIndex's rule has its edge cases.
      'void f(int *p) { if (READ_ONCE(*p) { smp_rmb() x = p[1 } WRITE_ONCE(*p, 1)\n',
      // Deep nesting, where the cursor climbs far between neighbouring words.
      `void g(int *p) {\n${'if (READ_ONCE(*p)) {\n'.repeat(300)}smp_wmb();\n${'}\n'.repeat(300)}WRITE_ONCE(*p, 1);\n}\n`,
      `int h(int *p) { return ${'READ_ONCE(*(int *)('.repeat(200)}p${'))'.repeat(200)}; }\n`,
      // Small fuzz cases (a large one can be a parse that runs out of its budget).
      ...Array.from({ length: 6 }, (_, k) => fuzzCase(7, k)).filter((text) => text.length < 50_000),
    ];
    const same = (a: SyntaxNode | null, b: SyntaxNode | null): string =>
      a === null || b === null ? String(a === b) : `${a.type === b.type && a.startIndex === b.startIndex && a.endIndex === b.endIndex}`;
    let words = 0;
    const wrong: string[] = [];
    for (const text of texts) {
      const parsed = parseC(text);
      if (!parsed.ok) continue;
      const root = parsed.tree.rootNode;
      const locator = new Locator(root);
      for (const match of text.matchAll(/\b[A-Za-z_]\w*/g)) {
        const start = match.index;
        // Every third range runs past its word into the next token, where descendantForIndex stops higher.
        const end = Math.min(text.length, start + match[0].length + (words % 3 === 2 ? 3 : 0));
        const expected = root.descendantForIndex(start, end);
        const type = locator.moveTo(start, end);
        if (type !== expected.type || same(locator.node(), expected) !== 'true') wrong.push(`${start}: ${type}`);
        // Asked of every other word only, so the next move starts from the parent as often as from the node.
        else if (words % 2 === 0 && same(locator.parent(), expected.parent) !== 'true') wrong.push(`${start}: parent`);
        words++;
      }
    }
    expect(wrong).toEqual([]);
    expect(words).toBeGreaterThan(2_000);
  });

  it('splits nested argument lists innermost first as each alone would split', () => {
    const text = [
      'void f(int *p, int *q)',
      '{',
      '\tWRITE_ONCE(*p, g(READ_ONCE(*q), "(,", \')\', READ_ONCE(q[READ_ONCE(*p)])));',
      '\tsmp_store_release(p, READ_ONCE(*READ_ONCE(&q)) + (1, 2));',
      '\tcmpxchg(p, READ_ONCE(*q), 1);',
      // The comment's `)` unbalances the inner list, so the outer scan reads it through, as it always did.
      '\tWRITE_ONCE(*p, READ_ONCE(*q /* ) */), 3);',
      '}',
    ].join('\n');
    const model = buildFileModel('nested.c', text);
    expect(model.sites).toHaveLength(11);
    for (const site of model.sites) {
      const open = text.indexOf('(', site.nameRange.end);
      expect(site.args).toEqual(splitArguments(text, open, site.range.end));
    }
    const outer = model.sites.find((site) => site.name === 'WRITE_ONCE');
    expect(outer?.args.map((arg) => text.slice(arg.start, arg.end))).toEqual(['*p', 'g(READ_ONCE(*q), "(,", \')\', READ_ONCE(q[READ_ONCE(*p)]))']);
  });

  it('names the function above a site from the text as a plain scan of the 2,000 lines above does', () => {
    // The scan NamesFromText memoises: the nearest kernel-style name line above the site's, at most 2,000 lines up.
    const scan = (text: string, offset: number): string | undefined => {
      const head = /^(?![#\s{}/*])[^;=]*?\b([A-Za-z_]\w*)\s*\([^;]*$/;
      let end = text.lastIndexOf('\n', offset);
      for (let scanned = 0; end > 0 && scanned < 2000; scanned++) {
        const start = text.lastIndexOf('\n', end - 1) + 1;
        const match = head.exec(text.slice(start, end));
        if (match !== null && !['if', 'for', 'while', 'switch', 'return', 'sizeof'].includes(match[1] ?? '')) return match[1];
        end = start - 1;
      }
      return undefined;
    };
    const texts = [
      readFileSync(path.join(fixtures, 'broken.c'), 'utf8'),
      kernelStyleFile(300, 5),
      // A name line far above: found at 2,000 lines, not at 2,001.
      `static int far(int x)\n${'\tx++;\n'.repeat(1999)}\tsmp_mb();\n${'\tx++;\n'.repeat(5)}\tsmp_mb();\n`,
      ...Array.from({ length: 6 }, (_, k) => fuzzCase(9, k)).filter((text) => text.length < 50_000),
    ];
    let named = 0;
    for (const text of texts) {
      const names = new NamesFromText(text);
      // Ascending and then descending offsets, so answers are read both before and after their lines are memoised.
      const offsets = [...text.matchAll(/\b(?:smp_\w+|READ_ONCE|WRITE_ONCE)\b/g)].map((match) => match.index);
      for (const offset of [...offsets, ...offsets.reverse()]) {
        const expected = scan(text, offset);
        expect(names.at(offset), `${offset}`).toBe(expected);
        if (expected !== undefined) named++;
      }
    }
    expect(named).toBeGreaterThan(100);
    const far = texts[2]!;
    expect(new NamesFromText(far).at(far.indexOf('smp_mb'))).toBe('far');
    expect(new NamesFromText(far).at(far.lastIndexOf('smp_mb'))).toBeUndefined();
  });
});
