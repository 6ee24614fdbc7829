// Incremental models of open documents: the tree is re-parsed from the previous one, and only the top-level items
// (function definitions, declarations, macros...) whose text changed are extracted again; the others keep their
// results, shifted to their new offsets. The model is exactly buildFileModel's (test/analysis/incremental.test.ts).
import { primitive } from '../lkmm/primitives';
import { extractFunctions, sameItems, type FunctionModel, type LoopInfo } from './events';
import { buildFileModel, collectComments, extractionNodes, type CommentSpan, type FileModel } from './model';
import { parseC, type ParseResult, type SyntaxNode, type Tree } from './parse';
import { scanFunction, selectScanned, volatileFieldPattern, type FunctionScan } from './relevance';
import { extractSites, functionDefinitionName, type BarrierSite } from './sites';
import { lineOf, lineStarts } from './text';
import type { TextRange } from './types';
import { collectItemDeclarations, isConditionalGroup, type FileDeclarations } from './types-index';

/** Past this many changed items (a `/*` opened at the top, a paste), one whole extraction is cheaper than item by item. */
const MAX_CHANGED_ITEMS = 64;

/** One function definition of an item: its relevance scan, and its events once walked (with the event limit used). */
interface Definition {
  /** Undefined for a definition without a name or a body, which relevance and extraction both skip. */
  scan: FunctionScan | undefined;
  model?: FunctionModel;
  limit?: number;
}

/**
 * A top-level item of the file, found through `#if` groups as collectDeclarations finds file scope, and what was
 * extracted from it, in the offsets of the text it was last extracted from.
 */
interface Item {
  type: string;
  start: number;
  end: number;
  /**
   * False for an item under error recovery that names a primitive (other than a whole function definition): its
   * sites may read text outside it (a function name above it, a closing parenthesis past it), so it is extracted
   * afresh each time.
   */
  reusable: boolean;
  sites: BarrierSite[];
  comments: CommentSpan[];
  declarations: FileDeclarations;
  definitions: Definition[];
  /** Its objects that hold offsets, for moving it (offsetsOf). */
  offsets: ItemOffsets | undefined;
}

/** A definition with a scan, by item index `k` and its index among the item's definitions. */
interface ScannedDefinition {
  k: number;
  index: number;
  scan: FunctionScan;
}

type Selected = ReturnType<typeof selectScanned<ScannedDefinition>>;

/** The item at `k` that an edit inside it replaced with a fresh extraction (reparseItem), and the edit. */
interface Replaced {
  k: number;
  old: Item;
  edit: TextEdit;
}

/** What an edit did to the text: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** An edit of the model's text, with how many lines it added (negative: removed), which moves every later line. */
interface ModelEdit extends TextEdit {
  lines: number;
}

