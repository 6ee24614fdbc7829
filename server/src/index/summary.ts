// Per-file summaries as bytes: how a FileModel crosses from a worker thread and into the on-disk cache.
import { deserialize, serialize } from 'node:v8';
import { primitive } from '../lkmm/primitives';
import type { FileModel } from '../analysis/model';

/**
 * Encodes a model without its text (the reader has the text already, and the cache would only duplicate the file),
 * nor its comments' texts, which decodeModel slices from it again. The V8 serializer is the structured-clone algorithm
 * postMessage uses, so objects shared inside the model (a fence event's `site` is one of `sites`) stay shared after
 * decoding, which JSON would not keep.
 */
export function encodeModel(model: FileModel): Uint8Array {
  return serialize({ ...model, text: '', comments: model.comments.map((comment) => ({ ...comment, text: '' })) });
}

/**
 * One copy of each string value across the models decoded with it. The deserializer makes a new string for every
 * value, so a tree's models would hold hundreds of thousands of copies of `access`, `load`, `plain`, of each file name
 * (every function carries its file) and of the same field and variable names.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** `copy` keeps a copy rather than the value itself, which may be a slice holding a whole file's text alive. */
  intern(value: string, copy = false): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    // V8 slices strings of 13 characters or more rather than copying them; a concatenation flattened by slice() is new.
    const kept = copy && value.length >= 13 ? ` ${value}`.slice(1) : value;
    this.strings.set(kept, kept);
    return kept;
  }

  /** Replaces every string held by a plain-data value (objects and arrays, as deserialized) with its pooled copy. */
  internAll(value: object, copy = false): void {
    if (Array.isArray(value)) {
      for (let k = 0; k < value.length; k++) {
        const item: unknown = value[k];
        if (typeof item === 'string') value[k] = this.intern(item, copy);
        else if (typeof item === 'object' && item !== null) this.internAll(item, copy);
      }
      return;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'string') record[key] = this.intern(item, copy);
      else if (typeof item === 'object' && item !== null) this.internAll(item, copy);
    }
  }
}

/**
 * Decodes a model encoded by encodeModel and gives it back its text. The file name is inside (functions carry it
 * too), which is why the cache keys a model by name as well as content. Strings are taken from `pool` when given.
 */
export function decodeModel(bytes: Uint8Array, text: string, pool?: StringPool): FileModel {
  const model = deserialize(bytes) as FileModel;
  pool?.internAll(model);
  // Sites point into the shared primitive table; a decoded copy would be a second table per file.
  for (const site of model.sites) site.primitive = primitive(site.name) ?? site.primitive;
  model.text = text;
  // Sliced from the text, a comment's text shares the file's memory; sent apart, it would be every comment twice.
  for (const comment of model.comments) comment.text = text.slice(comment.range.start, comment.range.end);
  return model;
}
