// The fuzzer behind `npm run fuzz` and test/scale: mutated kernel-style C through the indexer and every rule, checking
// that no exception escapes and no file exceeds its time budget.
import { Workspace } from '../server/src/analysis/index';
import { FILE_BUDGET_MS, indexFiles, type IndexInput, type IndexOutcome } from '../server/src/index/pool';
import { kernelStyleFile, random } from './generate';

type Mutation = (text: string, next: () => number) => string;

const at = (text: string, next: () => number): number => Math.floor(next() * (text.length + 1));

/** Fragments that break C in the ways real trees do: unbalanced braces, macros, stray comments and quotes, junk bytes. */
const fragments = [
  '{', '}', '(', ')', ';', '"', "'", '/*', '*/', '//', '\\\n', '#define F(a) \\\n\tsmp_mb(); \\\n', '#if 0\n', '#endif\n',
  '#else\n', 'smp_mb(', 'READ_ONCE(', 'WRITE_ONCE(x, ', 'goto out;', 'out:', 'do {', '} while (0)', '->', '\0', '\uFFFD',
  'é', '\t', '\n', 'struct s {', 'static inline', '__attribute__((x))', 'asm volatile("" ::: "memory");', '?:', '[',
];

/** Wraps a span in `depth` levels of one nesting construct, deeper than any hand-written code goes. */
function nest(text: string, next: () => number): string {
  const depth = 50 + Math.floor(next() * 950);
  const kinds: Array<[string, string]> = [
    ['(', ')'],
    ['{ ', ' }'],
    ['if (x) { ', ' }'],
    ['READ_ONCE(', ')'],
    ['F(', ')'],
    ['smp_load_acquire(&', ')'],
  ];
  const [open, close] = kinds[Math.floor(next() * kinds.length)] ?? ['(', ')'];
  const where = at(text, next);
  return `${text.slice(0, where)}${open.repeat(depth)}x${close.repeat(depth)}${text.slice(where)}`;
}

const mutations: Mutation[] = [
  // Delete a span.
  (text, next) => {
    const start = at(text, next);
    return text.slice(0, start) + text.slice(start + Math.floor(next() * 400));
  },
  // Copy a span somewhere else.
  (text, next) => {
    const start = at(text, next);
    const span = text.slice(start, start + Math.floor(next() * 400));
    const where = at(text, next);
    return text.slice(0, where) + span + text.slice(where);
  },
  // Insert a breaking fragment.
  (text, next) => {
    const where = at(text, next);
    return text.slice(0, where) + (fragments[Math.floor(next() * fragments.length)] ?? '') + text.slice(where);
  },
  // Cut the file short.
  (text, next) => text.slice(0, at(text, next)),
  nest,
  // One very long line.
  (text, next) => {
    const where = at(text, next);
    return `${text.slice(0, where)}${'a = b + c; '.repeat(2000 + Math.floor(next() * 20000))}${text.slice(where)}`;
  },
  // A macro calling a macro calling a macro..., each with a barrier in its body.
  (text, next) => {
    const depth = 20 + Math.floor(next() * 5000);
    const lines = Array.from({ length: depth }, (_, i) => `#define M${i}(x) do { smp_wmb(); M${i + 1}(x); } while (0)`);
    return `${lines.join('\n')}\n${text}`;
  },
  // A function of statements nested thousands deep, each with a primitive: looking a site up in the tree once cost
  // its depth, and this took quadratic time.
  (text, next) => {
    const depth = 1000 + Math.floor(next() * 11000);
    const line = text.indexOf('\n', at(text, next));
    const where = line < 0 ? text.length : line + 1;
    const body = `${'\tif (READ_ONCE(*p)) {\n'.repeat(depth)}\tsmp_wmb();\n${'\t}\n'.repeat(depth)}`;
    return `${text.slice(0, where)}void deep(int *p)\n{\n${body}}\n${text.slice(where)}`;
  },
  // Hundreds to thousands of functions publishing through one field and as many reading it: every writer pairs with
  // every reader, millions of pairs, unless pairing bounds the pairs of a side.
  (text, next) => {
    const count = 200 + Math.floor(next() * 2300);
    const lines = ['struct fz { int flag; int data; };'];
    for (let k = 0; k < count; k++) {
      lines.push(`void fz_w${k}(struct fz *p) { WRITE_ONCE(p->data, ${k}); smp_wmb(); WRITE_ONCE(p->flag, 1); }`);
      lines.push(`int fz_r${k}(struct fz *p) { if (READ_ONCE(p->flag)) { smp_rmb(); return READ_ONCE(p->data); } return 0; }`);
    }
    return `${text}\n${lines.join('\n')}\n`;
  },
];