/** The single edit that turns `before` into `after`: their common prefix and suffix are kept. */
export function diffTexts(before: string, after: string): TextEdit {
  const limit = Math.min(before.length, after.length);
  // Whole chunks compare natively; then a 300 kB document takes a fraction of a millisecond.
  const chunk = 1024;
  let start = 0;
  while (start + chunk <= limit && before.slice(start, start + chunk) === after.slice(start, start + chunk)) start += chunk;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const room = limit - start;
  let suffix = 0;
  const tail = (text: string, from: number, length: number): string => text.slice(text.length - from - length, text.length - from);
  while (suffix + chunk <= room && tail(before, suffix, chunk) === tail(after, suffix, chunk)) suffix += chunk;
  while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/**
 * The line starts of the text after `edit`, from those before it: starts up to the edit stay, those past it move by
 * its length, and only the inserted text is searched for line breaks (lineStarts reads the whole text).
 */
function editedLineStarts(starts: readonly number[], edit: TextEdit, text: string): number[] {
  const delta = edit.newEnd - edit.oldEnd;
  // A line starts one past its line break: breaks before the edit start lines at or before it.
  const kept = lineOf(starts, edit.start) + 1;
  let after = kept;
  while (after < starts.length && starts[after]! <= edit.oldEnd) after++;
  // One array grown by push, as lineStarts makes it: a preallocated (holey) part made the result's elements of
  // another kind than the previous edit's, and V8 threw away this function's optimised code after every edit.
  const edited = starts.slice(0, kept);
  for (let i = text.indexOf('\n', edit.start); i >= 0 && i < edit.newEnd; i = text.indexOf('\n', i + 1)) edited.push(i + 1);
  for (let k = after; k < starts.length; k++) edited.push(starts[k]! + delta);
  return edited;
}

/** Row and column (UTF-16 code units, as the tree-sitter binding counts them for JavaScript strings) of an offset. */
function point(starts: readonly number[], offset: number): { row: number; column: number } {
  const row = lineOf(starts, offset);
  return { row, column: offset - (starts[row] ?? 0) };
}

/** The items of a tree: the root's named children, with `#if`/`#ifdef`/`#else` groups opened. */
function topLevelItems(root: SyntaxNode): SyntaxNode[] {
  const items: SyntaxNode[] = [];
  const pending = [...root.namedChildren];
  while (pending.length > 0) {
    const node = pending.shift()!;
    if (isConditionalGroup(node)) pending.unshift(...node.namedChildren);
    else items.push(node);
  }
  return items;
}

/**
 * Every object of an item that holds offsets, each once: ranges, `if` id tuples, loop id lists and loops (events
 * share ranges, tuples and lists; fence events share their sites). Gathered once for an item and its walked functions
 * (a Set lookup per object), so each edit that moves the item moves them without looking any up.
 */
class ItemOffsets {
  readonly ranges: TextRange[] = [];
  readonly ids: Array<[number, number]> = [];
  readonly lists: number[][] = [];
  readonly loops: LoopInfo[] = [];

  /** What the offsets were gathered from; when an item's sites or walked functions change, they are gathered again. */
  readonly sites: readonly BarrierSite[];
  readonly models: ReadonlyArray<FunctionModel | undefined>;

  constructor(item: Item) {
    this.sites = item.sites;
    this.models = item.definitions.map((definition) => definition.model);
    const seen = new Set<object>();
    const first = (value: object): boolean => {
      const size = seen.size;
      seen.add(value);
      return seen.size !== size;
    };
    const range = (value: TextRange): void => {
      if (first(value)) this.ranges.push(value);
    };
    const site = (value: BarrierSite): void => {
      if (!first(value)) return;
      range(value.range);
      range(value.nameRange);
      for (const arg of value.args) range(arg);
    };
    for (const value of item.sites) site(value);
    for (const fn of this.models) {
      if (fn === undefined) continue;
      range(fn.range);
      range(fn.nameRange);
      for (const event of fn.events) {
        range(event.range);
        if (event.statement !== undefined) range(event.statement);
        for (const arm of event.arms) if (first(arm)) this.ids.push(arm);
        if (first(event.loops)) this.lists.push(event.loops);
        if (event.type === 'access') range(event.lvalue);
        else if (event.type === 'fence' && event.site !== undefined) site(event.site);
      }
      for (const loop of fn.loops) {
        if (!first(loop)) continue;
        this.loops.push(loop);
        range(loop.range);
      }
    }
  }

  /** Whether these are still the item's: the same sites and walked functions. */
  of(item: Item): boolean {
    return this.sites === item.sites && this.models.length === item.definitions.length && item.definitions.every((definition, k) => definition.model === this.models[k]);
  }

  move(delta: number): void {
    for (const range of this.ranges) {
      range.start += delta;
      range.end += delta;
    }
    for (const id of this.ids) id[0] += delta;
    for (const list of this.lists) for (let k = 0; k < list.length; k++) list[k]! += delta;
    for (const loop of this.loops) loop.id += delta;
  }
}

/** An item's offsets (ItemOffsets), gathered when first needed and again when its walked functions change. */
function offsetsOf(item: Item): ItemOffsets {
  if (item.offsets === undefined || !item.offsets.of(item)) item.offsets = new ItemOffsets(item);
  return item.offsets;
}

/**
 * Moves unchanged items' offsets by `delta` in place. Their sites and walked functions stay the very objects they
 * were, so what the workspace derived from them (flows, pairing candidates, pair results: pairs.ts) stays valid for
 * them: an edit costs the items it touched, not every item after it. One Shift moves all the items an edit moves;
 * no object is shared by two items (each is extracted from its own nodes).
 */
class Shift {
  /** `lines`: how many lines the edit added (negative: removed), which moves every line after it as much. */
  constructor(
    readonly delta: number,
    readonly lines: number,
  ) {}

  /** An unchanged item after the edit, moved in place. */
  item(item: Item): Item {
    if (this.delta === 0 && this.lines === 0) return item;
    if (this.delta !== 0) {
      offsetsOf(item).move(this.delta);
      item.start += this.delta;
      item.end += this.delta;
    }
    // Comments are plain values of the model (their lines change too): new objects.
    item.comments = item.comments.map(
      (comment): CommentSpan => ({
        ...comment,
        range: { start: comment.range.start + this.delta, end: comment.range.end + this.delta },
        startLine: comment.startLine + this.lines,
        endLine: comment.endLine + this.lines,
      }),
    );
    return item;
  }
}

/**
 * Whether a function's fresh extraction is its old one but for text offsets the edit moved, and if so, the old
 * objects take the fresh offsets in place (`adopt`). An edit that changes no event (a comment, blanks, a character in
 * a string) then leaves the function's model, sites and events the very objects they were, as Shift leaves those of
 * the items after it, so everything derived from them is kept (pairs.ts, analysis.ts, the rules). Offsets are the
 * `start`/`end` of ranges, loop ids and `if` ids; each must be where the edit takes the old one (before it: the same;
 * after it: moved by its length; at either end of it: either), one to one, so offsets equal before are equal after
 * and no others. Every other value must be equal.
 */
class SameButMoved {
  private readonly moved = new Map<number, number>();
  private readonly from = new Map<number, number>();
  private readonly writes: Array<[Record<string, unknown> | unknown[], string | number, number]> = [];

  constructor(private readonly edit: TextEdit) {}

  /** Whether `after`, an offset of the fresh extraction, is where the edit takes `before`. */
  private offset(before: number, after: number): boolean {
    const { start, oldEnd, newEnd } = this.edit;
    const delta = newEnd - oldEnd;
    const fits = before < start ? after === before : before > oldEnd ? after === before + delta : before === start || before === oldEnd ? after === before || after === before + delta : false;
    if (!fits) return false;
    const known = this.moved.get(before);
    const source = this.from.get(after);
    if ((known !== undefined && known !== after) || (source !== undefined && source !== before)) return false;
    this.moved.set(before, after);
    this.from.set(after, before);
    return true;
  }

  private value(a: unknown, b: unknown, holder: Record<string, unknown> | unknown[], key: string | number, isOffset: boolean): boolean {
    if (a === b) return true;
    if (typeof a === 'number' && typeof b === 'number') {
      if (!isOffset || !this.offset(a, b)) return false;
      this.writes.push([holder, key, b]);
      return true;
    }
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a)) return Array.isArray(b) && this.array(a, b, key);
    if (Array.isArray(b)) return false;
    return this.object(a as Record<string, unknown>, b as Record<string, unknown>);
  }

  /** Elements of a `loops` array of numbers are loop ids; the first of each `arms` pair (an `arm`) is an `if`'s id. */
  private array(a: unknown[], b: unknown[], key: string | number): boolean {
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) {
      const x = a[k];
      const y = b[k];
      if (key !== 'arms') {
        if (!this.value(x, y, a, k, key === 'loops' || (key === 'arm' && k === 0))) return false;
      } else if (x !== y && !(Array.isArray(x) && Array.isArray(y) && this.array(x, y, 'arm'))) return false;
    }
    return true;
  }

  private object(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!(key in b) || !this.value(a[key], b[key], a, key, key === 'start' || key === 'end' || key === 'id')) return false;
    }
    return true;
  }

  /** Whether `fresh` is `old` with offsets moved by the edit; comparisons add up until `adopt`. */
  same(old: unknown, fresh: unknown): boolean {
    return this.value(old, fresh, [], 0, false);
  }

  /** Gives the old objects compared the fresh offsets. */
  adopt(): void {
    for (const [holder, key, value] of this.writes) (holder as Record<string | number, unknown>)[key] = value;
  }
}

