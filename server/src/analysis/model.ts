// What the analysis keeps of each file once parsed: plain data (sites, comments, lines), never the tree itself.
import { extractFunctions, type FunctionModel } from './events';
import { PARSE_BUDGET_MS, parseC, refusalReason, type ParseResult, type SyntaxNode } from './parse';
import { selectFunctions, type FunctionStub } from './relevance';
import { extractSites, mentionsPrimitive, type BarrierSite } from './sites';
import { skim, type BodySpan, type Skim } from './skim';
import { lineOf, lineStarts } from './text';
import type { TextRange } from './types';
import { collectDeclarations, isConditionalGroup, type FileDeclarations } from './types-index';

export interface CommentSpan {
  range: TextRange;
  /** 0-based lines of the first and last character. */
  startLine: number;
  endLine: number;
  /** True for a block comment, false for a `//` comment. */
  block: boolean;
  text: string;
}

export interface FileModel {
  file: string;
  text: string;
  lineStarts: number[];
  sites: BarrierSite[];
  comments: CommentSpan[];
  declarations: FileDeclarations;
  /** The functions walked for events: those that can take part in a pair, and their callers and callees in the file. */
  functions: FunctionModel[];
  /** The other functions, reduced to their calls. */
  stubs: FunctionStub[];
  /** Why the file was not analysed (binary, too large, parser failure); its lists are then empty. */
  refused?: string;
}

/** Read access to every file of the workspace, for rules that pair sites across files. */
export interface WorkspaceIndex {
  model(file: string): FileModel | undefined;
  models(): Iterable<FileModel>;
}

/** Whether a finding can be in the file: every finding is at a barrier site or in a walked function. */
export function mayHaveFindings(model: FileModel): boolean {
  return model.sites.length > 0 || model.functions.length > 0;
}

/**
 * The model without what only findings and walks read (text, line starts, comments, globals) when the file can have
 * no finding and was analysed: it still matters to pairing through its structs, typedefs and stubs. In a whole tree
 * most files are such headers and drivers, and a caller that analyses a tree once need not hold their text.
 */
export function leanModel(model: FileModel): FileModel {
  if (mayHaveFindings(model) || model.refused !== undefined || model.text === '') return model;
  const { structs, typedefs } = model.declarations;
  return { ...model, text: '', lineStarts: [], comments: [], declarations: { structs, typedefs, globals: {} } };
}

/**
 * leanModel of a file whose text shows that its parse would give pairing nothing: no brace (so no function, struct
 * or union body), no `typedef` and no primitive's name (so no site). Most are headers of macros and prototypes, a
 * sixth of a kernel tree's files, which then need no parse. Undefined when the text does not show it.
 */
export function leanFromText(file: string, text: string): FileModel | undefined {
  if (refusalReason(text) !== undefined || /[{}]/.test(text) || text.includes('typedef') || mentionsPrimitive(text)) return undefined;
  const declarations = { structs: {}, typedefs: {}, globals: {} };
  return { file, text: '', lineStarts: [], sites: [], comments: [], declarations, functions: [], stubs: [] };
}

export function collectComments(nodes: readonly SyntaxNode[], starts: readonly number[]): CommentSpan[] {
  return nodes.map((node) => {
    const text = node.text;
    return {
      range: { start: node.startIndex, end: node.endIndex },
      startLine: lineOf(starts, node.startIndex),
      endLine: lineOf(starts, Math.max(node.startIndex, node.endIndex - 1)),
      block: text.startsWith('/*'),
      text,
    };
  });
}

/** The node kinds extraction starts from, under one node, each in document order. */
export interface ExtractionNodes {
  definitions: SyntaxNode[];
  /** Struct and union specifiers with a body: the others (`struct foo *p`, most of them) declare nothing. */
  specifiers: SyntaxNode[];
  comments: SyntaxNode[];
  errors: SyntaxNode[];
}

/**
 * tree-sitter's native descendantsOfType finds these node kinds faster than a walk in JavaScript, and in one pass:
 * each call walks the whole subtree, however few nodes it returns. Named nodes know their type without a native call.
 */
