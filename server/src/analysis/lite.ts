// A plain-object copy of a subtree, built in one cursor walk: the event walker (events.ts) reads each node several
// times, and every read of a tree-sitter node crosses into native code and allocates a wrapper.
import type { SyntaxNode } from './parse';

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

class LiteNode implements CNode {
  readonly children: LiteNode[] = [];
  private named: LiteNode[] | undefined;

  constructor(
    readonly type: string,
    private readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
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
}

/** Copies `node`'s subtree; `text` is the node's own text. */
export function liteTree(node: SyntaxNode, text: string): CNode {
  const source = { text, base: node.startIndex };
  const cursor = node.walk();
  const root = new LiteNode(cursor.nodeType, cursor.nodeIsNamed, cursor.startIndex, cursor.endIndex, null, null, source);
  if (!cursor.gotoFirstChild()) return root;
  let current = root;
  for (;;) {
    const made = new LiteNode(cursor.nodeType, cursor.nodeIsNamed, cursor.startIndex, cursor.endIndex, cursor.currentFieldName ?? null, current, source);
    current.children.push(made);
    if (cursor.gotoFirstChild()) {
      current = made;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      if (current === root) return root;
      current = current.parent!;
    }
  }
}
