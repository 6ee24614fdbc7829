// Incremental models of open documents: the tree is re-parsed from the previous one, and only the top-level items
// (function definitions, declarations, macros...) whose text changed are extracted again; the others keep their
// results, shifted to their new offsets. The model is exactly buildFileModel's (test/analysis/incremental.test.ts).
import { primitive } from '../lkmm/primitives';
import { extractFunctions, type Event, type FunctionModel } from './events';
import { buildFileModel, collectComments, type CommentSpan, type FileModel } from './model';
import { parseC, type ParseResult, type SyntaxNode, type Tree } from './parse';
import { scanFunction, selectScanned, volatileFieldPattern, type FunctionScan } from './relevance';
import { extractSites, type BarrierSite } from './sites';
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
   * False for an item under error recovery that names a primitive: such sites read text outside the item (the
   * function name above it, a closing parenthesis past it), so the item is extracted afresh each time.
   */
  reusable: boolean;
  sites: BarrierSite[];
  comments: CommentSpan[];
  declarations: FileDeclarations;
  definitions: Definition[];
}

/** What an edit did to the text: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
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

const shiftRange = (range: TextRange, delta: number): TextRange => ({ start: range.start + delta, end: range.end + delta });

function shiftSite(site: BarrierSite, delta: number): BarrierSite {
  return { ...site, range: shiftRange(site.range, delta), nameRange: shiftRange(site.nameRange, delta), args: site.args.map((arg) => shiftRange(arg, delta)) };
}

function shiftEvent(event: Event, delta: number, sites: ReadonlyMap<BarrierSite, BarrierSite>): Event {
  const moved: Event = { ...event };
  moved.range = shiftRange(event.range, delta);
  if (event.statement !== undefined) moved.statement = shiftRange(event.statement, delta);
  // if/switch and loop ids are node offsets too.
  moved.arms = event.arms.map(([id, arm]): [number, number] => [id + delta, arm]);
  moved.loops = event.loops.map((id) => id + delta);
  if (moved.type === 'access') moved.lvalue = shiftRange(moved.lvalue, delta);
  // A fence points at its site in the model's list of sites, which moved alongside.
  else if (moved.type === 'fence' && moved.site !== undefined) moved.site = sites.get(moved.site) ?? shiftSite(moved.site, delta);
  return moved;
}

function shiftFunction(fn: FunctionModel, delta: number, sites: ReadonlyMap<BarrierSite, BarrierSite>): FunctionModel {
  return {
    ...fn,
    range: shiftRange(fn.range, delta),
    nameRange: shiftRange(fn.nameRange, delta),
    events: fn.events.map((event) => shiftEvent(event, delta, sites)),
    loops: fn.loops.map((loop) => ({ ...loop, id: loop.id + delta, range: shiftRange(loop.range, delta) })),
  };
}

/** An unchanged item moved by `delta`, in a text whose lines start at `starts`. */
function shiftItem(item: Item, delta: number, starts: readonly number[]): Item {
  if (delta === 0) return item;
  const sites = new Map(item.sites.map((site) => [site, shiftSite(site, delta)]));
  return {
    ...item,
    start: item.start + delta,
    end: item.end + delta,
    sites: [...sites.values()],
    comments: item.comments.map((comment): CommentSpan => {
      const range = shiftRange(comment.range, delta);
      return { ...comment, range, startLine: lineOf(starts, range.start), endLine: lineOf(starts, Math.max(range.start, range.end - 1)) };
    }),
    definitions: item.definitions.map((definition) =>
      definition.model === undefined ? { ...definition } : { ...definition, model: shiftFunction(definition.model, delta, sites) },
    ),
  };
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

const STRUCTS = ['struct_specifier', 'union_specifier'];

/** Whether an item's results depend on its text alone (see Item.reusable). */
function reusable(node: SyntaxNode, text: string): boolean {
  if (!node.hasError) return true;
  for (const [word] of text.slice(node.startIndex, node.endIndex).matchAll(/[A-Za-z_]\w*/g)) if (primitive(word) !== undefined) return false;
  return true;
}

/** Extracts one item from scratch; scans and walks of its definitions are left to IncrementalModel.assemble. */
function extractItem(node: SyntaxNode, text: string, starts: readonly number[]): { item: Item; definitions: SyntaxNode[] } {
  const definitions = node.descendantsOfType('function_definition');
  const item: Item = {
    type: node.type,
    start: node.startIndex,
    end: node.endIndex,
    reusable: reusable(node, text),
    sites: extractSites(node, text),
    comments: collectComments(node.descendantsOfType('comment'), starts),
    declarations: collectItemDeclarations([node], node.descendantsOfType(STRUCTS)),
    definitions: definitions.map(() => ({ scan: undefined })),
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
 * The model of one document across its edits. `update` returns what buildFileModel returns for the same text, at
 * the cost of the items the edit touched (plus an incremental re-parse and moving the other items' offsets).
 */
export class IncrementalModel {
  private tree: Tree | undefined;
  private text = '';
  private starts: number[] = [0];
  /** Empty when the last update could not be split into items; the next one then extracts the whole file. */
  private items: Item[] = [];
  /** What every walk and scan read last time: the file's globals and its volatile fields. */
  private globalsKey = '';
  private volatileKey = '';

  constructor(readonly file: string) {}

  update(text: string): FileModel {
    const starts = lineStarts(text);
    const previous = this.tree;
    const edit = previous === undefined ? undefined : diffTexts(this.text, text);
    if (previous !== undefined && edit !== undefined) {
      previous.edit({
        startIndex: edit.start,
        oldEndIndex: edit.oldEnd,
        newEndIndex: edit.newEnd,
        startPosition: point(this.starts, edit.start),
        oldEndPosition: point(this.starts, edit.oldEnd),
        newEndPosition: point(starts, edit.newEnd),
      });
    }
    const parsed = parseC(text, previous);
    this.tree = parsed.ok ? parsed.tree : undefined;
    this.text = text;
    this.starts = starts;
    const root = parsed.ok ? parsed.tree.rootNode : undefined;
    // A refused text, or a root that is itself an error (nothing in it to tell apart), is extracted whole.
    if (root === undefined || root.type === 'ERROR') {
      this.items = [];
      return buildFileModel(this.file, text, parsed);
    }
    const nodes = topLevelItems(root);
    const reconciled = edit === undefined || this.items.length === 0 ? undefined : this.reconcile(nodes, text, starts, edit);
    if (reconciled === undefined) return this.extractWhole(parsed, root, nodes, text, starts);
    this.items = reconciled.items;
    return this.assemble(reconciled.definitions, nodes, text, starts);
  }

  /**
   * Each item of the new tree, taken over from the old one when its text is unchanged, or extracted; undefined when
   * too many changed. `definitions` holds the definition nodes of the items extracted now, by item index.
   */
  private reconcile(nodes: readonly SyntaxNode[], text: string, starts: readonly number[], edit: TextEdit): { items: Item[]; definitions: Map<number, SyntaxNode[]> } | undefined {
    const old = new Map<number, Item>();
    for (const item of this.items) if (item.reusable) old.set(item.start, item);
    const delta = edit.newEnd - edit.oldEnd;
    const definitions = new Map<number, SyntaxNode[]>();
    const items: Item[] = [];
    for (const [k, node] of nodes.entries()) {
      const start = node.startIndex;
      const end = node.endIndex;
      // An item wholly before or after the edited span has the text it had, at the same or a shifted place.
      const shift = end < edit.start ? 0 : start > edit.newEnd ? delta : undefined;
      const found = shift === undefined ? undefined : old.get(start - shift);
      if (shift !== undefined && found !== undefined && found.end === end - shift && found.type === node.type) {
        items.push(shiftItem(found, shift, starts));
        continue;
      }
      if (definitions.size >= MAX_CHANGED_ITEMS) return undefined;
      const extracted = extractItem(node, text, starts);
      definitions.set(k, extracted.definitions);
      items.push(extracted.item);
    }
    return { items, definitions };
  }

  /** The file's model from its items, by buildFileModel's steps; walks only definitions that have no events yet. */
  private assemble(extracted: Map<number, SyntaxNode[]>, nodes: readonly SyntaxNode[], text: string, starts: number[]): FileModel {
    const declarations = mergeDeclarations(this.items);
    const volatile = volatileFieldPattern(declarations);
    // Scans read the volatile fields and walks read the globals: when those change, every definition depends on them.
    const volatileKey = volatile?.source ?? '';
    const globalsKey = JSON.stringify(declarations.globals);
    const rescan = volatileKey !== this.volatileKey;
    const rewalk = globalsKey !== this.globalsKey;
    this.volatileKey = volatileKey;
    this.globalsKey = globalsKey;
    // Definition nodes are looked up only for the few definitions scanned or walked again.
    const nodeOf = (k: number, index: number): SyntaxNode => {
      let found = extracted.get(k);
      if (found === undefined) {
        found = nodes[k]!.descendantsOfType('function_definition');
        extracted.set(k, found);
      }
      return found[index]!;
    };
    const scanned: Array<{ k: number; index: number; scan: FunctionScan }> = [];
    this.items.forEach((item, k) => {
      item.definitions.forEach((definition, index) => {
        if (rescan || extracted.has(k)) definition.scan = scanFunction(nodeOf(k, index), text, volatile);
        if (rewalk) delete definition.model;
        if (definition.scan !== undefined) scanned.push({ k, index, scan: definition.scan });
      });
    });
    const { walk, maxEvents, stubs } = selectScanned(scanned);
    const functions: FunctionModel[] = [];
    for (const entry of walk) {
      const item = this.items[entry.k]!;
      const definition = item.definitions[entry.index]!;
      const limit = maxEvents.get(entry);
      if (definition.model === undefined || definition.limit !== limit) {
        const node = nodeOf(entry.k, entry.index);
        definition.model = extractFunctions([node], this.file, item.sites, declarations.globals, limit === undefined ? undefined : new Map([[node, limit]]))[0];
        definition.limit = limit;
      }
      if (definition.model !== undefined) functions.push(definition.model);
    }
    const sites = this.items.flatMap((item) => item.sites);
    // As buildFileModel does: comments matter next to a site or a finding, and findings come from sites and walks.
    const comments = sites.length > 0 || walk.length > 0 ? this.items.flatMap((item) => item.comments) : [];
    return { file: this.file, text, lineStarts: starts, sites, comments, declarations, functions, stubs };
  }

  /** One whole extraction (the first update, or after a large change), split into items for the next update. */
  private extractWhole(parsed: ParseResult, root: SyntaxNode, nodes: readonly SyntaxNode[], text: string, starts: readonly number[]): FileModel {
    const model = buildFileModel(this.file, text, parsed);
    this.items = this.split(model, root, nodes, starts) ?? [];
    const declarations = mergeDeclarations(this.items);
    this.volatileKey = volatileFieldPattern(declarations)?.source ?? '';
    this.globalsKey = JSON.stringify(declarations.globals);
    return model;
  }

  /**
   * A whole model divided among the items; undefined when something lies outside every item. Nodes are fetched from
   * the root once per kind and divided by offset: each descendantsOfType call costs about 0.1 ms however small the node.
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
    }));
    const sites = partition(model.sites, items, (site) => site.range.start);
    // The model keeps no comments when it has no site and walks nothing; the items keep them for later edits.
    const comments = partition(collectComments(root.descendantsOfType('comment'), starts), items, (comment) => comment.range.start);
    const structs = partition(root.descendantsOfType(STRUCTS), items, (node) => node.startIndex);
    const definitionNodes = partition(root.descendantsOfType('function_definition'), items, (node) => node.startIndex);
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
    return items;
  }
}