/**
 * Gives an item extracted again the old item's sites and walked functions when the edit moved their offsets and
 * changed nothing else in them (SameButMoved); otherwise leaves it as extracted.
 */
function keepUnchanged(fresh: Item, old: Item, edit: TextEdit): void {
  if (fresh.definitions.length !== old.definitions.length) return;
  const match = new SameButMoved(edit);
  if (!match.same(old.sites, fresh.sites)) return;
  for (let k = 0; k < old.definitions.length; k++) {
    const before = old.definitions[k]!;
    const after = fresh.definitions[k]!;
    if (before.limit !== after.limit || !match.same(before.model, after.model)) return;
  }
  match.adopt();
  fresh.sites = old.sites;
  fresh.definitions.forEach((definition, k) => {
    definition.model = old.definitions[k]!.model;
  });
  if (old.offsets?.of(fresh) === true) fresh.offsets = old.offsets;
}

/** Whether two scans of a definition are equal: the same object, or the same values (scans are plain data). */
function sameScan(a: FunctionScan | undefined, b: FunctionScan | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** `before` when it holds the same items as `after`, else `after`. */
function kept<T>(before: T[] | undefined, after: T[]): T[] {
  return before !== undefined && sameItems(before, after) ? before : after;
}

/** The entries of each kind of declaration in item order; a later definition of a name replaces an earlier one. */
function mergeDeclarations(items: readonly Item[]): FileDeclarations {
  const merged: FileDeclarations = { structs: {}, typedefs: {}, globals: {} };
  for (const { declarations } of items) {
    Object.assign(merged.structs, declarations.structs);
    Object.assign(merged.typedefs, declarations.typedefs);
    Object.assign(merged.globals, declarations.globals);
  }
  return merged;
}

/**
 * Whether an item's results depend on its text alone (see Item.reusable). A named function definition that ends in
 * its closing brace qualifies even with errors inside: its sites take its name, and a loose call's parenthesis is
 * looked for only up to the next brace.
 */
function reusable(node: SyntaxNode, text: string): boolean {
  if (!node.hasError) return true;
  if (node.type === 'function_definition' && text[node.endIndex - 1] === '}' && functionDefinitionName(node) !== undefined) return true;
  for (const [word] of text.slice(node.startIndex, node.endIndex).matchAll(/[A-Za-z_]\w*/g)) if (primitive(word) !== undefined) return false;
  return true;
}

/** Extracts one item from scratch; scans and walks of its definitions are left to IncrementalModel.assemble. */
function extractItem(node: SyntaxNode, text: string, starts: readonly number[]): { item: Item; definitions: SyntaxNode[] } {
  const { definitions, specifiers: structs, comments, errors } = extractionNodes(node);
  const item: Item = {
    type: node.type,
    start: node.startIndex,
    end: node.endIndex,
    reusable: reusable(node, text),
    sites: extractSites(node, text, { definitions, errors }),
    comments: collectComments(comments, starts),
    declarations: collectItemDeclarations([node], structs),
    definitions: definitions.map(() => ({ scan: undefined })),
    offsets: undefined,
  };
  return { item, definitions };
}

/** Sorted `entries` split among sorted disjoint `items` by start offset; undefined when one falls outside every item. */
function partition<T>(entries: readonly T[], items: readonly Item[], start: (entry: T) => number): T[][] | undefined {
  const parts = items.map((): T[] => []);
  let k = 0;
  for (const entry of entries) {
    const at = start(entry);
    while (k < items.length && items[k]!.end <= at) k++;
    const item = items[k];
    if (item === undefined || at < item.start) return undefined;
    parts[k]!.push(entry);
  }
  return parts;
}

/**
 * Whether every comment, string, character literal and brace that opens in `[start, end)` of the text also closes
 * there. A parse of that span alone reads it as the whole text's parse does only then: a `/*` typed into a function
 * opens a comment that runs past the function, where a parse of the function alone would read `/` and `*`; a `{`
 * left open makes the function swallow what follows it.
 */
function closesInside(text: string, start: number, end: number): boolean {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
    else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      if (i <= 0 || i >= end) return false;
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0 || i >= end) return false;
    } else if (c === '"' || c === "'") {
      for (i++; i < end && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      if (i >= end || text[i] !== c) return false;
    }
  }
  return depth === 0;
}