/** Case `index` of the run seeded `seed`: a generated file with one to four mutations. */
export function fuzzCase(seed: number, index: number): string {
  const next = random(seed * 1_000_003 + index);
  let text = kernelStyleFile(60 + Math.floor(next() * 300), seed + index);
  const count = 1 + Math.floor(next() * 4);
  for (let i = 0; i < count; i++) text = (mutations[Math.floor(next() * mutations.length)] ?? nest)(text, next);
  return text;
}

export interface FuzzFailure {
  index: number;
  reason: string;
}

/** Where a run stands: reported every `progressEvery` cases and, in full, at the end. */
export interface FuzzProgress {
  /** Cases finished so far. */
  done: number;
  failures: FuzzFailure[];
  /**
   * Cases the product refused as it should for bad input (binary, or parsing past its budget), with the reason: not
   * failures, but a parse-budget refusal means a case whose parse alone ran for seconds.
   */
  refusals: FuzzFailure[];
  /** The slowest case so far, summary and rules together, in milliseconds, and its index (-1 before the first). */
  slowestMs: number;
  slowestIndex: number;
  /**
   * The case that cost the most CPU, in milliseconds, and its index; measured only with one job, where the process does
   * nothing else while a case runs (a loaded machine stretches wall time, not CPU time). -1 when not measured. The
   * first case, and a case after one the pool stopped, also carry the start of a worker thread.
   */
  costliestCpuMs: number;
  costliestIndex: number;
  /** Wall time since the run started. */
  elapsedMs: number;
  /** CPU time of the whole process (main thread and workers) since the run started. */
  cpuMs: number;
}

export interface FuzzReport extends FuzzProgress {
  cases: number;
  totalMs: number;
}

export interface FuzzOptions {
  seed?: number;
  /** The index of the first case (0 by default), to run one range of a longer run. */
  first?: number;
  jobs?: number;
  budgetMs?: number;
  /** Called after every `progressEvery` cases (250 by default), with the state of the run. */
  onProgress?: (progress: FuzzProgress) => void;
  progressEvery?: number;
  /** Called for each failure as it is found, so a long run shows it before the end. */
  onFailure?: (failure: FuzzFailure) => void;
  /** Called for each refusal as it is found. */
  onRefusal?: (refusal: FuzzFailure) => void;
}

/**
 * The run's inputs as the pool reads them, each case generated when the pool first asks for it and forgotten once its
 * outcome is in, so memory holds only the cases in flight however long the run (10,000 cases held up front took about
 * 900 MB). Generation is deterministic, so a case asked for again is generated again, identical.
 */
function lazyCases(first: number, count: number, seed: number): { inputs: readonly IndexInput[]; forget(input: IndexInput): number } {
  const inFlight = new Map<number, IndexInput>();
  const indexOf = new WeakMap<IndexInput, number>();
  const inputs = new Proxy(new Array<IndexInput>(count), {
    get(target, key, receiver) {
      const index = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : undefined;
      if (index === undefined || index >= count) return Reflect.get(target, key, receiver);
      let input = inFlight.get(index);
      if (input === undefined) {
        input = { path: `fuzz/case-${first + index}.c`, text: fuzzCase(seed, first + index) };
        inFlight.set(index, input);
        indexOf.set(input, index);
      }
      return input;
    },
  });
  return {
    inputs,
    forget(input) {
      const index = indexOf.get(input);
      if (index === undefined) return -1;
      inFlight.delete(index);
      return first + index;
    },
  };
}

