// Which functions of a file can take part in a pair, judged from their text: only those are walked for events; the
// others keep a stub of their calls, which is all pairing reads of them (docs/performance.md, "Relevance").
import { primitive } from '../lkmm/primitives';
import { callKind } from './events';
import { definitionHead } from './lite';
import type { SyntaxNode } from './parse';
import { INLINE_LIMIT, looksLikeHandler } from './pairs';
import type { TextRange } from './types';
import type { FileDeclarations } from './types-index';

/** A function that was not walked: its calls, with whether a lock was held at each (for pairs.ts's lock inference). */
export interface FunctionStub {
  name: string;
  calls: Array<[name: string, locked: boolean]>;
}

export interface Selection {
  /** Definitions to walk, in source order. */
  walk: SyntaxNode[];
  /** Of those, helpers walked only to be inlined: past the inlining limit their events are of no use. */
  maxEvents: Map<SyntaxNode, number>;
  stubs: FunctionStub[];
  /** The bodies of the definitions not walked, start offset to end offset. */
  unwalked: Map<number, number>;
}

const CALL = /\b([A-Za-z_]\w*)\s*\(/g;
/** A comment; an unclosed one runs to the end, in one match (a `"/*"` string per line must not make this quadratic). */
export const COMMENT = /\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*/g;
/** Words followed by `(` that are not calls. */
const NOT_CALLS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', 'alignof', '_Alignof', '__alignof__', 'asm', '__asm__', 'volatile', '__volatile__', 'defined', '__attribute__']);

/** What relevance reads of one definition, from its text alone (analysis/incremental.ts keeps it per definition). */
export interface FunctionScan {
  name: string;
  calls: Array<[string, boolean]>;
  /** Calls something that gives a fence, a marked access, a signal or a receipt. */
  orders: boolean;
  /** Can be a side without any of those: a handler (an IPI's receiving end), or it reads a volatile field. */
  sideByShape: boolean;
  /** Returns a pointer: a hand-off by return, unless some function calls it (pairs.ts's handoffWriters). */
  returnsPointer: boolean;
  /** Takes or drops a lock: a critical section is a side when some function waits on the lock (pairs.ts). */
  locks: boolean;
  /** Reads a lock word locklessly (spin_is_locked(), spin_unlock_wait()). */
  testsLocks: boolean;
  /** Calls an ordering primitive, even one that is no side's anchor (`barrier()`, `rcu_read_lock()`): a site. */
  sites: boolean;
}

/** callKind() by name: a tree calls the same few thousand names over and over, and each test runs a dozen patterns. */
const kinds = new Map<string, ReturnType<typeof callKind>>();

/** What a body's text says of its calls: FunctionScan's part that needs no tree. */
export type BodyCalls = Pick<FunctionScan, 'calls' | 'orders' | 'locks' | 'testsLocks' | 'sites'>;

/** Reads a body's calls in source order, tracking the lock depth as the walker does (events.ts). */
export function scanCalls(body: string): BodyCalls {
  const calls: Array<[string, boolean]> = [];
  let sites = false;
  let orders = false;
  let locks = false;
  let testsLocks = false;
  let depth = 0;
  for (const match of body.replace(COMMENT, ' ').matchAll(CALL)) {
    const name = match[1]!;
    if (NOT_CALLS.has(name)) continue;
    if (!sites && primitive(name) !== undefined) sites = true;
    let kind = kinds.get(name);
    if (kind === undefined) {
      kind = callKind(name);
      kinds.set(name, kind);
    }
    if (kind === 'orders') orders = true;
    else if (kind === 'lock-test') orders = testsLocks = true;
    else if (kind === 'lock') {
      depth++;
      locks = true;
    } else if (kind === 'unlock') {
      depth = Math.max(0, depth - 1);
      locks = true;
    } else if (kind === 'call') calls.push([name, depth > 0]);
  }
  return { calls, orders, locks, testsLocks, sites };
}

/** Matches an access to one of `names` as a field (`->r_msg`); undefined when there is none. */
export function fieldAccessPattern(names: ReadonlySet<string>): RegExp | undefined {
  return names.size === 0 ? undefined : new RegExp(`(?:->|\\.)\\s*(?:${[...names].join('|')})\\b`);
}

/** Matches an access to a volatile field of the file's structs (`->r_msg`); undefined when there is none. */
export function volatileFieldPattern(declarations: FileDeclarations): RegExp | undefined {
  const names = new Set<string>();
  for (const fields of Object.values(declarations.structs)) {
    for (const [name, info] of Object.entries(fields)) if (info.volatile) names.add(name);
  }
  return fieldAccessPattern(names);
}

/**
 * Scans a definition from its parts: what scanFunction reads off the tree, and skim.ts off the text alone. `calls` is
 * scanCalls(bodyText) when the caller has it.
 */
export function scanParts(
  name: string,
  bodyText: string,
  returnBase: string,
  pointer: boolean,
  volatileAccess: RegExp | undefined,
  calls: BodyCalls = scanCalls(bodyText),
): FunctionScan {
  const sideByShape = looksLikeHandler({ name, returnBase }) || (volatileAccess?.test(bodyText) ?? false);
  return { name, ...calls, sideByShape, returnsPointer: pointer };
}

/**
 * Scans one definition; undefined for a definition without a name or a body, which has no events. `known` holds
 * scanCalls results by body offset (skim.ts has read every body already).
 */
export function scanFunction(
  definition: SyntaxNode,
  text: string,
  volatileAccess: RegExp | undefined,
  known?: ReadonlyMap<number, { end: number; calls: BodyCalls }>,
): FunctionScan | undefined {
  return scanDefinition(definition, text, volatileAccess, known)?.scan;
}

/** scanFunction's scan, with the body's range. */
function scanDefinition(
  definition: SyntaxNode,
  text: string,
  volatileAccess: RegExp | undefined,
  known?: ReadonlyMap<number, { end: number; calls: BodyCalls }>,
): { scan: FunctionScan; body: TextRange } | undefined {
  const { name, body, returnBase, returnsPointer } = definitionHead(definition);
  if (name === undefined || body === undefined) return undefined;
  const scanned = known?.get(body.start);
  const calls = scanned !== undefined && scanned.end === body.end ? scanned.calls : undefined;
  return { scan: scanParts(name, text.slice(body.start, body.end), returnBase, returnsPointer, volatileAccess, calls), body };
}

/**
 * A side of a pair needs ordering of its own (a barrier, a marked access, a signal, a receipt), or is a hand-off by
 * return no function of the file calls, an interrupt handler's entry, reads a volatile field, or holds a lock the file
 * waits on. Such functions are walked, and so are the functions of the file that call one with ordering: pairing
 * inlines it into them, and its signal, implied barrier or marked load (a dependency) can anchor a side of theirs. The
 * functions of the file either kind calls are walked up to the inlining limit. Everything else is a stub; callees in
 * other files are inlined only when walked there. `scanned` are a file's definitions in source order, each with its
 * scan.
 */
export function selectScanned<T extends { scan: FunctionScan }>(scanned: readonly T[]): { walk: T[]; maxEvents: Map<T, number>; stubs: FunctionStub[] } {
  const scans = scanned.map((entry) => entry.scan);
  // Where the file waits on a lock, its unlocks are release stores and critical sections are sides (the lock-wait
  // pattern); a waiter in another file is not seen here.
  const lockWaits = scans.some((scan) => scan.testsLocks);
  // A function the file calls hands nothing off by returning: its caller is the one that may.
  const called = new Set(scans.flatMap((scan) => scan.calls.map(([name]) => name)));
  const handsOff = (scan: FunctionScan): boolean => scan.returnsPointer && !called.has(scan.name);
  const relevant = new Set(scans.filter((scan) => scan.orders || scan.sideByShape || handsOff(scan) || (lockWaits && scan.locks)).map((scan) => scan.name));
  const ordering = new Set(scans.filter((scan) => scan.orders).map((scan) => scan.name));
  const sides = new Set(scans.filter((scan) => relevant.has(scan.name) || scan.calls.some(([name]) => ordering.has(name))));
  const callees = new Set([...sides].flatMap((scan) => scan.calls.map(([name]) => name)));
  const walk: T[] = [];
  const maxEvents = new Map<T, number>();
  const stubs: FunctionStub[] = [];
  for (const entry of scanned) {
    const { scan } = entry;
    if (sides.has(scan)) walk.push(entry);
    else if (callees.has(scan.name)) {
      walk.push(entry);
      maxEvents.set(entry, INLINE_LIMIT + 1);
    } else stubs.push({ name: scan.name, calls: scan.calls });
  }
  return { walk, maxEvents, stubs };
}

/**
 * The definitions of a file to walk, in source order, and stubs of the others (see selectScanned); `known` as for
 * scanFunction.
 */
export function selectFunctions(
  definitions: readonly SyntaxNode[],
  text: string,
  declarations: FileDeclarations,
  known?: ReadonlyMap<number, { end: number; calls: BodyCalls }>,
): Selection {
  const volatileAccess = volatileFieldPattern(declarations);
  const scanned = definitions.flatMap((definition) => {
    const found = scanDefinition(definition, text, volatileAccess, known);
    return found === undefined ? [] : [{ definition, ...found }];
  });
  const selected = selectScanned(scanned);
  const maxEvents = new Map([...selected.maxEvents].map(([entry, limit]) => [entry.definition, limit]));
  const walked = new Set(selected.walk);
  const unwalked = new Map(scanned.filter((entry) => !walked.has(entry)).map(({ body }) => [body.start, body.end]));
  return { walk: selected.walk.map((entry) => entry.definition), maxEvents, stubs: selected.stubs, unwalked };
}
