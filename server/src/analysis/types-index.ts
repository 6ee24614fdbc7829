// C declarations the location keys need: struct fields, typedefs and globals of a file, and their merge across files.
import type { TreeCursor } from 'tree-sitter';
import { cursorType, fieldOf, liteTree, typeText, type CNode } from './lite';
import type { SyntaxNode as TreeNode } from './parse';

/** A declared C type reduced to what keys need: its base name (`struct msg_receiver`, `int`) and pointer depth. */
export interface CType {
  base: string;
  pointers: number;
}

export interface FieldInfo {
  type: CType;
  /** Declared `volatile` (e.g. `struct msg_msg *volatile r_msg`): accesses to it are marked, as READ_ONCE would be. */
  volatile: boolean;
}

/** Declarations of one file, plain data. */
export interface FileDeclarations {
  /** `struct name` → field → info. */
  structs: Record<string, Record<string, FieldInfo>>;
  /** typedef name → the type it names. */
  typedefs: Record<string, CType>;
  /** File-scope variables. */
  globals: Record<string, CType>;
}

/** The base name of a type specifier node: `struct foo`, `union bar`, `mempool_t`, `unsigned long`. */
export function typeBase(node: CNode | null): string {
  if (node === null) return '?';
  if (node.type === 'struct_specifier' || node.type === 'union_specifier' || node.type === 'enum_specifier') {
    const keyword = node.type.slice(0, node.type.indexOf('_'));
    const name = node.childForFieldName('name');
    return `${keyword} ${name?.text ?? '<anonymous>'}`;
  }
  return node.text.replace(/\s+/g, ' ');
}

/**
 * Walks a declarator (`*volatile r_msg`, `arr[4]`, `(*fn)(void)`) down to its identifier, counting pointer levels;
 * arrays count as one level, since `a[i]` and `*p` are both accesses through the base.
 */
export function unwrapDeclarator(declarator: CNode | null): { name?: string; pointers: number; volatile: boolean; isFunction: boolean } {
  let pointers = 0;
  let isVolatile = false;
  let isFunction = false;
  let node = declarator;
  while (node !== null) {
    switch (node.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: node.text, pointers, volatile: isVolatile, isFunction };
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        pointers++;
        if (node.children.some((child) => child.type === 'type_qualifier' && child.text === 'volatile')) isVolatile = true;
        node = node.childForFieldName('declarator');
        break;
      case 'array_declarator':
        pointers++;
        node = node.childForFieldName('declarator');
        break;
      case 'function_declarator':
        isFunction = true;
        node = node.childForFieldName('declarator');
        break;
      case 'init_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        node = node.childForFieldName('declarator') ?? node.namedChildren[0] ?? null;
        break;
      default:
        return { pointers, volatile: isVolatile, isFunction };
    }
  }
  return { pointers, volatile: isVolatile, isFunction };
}

function hasVolatileQualifier(declaration: CNode): boolean {
  return declaration.children.some((child) => child.type === 'type_qualifier' && child.text === 'volatile');
}

/** Records a struct or union definition (with its fields) found anywhere in the tree. */
function recordStruct(specifier: CNode, into: FileDeclarations): void {
  const body = specifier.childForFieldName('body');
  if (body === null) return;
  const fields: Record<string, FieldInfo> = {};
  for (const field of body.namedChildren) {
    if (field.type !== 'field_declaration') continue;
    const base = typeBase(field.childForFieldName('type'));
    const qualified = hasVolatileQualifier(field);
    for (const declarator of field.childrenForFieldName('declarator')) {
      const info = unwrapDeclarator(declarator);
      if (info.name === undefined) continue;
      fields[info.name] = { type: { base, pointers: info.pointers }, volatile: qualified || info.volatile };
    }
  }
  into.structs[typeBase(specifier)] = fields;
}

/** An `#if`/`#ifdef` group or its `#else`/`#elif` branch: what it holds is still at file scope. */
export function isConditionalGroup(node: CNode): boolean {
  return conditionalType(node.type);
}

function conditionalType(type: string): boolean {
  return type.startsWith('preproc_if') || type === 'preproc_else' || type === 'preproc_elif';
}

/** Collects struct definitions (the specifiers found anywhere in the tree), typedefs and file-scope variables. */
export function collectDeclarations(root: TreeNode, specifiers: readonly TreeNode[]): FileDeclarations {
  const declarations = structDeclarations(specifiers);
  // The root's children, whatever the root is: a file the parser could not read as a translation unit is an ERROR.
  const cursor = root.walk();
  if (cursor.gotoFirstChild()) do declareFileScope(cursor, declarations); while (cursor.gotoNextSibling());
  return declarations;
}

