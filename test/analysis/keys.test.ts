// Tests of location keys: one key per location however the code spells it, from declarations across files.
import { describe, expect, it } from 'vitest';
import { buildFlows } from '../../server/src/analysis/pairs';
import { buildFileModel } from '../../server/src/analysis/model';

/** Keys of the accesses of one function, in source order, from files analysed together. */
function keysOf(files: Record<string, string>, fn: string): string[] {
  const flows = buildFlows(Object.entries(files).map(([file, text]) => buildFileModel(file, text)));
  const flow = flows.find((candidate) => candidate.fn.name === fn);
  return (flow?.slots ?? []).flatMap((slot) => (slot.key === undefined ? [] : [slot.key]));
}

const receiver = 'struct msg_msg;\nstruct msg_receiver {\n\tlong r_mode;\n\tstruct msg_msg *r_msg;\n};\n';

describe('location keys', () => {
  it('gives msr->r_msg, msr_d.r_msg and (*msr).r_msg one key', () => {
    const code = `${receiver}void f(struct msg_receiver *msr)\n{\n\tstruct msg_receiver msr_d;\n\n\tlist_add(&msr_d.r_list);\n\tmsr->r_msg = 0;\n\tmsr_d.r_msg = 0;\n\t(*msr).r_msg = 0;\n\tWRITE_ONCE(msr->r_msg, 0);\n}\n`;
    expect(keysOf({ 'a.c': code }, 'f')).toEqual(Array(4).fill('struct msg_receiver::r_msg'));
  });

  it('follows typedefs and nested fields defined in another file of the workspace', () => {
    const header = 'struct inner { int ready; };\ntypedef struct outer_s { struct inner in; int *slots; } outer_t;\n';
    // smp_wmb() makes the function one the analysis walks (relevance.ts); it has no key.
    const code = 'void g(outer_t *o, int i)\n{\n\to->in.ready = 1;\n\to->slots[i] = 2;\n\tsmp_wmb();\n}\n';
    expect(keysOf({ 'o.h': header, 'g.c': code }, 'g')).toEqual(['struct inner::ready', 'struct outer_s::slots']);
  });

  it('keys globals by name (also inside #ifdef), casts and container_of() by their type, and falls back to text', () => {
    const code = [
      'struct item { int v; };',
      '#ifdef CONFIG_X',
      'static int counter;',
      '#endif',
      'void h(void *p, struct list_head *node)',
      '{',
      '\tcounter++;',
      '\t((struct item *)p)->v = 1;',
      '\tcontainer_of(node, struct item, list)->v = 2;',
      '\tunknown_thing->field = 3;',
      '\tsmp_wmb();',
      '}',
      '',
    ].join('\n');
    expect(keysOf({ 'h.c': code }, 'h')).toEqual(['counter', 'struct item::v', 'struct item::v', 'unknown_thing->field']);
  });

  it('does not treat a local struct whose address is never taken as shared', () => {
    const code = `${receiver}void k(void)\n{\n\tstruct msg_receiver tmp;\n\n\ttmp.r_mode = 1;\n}\n`;
    expect(keysOf({ 'k.c': code }, 'k')).toEqual([]);
  });
});
