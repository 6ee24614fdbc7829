// Tests of the C front end: UTF-16 offsets, refusal of binary and oversized input, no throw on malformed C.
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, parseC } from '../../server/src/analysis/parse';

describe('parseC', () => {
  it('gives node offsets in UTF-16 code units, as JavaScript strings index text', () => {
    const text = '/* é😀 */ void f(void) { smp_mb(); }\n';
    const result = parseC(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const call = result.tree.rootNode.descendantsOfType('call_expression')[0];
    expect(call).toBeDefined();
    expect(text.slice(call!.startIndex, call!.endIndex)).toBe('smp_mb()');
  });

  it('refuses binary input with a reason', () => {
    const result = parseC('int x;\0\x01\x02');
    expect(result).toEqual({ ok: false, reason: 'binary file' });
  });

  it('refuses input over the size limit with a reason', () => {
    const result = parseC('x'.repeat(MAX_TEXT_LENGTH + 1));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/larger than/);
  });

  it('forgets a parse abandoned at its budget: the next text gets its own tree', () => {
    // A text of a few thousand functions takes far longer than 0 ms to parse, so its parse is abandoned.
    const long = 'static void f(int *p)\n{\n\tif (p)\n\t\tsmp_store_release(p, 1);\n}\n'.repeat(4000);
    expect(parseC(long, undefined, undefined, 0)).toEqual({ ok: false, reason: 'parsing took longer than 0 ms' });
    const next = parseC('int x;\n');
    expect(next.ok).toBe(true);
    if (next.ok) expect([next.tree.rootNode.endIndex, next.tree.rootNode.toString()]).toEqual([7, '(translation_unit (declaration type: (primitive_type) declarator: (identifier)))']);
  });

  it.each([
    ['unbalanced braces', 'void f(void) { if (x) { smp_mb(); '],
    ['stray tokens', '@@@ $$$ ``` #if\n#endif #endif )))'],
    ['empty', ''],
    ['only a preprocessor line', '#define X(a) a ## \\\n'],
  ])('returns a tree with errors, not an exception, for %s', (_name, text) => {
    const result = parseC(text);
    expect(result.ok).toBe(true);
  });
});
