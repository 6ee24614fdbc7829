// Kernel-style C we generate for benchmarks and fuzzing: structs, locks, lockless publish/consume, macros, error paths.

/** A small deterministic PRNG (mulberry32), so every run of a benchmark or fuzz case sees the same text. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

const writerBarriers = ['smp_wmb();', 'smp_mb();', 'smp_store_release(&q->ready, 1);', 'smp_mb__before_atomic();'];
const readerBarriers = ['smp_rmb();', 'smp_mb();', 'smp_acquire__after_ctrl_dep();'];

/** One function of a few kinds kernel code is full of; `n` makes names unique. */
function kernelFunction(next: () => number, n: number): string[] {
  const kind = Math.floor(next() * 6);
  const comment = next() < 0.5 ? [`\t/* Orders the payload before the flag; pairs with the read side in consume_${n}(). */`] : [];
  switch (kind) {
    case 0:
      return [
        `static void publish_${n}(struct queue_${n % 7} *q, int v)`,
        '{',
        '\tWRITE_ONCE(q->data, v);',
        ...comment,
        `\t${pick(next, writerBarriers)}`,
        '\tWRITE_ONCE(q->flag, 1);',
        '}',
      ];
    case 1:
      return [
        `static int consume_${n}(struct queue_${n % 7} *q)`,
        '{',
        '\tint v;',
        '',
        '\twhile (!READ_ONCE(q->flag))',
        '\t\tcpu_relax();',
        ...comment,
        `\t${pick(next, readerBarriers)}`,
        '\tv = READ_ONCE(q->data);',
        '\treturn v;',
        '}',
      ];
    case 2:
      return [
        `int locked_update_${n}(struct queue_${n % 7} *q, unsigned long flags)`,
        '{',
        '\tint ret = 0;',
        '',
        '\tspin_lock_irqsave(&q->lock, flags);',
        '\tif (q->count >= QUEUE_MAX) {',
        '\t\tret = -EBUSY;',
        '\t\tgoto out_unlock;',
        '\t}',
        '\tq->count++;',
        '\tlist_add_tail(&q->node, &q->head);',
        'out_unlock:',
        '\tspin_unlock_irqrestore(&q->lock, flags);',
        '\treturn ret;',
        '}',
      ];
    case 3:
      return [
        `static void wake_waiter_${n}(struct queue_${n % 7} *q, struct task_struct *t)`,
        '{',
        '\tq->done = 1;',
        ...comment,
        '\tsmp_mb();',
        '\tif (waitqueue_active(&q->wait))',
        '\t\twake_up_process(t);',
        '}',
      ];
    case 4:
      return [
        `static bool get_ref_${n}(struct queue_${n % 7} *q)`,
        '{',
        '\tint old = atomic_read(&q->refs);',
        '',
        '\tdo {',
        '\t\tif (!old)',
        '\t\t\treturn false;',
        '\t} while (!atomic_try_cmpxchg(&q->refs, &old, old + 1));',
        '\tsmp_mb__after_atomic();',
        '\treturn true;',
        '}',
      ];
    default:
      return [
        `void rcu_publish_${n}(struct queue_${n % 7} **slot, struct queue_${n % 7} *q)`,
        '{',
        '\tq->data = 42;',
        '\trcu_assign_pointer(*slot, q);',
        '\tsynchronize_rcu();',
        '\tkfree(q);',
        '}',
      ];
  }
}

/** The preamble: includes, structs, globals and macros with barriers in their bodies. */
function preamble(): string[] {
  const lines = ['// SPDX-License-Identifier: GPL-2.0', '#include <linux/spinlock.h>', '#include <linux/atomic.h>', '', '#define QUEUE_MAX 64', ''];
  for (let s = 0; s < 7; s++) {
    lines.push(
      `struct queue_${s} {`,
      '\tspinlock_t lock;',
      '\tint data;',
      '\tint flag;',
      '\tint ready;',
      '\tint done;',
      '\tint count;',
      '\tatomic_t refs;',
      '\tstruct list_head head, node;',
      '\twait_queue_head_t wait;',
      '};',
      '',
    );
  }
  lines.push(
    '#define publish_flag(q, v)\t\t\t\\',
    'do {\t\t\t\t\t\t\\',
    '\tWRITE_ONCE((q)->data, (v));\t\t\\',
    '\tsmp_wmb();\t\t\t\t\\',
    '\tWRITE_ONCE((q)->flag, 1);\t\t\\',
    '} while (0)',
    '',
  );
  return lines;
}

/** About `lines` lines of kernel-style C (whole functions, so a little more). */
export function kernelStyleFile(lines: number, seed = 1): string {
  const next = random(seed);
  const out = preamble();
  for (let n = 0; out.length < lines; n++) out.push(...kernelFunction(next, n), '');
  return `${out.join('\n')}\n`;
}