/**
 * Runs `count` cases: summaries in the indexer's worker threads (whose budget stops a runaway file), then every rule in
 * this thread. A failure is an error outcome, an exception from the rules, or a case over `budgetMs`; the product's
 * refusals of bad input are counted apart.
 */
export async function fuzz(count: number, options: FuzzOptions = {}): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const budgetMs = options.budgetMs ?? FILE_BUDGET_MS;
  const every = Math.max(1, options.progressEvery ?? 250);
  const { inputs, forget } = lazyCases(options.first ?? 0, count, seed);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const cpuNow = (): number => {
    const cpu = process.cpuUsage(cpuStart);
    return (cpu.user + cpu.system) / 1000;
  };
  const progress: FuzzProgress = { done: 0, failures: [], refusals: [], slowestMs: 0, slowestIndex: -1, costliestCpuMs: 0, costliestIndex: -1, elapsedMs: 0, cpuMs: 0 };
  const measure = (): void => {
    progress.elapsedMs = performance.now() - started;
    progress.cpuMs = cpuNow();
  };
  type Problem = { reason: string; timing: boolean; refusal?: boolean };
  /**
   * Checks one outcome, running the rules on a model; returns what went wrong (`timing` marks a budget overrun) and
   * what the product refused.
   */
  const check = (index: number, outcome: IndexOutcome): Problem[] => {
    if (outcome.kind === 'error') return [{ reason: outcome.message, timing: false }];
    if (outcome.kind === 'skipped') {
      // Refusing binary input is the product working; the pool stopping a file past its budget is a failure.
      return [{ reason: outcome.reason, timing: /longer than/.test(outcome.reason), refusal: !/longer than/.test(outcome.reason) }];
    }
    if (outcome.kind !== 'model') return [];
    const problems: Problem[] = [];
    // A model refused by the parser's own budget (or as binary) is the product bounding its work: counted apart.
    if (outcome.model.refused !== undefined) problems.push({ reason: outcome.model.refused, timing: /longer than/.test(outcome.model.refused), refusal: true });
    const ruleStart = performance.now();
    try {
      const workspace = new Workspace();
      workspace.setModel(outcome.model);
      workspace.findings(outcome.model.file);
    } catch (error) {
      problems.push({ reason: `rules threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, timing: false });
    }
    const caseMs = outcome.ms + (performance.now() - ruleStart);
    if (caseMs > progress.slowestMs) {
      progress.slowestMs = caseMs;
      progress.slowestIndex = index;
    }
    if (caseMs > budgetMs) problems.push({ reason: `took ${Math.round(caseMs)} ms, over the ${budgetMs} ms budget`, timing: true });
    return problems;
  };
  // With one job the CPU between two results is the second case's alone: its generation, summary, decoding and rules.
  const oneJob = options.jobs === 1;
  let cpuAtLast = 0;
  await indexFiles(inputs, {
    jobs: options.jobs,
    budgetMs,
    onResult(input, outcome) {
      const index = forget(input);
      const problems = check(index, outcome);
      let caseCpu: number | undefined;
      if (oneJob) {
        const cpu = cpuNow();
        caseCpu = cpu - cpuAtLast;
        cpuAtLast = cpu;
        if (caseCpu > progress.costliestCpuMs) {
          progress.costliestCpuMs = caseCpu;
          progress.costliestIndex = index;
        }
      }
      for (const { reason, timing, refusal } of problems) {
        // Budgets are wall time, which a loaded machine stretches; the case's CPU tells load from a slow input.
        const failure = { index, reason: timing && caseCpu !== undefined ? `${reason} (${Math.round(caseCpu)} ms CPU)` : reason };
        if (refusal === true) {
          progress.refusals.push(failure);
          options.onRefusal?.(failure);
        } else {
          progress.failures.push(failure);
          options.onFailure?.(failure);
        }
      }
      progress.done++;
      if (options.onProgress !== undefined && progress.done % every === 0 && progress.done < count) {
        measure();
        options.onProgress(progress);
      }
    },
  });
  measure();
  return { ...progress, cases: count, totalMs: progress.elapsedMs };
}
