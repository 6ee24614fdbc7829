// The fuzzer behind `npm run fuzz` and test/scale: mutated kernel-style C through the indexer and every rule, checking
// that no exception escapes and no file exceeds its time budget.
import { Workspace } from '../server/src/analysis/index';
import { FILE_BUDGET_MS, indexFiles, type IndexInput } from '../server/src/index/pool';
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
    const depth = 20 + Math.floor(next() * 200);
    const lines = Array.from({ length: depth }, (_, i) => `#define M${i}(x) do { smp_wmb(); M${i + 1}(x); } while (0)`);
    return `${lines.join('\n')}\n${text}`;
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

export interface FuzzReport {
  cases: number;
  failures: FuzzFailure[];
  /** The slowest case, summary and rules together, in milliseconds. */
  slowestMs: number;
  totalMs: number;
}

/**
 * Runs `count` cases: summaries in the indexer's worker threads (whose budget stops a runaway file), then every rule in
 * this thread. A failure is an error outcome, an exception from the rules, or a case over `budgetMs`.
 */
export async function fuzz(count: number, options: { seed?: number; jobs?: number; budgetMs?: number } = {}): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const budgetMs = options.budgetMs ?? FILE_BUDGET_MS;
  const inputs: IndexInput[] = Array.from({ length: count }, (_, index) => ({ path: `fuzz/case-${index}.c`, text: fuzzCase(seed, index) }));
  const position = new Map(inputs.map((input, index) => [input, index]));
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  const started = performance.now();
  await indexFiles(inputs, {
    jobs: options.jobs,
    budgetMs,
    onResult(input, outcome) {
      const index = position.get(input) ?? -1;
      if (outcome.kind === 'error') {
        failures.push({ index, reason: outcome.message });
        return;
      }
      if (outcome.kind === 'skipped') {
        // Refusing binary input is the product working; running out of time is a failure.
        if (/longer than/.test(outcome.reason)) failures.push({ index, reason: outcome.reason });
        return;
      }
      if (outcome.kind !== 'model') return;
      const ruleStart = performance.now();
      try {
        const workspace = new Workspace();
        workspace.setModel(outcome.model);
        workspace.findings(outcome.model.file);
      } catch (error) {
        failures.push({ index, reason: `rules threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
      }
      const caseMs = outcome.ms + (performance.now() - ruleStart);
      slowestMs = Math.max(slowestMs, caseMs);
      if (caseMs > budgetMs) failures.push({ index, reason: `took ${Math.round(caseMs)} ms, over the ${budgetMs} ms budget` });
    },
  });
  return { cases: count, failures, slowestMs, totalMs: performance.now() - started };
}