/**
 * Each item of a new tree, taken over from `base` when its text is unchanged (wholly before or after the edited span,
 * at the same or a shifted place), or extracted; undefined when too many changed. `fresh` holds the definition nodes
 * of the items extracted now, by item index.
 */
function reconcile(nodes: readonly SyntaxNode[], base: readonly Item[], text: string, starts: readonly number[], edit: ModelEdit): { items: Item[]; fresh: Map<number, SyntaxNode[]> } | undefined {
  const old = new Map<number, Item>();
  for (const item of base) if (item.reusable) old.set(item.start, item);
  const delta = edit.newEnd - edit.oldEnd;
  const shift = new Shift(delta, edit.lines);
  const fresh = new Map<number, SyntaxNode[]>();
  const items: Item[] = [];
  for (const [k, node] of nodes.entries()) {
    const start = node.startIndex;
    const end = node.endIndex;
    const moved = end < edit.start ? 0 : start > edit.newEnd ? delta : undefined;
    const found = moved === undefined ? undefined : old.get(start - moved);
    if (moved !== undefined && found !== undefined && found.end === end - moved && found.type === node.type) {
      items.push(end < edit.start ? found : shift.item(found));
      continue;
    }
    if (fresh.size >= MAX_CHANGED_ITEMS) return undefined;
    const extracted = extractItem(node, text, starts);
    fresh.set(k, extracted.definitions);
    items.push(extracted.item);
  }
  return { items, fresh };
}