export function extractionNodes(node: SyntaxNode): ExtractionNodes {
  const found: ExtractionNodes = { definitions: [], specifiers: [], comments: [], errors: [] };
  for (const child of node.descendantsOfType(['function_definition', 'field_declaration_list', 'comment', 'ERROR'])) {
    const type = child.type;
    if (type === 'function_definition') found.definitions.push(child);
    else if (type === 'comment') found.comments.push(child);
    else if (type === 'ERROR') found.errors.push(child);
    else {
      const specifier = child.parent;
      if (specifier !== null && (specifier.type === 'struct_specifier' || specifier.type === 'union_specifier')) found.specifiers.push(specifier);
    }
  }
  return found;
}

/**
 * Parses a file and extracts everything the rules read. Never throws: refused input gives an empty model. `parsed` is
 * the text's parse when the caller has it already (analysis/incremental.ts re-parses from the previous tree); without
 * it the parse leaves out the bodies skim.ts judges no analysis reads, and the model is the same as from a full parse.
 */
export function buildFileModel(file: string, text: string, parsed?: ParseResult): FileModel {
  const starts = lineStarts(text);
  const skimmed = parsed === undefined && refusalReason(text) === undefined ? skim(text, starts) : undefined;
  const started = Date.now();
  if (skimmed !== undefined && skimmed.skipped.length > 0) {
    const partial = parseC(text, undefined, skimmed.ranges);
    // A refusal (over the parse budget) stands: a whole parse would take longer still, and double the budget.
    const model = fromTree(file, text, starts, partial, skimmed);
    if (model !== undefined) return model;
  }
  // After a skimmed parse the text misjudged, the whole parse has what is left of the one budget.
  const budget = Math.max(1, PARSE_BUDGET_MS - (Date.now() - started));
  return fromTree(file, text, starts, parsed ?? parseC(text, undefined, undefined, budget), skimmed && { calls: skimmed.calls })!;
}

/**
 * The model of a parse. With `skipped` bodies, undefined unless each is the body of a definition the selection does
 * not walk: only then is the model the full parse's (elsewhere the text misled skim.ts, and the caller parses all).
 */
function fromTree(file: string, text: string, starts: number[], parsed: ParseResult, skimmed?: Pick<Skim, 'calls'> & Partial<Skim>): FileModel | undefined {
  if (!parsed.ok) {
    const declarations = { structs: {}, typedefs: {}, globals: {} };
    return { file, text, lineStarts: starts, sites: [], comments: [], declarations, functions: [], stubs: [], refused: parsed.reason };
  }
  const root = parsed.tree.rootNode;
  const { definitions, specifiers, comments: commentNodes, errors } = extractionNodes(root);
  const declarations = collectDeclarations(root, specifiers);
  const { walk, maxEvents, stubs, unwalked } = selectFunctions(definitions, text, declarations, skimmed?.calls);
  if (skimmed?.skipped !== undefined && !skippedUnread(root, walk, unwalked, skimmed.skipped)) return undefined;
  const sites = extractSites(root, text, { definitions, errors });
  // Comments matter next to a site or a finding, and findings come from sites and walked functions only.
  const comments = sites.length > 0 || walk.length > 0 ? collectComments(commentNodes, starts) : [];
  return {
    file,
    text,
    lineStarts: starts,
    sites,
    comments,
    declarations,
    functions: extractFunctions(walk, file, sites, declarations.globals, maxEvents),
    stubs,
  };
}

/**
 * Whether every skipped span is exactly a block the full parse would not have read: the body of a definition that is
 * not walked (`unwalked` has those with a name, body start to end), or a block at file scope that is no definition's
 * (`SYSCALL_DEFINE2(...) { ... }` parses so), whose statements no extraction reads.
 */
function skippedUnread(root: SyntaxNode, walk: readonly SyntaxNode[], unwalked: ReadonlyMap<number, number>, skipped: readonly BodySpan[]): boolean {
  let walked: Set<number> | undefined;
  return skipped.every(({ open, close }) => {
    if (unwalked.get(open) === close + 1) return true;
    // Looked up in the tree only when it is no named unwalked body: the lookup descends through every sibling.
    const block = root.descendantForIndex(open, open + 1).parent;
    if (block === null || block.type !== 'compound_statement' || block.startIndex !== open || block.endIndex !== close + 1) return false;
    const owner = block.parent;
    if (owner === null) return false;
    walked ??= new Set(walk.map((definition) => definition.startIndex));
    if (owner.type === 'function_definition') return !walked.has(owner.startIndex);
    return owner.type === 'translation_unit' || isConditionalGroup(owner);
  });
}
