// Tests of barrier-site extraction: every primitive of the table, macro-heavy code, and code that does not parse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFileModel } from '../../server/src/analysis/model';
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
});
