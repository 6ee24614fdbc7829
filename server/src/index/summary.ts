// Per-file extraction summaries as bytes: how a FileModel crosses from a worker thread and into the on-disk cache.
import { deserialize, serialize } from 'node:v8';
import { primitive } from '../lkmm/primitives';
import type { FileModel } from '../analysis/model';

/**
 * Encodes a model without its text (the reader has the text already, and the cache would only duplicate the file).
 * The V8 serializer is the structured-clone algorithm postMessage uses, so objects shared inside the model (a fence
 * event's `site` is one of `sites`) stay shared after decoding, which JSON would not keep.
 */
export function encodeModel(model: FileModel): Uint8Array {
  return serialize({ ...model, text: '' });
}

/**
 * Decodes a model encoded by encodeModel and gives it back its text. The file name is inside (functions carry it
 * too), which is why the cache keys a model by name as well as content.
 */
export function decodeModel(bytes: Uint8Array, text: string): FileModel {
  const model = deserialize(bytes) as FileModel;
  model.text = text;
  // Sites point into the shared primitive table; a decoded copy would be a second table per file.
  for (const site of model.sites) site.primitive = primitive(site.name) ?? site.primitive;
  // A comment's text came out of the parser as a slice sharing the file's memory; the decoded copy would hold every
  // comment of the tree twice, so it is sliced from the text again.
  for (const comment of model.comments) comment.text = text.slice(comment.range.start, comment.range.end);
  return model;
}
