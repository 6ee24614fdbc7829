// Litmus front end: the C litmus dialect herd7 reads, and located errors for what it cannot read.
import { describe, expect, it } from 'vitest';
import { LitmusSyntaxError, parseLitmus } from '../../server/src/simulator/index';

function parseError(text: string): LitmusSyntaxError {
  try {
    parseLitmus(text, 't.litmus');
  } catch (error) {
    if (error instanceof LitmusSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('parseLitmus', () => {
  it('reads header, preamble, init block, processes and condition', () => {
    const test = parseLitmus(
      `C my-test
"doc string"
Cycle=Rfe PodRR Fre
(* an OCaml comment *)
{
  int *p = &y;
  x = 2; // a C comment
  0:r9 = 3;
  atomic_t z;
}

P0(int *x, int **p)
{
  int r0;
  int *r1 = READ_ONCE(*p);

  r0 = (int)*r1 + 1;
  if (r0 == 1 && !r0) { WRITE_ONCE(*x, -1); } else smp_mb();
}

locations [x; 0:r9]
filter (0:r0=1)
~exists (0:r0=1 /\\ (x=2 \\/ not (0:r1=y)))`,
    );
    expect(test.name).toBe('my-test');
    expect(test.init.map((i) => [i.proc, i.name, i.value])).toEqual([
      [undefined, 'p', 'y'],
      [undefined, 'x', 2],
      [0, 'r9', 3],
      [undefined, 'z', 0],
    ]);
    expect(test.processes).toHaveLength(1);
    expect(test.processes[0]!.params.map((p) => p.name)).toEqual(['x', 'p']);
    expect(test.processes[0]!.body.map((s) => s.kind)).toEqual(['decl', 'decl', 'assign', 'if']);
    expect(test.locations).toEqual([
      { kind: 'mem', name: 'x' },
      { kind: 'reg', proc: 0, name: 'r9' },
    ]);
    expect(test.filter).toEqual({ kind: 'atom', loc: { kind: 'reg', proc: 0, name: 'r0' }, value: 1 });
    expect(test.quantifier).toBe('~exists');
    expect(test.condition.kind).toBe('and');
  });

  it('treats (* as C inside a process body', () => {
    const test = parseLitmus('C t\n{}\nP0(int *x)\n{\n  int r0 = READ_ONCE((*x));\n}\nexists (0:r0=0)');
    expect(test.processes[0]!.body[0]).toMatchObject({ kind: 'decl', init: { kind: 'call', name: 'READ_ONCE' } });
  });

  it('names an unknown primitive with its position', () => {
    const e = parseError('C t\n{}\nP0(int *x)\n{\n\tsmp_mb__before_llsc();\n}\nexists (x=0)');
    expect([e.line, e.col]).toEqual([5, 2]);
    expect(e.message).toBe("t.litmus:5:2: unknown primitive 'smp_mb__before_llsc': it is not a primitive of linux-kernel.def");
  });

  it('rejects a barrier.h primitive the model does not define', () => {
    expect(parseError('C t\n{}\nP0(int *x)\n{\n  smp_read_barrier_depends();\n}\nexists (x=0)').detail).toMatch(
      /'smp_read_barrier_depends': it is not defined by linux-kernel.def/,
    );
  });

  it('checks the arity of primitives', () => {
    expect(parseError('C t\n{}\nP0(int *x)\n{\n  WRITE_ONCE(*x);\n}\nexists (x=0)').detail).toBe('WRITE_ONCE takes 2 arguments, not 1');
  });

  it('locates syntax errors', () => {
    const e = parseError('C t\n{}\nP0(int *x)\n{\n  WRITE_ONCE(*x, 1)\n}\nexists (x=0)');
    expect([e.line, e.col, e.detail]).toEqual([6, 1, "expected ';' but found '}'"]);
    expect(parseError('C t\n{}\nP0(int *x)\n{\n}\nexits (x=0)').detail).toMatch(/expected 'exists'/);
    expect(parseError('{}').detail).toMatch(/expected 'C <name>' header/);
    expect(parseError('C t\n{}\nP1(int *x)\n{\n}\nexists (x=0)').detail).toBe('expected P0 but found P1');
    expect(parseError('C t\n{}\nP0(int *x)\n{\n  while (1) ;\n}\nexists (x=0)').detail).toBe("'while' is not supported in litmus processes");
    expect(parseError('C t\n(* unterminated\n{}').detail).toBe('unterminated comment');
  });
});
