// Barrier-site extraction: every call of an ordering primitive of server/src/lkmm/primitives.ts, found in the tree.
import { primitive, type BarrierKind, type Primitive } from '../lkmm/primitives';
import type { TreeCursor } from 'tree-sitter';
import { cursorType, type CNode } from './lite';
import { parseC, type SyntaxNode } from './parse';
import type { TextRange } from './types';

/** One call of an ordering primitive. */
export interface BarrierSite {
  /** The macro name as written, e.g. `smp_wmb`. */
  name: string;
  kind: BarrierKind;
  primitive: Primitive;
  /** The whole call, `smp_store_release(&x, 1)`. */
  range: TextRange;
  /** The macro name alone. */
  nameRange: TextRange;
  /** The arguments, in order (empty for `smp_mb()`). */
  args: TextRange[];
  /** The function the call is in, when there is one. */
  functionName?: string;
  /** True when the call is in the body of a `#define`, which tree-sitter does not parse as code. */
  inMacro: boolean;
}

/** Node types whose identifier child names a declaration, not a use: `void smp_mb(void)`, `#define smp_mb() ...`. */
const DECLARING_PARENTS = new Set(['function_declarator', 'preproc_function_def', 'preproc_def', 'preproc_ifdef', 'preproc_defined']);

let primitiveWord: RegExp | undefined;

/**
 * Whether a text may call a primitive: a file or a macro body that does not has no site, which keeps header-heavy
 * files cheap. Its words are prefixes, so it errs towards yes.
 */