/**
 * The model of one document across its edits. `update` returns what buildFileModel returns for the same text, at
 * the cost of the items the edit touched (plus an incremental re-parse and moving the other items' offsets).
 */
export class IncrementalModel {
  private tree: Tree | undefined;
  private text = '';
  private starts: number[] = [0];
  /** The text `tree` was parsed from, and its line starts; later edits are told to the tree at the next whole re-parse. */
  private treeText = '';
  private treeStarts: number[] = [0];
  /** Empty when the last update could not be split into items; the next one then extracts the whole file. */
  private items: Item[] = [];
  /** The last selection of definitions to walk (see select). */
  private selection: { scanned: ScannedDefinition[]; selected: Selected } | undefined;
  /** What every walk and scan read last time: the file's globals and its volatile fields. */
  private globalsKey = '';
  private volatileKey = '';
  /** The last selection's walked definitions by item index (walkOf). */
  private walkByItem: { selected: Selected; byItem: Map<number, ScannedDefinition[]> } | undefined;
  /** The last model's walked functions and sites. */
  private lists: { functions: FunctionModel[]; sites: BarrierSite[] } | undefined;
  /** The items' merged declarations and volatile fields of the last model. */
  private merged: { declarations: FileDeclarations; volatile: RegExp | undefined } | undefined;

  /**
   * False when the tree came from an incremental re-parse that left errors: tree-sitter's error recovery from a
   * previous tree can differ from a fresh parse's, so the model may differ from buildFileModel's until `settle`.
   */
  private exact = true;

  constructor(readonly file: string) {}

  /** Whether the model of the last update is known to equal buildFileModel's for its text. */
  isExact(): boolean {
    return this.exact;
  }

  /** Parses the current text afresh (when the user pauses) so the model equals buildFileModel's again. */
  settle(): FileModel {
    this.tree = undefined;
    return this.reparseWhole(this.items, undefined, this.text, this.starts);
  }

  update(text: string): FileModel {
    try {
      return this.apply(text);
    } catch (error) {
      // Half-updated state would mislead the next edit's reuse: start over from the next text.
      this.tree = undefined;
      this.items = [];
      throw error;
    }
  }

  private apply(text: string): FileModel {
    const diff = this.tree === undefined ? undefined : diffTexts(this.text, text);
    const starts = diff === undefined ? lineStarts(text) : editedLineStarts(this.starts, diff, text);
    const edit = diff === undefined ? undefined : { ...diff, lines: starts.length - this.starts.length };
    this.text = text;
    this.starts = starts;
    const local = edit === undefined ? undefined : this.reparseItem(edit, text, starts);
    if (local === undefined) return this.reparseWhole(this.items, edit, text, starts);
    const model = this.assemble(local.items, local.fresh, undefined, text, starts, local.replaced);
    if (model !== undefined) {
      this.items = local.items;
      return model;
    }
    // Other items must be scanned or walked again, which takes their nodes: the items now match the new text.
    return this.reparseWhole(local.items, { start: -1, oldEnd: -1, newEnd: -1, lines: 0 }, text, starts);
  }

  /**
   * Re-parses only the function definition an edit falls strictly inside (tree-sitter's included ranges keep the whole
   * text's offsets), when its comments, literals and braces close inside it and it parses alone into one function
   * definition with the same bounds and no error: typing inside a function body.
   * Re-parsing a whole kernel file takes tens of milliseconds even from the previous tree; one item, a fraction of one.
   */
  private reparseItem(edit: ModelEdit, text: string, starts: readonly number[]): { items: Item[]; fresh: Map<number, SyntaxNode[]>; replaced: Replaced } | undefined {
    const k = this.items.findIndex((item) => item.start < edit.start && edit.oldEnd < item.end);
    const item = this.items[k];
    if (item?.type !== 'function_definition') return undefined;
    const delta = edit.newEnd - edit.oldEnd;
    const end = item.end + delta;
    if (!closesInside(text, item.start, end)) return undefined;
    const parsed = parseC(text, undefined, { startIndex: item.start, endIndex: end, startPosition: point(starts, item.start), endPosition: point(starts, end) });
    if (!parsed.ok) return undefined;
    const [node, ...more] = parsed.tree.rootNode.namedChildren;
    if (node === undefined || more.length > 0 || node.type !== item.type || node.startIndex !== item.start || node.endIndex !== end) return undefined;
    // Error recovery depends on what follows: a function with an error is re-parsed with the whole text.
    if (parsed.tree.rootNode.hasError) return undefined;
    const extracted = extractItem(node, text, starts);
    const shift = new Shift(delta, edit.lines);
    const items = this.items.map((other, j) => (j < k ? other : j === k ? extracted.item : shift.item(other)));
    return { items, fresh: new Map([[k, extracted.definitions]]), replaced: { k, old: item, edit } };
  }

