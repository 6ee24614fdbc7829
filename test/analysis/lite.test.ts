// Tests of the plain copy the walker reads: node for node, it must say what tree-sitter's own nodes say, though it
// asks the tree for far fewer of its offsets (analysis/lite.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import C from 'tree-sitter-c';
import { describe, expect, it } from 'vitest';
import { definitionHead, liteTree, type CNode } from '../../server/src/analysis/lite';
import { returnsPointer } from '../../server/src/analysis/events';
import { extractionNodes } from '../../server/src/analysis/model';
import { parseC, type SyntaxNode } from '../../server/src/analysis/parse';
import { functionDefinitionName } from '../../server/src/analysis/sites';
import { typeBase } from '../../server/src/analysis/types-index';

interface Shape {
  type: string;
  start: number;
  end: number;
  text: string;
  field: string | null;
  named: number;
  children: Shape[];
}

/** What the walker can read of a node, with each child's field name as its parent reports it. */
function shape(node: CNode, field: string | null, fieldOf: (parent: CNode, index: number) => string | null): Shape {
  return {
    type: node.type,
    start: node.startIndex,
    end: node.endIndex,
    text: node.text,
    field,
    named: node.namedChildren.length,
    children: node.children.map((child, index) => shape(child, fieldOf(node, index), fieldOf)),
  };
}

const nativeField = (parent: CNode, index: number): string | null => (parent as SyntaxNode).fieldNameForChild(index) ?? null;

/** Every field name of the grammar. */
const FIELDS = [...new Set(C.nodeTypeInfo.flatMap((info) => ('fields' in info ? Object.keys(info.fields) : [])))];

/** A copy's field name of a child, read back through childrenForFieldName (the copy keeps them per child). */
function copiedField(parent: CNode, index: number): string | null {
  const child = parent.children[index]!;
  return FIELDS.find((name) => parent.childrenForFieldName(name).includes(child)) ?? null;
}

/** The function definitions of a text, parsed whole. */
function definitionsOf(text: string): SyntaxNode[] {
  const parsed = parseC(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return extractionNodes(parsed.tree.rootNode).definitions;
}

function compareDefinitions(text: string): number {
  const definitions = definitionsOf(text);
  for (const definition of definitions) {
    const copy = liteTree(definition, definition.text);
    expect(shape(copy, null, copiedField)).toEqual(shape(definition, null, nativeField));
  }
  return definitions.length;
}

describe('liteTree', () => {
  it('copies offsets, types, fields and text of every node, tokens and directives included', () => {
    const text = [
      'static int f(struct s *p, int n)',
      '{',
      '\tint i = 0, *q = &n;',
      '#  ifdef CONFIG_X',
      '\tWRITE_ONCE(p->flag, 1);\t/* after the data */',
      '#endif',
      '#define LOCAL(x) ((x) + \\',
      '\t\t1)',
      '\tfor (i = 0; i < n; i++) {',
      '\t\tif (p->a[i] >= 2 && !q)',
      '\t\t\tcontinue;',
      '\t\telse',
      '\t\t\tp->b = (long)sizeof(*p) ? p->c.d : -1;',
      '\t}',
      '\t\f',
      '\tswitch (n) { case 1: goto out; default: break; }',
      'out:',
      '\treturn smp_load_acquire(&p->flag) ?: "s" "t"[0];',
      '}',
    ].join('\n');
    expect(compareDefinitions(text)).toBe(1);
  });

  it('copies trees with errors and missing tokens, whose tokens are not all their text', () => {
    const text = ['int f(int x)', '{', '\tx = (x + 1;', '\tif (x) { y = x }', '\treturn x', '}', 'void g(void) { a(; b(); }'].join('\n');
    expect(compareDefinitions(text)).toBe(2);
  });

  it('copies words with characters outside ASCII, escapes (`\\u00e9`) and `$`', () => {
    const text = ['int f(int a$b)', '{', '\tint caf\u00e9 = a$b, \u00e9t\u00e9 = 1;', '\tint naïve = café + été;', '\treturn naïve;', '}'].join('\n');
    expect(compareDefinitions(text)).toBe(1);
  });

  it('copies the functions of the examples', () => {
    const root = path.resolve(__dirname, '../../examples');
    let definitions = 0;
    for (const name of readdirSync(root).filter((entry) => entry.endsWith('.c'))) definitions += compareDefinitions(readFileSync(path.join(root, name), 'utf8'));
    expect(definitions).toBeGreaterThan(20);
  });
});

/** What relevance read of a head through node objects before definitionHead. */
function headThroughNodes(definition: SyntaxNode): ReturnType<typeof definitionHead> {
  const body = definition.childForFieldName('body');
  return {
    name: functionDefinitionName(definition),
    returnBase: typeBase(definition.childForFieldName('type')),
    returnsPointer: returnsPointer(definition),
    body: body === null ? undefined : { start: body.startIndex, end: body.endIndex },
  };
}

function compareHeads(text: string): number {
  const definitions = definitionsOf(text);
  for (const definition of definitions) expect(definitionHead(definition)).toEqual(headThroughNodes(definition));
  return definitions.length;
}

describe('definitionHead', () => {
  it('reads name, return type, pointer return and body as the node objects do', () => {
    const text = [
      'static struct foo *get(void) { return 0; }',
      'union u  pick(int n) { }',
      'enum { A, B } which(void) { return A; }',
      'int (*handler(int sig))(void) { return 0; }',
      'unsigned   long\n  \tcount(void) { return 1; }',
      'static inline int __must_check checked(void) { return 0; }',
      '__attribute__((noinline)) void cold(void) { }',
      'SYSCALL_DEFINE1(close, unsigned int, fd) { return 0; }',
      'void MACRO(name)(void) { }',
      'struct { int x; } anon(void) { }',
      'long **deep(void) { return 0; }',
      'int f(x) int x; { return x; }',
      'int broken(int a { return a; }',
    ].join('\n');
    expect(compareHeads(text)).toBeGreaterThan(10);
  });

  it('reads the heads of the examples as the node objects do', () => {
    const root = path.resolve(__dirname, '../../examples');
    let definitions = 0;
    for (const name of readdirSync(root).filter((entry) => entry.endsWith('.c'))) definitions += compareHeads(readFileSync(path.join(root, name), 'utf8'));
    expect(definitions).toBeGreaterThan(20);
  });
});
