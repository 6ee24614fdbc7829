// Per-file summaries: a model survives encoding (worker → main thread, disk → memory) intact, and the cache keys it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelStyleFile } from '../../bench/generate';
import { buildFileModel } from '../../server/src/analysis/model';
import { primitive } from '../../server/src/lkmm/primitives';
import { analysisVersion, contentKey, SummaryCache } from '../../server/src/index/cache';
import { decodeModel, encodeModel, StringPool } from '../../server/src/index/summary';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('summaries', () => {
  const text = kernelStyleFile(400, 3);
  const model = buildFileModel('queue.c', text);

  it('decode(encode(model)) equals the model, with its text given back', () => {
    expect(model.sites.length).toBeGreaterThan(10);
    const decoded = decodeModel(encodeModel(model), text);
    expect(decoded).toEqual(model);
  });

  it('leaves the text out of the bytes, the texts of comments included, and slices those from the text again', () => {
    const commented = `/* ${'unmistakable marker '.repeat(4)}*/\n${text}`;
    const bytes = encodeModel(buildFileModel('commented.c', commented));
    expect(Buffer.from(bytes).toString('latin1')).not.toContain('unmistakable marker');
    expect(decodeModel(bytes, commented).comments[0]?.text).toBe(`/* ${'unmistakable marker '.repeat(4)}*/`);
  });

  it('decodes the same model through a string pool shared by several files', () => {
    const pool = new StringPool();
    const other = kernelStyleFile(120, 5);
    const first = decodeModel(encodeModel(buildFileModel('other.c', other)), other, pool);
    const decoded = decodeModel(encodeModel(model), text, pool);
    expect(decoded).toEqual(model);
    expect(first).toEqual(buildFileModel('other.c', other));
    expect(pool.intern(model.file)).toBe('queue.c');
  });

  it('points decoded sites back into the shared primitive table', () => {
    const decoded = decodeModel(encodeModel(model), text);
    for (const site of decoded.sites) expect(site.primitive).toBe(primitive(site.name));
  });

  it('keeps objects shared inside the model shared (a fence event and its site)', () => {
    const decoded = decodeModel(encodeModel(model), text);
    const fenceSites = decoded.functions.flatMap((fn) => fn.events.flatMap((event) => (event.type === 'fence' && event.site !== undefined ? [event.site] : [])));
    expect(fenceSites.length).toBeGreaterThan(0);
    for (const site of fenceSites) expect(decoded.sites).toContain(site);
  });
});

describe('the summary cache', () => {
  it('returns what was put under a key, nothing for other keys, and nothing across code versions', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'barrier-lint-cache-'));
    dirs.push(root);
    const cache = new SummaryCache(root, 'v1');
    const key = contentKey('a.c', 'int x;');
    cache.put(key, new Uint8Array([1, 2, 3]));
    expect([...(cache.get(key) ?? [])]).toEqual([1, 2, 3]);
    expect(cache.get(contentKey('b.c', 'int x;'))).toBeUndefined();
    expect(cache.get(contentKey('a.c', 'int y;'))).toBeUndefined();
    expect(new SummaryCache(root, 'v2').get(key)).toBeUndefined();
  });

  it('prunes the entries other code versions wrote', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'barrier-lint-cache-'));
    dirs.push(root);
    const key = contentKey('a.c', 'int x;');
    new SummaryCache(root, 'old').put(key, new Uint8Array([1]));
    const current = new SummaryCache(root, 'new');
    current.put(key, new Uint8Array([2]));
    current.pruneOtherVersions();
    expect(new SummaryCache(root, 'old').get(key)).toBeUndefined();
    expect([...(current.get(key) ?? [])]).toEqual([2]);
  });

  it('keys the analysis code by a stable digest', () => {
    expect(analysisVersion()).toMatch(/^[0-9a-f]{16}$/);
    expect(analysisVersion()).toBe(analysisVersion());
  });
});
