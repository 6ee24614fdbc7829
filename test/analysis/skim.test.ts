// Tests of skimming: the lexer's top-level bodies, which bodies a parse leaves out, and that the model from a parse
// without them is the model from the full parse.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFileModel } from '../../server/src/analysis/model';
import { parseC } from '../../server/src/analysis/parse';
import { skim, topLevelBodies } from '../../server/src/analysis/skim';
import { lineStarts } from '../../server/src/analysis/text';

/** The names of the functions whose bodies skim leaves out: the first word before a `(` in each head. */
const skippedNames = (text: string): string[] =>
  (skim(text, lineStarts(text))?.skipped ?? []).map((body) => /(\w+)\s*\(/.exec(text.slice(body.head, body.open).replace(/__attribute__\(\(\w+\)\)/, ''))?.[1] ?? '?');

/** The full parse's model, which a skimmed one must equal. */
const fullModel = (file: string, text: string): ReturnType<typeof buildFileModel> => buildFileModel(file, text, parseC(text));

describe('topLevelBodies', () => {
  it('finds bodies after a parenthesis, past braces in comments, strings, characters and directives', () => {
    const text = [
      '#define OPEN {',
      'struct s { int a; };',
      'static int table[] = { 1, 2 };',
      '/* { */ int f(int x) // }',
      '{',
      '\tchar *s = "}{";',
      "\tchar c = '}';",
      '\treturn x; /* } */',
      '}',
      'void g(void) __releases(l) { h(); }',
    ].join('\n');
    const bodies = topLevelBodies(text)!;
    expect(bodies.map((body) => text.slice(body.open, body.close + 1).split('\n')[0])).toEqual(['{', '{ h(); }']);
    expect(bodies[0]!.comments.map(([start, end]) => text.slice(start, end))).toEqual(['/* } */']);
    expect(text.slice(bodies[1]!.head, bodies[1]!.open).trim()).toBe('void g(void) __releases(l)');
  });

  it('gives a line comment its newline, so a parse of ranges does not run it on', () => {
    const text = 'void f(void)\n{\n\t// one\n\tg();\n}\n';
    const [body] = topLevelBodies(text)!;
    expect(body!.comments.map(([start, end]) => text.slice(start, end))).toEqual(['// one\n']);
  });

  it('gives up on braces that do not balance', () => {
    expect(topLevelBodies('void f(void) { {')).toBeUndefined();
    expect(topLevelBodies('}')).toBeUndefined();
  });
});

describe('skim', () => {
  const code = [
    'struct obj { int a; int b; };',
    'static int quiet(int x)',
    '{',
    '\t/* a comment that stays */',
    '\treturn x + 1; // and a line comment',
    '}',
    'void publish(struct obj *o) { o->a = 1; smp_wmb(); WRITE_ONCE(o->b, 1); }',
    'static void fenced(void) { barrier(); }',
    'static void records(void) { struct local { int c; } l; use(&l); }',
    'static void conditional(void)',
    '{',
    '#ifdef CONFIG_X',
    '\tx();',
    '#endif',
    '}',
    'static struct obj *make(void) { struct obj *o = alloc(); o->a = 1; return o; }',
    'void caller(struct obj *o) { publish(o); }',
    'static int helper(struct obj *o) { return o->a; }',
    'int reader(struct obj *o) { if (READ_ONCE(o->b)) return helper(o); return 0; }',
    'SYSCALL_DEFINE1(quietcall, int, x) { pr_debug("a body long enough to be worth leaving out\\n"); return quiet(x); }',
  ].join('\n');

  it('leaves out only bodies no analysis reads, and long enough to be worth a range of their own', () => {
    // Not left out: sides and their callers and callees (publish, caller, reader, helper), a hand-off (make), a body
    // with a site (barrier()), with a struct definition, or with a conditional directive.
    expect(skippedNames(code)).toEqual(['quiet', 'SYSCALL_DEFINE1']);
  });

  it('gives the full parse model', () => {
    expect(buildFileModel('a.c', code)).toEqual(fullModel('a.c', code));
  });

  it('parses everything when the text misjudged a function', () => {
    // The text takes only the last of `volatile int x, y;` for volatile, so it leaves out reader()'s body; the tree
    // knows x is volatile too, and walks reader().
    const text = 'struct s { volatile int x, y; };\nint reader(struct s *o)\n{\n\tprintk(KERN_DEBUG \"a statement that makes this body worth leaving out\\n\");\n\treturn o->x;\n}\n';
    expect(skippedNames(text)).toEqual(['reader']);
    const model = buildFileModel('b.c', text);
    expect(model.functions.map((fn) => fn.name)).toEqual(['reader']);
    expect(model).toEqual(fullModel('b.c', text));
  });

  it('reads a head past attributes and the macros before it', () => {
    // start() returns a pointer no one in the file takes: a hand-off, walked, so its body stays in.
    const handOff = 'NOKPROBE_SYMBOL(h)\nstatic struct obj *__attribute__((cold)) start(void) __acquires(l)\n{\n\tprintk(KERN_DEBUG \"a statement that makes this body worth leaving out\\n\");\n\treturn g();\n}\n';
    expect(skippedNames(handOff)).toEqual([]);
    const quiet = handOff.replace('struct obj *', 'int ');
    expect(skippedNames(quiet)).toEqual(['NOKPROBE_SYMBOL']);
    expect(buildFileModel('c.c', quiet)).toEqual(fullModel('c.c', quiet));
  });

  it('keeps comments in non-ASCII text and after line comments in left-out bodies', () => {
    const text = 'static int a(int x)\n{\n\t// 获取目标指令\n\tprintk(KERN_DEBUG \"a statement that makes this body worth leaving out\\n\");\n\treturn g(x); /* 检测 */\n}\n/* 检测函数调用 */\nvoid b(void) { smp_mb(); }\n';
    expect(skippedNames(text)).toEqual(['a']);
    const model = buildFileModel('c.c', text);
    expect(model).toEqual(fullModel('c.c', text));
    expect(model.comments.map((comment) => comment.text)).toEqual(['// 获取目标指令', '/* 检测 */', '/* 检测函数调用 */']);
  });

  it('gives the full parse model on every example', () => {
    const dir = path.resolve(__dirname, '../../examples');
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.c'))) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      expect(buildFileModel(name, text), name).toEqual(fullModel(name, text));
    }
  });
});
