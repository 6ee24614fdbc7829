// A plain-object copy of a subtree, built in one cursor walk: the event walker (events.ts) reads each node several
// times, and every read of a tree-sitter node crosses into native code and allocates a wrapper.
import C from 'tree-sitter-c';
import type { TreeCursor } from 'tree-sitter';
import type { SyntaxNode } from './parse';
import type { TextRange } from './types';

/** The part of tree-sitter's node interface the walker reads; both tree-sitter's nodes and copies provide it. */
export interface CNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly parent: CNode | null;
  readonly children: readonly CNode[];
  readonly namedChildren: readonly CNode[];
  child(index: number): CNode | null;
  childForFieldName(name: string): CNode | null;
  childrenForFieldName(name: string): CNode[];
}

/** The children of a leaf: one shared empty list, since most nodes copied are leaves. */
const NO_CHILDREN: readonly LiteNode[] = Object.freeze([]);

class LiteNode implements CNode {
  children: readonly LiteNode[] = NO_CHILDREN;
  private named: LiteNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    public startIndex: number,
    public endIndex: number,
    private readonly field: string | null,
    readonly parent: LiteNode | null,
    private readonly source: { text: string; base: number },
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex - this.source.base, this.endIndex - this.source.base);
  }

  get namedChildren(): LiteNode[] {
    this.named ??= this.children.filter((child) => child.isNamed);
    return this.named;
  }

  child(index: number): LiteNode | null {
    return this.children[index] ?? null;
  }

  childForFieldName(name: string): LiteNode | null {
    for (const child of this.children) if (child.field === name) return child;
    return null;
  }

  childrenForFieldName(name: string): LiteNode[] {
    return this.children.filter((child) => child.field === name);
  }

  adopt(child: LiteNode): void {
    if (this.children === NO_CHILDREN) this.children = [child];
    else (this.children as LiteNode[]).push(child);
  }
}

/**
 * What the copy knows of each node type without asking the tree: its name and whether it is named, learned from the
 * cursor the first time the type id is met, and whether its children can have field names (node-types.json).
 */
const typeNames: string[] = [];
const namedTypes: boolean[] = [];
/** Field names by id, learned like type names: the cursor's field id is a number, its name a new string each time. */
const fieldNames: Array<string | null> = [];
const withFields = new Set(C.nodeTypeInfo.flatMap((info) => ('fields' in info && Object.keys(info.fields).length > 0 ? [info.type] : [])));
/**
 * Named tokens whose text is a run of identifier characters. In a tree without errors each starts after the padding
 * that follows the previous token, like an anonymous token, and ends where the run does, so neither offset is asked.
 */
const WORDS = new Set(['identifier', 'field_identifier', 'type_identifier', 'statement_identifier', 'primitive_type']);
/** Named tokens of other texts: never a parent, so the cursor is not asked for a first child that is not there. */
const TOKENS = new Set([...WORDS, 'number_literal', 'string_content', 'escape_sequence', 'character', 'comment', 'system_lib_string']);

/** The type id of the cursor's node, its name and namedness learned the first time the id is met. */
function learnType(cursor: TreeCursor): number {
  const id = cursor.nodeTypeId;
  if (typeNames[id] === undefined) {
    typeNames[id] = cursor.nodeType;
    namedTypes[id] = cursor.nodeIsNamed;
  }
  return id;
}

/** The type of the cursor's node, without a new string from the tree for each node. */
export function cursorType(cursor: TreeCursor): string {
  return typeNames[learnType(cursor)]!;
}

/** The field name of the cursor's node in its parent, or null. */
export function fieldOf(cursor: TreeCursor): string | null {
  const id = cursor.currentFieldId;
  if (id === 0) return null;
  let name = fieldNames[id];
  if (name === undefined) {
    name = cursor.currentFieldName;
    fieldNames[id] = name;
  }
  return name;
}

/** Whether `c` can continue an identifier, in ASCII. */
function wordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** Padding between tokens: whitespace and backslash-newlines (tree-sitter-c's extras other than comments). */
function skipPadding(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 32 || (c >= 9 && c <= 13)) at++;
    else if (c === 92 && text.charCodeAt(at + 1) === 10) at += 2;
    else if (c === 92 && text.charCodeAt(at + 1) === 13 && text.charCodeAt(at + 2) === 10) at += 3;
    else return at;
  }
}

/**
 * Copies `node`'s subtree; `text` is the node's own text. Each native read costs about as much as a step of the
 * cursor, so only named leaves are asked their offsets: an anonymous token (`;`, `->`, `if`) is its type's text after
 * the padding that follows the previous token, and a node with children spans its first to its last. That holds in a
 * tree without errors (a MISSING token has no text) for every token but the preprocessor's (`#  ifdef`), which are
 * asked too; a token that does not read as its type sends the copy back to asking every node.
 */
export function liteTree(node: SyntaxNode, text: string): CNode {
  return (node.hasError ? undefined : copy(node, text, false)) ?? copy(node, text, true)!;
}

