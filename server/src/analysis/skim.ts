// Skimming: a text-only pass over a C file that finds the function bodies no analysis will read, so the batch parse
// can leave them out (tree-sitter's included ranges) and keep only their comments (docs/performance.md, "Skimming").
import type { Range } from 'tree-sitter';
import { COMMENT, fieldAccessPattern, scanCalls, scanParts, selectScanned, type BodyCalls, type FunctionScan } from './relevance';
import { lineOf } from './text';

/** A top-level `{ ... }` after a `)`: a function's body, as far as the text tells. */
export interface BodySpan {
  /** Offsets of the opening and the closing brace. */
  open: number;
  close: number;
  /** Where the definition's text starts: just past the previous top-level `;`, `}` or directive line. */
  head: number;
  /** The block and line comments inside the body, as [start, end) offsets; a line comment's takes its newline. */
  comments: Array<[number, number]>;
}

const SLASH = 47;
const STAR = 42;
const NEWLINE = 10;
const BACKSLASH = 92;
const QUOTE = 34;
const APOSTROPHE = 39;
const HASH = 35;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const SEMICOLON = 59;
const CLOSE_PAREN = 41;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 12 || c === 11;

/** The offset just past a comment starting at `start` (`/*` or `//`, which a trailing backslash continues). */
function commentEnd(text: string, start: number): number {
  if (text.charCodeAt(start + 1) === STAR) {
    const end = text.indexOf('*/', start + 2);
    return end < 0 ? text.length : end + 2;
  }
  let end = start + 2;
  for (;;) {
    end = text.indexOf('\n', end);
    if (end < 0) return text.length;
    if (text.charCodeAt(end - 1) !== BACKSLASH) return end;
    end++;
  }
}

/**
 * The file's top-level bodies in order, by a lexer that knows comments, strings, character constants and directive
 * lines, and nothing of the preprocessor's meaning: a brace opened under `#ifdef` and closed under `#else` misleads
 * it, which is why analysis/model.ts checks every span against the parse. Undefined when the braces do not balance.
 */
export function topLevelBodies(text: string): BodySpan[] | undefined {
  const bodies: BodySpan[] = [];
  const length = text.length;
  let depth = 0;
  /** The last character that is code: not space, not in a comment, a string or a directive. */
  let last = 0;
  let head = 0;
  let open = -1;
  let comments: Array<[number, number]> = [];
  let lineStart = true;
  let directive = false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      if (directive && text.charCodeAt(i - 1) !== BACKSLASH) {
        directive = false;
        if (depth === 0) head = i + 1;
      }
      lineStart = true;
      continue;
    }
    if (isSpace(c)) continue;
    if (c === SLASH && (text.charCodeAt(i + 1) === STAR || text.charCodeAt(i + 1) === SLASH)) {
      const end = commentEnd(text, i);
      // A line comment's range takes its newline: parsed alone, the comment would run on into the next range.
      const line = text.charCodeAt(i + 1) === SLASH && text.charCodeAt(end) === NEWLINE;
      if (depth > 0) comments.push([i, line ? end + 1 : end]);
      i = end - 1;
      continue;
    }
    if (c === HASH && lineStart) directive = true;
    lineStart = false;
    if (c === QUOTE || c === APOSTROPHE) {
      let j = i + 1;
      while (j < length) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) j += 2;
        else if (d === c || d === NEWLINE) break;
        else j++;
      }
      // A newline ends an unterminated constant; it is still the line's end for directives.
      i = text.charCodeAt(j) === NEWLINE ? j - 1 : j;
      if (!directive) last = c;
      continue;
    }
    if (directive) continue;
    if (c === OPEN_BRACE) {
      if (depth === 0) {
        open = last === CLOSE_PAREN ? i : -1;
        comments = [];
      }
      depth++;
    } else if (c === CLOSE_BRACE) {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) {
        if (open >= 0) bodies.push({ open, close: i, head, comments });
        open = -1;
        head = i + 1;
      }
    } else if (c === SEMICOLON && depth === 0) {
      head = i + 1;
    }
    last = c;
  }
  return depth === 0 ? bodies : undefined;
}

const WORD_BEFORE = /([A-Za-z_]\w*)\s*$/;
/**
 * How far before a `(` a name is looked for, and how much of a head is read at all: patterns over unbounded text are
 * quadratic on adversarial input (a megabyte of `__attribute__((x))`), and a misread head only costs a full parse.
 */
const NAME_REACH = 256;
const HEAD_REACH = 4096;
/**
 * tree-sitter's lexer looks for its place among the included ranges by a scan from the first, so each range costs
 * something on every jump: a body shorter than this saves less parsing than its range costs, and a file is cut into
 * at most so many ranges.
 */
const MIN_SKIPPED = 64;
const MAX_RANGES = 2048;
/** Words before a `(` in a definition's head that are not its name. */
const NOT_NAMES = /^(?:__attribute__|__aligned|__section|__printf|__scanf|__acquires|__releases|__must_hold|__alias|__cond_lock|__diag_ignore|sizeof|typeof|__typeof__)$/;
/** A conditional directive: the parser may close a block at a different brace from the lexer's under one. */
const CONDITIONAL = /^[ \t]*#[ \t]*(?:if|else|elif|endif)/m;
/** A struct or union definition: its fields are declarations the analysis records wherever they are. */
const DEFINES_RECORD = /\b(?:struct|union)\b[^;(){}]{0,256}\{/;
/** Field or variable declarations qualified volatile (`struct msg_msg *volatile r_msg;`), not `asm volatile`. */
const VOLATILE_DECLARATION = /\bvolatile\b([^;{}()=]{0,256}?)([A-Za-z_]\w*)\s*(?:\[[^\]]{0,256}\]\s*)*;/g;