/** The same from some of a file's top-level nodes (analysis/incremental.ts collects them item by item). */
export function collectItemDeclarations(items: readonly TreeNode[], specifiers: readonly TreeNode[]): FileDeclarations {
  const declarations = structDeclarations(specifiers);
  for (const item of items) declareFileScope(item.walk(), declarations);
  return declarations;
}

function structDeclarations(specifiers: readonly TreeNode[]): FileDeclarations {
  const declarations: FileDeclarations = { structs: {}, typedefs: {}, globals: {} };
  // A struct's fields are read node by node, several reads each: a plain copy answers them without native calls.
  for (const specifier of specifiers) recordStruct(liteTree(specifier, specifier.text), declarations);
  return declarations;
}

/**
 * Records the typedefs and variables a top-level node declares, the cursor's: the node itself, or what an `#if` group
 * holds (kernel files declare half their statics under CONFIG_*), read where the group is; the cursor is left where
 * it was. One cursor reads them: most top-level nodes of a tree are neither, and a node object costs a native lookup
 * and a wrapper.
 */
function declareFileScope(cursor: TreeCursor, into: FileDeclarations): void {
  let depth = 0;
  for (;;) {
    const type = cursorType(cursor);
    if (type === 'type_definition') declare(cursor, into.typedefs);
    else if (type === 'declaration') declare(cursor, into.globals);
    else if (conditionalType(type) && cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    if (depth === 0) return;
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      if (--depth === 0) return;
    }
  }
}

/**
 * Records the names the typedef or declaration at the cursor declares, other than functions; the cursor is left
 * where it was. The type's text is read only once a declarator needs it: most file-scope declarations of a tree are
 * prototypes, which declare nothing kept here.
 */
function declare(cursor: TreeCursor, into: Record<string, CType>): void {
  if (!cursor.gotoFirstChild()) return;
  const kept: Array<{ name: string; pointers: number }> = [];
  let typeAt = -1;
  let index = 0;
  do {
    const field = fieldOf(cursor);
    if (field === 'type' && typeAt < 0) typeAt = index;
    else if (field === 'declarator') {
      const declared = keptDeclarator(cursor);
      if (declared !== undefined) kept.push(declared);
    }
    index++;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  if (kept.length === 0) return;
  let base = '?';
  if (typeAt >= 0 && cursor.gotoFirstChild()) {
    for (let k = 0; k < typeAt; k++) cursor.gotoNextSibling();
    base = typeText(cursor);
    cursor.gotoParent();
  }
  for (const { name, pointers } of kept) into[name] = { base, pointers };
}

/**
 * The name and pointer depth the declarator at the cursor declares, as unwrapDeclarator reads them, or undefined for a
 * function or a declarator without a name. Names and function declarators, most of a tree's, are answered
 * from the cursor; the others are read through their node.
 */
function keptDeclarator(cursor: TreeCursor): { name: string; pointers: number } | undefined {
  const type = cursorType(cursor);
  if (type === 'function_declarator') return undefined;
  if (type === 'identifier' || type === 'type_identifier') return { name: cursor.nodeText, pointers: 0 };
  const info = unwrapDeclarator(cursor.currentNode);
  return info.name === undefined || info.isFunction ? undefined : { name: info.name, pointers: info.pointers };
}

/** The declarations of every file merged: what key resolution consults. Later files do not override earlier ones. */
export class TypeIndex {
  private readonly structs = new Map<string, Record<string, FieldInfo>>();
  private readonly typedefs = new Map<string, CType>();

  add(declarations: FileDeclarations): void {
    for (const [name, fields] of Object.entries(declarations.structs)) {
      const known = this.structs.get(name);
      // A forward use records an empty body; a full definition elsewhere wins.
      if (known === undefined || Object.keys(known).length === 0) this.structs.set(name, fields);
    }
    for (const [name, type] of Object.entries(declarations.typedefs)) if (!this.typedefs.has(name)) this.typedefs.set(name, type);
  }

  /** Follows typedefs to the named struct (or base type), adding their pointer levels. */
  canonical(type: CType): CType {
    let current = type;
    for (let depth = 0; depth < 8; depth++) {
      const target = this.typedefs.get(current.base);
      if (target === undefined) return current;
      current = { base: target.base, pointers: target.pointers + current.pointers };
    }
    return current;
  }

  field(structType: CType, name: string): FieldInfo | undefined {
    return this.structs.get(this.canonical(structType).base)?.[name];
  }
}