  /** Re-parses the whole text from the previous tree and takes over from `base` the items whose text is unchanged. */
  private reparseWhole(base: readonly Item[], edit: ModelEdit | undefined, text: string, starts: number[]): FileModel {
    if (this.tree !== undefined && this.treeText !== text) {
      // The tree hears of the edits since its parse as one (Tree.edit costs milliseconds on a large file, and most
      // edits are re-parsed item by item and never need it), so this re-parse can reuse what lies outside them.
      const since = diffTexts(this.treeText, text);
      this.tree.edit({
        startIndex: since.start,
        oldEndIndex: since.oldEnd,
        newEndIndex: since.newEnd,
        startPosition: point(this.treeStarts, since.start),
        oldEndPosition: point(this.treeStarts, since.oldEnd),
        newEndPosition: point(starts, since.newEnd),
      });
    }
    const parsed = parseC(text, this.tree);
    this.treeText = text;
    this.treeStarts = starts;
    // Without errors, a re-parse from the previous tree gives the fresh parse's tree.
    this.exact = this.tree === undefined || !parsed.ok || !parsed.tree.rootNode.hasError;
    this.tree = parsed.ok ? parsed.tree : undefined;
    const root = parsed.ok ? parsed.tree.rootNode : undefined;
    // A refused text, or a root that is itself an error (nothing in it to tell apart), is extracted whole.
    if (root === undefined || root.type === 'ERROR') {
      this.items = [];
      return buildFileModel(this.file, text, parsed);
    }
    const nodes = topLevelItems(root);
    const reconciled = edit === undefined || base.length === 0 ? undefined : reconcile(nodes, base, text, starts, edit);
    if (reconciled === undefined) return this.extractWhole(parsed, root, nodes, text, starts);
    this.items = reconciled.items;
    // With every node at hand, assemble always gives a model.
    return this.assemble(reconciled.items, reconciled.fresh, nodes, text, starts)!;
  }

  /**
   * The file's model from its items, by buildFileModel's steps; walks only definitions that have no events yet. `fresh`
   * holds the definition nodes of the items extracted now, by item index; `nodes` are every item's node, or undefined
   * when only the fresh items were parsed, and then the result is undefined if other items need scanning or walking.
   * `replaced`: the item an edit inside it replaced, whose sites and functions are kept if only their offsets changed.
   */
  private assemble(
    items: readonly Item[],
    fresh: ReadonlyMap<number, SyntaxNode[]>,
    nodes: readonly SyntaxNode[] | undefined,
    text: string,
    starts: number[],
    replaced?: Replaced,
  ): FileModel | undefined {
    // An item extracted again with the declarations it had (a function definition: none) leaves the merge as it was:
    // the very object, which pairing compares by object before it compares by JSON.
    const merged = this.merged;
    const same = replaced !== undefined && merged !== undefined && JSON.stringify(items[replaced.k]!.declarations) === JSON.stringify(replaced.old.declarations);
    const declarations = same ? merged.declarations : mergeDeclarations(items);
    const volatile = same ? merged.volatile : volatileFieldPattern(declarations);
    // Scans read the volatile fields and walks read the globals: when those change, every definition depends on them.
    const volatileKey = volatile?.source ?? '';
    const globalsKey = same ? this.globalsKey : JSON.stringify(declarations.globals);
    const rescan = volatileKey !== this.volatileKey;
    const rewalk = globalsKey !== this.globalsKey;
    if (nodes === undefined && (rescan || rewalk)) return undefined;
    // Definition nodes are looked up only for the few definitions scanned or walked again.
    const definitionNodes = new Map(fresh);
    const nodeOf = (k: number, index: number): SyntaxNode | undefined => {
      let found = definitionNodes.get(k);
      if (found === undefined && nodes !== undefined) {
        found = nodes[k]!.descendantsOfType('function_definition');
        definitionNodes.set(k, found);
      }
      return found?.[index];
    };
    if (replaced !== undefined && same && !rescan && !rewalk) {
      const model = this.assembleReplaced(items, replaced, nodeOf, text, starts, declarations);
      if (model !== undefined) return model;
    }
    // Plain loops over every item and definition: each edit runs them, and closures would be more for V8 to compile.
    const scanned: ScannedDefinition[] = [];
    for (let k = 0; k < items.length; k++) {
      const { definitions } = items[k]!;
      const again = rescan || fresh.has(k);
      for (let index = 0; index < definitions.length; index++) {
        const definition = definitions[index]!;
        if (again) definition.scan = scanFunction(nodeOf(k, index)!, text, volatile);
        if (rewalk) delete definition.model;
        if (definition.scan !== undefined) scanned.push({ k, index, scan: definition.scan });
      }
    }
    const { walk, maxEvents, stubs } = this.select(scanned);
    const unwalked: ScannedDefinition[] = [];
    for (const entry of walk) {
      const definition = items[entry.k]!.definitions[entry.index]!;
      if (definition.model === undefined || definition.limit !== maxEvents.get(entry)) unwalked.push(entry);
    }
    if (unwalked.some((entry) => nodeOf(entry.k, entry.index) === undefined)) return undefined;
    for (const entry of unwalked) this.walkDefinition(items[entry.k]!, entry.index, nodeOf(entry.k, entry.index)!, maxEvents.get(entry), declarations);
    if (replaced !== undefined) keepUnchanged(items[replaced.k]!, replaced.old, replaced.edit);
    this.volatileKey = volatileKey;
    this.globalsKey = globalsKey;
    this.merged = { declarations, volatile };
    this.takeLists(items, walk);
    return this.model(items, text, starts, declarations, stubs, walk.length > 0);
  }

