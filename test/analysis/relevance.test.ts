// Tests of the relevance prefilter: which functions are walked, what a stub keeps, and that skipping the rest
// changes no finding.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFunctions } from '../../server/src/analysis/events';
import { Workspace } from '../../server/src/analysis/index';
import { buildFileModel, type FileModel } from '../../server/src/analysis/model';
import { parseC } from '../../server/src/analysis/parse';

/** The model with every function walked, as before the prefilter. */
function walkingAll(file: string, text: string): FileModel {
  const model = buildFileModel(file, text);
  const parsed = parseC(text);
  if (!parsed.ok) return model;
  const definitions = parsed.tree.rootNode.descendantsOfType('function_definition');
  return { ...model, functions: extractFunctions(definitions, file, model.sites, model.declarations.globals), stubs: [] };
}

const code = [
  'struct obj { int a; int b; };',
  'static void helper(struct obj *o) { o->a = 1; }',
  'static void locked_helper(struct obj *o) { o->b = 2; }',
  'static void other(struct obj *o) { o->b = 3; }',
  'void publish(struct obj *o) { helper(o); smp_wmb(); WRITE_ONCE(o->b, 1); }',
  'int get(struct obj *o) { return READ_ONCE(o->b); }',
  'void caller(struct obj *o) { int v = get(o); if (v == other_value(o)) publish(o); }',
  'void plain_caller(struct obj *o) { o->a = 2; publish(o); }',
  'struct obj *make(void) { struct obj *o = alloc(); o->a = 1; return o; }',
  'static struct obj *lookup(struct obj *o) { o->a = 3; return o; }',
  'irqreturn_t obj_irq_handler(int irq, void *data) { return IRQ_HANDLED; }',
  'void unrelated(struct obj *o, spinlock_t *l)',
  '{',
  '\tspin_lock(l);',
  '\tlocked_helper(o); /* not_a_call() in a comment */',
  '\tspin_unlock(l);',
  '\tother(lookup(o));',
  '\tif (o->a)',
  '\t\treturn;',
  '}',
  '',
].join('\n');

describe('relevance', () => {
  it('walks functions with ordering, their callers and callees in the file, hand-offs and handlers; stubs the rest', () => {
    const model = buildFileModel('obj.c', code);
    expect(model.functions.map((fn) => fn.name)).toEqual(['helper', 'publish', 'get', 'caller', 'plain_caller', 'make', 'obj_irq_handler']);
    // lookup() returns a pointer, but to a caller in the file: that caller, not lookup(), would hand it off.
    expect(model.stubs.map((stub) => stub.name)).toEqual(['locked_helper', 'other', 'lookup', 'unrelated']);
    // Helpers walked only to be inlined get no flow of their own.
    expect(model.functions.filter((fn) => fn.inlineOnly === true).map((fn) => fn.name)).toEqual(['helper']);
  });

  it('keeps a stub\'s calls in order with the lock held at each, and no words from comments or keywords', () => {
    const stub = buildFileModel('obj.c', code).stubs.find((candidate) => candidate.name === 'unrelated');
    expect(stub?.calls).toEqual([
      ['locked_helper', true],
      ['other', false],
      ['lookup', false],
    ]);
  });

  it('walks a function that reads a volatile field of the file', () => {
    const text = 'struct w { volatile int ready; };\nint poll(struct w *w) { return w->ready; }\nint idle(struct w *w) { return 0; }\n';
    const model = buildFileModel('w.c', text);
    expect(model.functions.map((fn) => fn.name)).toEqual(['poll']);
  });

  it('walks a critical section when the file waits on a lock, so the lock-wait pattern pairs', () => {
    const text = [
      'struct obj { spinlock_t lock; int a; };',
      'void holder(struct obj *o) { spin_lock(&o->lock); o->a = 1; spin_unlock(&o->lock); }',
      'int waiter(struct obj *o) { while (spin_is_locked(&o->lock)) cpu_relax(); return o->a; }',
      '',
    ].join('\n');
    const workspace = new Workspace();
    workspace.setFile('lock.c', text);
    expect(workspace.model('lock.c')?.functions.map((fn) => fn.name)).toEqual(['holder', 'waiter']);
    expect(workspace.findings('lock.c').map((finding) => finding.ruleId)).toEqual(['missing-barrier']);
    // Without a waiter in the file, a critical section alone is no side.
    expect(buildFileModel('plain.c', text.replace(/int waiter[^\n]*\n/, '')).functions).toEqual([]);
  });

  it('changes no finding on the examples', () => {
    const dir = path.resolve(__dirname, '../../examples');
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.c'))
      .map((name) => [path.join(dir, name), readFileSync(path.join(dir, name), 'utf8')] as const);
    const filtered = new Workspace();
    const full = new Workspace();
    for (const [file, text] of files) {
      filtered.setFile(file, text);
      full.setModel(walkingAll(file, text));
    }
    const strip = (workspace: Workspace, file: string): string[] =>
      workspace.findings(file).map((finding) => `${finding.ruleId} ${finding.range.start} ${finding.message}`);
    let total = 0;
    for (const [file] of files) {
      expect(strip(filtered, file)).toEqual(strip(full, file));
      total += strip(full, file).length;
    }
    // The examples have findings (the seeds' before versions), so the comparison compares something.
    expect(total).toBeGreaterThan(5);
    expect(filtered.stats().pairs).toBe(full.stats().pairs);
  });
});
