// The C front end: one lazily created tree-sitter parser, and a parse that refuses bad input instead of throwing.
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

/**
 * Texts longer than this (in UTF-16 code units, about 5 MB of ASCII) are generated tables or blobs, not code anyone
 * reviews barriers in; parsing them would only cost memory.
 */
export const MAX_TEXT_LENGTH = 5 * 1024 * 1024;

/** A parse is abandoned after this long, so a pathological input cannot stall the server or the CLI. */
export const PARSE_BUDGET_MS = 10_000;

export type ParseResult = { ok: true; tree: Tree } | { ok: false; reason: string };

let parser: Parser | undefined;

function sharedParser(): Parser {
  if (parser === undefined) {
    const created = new Parser();
    created.setLanguage(C as Parser.Language);
    parser = created;
  }
  return parser;
}

/** Why a text is not C we should parse, or undefined when it is fine. */
export function refusalReason(text: string): string | undefined {
  if (text.length > MAX_TEXT_LENGTH) return `larger than ${MAX_TEXT_LENGTH / (1024 * 1024)} MB`;
  // git's heuristic: a NUL in the first 8000 characters marks a binary file.
  if (text.slice(0, 8000).includes('\0')) return 'binary file';
  return undefined;
}

/**
 * Parses C text. Never throws: malformed C yields a tree with ERROR nodes (tree-sitter recovers locally), and input
 * that is binary, too large, or takes longer than the budget yields `{ ok: false, reason }`.
 *
 * The Node binding of tree-sitter 0.25 parses JavaScript strings as UTF-16, so node `startIndex`/`endIndex` are
 * UTF-16 code-unit offsets, exactly the offsets of types.ts (test/analysis/parse.test.ts pins this down).
 *
 * `previous`, the tree of an earlier version already told of the change with `tree.edit`, lets tree-sitter reuse its
 * unchanged subtrees (analysis/incremental.ts); the result is the tree a fresh parse would give. `within` parses only
 * those spans of the text (offsets stay those of the whole text): one edited top-level item, or a file without the
 * bodies analysis/skim.ts leaves out. `budgetMs` is the parse's time budget.
 */
export function parseC(text: string, previous?: Tree, within?: Parser.Range | Parser.Range[], budgetMs = PARSE_BUDGET_MS): ParseResult {
  const refusal = refusalReason(text);
  if (refusal !== undefined) return { ok: false, reason: refusal };
  const deadline = Date.now() + budgetMs;
  try {
    const tree = sharedParser().parse(text, previous ?? null, {
      ...(within === undefined ? {} : { includedRanges: Array.isArray(within) ? within : [within] }),
      bufferSize: Math.min(Math.max(text.length * 2 + 1024, 32 * 1024), 16 * 1024 * 1024),
      progressCallback: () => Date.now() > deadline,
    });
    // A cancelled parse returns no tree (or an empty root) rather than throwing. tree-sitter keeps its state and would
    // resume it at the next parse, whatever text that is given: the parser must forget it.
    if (tree === null || tree === undefined) {
      sharedParser().reset();
      return { ok: false, reason: `parsing took longer than ${budgetMs} ms` };
    }
    return { ok: true, tree };
  } catch (error) {
    // A failing parser may be left in a bad state; the next parse gets a fresh one.
    parser = undefined;
    return { ok: false, reason: `parser failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