export function mentionsPrimitive(text: string): boolean {
  primitiveWord ??= /\b(?:smp_|atomic_|virt_|dma_|rcu_|srcu_|spin_|synchronize_|xchg|cmpxchg|READ_ONCE|WRITE_ONCE|mb|rmb|wmb|barrier|read_barrier_depends)\w*\s*\(/;
  return primitiveWord.test(text);
}

/** A definition's name line in kernel style: starts in column 0 (`static int foo(`, or `foo(` under its type), no `;`. */
const HEAD_LINE = /^(?![#\s{}/*])[^;=]*?\b([A-Za-z_]\w*)\s*\([^;]*$/;

/** How many lines above a site its function's name line is looked for. */
const HEAD_LINES = 2000;

/**
 * Where error recovery lost the function definition, kernel style still tells: the nearest name line among the
 * HEAD_LINES lines above. Each line of the text is tried once, and each line keeps the nearest name line at or above
 * it: the sites under one large ERROR node each scanned the same thousands of lines, quadratic in the file.
 */
export class NamesFromText {
  /** By the offset of the newline that ends a line: the name of the nearest name line at or above it, and how many lines up it is (1 for the line itself). */
  private readonly nearest = new Map<number, { name: string | undefined; lines: number }>();

  constructor(private readonly text: string) {}

  /** The function name for a site at `offset`, from the lines above its own. */
  at(offset: number): string | undefined {
    const found = this.from(this.text.lastIndexOf('\n', offset));
    return found.lines <= HEAD_LINES ? found.name : undefined;
  }

  /** The nearest name line at or above the line that the newline at `end` ends (none above the first line). */
  private from(end: number): { name: string | undefined; lines: number } {
    const walked: number[] = [];
    let found: { name: string | undefined; lines: number } = { name: undefined, lines: Infinity };
    for (let at = end; at > 0; ) {
      const known = this.nearest.get(at);
      if (known !== undefined) {
        found = known;
        break;
      }
      walked.push(at);
      const start = this.text.lastIndexOf('\n', at - 1) + 1;
      const match = HEAD_LINE.exec(this.text.slice(start, at));
      if (match !== null && !CONTROL_WORDS.has(match[1] ?? '')) {
        found = { name: match[1], lines: 0 };
        break;
      }
      at = start - 1;
    }
    // The lines walked, nearest last, each one line further from what was found.
    for (let k = walked.length - 1; k >= 0; k--) {
      found = { name: found.name, lines: found.lines + 1 };
      this.nearest.set(walked[k]!, found);
    }
    return found;
  }
}

const CONTROL_WORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof']);

/** The declared name of a function definition (through pointer and attribute declarators). */
export function functionDefinitionName(definition: CNode): string | undefined {
  let declarator = definition.childForFieldName('declarator');
  while (declarator !== null) {
    if (declarator.type === 'function_declarator') {
      const inner = declarator.childForFieldName('declarator');
      return inner?.type === 'identifier' ? inner.text : inner?.text;
    }
    declarator = declarator.childForFieldName('declarator');
  }
  return undefined;
}

/**
 * Finds the offset just past the parenthesis that closes the one at `open`, skipping strings, character constants
 * and comments; undefined when it is unbalanced within `limit`. Used where tree-sitter recovered the tokens of a call
 * but not the call itself.
 */
export function matchParen(text: string, open: number, limit: number): number | undefined {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < limit && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === ';' || c === '{' || c === '}') {
      return undefined;
    }
  }
  return undefined;
}

/** Splits the text between a call's parentheses at top-level commas into argument ranges. */
export function splitArguments(text: string, open: number, close: number, lists?: ArgumentLists): TextRange[] {
  const args: TextRange[] = [];
  let depth = 0;
  let start = open + 1;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s || args.length > 0) args.push({ start: s, end: e });
  };
  let i = open + 1;
  for (; i < close - 1; i++) {
    const c = text[i];
    if (c === '(') {
      // An argument list split already reads here as it did there: from its `(` back to depth 0 at its `)`.
      const inner = lists?.get(i);
      if (inner !== undefined && inner < close) i = inner - 1;
      else depth++;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'") {
      for (i++; i < close && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(close - 1);
  // Kept only when the scan ended on the list's own `)` at depth 0, where a scan of an enclosing list resumes.
  if (lists !== undefined && depth === 0 && i === close - 1 && text[close - 1] === ')') lists.set(open, close);
  return args;
}

/**
 * Argument lists split so far, by the offset of their `(`: the end just past their `)`. Nested calls of primitives
 * (`READ_ONCE(*READ_ONCE(p))`) are split innermost first, and an enclosing list's scan steps over each inner list, so
 * every character is scanned once rather than once per enclosing call.
 */
type ArgumentLists = Map<number, number>;

/** A site whose arguments are split once all sites of the text are found (innermost first, see ArgumentLists). */
interface PendingArguments {
  site: BarrierSite;
  open: number;
  close: number;
}

function splitPending(text: string, pending: readonly PendingArguments[]): void {
  const lists: ArgumentLists = new Map();
  const order = pending.map((_, k) => k).sort((a, b) => pending[b]!.open - pending[a]!.open);
  for (const k of order) {
    const { site, open, close } = pending[k]!;
    site.args = splitArguments(text, open, close, lists);
  }
}

/** The site of a call node; its arguments go to `pending` to be split once the text's sites are all found. */
function siteFromCall(call: SyntaxNode, text: string, shift: number, inMacro: boolean, scopes: Scopes, pending: PendingArguments[]): BarrierSite | undefined {
  const callee = call.childForFieldName('function');
  if (callee === null || callee.type !== 'identifier') return undefined;
  const found = primitive(callee.text);
  if (found === undefined) return undefined;
  const list = call.childForFieldName('arguments');
  const site: BarrierSite = {
    name: found.name,
    kind: found.kind,
    primitive: found,
    range: { start: call.startIndex + shift, end: call.endIndex + shift },
    nameRange: { start: callee.startIndex + shift, end: callee.endIndex + shift },
    args: [],
    functionName: scopes.functionNameAt(call, text, shift),
    inMacro,
  };
  if (list !== null && list.type === 'argument_list') pending.push({ site, open: list.startIndex + shift, close: list.endIndex + shift });
  return site;
}

/**
 * A primitive's name that tree-sitter left as a bare identifier (inside an ERROR node, or where a macro confused the
 * grammar) is still a call when a balanced parenthesised list follows it in the text. `declaredInBlock`: the parent is
 * a function declarator of a declaration in a block (Locator.inBlockScope).
 */
function siteFromLooseIdentifier(
  identifier: SyntaxNode,
  parent: SyntaxNode | null,
  declaredInBlock: boolean,
  text: string,
  shift: number,
  inMacro: boolean,
  scopes: Scopes,
  pending: PendingArguments[],
): BarrierSite | undefined {
  const found = primitive(identifier.text);
  if (found === undefined) return undefined;
  if (parent === null) return undefined;
  if (DECLARING_PARENTS.has(parent.type) && !declaredInBlock) return undefined;
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.startIndex === identifier.startIndex) return undefined;
  const nameEnd = identifier.endIndex + shift;
  let open = nameEnd;
  while (open < text.length && (text[open] === ' ' || text[open] === '\t')) open++;
  if (text[open] !== '(') return undefined;
  const close = matchParen(text, open, Math.min(text.length, open + 4096));
  if (close === undefined) return undefined;
  const site: BarrierSite = {
    name: found.name,
    kind: found.kind,
    primitive: found,
    range: { start: identifier.startIndex + shift, end: close },
    nameRange: { start: identifier.startIndex + shift, end: nameEnd },
    args: [],
    functionName: scopes.functionNameAt(identifier, text, shift),
    inMacro,
  };
  pending.push({ site, open, close });
  return site;
}

/** A tree's function definitions and ERROR nodes, in document order. */
export interface ScopeNodes {
  definitions: SyntaxNode[];
  errors: SyntaxNode[];
}

/**
 * The function definitions and ERROR nodes of a tree, by offset. tree-sitter's `parent` walks down from the root, so
 * climbing ancestors costs the depth squared, and deeply nested calls (a fuzzer's `f(&f(&f(...)))`) made extraction
 * cubic; ranges answer "which function, and is it under an ERROR" with a binary search.
 */
class Scopes {
  private readonly definitions: SyntaxNode[];
  private readonly starts: number[];
  private readonly ends: number[];
  /** Outermost ERROR ranges, in order and disjoint. */
  readonly errors: Array<{ node: SyntaxNode; start: number; end: number }> = [];
  private readonly errorStarts: number[];
  /** Names from the text where the tree lost the definition, made at the first such site. */
  private names: NamesFromText | undefined;

  constructor(nodes: ScopeNodes) {
    this.definitions = nodes.definitions;
    this.starts = this.definitions.map((definition) => definition.startIndex);
    this.ends = this.definitions.map((definition) => definition.endIndex);
    for (const node of nodes.errors) {
      const start = node.startIndex;
      const last = this.errors.at(-1);
      if (last !== undefined && start < last.end) continue;
      this.errors.push({ node, start, end: node.endIndex });
    }
    this.errorStarts = this.errors.map((error) => error.start);
  }

  inError(start: number, end: number): boolean {
    const index = lastAtOrBefore(this.errorStarts, start);
    const error = index < 0 ? undefined : this.errors[index];
    return error !== undefined && end <= error.end;
  }

  /** The enclosing definition's name; where error recovery lost the definition, the kernel-style name line above. */
  functionNameAt(node: SyntaxNode, text: string, shift: number): string | undefined {
    const start = node.startIndex;
    const end = node.endIndex;
    let name: string | undefined;
    for (let i = lastAtOrBefore(this.starts, start); i >= 0; i--) {
      const definition = this.definitions[i];
      if (definition !== undefined && (this.ends[i] ?? -1) >= end) {
        name = functionDefinitionName(definition);
        break;
      }
    }
    if (name !== undefined || !this.inError(start, end)) return name;
    this.names ??= new NamesFromText(text);
    return this.names.at(start + shift);
  }
}

/** The index of the last element of a sorted array that is at most `value`, or -1. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] ?? Infinity) <= value) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** A word followed by an opening parenthesis: where a call, or a macro's use, of a primitive can be. */
const CALL_WORD = /\b([A-Za-z_]\w*)\s*\(/g;

/**
 * Collects sites from where the text names a primitive: each hit is looked up in the tree (one native lookup), since
 * fetching every call node of a file costs as much as the parse for the few that are primitives. A hit is a call, a
 * primitive left loose by error recovery (under an ERROR node, or a "declaration" inside a block, which no kernel
 * code declares there), or a use inside a `#define` body, which is collected for re-parsing. `source` is the text
 * the tree was parsed from; its offsets plus `shift` are offsets of `text`.
 */
function collect(
  root: SyntaxNode,
  source: string,
  text: string,
  shift: number,
  inMacro: boolean,
  into: BarrierSite[],
  macroBodies: MacroBody[],
  known?: ScopeNodes,
): void {
  let scopes: Scopes | undefined;
  const bodies = new Set<number>();
  const locator = new Locator(root);
  const pending: PendingArguments[] = [];
  // Only the root's own span is read: analysis/incremental.ts collects one top-level item of a long text at a time.
  const words = new RegExp(CALL_WORD.source, 'g');
  words.lastIndex = root.startIndex;
  const end = root.endIndex;
  for (let match = words.exec(source); match !== null && match.index < end; match = words.exec(source)) {
    const name = match[1]!;
    if (primitive(name) === undefined) continue;
    const start = match.index ?? 0;
    const type = locator.moveTo(start, start + name.length);
    if (type === 'preproc_arg') {
      const value = locator.node();
      const definition = locator.parent();
      const isValue = definition !== null && (definition.type === 'preproc_def' || definition.type === 'preproc_function_def');
      if (!inMacro && isValue && !bodies.has(value.startIndex)) {
        bodies.add(value.startIndex);
        macroBodies.push({ value, definition });
      }
      continue;
    }
    if (type !== 'identifier' || locator.start() !== start) continue;
    scopes ??= new Scopes(known ?? { definitions: root.descendantsOfType('function_definition'), errors: root.descendantsOfType('ERROR') });
    const node = locator.node();
    const parentType = locator.parent()?.type;
    let site: BarrierSite | undefined;
    if (parentType === 'call_expression') {
      const call = locator.parent()!;
      if (call.childForFieldName('function')?.startIndex === start) {
        site = siteFromCall(call, text, shift, inMacro, scopes, pending);
        if (site !== undefined) into.push(site);
        continue;
      }
    }
    const declaredInBlock = parentType === 'function_declarator' && locator.inBlockScope();
    if (scopes.inError(start, node.endIndex) || (declaredInBlock && !scopes.inError(locator.parent()!.startIndex, locator.parent()!.endIndex))) {
      site = siteFromLooseIdentifier(node, locator.parent(), declaredInBlock, text, shift, inMacro, scopes, pending);
    }
    if (site !== undefined) into.push(site);
  }
  splitPending(text, pending);
}

/**
 * Finds the node tree-sitter's descendantForIndex would give for each of a series of ascending ranges, and its
 * parent, by moving one cursor: up to the first ancestor that starts before the next range and reaches its end, then
 * down by descendantForIndex's rule. descendantForIndex descends from the root and `parent` walks down from the root
 * again, so each site cost its depth, and deeply nested code (thousands of levels, each with a primitive) took
 * quadratic time; the cursor's moves between neighbouring sites are few. The root's descent passes through such an
 * ancestor (its earlier siblings end before the range starts), so the answers are the same. Nodes are made (a native
 * call each) only when asked for.
 */
export class Locator {
  private readonly cursor: TreeCursor;
  /** The cursor's depth below the root, wherever it stands. */
  private depth = 0;
  /** The range of the cursor's path's node at each depth (the root's at 0). */
  private readonly starts: number[];
  private readonly ends: number[];
  /** The located node's start, and the node and its parent once asked for. */
  private found: SyntaxNode | undefined;
  private above: SyntaxNode | null | undefined;
  private startIndex = 0;

  constructor(root: SyntaxNode) {
    this.cursor = root.walk();
    this.starts = [root.startIndex];
    this.ends = [root.endIndex];
  }

  /** Locates the smallest node spanning [start, end) and returns its type; ranges are not empty and start in ascending order. */
  moveTo(start: number, end: number): string {
    const cursor = this.cursor;
    this.found = undefined;
    this.above = undefined;
    // Up to the deepest node of the cursor's path that starts before the range and reaches its end: the root's
    // descent passes through it.
    let keep = this.depth;
    while (keep > 0 && !(this.starts[keep]! < start && this.ends[keep]! >= end)) keep--;
    for (; this.depth > keep; this.depth--) cursor.gotoParent();
    // Down: the first child that reaches the range's end and passes its start, unless it starts after the range does.
    // The native search finds the first child that passes the start; one that ends inside the range is passed over.
    // It returns the child's index, or null when there is none (its typing says a boolean).
    while ((cursor.gotoFirstChildForIndex(start) as unknown) !== null) {
      let childEnd = cursor.endIndex;
      while (childEnd < end && cursor.gotoNextSibling()) childEnd = cursor.endIndex;
      const childStart = cursor.startIndex;
      if (childEnd < end || start < childStart) {
        cursor.gotoParent();
        break;
      }
      this.depth++;
      this.starts[this.depth] = childStart;
      this.ends[this.depth] = childEnd;
    }
    this.startIndex = this.starts[this.depth]!;
    return cursorType(cursor);
  }

  start(): number {
    return this.startIndex;
  }

  node(): SyntaxNode {
    // Asked before the cursor leaves it: parent() and inBlockScope() read it first.
    this.found ??= this.cursor.currentNode;
    return this.found;
  }

  parent(): SyntaxNode | null {
    if (this.above === undefined) {
      this.node();
      this.above = this.climb() ? this.cursor.currentNode : null;
    }
    return this.above;
  }

  /**
   * No kernel code declares an ordering primitive inside a function body, so a "declaration" there is a misparsed
   * call: whether the located node's parent (a declarator) is a declaration's, in a block.
   */
  inBlockScope(): boolean {
    if (this.parent() === null) return false;
    return this.climb() && cursorType(this.cursor) === 'declaration' && this.climb() && cursorType(this.cursor) === 'compound_statement';
  }

  /** One level above the located node's ancestors read so far; false at the root. */
  private climb(): boolean {
    if (this.depth === 0) return false;
    this.cursor.gotoParent();
    this.depth--;
    return true;
  }
}


/** The value of a `#define` that names a primitive, and the definition (parents are costly to ask for later). */
interface MacroBody {
  value: SyntaxNode;
  definition: SyntaxNode;
}

/**
 * Re-parses the body of a `#define` as the statements of a function, so barriers inside macros are sites too.
 * Backslash-newlines become space-newline, which keeps every offset of the original text.
 */
function collectMacroBody({ value, definition }: MacroBody, text: string, into: BarrierSite[]): void {
  const body = value.text;
  if (!mentionsPrimitive(body)) return;
  const prefix = 'void __m(void){';
  const source = `${prefix}${body.replace(/\\(?=\r?\n)/g, ' ')}\n;}`;
  const parsed = parseC(source);
  if (!parsed.ok) return;
  const found: BarrierSite[] = [];
  collect(parsed.tree.rootNode, source, text, value.startIndex - prefix.length, true, found, []);
  const macro = definition.childForFieldName('name')?.text;
  for (const site of found) {
    // The wrapper function's name means nothing to a reader; the macro's name is where the barrier lives.
    site.functionName = macro;
    into.push(site);
  }
}

/** Every barrier site of a parsed file, in source order. `known` saves looking up the root's scopes again. */
export function extractSites(root: SyntaxNode, text: string, known?: ScopeNodes): BarrierSite[] {
  // Most files call no primitive at all; the text says so faster than the tree's call nodes.
  if (!mentionsPrimitive(text)) return [];
  const sites: BarrierSite[] = [];
  const macroBodies: MacroBody[] = [];
  collect(root, text, text, 0, false, sites, macroBodies, known);
  for (const body of macroBodies) collectMacroBody(body, text, sites);
  sites.sort((a, b) => a.range.start - b.range.start);
  return dedupe(sites);
}

/** Error recovery can expose one call both as a call_expression and as loose tokens; keep one site per name offset. */
function dedupe(sites: BarrierSite[]): BarrierSite[] {
  const seen = new Set<number>();
  return sites.filter((site) => {
    if (seen.has(site.nameRange.start)) return false;
    seen.add(site.nameRange.start);
    return true;
  });
}
