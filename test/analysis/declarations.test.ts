// File-scope declarations (types-index.ts): read through a cursor, they must be what the type index needs from every
// shape of file, the ones the parser could not read as a translation unit included.
import { describe, expect, it } from 'vitest';
import { extractionNodes } from '../../server/src/analysis/model';
import { parseC } from '../../server/src/analysis/parse';
import { collectDeclarations, collectItemDeclarations, type FileDeclarations } from '../../server/src/analysis/types-index';

function declarationsOf(text: string): FileDeclarations {
  const parsed = parseC(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return collectDeclarations(parsed.tree.rootNode, extractionNodes(parsed.tree.rootNode).specifiers);
}

describe('collectDeclarations', () => {
  it('records typedefs and variables with their base types and pointer levels, and no functions', () => {
    const declarations = declarationsOf(
      [
        'typedef struct queue queue_t;',
        'typedef unsigned   long word;',
        'static struct msg_receiver *volatile head, **tail = 0;',
        'extern int ready, table[4];',
        'int prepare(void), *lookup(int key);',
        'int (*hook)(void);',
        'union slot current_slot;',
        '#ifdef CONFIG_X',
        'static long under_config;',
        '#else',
        'static short otherwise;',
        '#endif',
        'void f(void) { int local; }',
      ].join('\n'),
    );
    expect(declarations.typedefs).toEqual({ queue_t: { base: 'struct queue', pointers: 0 }, word: { base: 'unsigned long', pointers: 0 } });
    expect(declarations.globals).toEqual({
      head: { base: 'struct msg_receiver', pointers: 1 },
      tail: { base: 'struct msg_receiver', pointers: 2 },
      ready: { base: 'int', pointers: 0 },
      table: { base: 'int', pointers: 1 },
      current_slot: { base: 'union slot', pointers: 0 },
      under_config: { base: 'long', pointers: 0 },
      otherwise: { base: 'short', pointers: 0 },
    });
  });

  it("reads the root's children when the parser could not read the file as a translation unit", () => {
    const text = 'int first;\n#endif\nfoo(\n{\n#define Y 1\n';
    const parsed = parseC(text);
    expect(parsed.ok && parsed.tree.rootNode.type).toBe('ERROR');
    expect(declarationsOf(text).globals).toEqual({ first: { base: 'int', pointers: 0 } });
  });

  it('gives the same declarations item by item as for the whole file', () => {
    const text = ['struct s { int a; struct s *next; };', 'typedef struct s s_t;', '#if X', 'static s_t *list;', '#endif', 'int n;'].join('\n');
    const parsed = parseC(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { specifiers } = extractionNodes(parsed.tree.rootNode);
    expect(collectItemDeclarations(parsed.tree.rootNode.namedChildren, specifiers)).toEqual(collectDeclarations(parsed.tree.rootNode, specifiers));
    expect(declarationsOf(text).structs['struct s']).toEqual({ a: { type: { base: 'int', pointers: 0 }, volatile: false }, next: { type: { base: 'struct s', pointers: 1 }, volatile: false } });
  });
});