  /** Walks one selected definition of an item, up to the inlining limit for a helper walked only to be inlined. */
  private walkDefinition(item: Item, index: number, node: SyntaxNode, limit: number | undefined, declarations: FileDeclarations): void {
    const definition = item.definitions[index]!;
    definition.model = extractFunctions([node], this.file, item.sites, declarations.globals, limit === undefined ? undefined : new Map([[node, limit]]))[0];
    definition.limit = limit;
  }

  /**
   * The model's lists from the items' walked functions and sites: the very lists of the last model when they hold the
   * same objects, so what the rules keep by list stays kept.
   */
  private takeLists(items: readonly Item[], walk: readonly ScannedDefinition[]): void {
    const functions: FunctionModel[] = [];
    for (const entry of walk) {
      const model = items[entry.k]!.definitions[entry.index]!.model;
      if (model !== undefined) functions.push(model);
    }
    const sites: BarrierSite[] = [];
    for (const item of items) for (const site of item.sites) sites.push(site);
    this.lists = { functions: kept(this.lists?.functions, functions), sites: kept(this.lists?.sites, sites) };
  }

  /** The model of the items with `lists`, and the comments when it may have findings (as buildFileModel keeps them). */
  private model(items: readonly Item[], text: string, starts: number[], declarations: FileDeclarations, stubs: Selected['stubs'], walks: boolean): FileModel {
    const { functions, sites } = this.lists!;
    const comments: CommentSpan[] = [];
    if (sites.length > 0 || walks) for (const item of items) for (const comment of item.comments) comments.push(comment);
    return { file: this.file, text, lineStarts: starts, sites, comments, declarations, functions, stubs };
  }

  /**
   * assemble's answer after an edit inside one item (reparseItem) that left the file's declarations as they were,
   * without a pass over every item: when the item's definitions scan as they did, the selection stands and only they
   * are walked; when they keep their old objects too (keepUnchanged), the model's lists are the last model's.
   * Undefined when a scan changed: assemble then selects again from every definition.
   */
  private assembleReplaced(
    items: readonly Item[],
    { k, old, edit }: Replaced,
    nodeOf: (k: number, index: number) => SyntaxNode | undefined,
    text: string,
    starts: number[],
    declarations: FileDeclarations,
  ): FileModel | undefined {
    const item = items[k]!;
    const known = this.selection;
    if (known === undefined || this.lists === undefined || item.definitions.length !== old.definitions.length) return undefined;
    for (let index = 0; index < item.definitions.length; index++) {
      const definition = item.definitions[index]!;
      definition.scan = scanFunction(nodeOf(k, index)!, text, this.merged?.volatile);
      if (!sameScan(definition.scan, old.definitions[index]!.scan)) return undefined;
    }
    const { walk, maxEvents, stubs } = known.selected;
    for (const entry of this.walkOf(known.selected).get(k) ?? []) this.walkDefinition(item, entry.index, nodeOf(k, entry.index)!, maxEvents.get(entry), declarations);
    keepUnchanged(item, old, edit);
    const same = item.sites === old.sites && item.definitions.every((definition, index) => definition.model === old.definitions[index]!.model);
    if (!same) this.takeLists(items, walk);
    return this.model(items, text, starts, declarations, stubs, walk.length > 0);
  }

