// C declarations the location keys need: struct fields, typedefs and globals of a file, and their merge across files.
import { liteTree, type CNode } from './lite';
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
  return node.type.startsWith('preproc_if') || node.type === 'preproc_else' || node.type === 'preproc_elif';
}

/**
 * Records the names a typedef or declaration declares, other than functions. The type's text is read only once a
 * declarator needs it: most file-scope declarations of a tree are prototypes, which declare nothing kept here.
 */
function declare(node: CNode, into: Record<string, CType>): void {
  let base: string | undefined;
  for (const declarator of node.childrenForFieldName('declarator')) {
    const info = unwrapDeclarator(declarator);
    if (info.name === undefined || info.isFunction) continue;
    base ??= typeBase(node.childForFieldName('type'));
    into[info.name] = { base, pointers: info.pointers };
  }
}

/** Collects struct definitions (the specifiers found anywhere in the tree), typedefs and file-scope variables. */
export function collectDeclarations(root: CNode, specifiers: readonly TreeNode[]): FileDeclarations {
  return collectItemDeclarations(root.namedChildren, specifiers);
}

/** The same from some of a file's top-level nodes (analysis/incremental.ts collects them item by item). */
export function collectItemDeclarations(items: readonly CNode[], specifiers: readonly TreeNode[]): FileDeclarations {
  const declarations: FileDeclarations = { structs: {}, typedefs: {}, globals: {} };
  // A struct's fields are read node by node, several reads each: a plain copy answers them without native calls.
  for (const specifier of specifiers) recordStruct(liteTree(specifier, specifier.text), declarations);
  // File scope includes the insides of #if/#ifdef blocks (kernel files declare half their statics under CONFIG_*):
  // a group's children are read where the group is, before the nodes after it.
  const stack: Array<{ nodes: readonly CNode[]; next: number }> = [{ nodes: items, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const node = top.nodes[top.next++];
    if (node === undefined) {
      stack.pop();
      continue;
    }
    if (isConditionalGroup(node)) stack.push({ nodes: node.namedChildren, next: 0 });
    else if (node.type === 'type_definition') declare(node, declarations.typedefs);
    else if (node.type === 'declaration') declare(node, declarations.globals);
  }
  return declarations;
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