/**
 * What the text says of a definition's head: its name (the last word before a `(` at the head's top level, so a
 * macro's use on the lines before and attributes after are passed over), whether it returns a pointer, and its
 * return type's base.
 */
function readHead(head: string): { name: string; pointer: boolean; returnBase: string } | undefined {
  const code = head.replace(COMMENT, ' ');
  let depth = 0;
  let found: { name: string; from: number; at: number } | undefined;
  /** Where the current declaration's text starts: past the last top-level `(...)` that was no attribute. */
  let from = 0;
  let attribute = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(') {
      if (depth === 0) {
        const word = WORD_BEFORE.exec(code.slice(Math.max(from, i - NAME_REACH), i));
        attribute = word !== null && NOT_NAMES.test(word[1]!);
        if (word !== null && !attribute) found = { name: word[1]!, from, at: i - word[0].length };
      }
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0 && !attribute) from = i + 1;
    }
  }
  if (found === undefined) return undefined;
  const before = code.slice(found.from, found.at);
  // looksLikeHandler (pairs.ts) reads only this base type; any other is as good as unknown.
  return { name: found.name, pointer: before.includes('*'), returnBase: /\birqreturn_t\b/.test(before) ? 'irqreturn_t' : '?' };
}

/**
 * Whether a body defines a struct or union. Its comments, which the lexer found, are blanked first (a pattern would
 * be quadratic on a body full of `"/*"` strings), and only when the raw text says it might.
 */
function definesRecord(text: string, body: BodySpan): boolean {
  const raw = text.slice(body.open, body.close + 1);
  if (!DEFINES_RECORD.test(raw)) return false;
  let code = '';
  let from = body.open;
  for (const [start, end] of body.comments) {
    code += `${text.slice(from, start)} `;
    from = end;
  }
  return DEFINES_RECORD.test(code + text.slice(from, body.close + 1));
}

export interface Skim {
  /** The ranges to parse: everything but the interiors of the skipped bodies, whose comments stay in. */
  ranges: Range[];
  /** The bodies left out. */
  skipped: BodySpan[];
  /** scanCalls of every body, by the offset of its `{`, for relevance.ts to read instead of scanning again. */
  calls: Map<number, { end: number; calls: BodyCalls }>;
}

/**
 * Which bodies a parse can leave out: those of functions relevance.ts would not walk, judged from the text, that call
 * no primitive (no site), define no struct (no declaration) and hold no conditional directive. The judgement from
 * text can be wrong where macros hide a function's name or shape; analysis/model.ts then finds a skipped body the
 * selection walks, or a span that is not a block, and parses everything. Undefined when the text has no top-level
 * bodies.
 */
export function skim(text: string, starts: readonly number[]): Skim | undefined {
  const bodies = topLevelBodies(text);
  if (bodies === undefined || bodies.length === 0) return undefined;
  const volatileNames = new Set<string>();
  if (text.includes('volatile')) for (const match of text.matchAll(VOLATILE_DECLARATION)) volatileNames.add(match[2]!);
  const volatileAccess = fieldAccessPattern(volatileNames);
  const calls = new Map<number, { end: number; calls: BodyCalls }>();
  const scanned: Array<{ scan: FunctionScan; body: BodySpan; bodyText: string }> = [];
  for (const body of bodies) {
    const bodyText = text.slice(body.open, body.close + 1);
    const bodyCalls = scanCalls(bodyText);
    calls.set(body.open, { end: body.close + 1, calls: bodyCalls });
    const head = readHead(text.slice(Math.max(body.head, body.open - HEAD_REACH), body.open));
    if (head === undefined) continue;
    scanned.push({ scan: scanParts(head.name, bodyText, head.returnBase, head.pointer, volatileAccess, bodyCalls), body, bodyText });
  }
  const walked = new Set(selectScanned(scanned).walk.map((entry) => entry.scan));
  const skipped: BodySpan[] = [];
  let rangeCount = 1;
  for (const { scan, body, bodyText } of scanned) {
    if (body.close - body.open < MIN_SKIPPED || rangeCount + 1 + body.comments.length > MAX_RANGES) continue;
    if (walked.has(scan) || scan.sites || CONDITIONAL.test(bodyText) || definesRecord(text, body)) continue;
    skipped.push(body);
    rangeCount += 1 + body.comments.length;
  }
  const point = (offset: number): Range['startPosition'] => {
    const row = lineOf(starts, offset);
    return { row, column: offset - (starts[row] ?? 0) };
  };
  const ranges: Range[] = [];
  const include = (start: number, end: number): void => {
    if (end > start) ranges.push({ startIndex: start, endIndex: end, startPosition: point(start), endPosition: point(end) });
  };
  let from = 0;
  for (const body of skipped) {
    include(from, body.open + 1);
    for (const [start, end] of body.comments) include(start, end);
    from = body.close;
  }
  include(from, text.length);
  return { ranges, skipped, calls };
}