  /** The selection's walked definitions by item, made once per selection. */
  private walkOf(selected: Selected): Map<number, ScannedDefinition[]> {
    if (this.walkByItem?.selected !== selected) {
      const byItem = new Map<number, ScannedDefinition[]>();
      for (const entry of selected.walk) {
        const list = byItem.get(entry.k);
        if (list === undefined) byItem.set(entry.k, [entry]);
        else list.push(entry);
      }
      this.walkByItem = { selected, byItem };
    }
    return this.walkByItem.byItem;
  }

  /**
   * selectScanned's answer, kept while the definitions are at the same places with equal scans: an edit inside a
   * function rarely changes what its text calls, and the selection reads every definition's scan.
   */
  private select(scanned: ScannedDefinition[]): Selected {
    const known = this.selection;
    let same = known !== undefined && known.scanned.length === scanned.length;
    for (let n = 0; same && n < scanned.length; n++) {
      const entry = scanned[n]!;
      const other = known!.scanned[n]!;
      same = other.k === entry.k && other.index === entry.index && sameScan(other.scan, entry.scan);
    }
    if (same) return known!.selected;
    const selected = selectScanned(scanned);
    this.selection = { scanned, selected };
    return selected;
  }

  /** One whole extraction (the first update, or after a large change), split into items for the next update. */
  private extractWhole(parsed: ParseResult, root: SyntaxNode, nodes: readonly SyntaxNode[], text: string, starts: readonly number[]): FileModel {
    const model = buildFileModel(this.file, text, parsed);
    this.items = this.split(model, root, nodes, starts) ?? [];
    const declarations = mergeDeclarations(this.items);
    const volatile = volatileFieldPattern(declarations);
    this.volatileKey = volatile?.source ?? '';
    this.globalsKey = JSON.stringify(declarations.globals);
    this.merged = { declarations, volatile };
    // The lists are this model's, and the next update selects afresh: a selection kept from before would be another
    // text's (assembleReplaced takes the last selection and lists as the current items').
    this.lists = { functions: model.functions, sites: model.sites };
    this.selection = undefined;
    return model;
  }

  /**
   * A whole model divided among the items; undefined when something lies outside every item. Nodes are fetched from
   * the root in one pass and divided by offset: each descendantsOfType call costs about 0.1 ms however small the node.
   */
  private split(model: FileModel, root: SyntaxNode, nodes: readonly SyntaxNode[], starts: readonly number[]): Item[] | undefined {
    const items = nodes.map((node): Item => ({
      type: node.type,
      start: node.startIndex,
      end: node.endIndex,
      reusable: reusable(node, model.text),
      sites: [],
      comments: [],
      declarations: { structs: {}, typedefs: {}, globals: {} },
      definitions: [],
      offsets: undefined,
    }));
    const sites = partition(model.sites, items, (site) => site.range.start);
    // The model keeps no comments when it has no site and walks nothing; the items keep them for later edits.
    const found = extractionNodes(root);
    const comments = partition(collectComments(found.comments, starts), items, (comment) => comment.range.start);
    const structs = partition(found.specifiers, items, (node) => node.startIndex);
    const definitionNodes = partition(found.definitions, items, (node) => node.startIndex);
    if (sites === undefined || comments === undefined || structs === undefined || definitionNodes === undefined) return undefined;
    items.forEach((item, k) => {
      item.sites = sites[k]!;
      item.comments = comments[k]!;
      item.declarations = collectItemDeclarations([nodes[k]!], structs[k]!);
    });
    const volatile = volatileFieldPattern(mergeDeclarations(items));
    const walked = new Map(model.functions.map((fn) => [fn.range.start, fn]));
    const scanned: Array<{ definition: Definition; start: number; scan: FunctionScan }> = [];
    items.forEach((item, k) => {
      item.definitions = definitionNodes[k]!.map((node): Definition => {
        const definition: Definition = { scan: scanFunction(node, model.text, volatile) };
        if (definition.scan !== undefined) scanned.push({ definition, start: node.startIndex, scan: definition.scan });
        return definition;
      });
    });
    // The same selection as buildFileModel's: its walked functions are the models, with the limits they were walked to.
    const { walk, maxEvents } = selectScanned(scanned);
    for (const entry of walk) {
      entry.definition.model = walked.get(entry.start);
      entry.definition.limit = maxEvents.get(entry);
    }
    // Gathered now, with the whole file, rather than during the first edits.
    for (const item of items) item.offsets = new ItemOffsets(item);
    return items;
  }
}