function copy(node: SyntaxNode, text: string, askAll: boolean): LiteNode | undefined {
  const base = node.startIndex;
  const source = { text, base };
  const cursor = node.walk();
  const root = new LiteNode(cursor.nodeType, cursor.nodeIsNamed, base, cursor.endIndex, null, null, source);
  /** The end of the last token copied, in document order: where the next token's padding starts. */
  let last = base;
  if (!cursor.gotoFirstChild()) return root;
  let current = root;
  const hasFields = (type: string): boolean => askAll || withFields.has(type);
  let fields = hasFields(root.type);
  for (;;) {
    const id = learnType(cursor);
    const type = typeNames[id]!;
    const named = namedTypes[id]!;
    const field = fields ? fieldOf(cursor) : null;
    const made = new LiteNode(type, named, -1, -1, field, current, source);
    current.adopt(made);
    const asked = askAll || type.charCodeAt(0) === 35 || type.startsWith('preproc_');
    if (asked) {
      made.startIndex = cursor.startIndex;
      made.endIndex = cursor.endIndex;
    }
    // Every anonymous node of tree-sitter-c is a token (a string, or a preprocessor directive's pattern aliased as
    // one), so only named nodes can have children.
    if (named && (asked || !TOKENS.has(type)) && cursor.gotoFirstChild()) {
      current = made;
      fields = hasFields(type);
      continue;
    }
    if (named && !asked) {
      const start = WORDS.has(type) ? skipPadding(text, last - base) : -1;
      let end = start;
      while (end >= 0 && wordCode(text.charCodeAt(end))) end++;
      // A word that runs into a character outside ASCII or an escape (`\u00e9`) is asked: it may go on.
      const next = text.charCodeAt(end);
      if (end > start && !(next >= 128 || next === 92)) {
        made.startIndex = start + base;
        made.endIndex = end + base;
      } else {
        made.startIndex = cursor.startIndex;
        made.endIndex = cursor.endIndex;
      }
    } else if (!asked) {
      const start = skipPadding(text, last - base) + base;
      if (!text.startsWith(type, start - base)) return undefined;
      made.startIndex = start;
      made.endIndex = start + type.length;
    }
    last = made.endIndex;
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      if (current === root) return root;
      if (current.startIndex < 0) {
        const children = current.children;
        current.startIndex = children[0]!.startIndex;
        current.endIndex = children[children.length - 1]!.endIndex;
      }
      current = current.parent!;
      fields = hasFields(current.type);
    }
  }
}

/** What relevance reads of a function definition's head (relevance.ts). */
export interface DefinitionHead {
  /** As functionDefinitionName (sites.ts) reads it. */
  name: string | undefined;
  /** As typeBase (types-index.ts) reads the `type` field. */
  returnBase: string;
  /** Whether the declarator is a pointer declarator (`struct foo *get(...)`). */
  returnsPointer: boolean;
  body: TextRange | undefined;
}

/**
 * Reads a definition's head through one cursor rather than node objects, each of which costs a native lookup and a
 * wrapper: every definition of a file is scanned, and most are never walked.
 */
export function definitionHead(definition: SyntaxNode): DefinitionHead {
  const head: DefinitionHead = { name: undefined, returnBase: '?', returnsPointer: false, body: undefined };
  const cursor = definition.walk();
  let declarator = false;
  for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
    const field = fieldOf(cursor);
    if (field === 'type' && head.returnBase === '?') head.returnBase = typeText(cursor);
    else if (field === 'body' && head.body === undefined) head.body = { start: cursor.startIndex, end: cursor.endIndex };
    else if (field === 'declarator' && !declarator) {
      declarator = true;
      head.returnsPointer = cursorType(cursor) === 'pointer_declarator';
      head.name = declaredName(cursor);
    }
  }
  return head;
}

/** typeBase (types-index.ts) of the node at the cursor; the cursor is left where it was. */
export function typeText(cursor: TreeCursor): string {
  const type = cursorType(cursor);
  if (type !== 'struct_specifier' && type !== 'union_specifier' && type !== 'enum_specifier') return cursor.nodeText.replace(/\s+/g, ' ');
  let name = '<anonymous>';
  if (cursor.gotoFirstChild()) {
    do {
      if (fieldOf(cursor) === 'name') {
        name = cursor.nodeText;
        break;
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return `${type.slice(0, type.indexOf('_'))} ${name}`;
}

/**
 * Follows `declarator` fields from the node at the cursor to a function declarator and returns its own declarator's
 * text; the cursor is left where it was.
 */
function declaredName(cursor: TreeCursor): string | undefined {
  let depth = 0;
  let name: string | undefined;
  for (;;) {
    const inFunction = cursorType(cursor) === 'function_declarator';
    if (!cursor.gotoFirstChild()) break;
    depth++;
    let found = fieldOf(cursor) === 'declarator';
    while (!found && cursor.gotoNextSibling()) found = fieldOf(cursor) === 'declarator';
    if (!found) break;
    if (inFunction) {
      name = cursor.nodeText;
      break;
    }
  }
  for (; depth > 0; depth--) cursor.gotoParent();
  return name;
}
