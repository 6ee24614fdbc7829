// Lean models: what a file that can have no finding keeps for pairing, and the files whose text alone gives it.
import { describe, expect, it } from 'vitest';
import { buildFileModel, leanFromText, leanModel } from '../../server/src/analysis/model';

const macros = ['#ifndef _X_H', '#define _X_H', '#define X_SHIFT 4', '#define X_MASK(n) ((n) << X_SHIFT)', 'extern int x_count;', 'int x_probe(struct device *dev);', '#endif', ''].join('\n');

describe('leanModel', () => {
  it('keeps structs, typedefs and stubs, and drops text, comments and globals', () => {
    const text = ['/* state */', 'struct s { int a; };', 'typedef struct s s_t;', 'int counter;', 'static int f(struct s *p) { return g(p); }', ''].join('\n');
    const lean = leanModel(buildFileModel('s.c', text));
    expect(lean).toMatchObject({ text: '', lineStarts: [], comments: [], declarations: { typedefs: { s_t: { base: 'struct s' } }, globals: {} } });
    expect(Object.keys(lean.declarations.structs['struct s'] ?? {})).toEqual(['a']);
    expect(lean.stubs).toEqual([{ name: 'f', calls: [['g', false]] }]);
  });

  it('leaves a model that can have findings whole', () => {
    const text = 'int flag;\nvoid publish(void) { smp_wmb(); WRITE_ONCE(flag, 1); }\n';
    expect(leanModel(buildFileModel('p.c', text))).toEqual(buildFileModel('p.c', text));
  });
});

describe('leanFromText', () => {
  it('gives the lean model of a parse for a file of macros and prototypes', () => {
    expect(leanFromText('x.h', macros)).toEqual(leanModel(buildFileModel('x.h', macros)));
  });

  it('declines a file with a brace, a typedef or a primitive, which it leaves to the parse', () => {
    for (const text of [
      `${macros}struct t { int b; };\n`,
      `${macros}#define X_INIT { 0 }\n`,
      `${macros}typedef int x_t;\n`,
      `${macros}#define x_publish() smp_wmb()\n`,
      '\0binary',
    ]) {
      expect(leanFromText('x.h', text)).toBeUndefined();
    }
  });
});
