// The on-disk cache of per-file summaries, keyed by the analysis code's version, the file's name and its content.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The directory the CLI keeps its cache in, under the working directory (like `.eslintcache`). */
export const CLI_CACHE_DIRECTORY = '.barrier-lint-cache';

let version: string | undefined;

/**
 * A digest of the code that builds summaries, so a cache written by another build is never read. Bundled, that code
 * is all in the worker bundle beside this one; run from sources (tests, tsx), it is the analysis and table sources.
 */
export function analysisVersion(): string {
  if (version !== undefined) return version;
  const hash = createHash('sha1');
  const bundle = path.join(__dirname, 'indexWorker.js');
  if (existsSync(bundle)) {
    hash.update(readFileSync(bundle));
  } else {
    const sources = path.resolve(__dirname, '..');
    for (const dir of ['analysis', 'analysis/rules', 'lkmm', 'index']) {
      const full = path.join(sources, dir);
      if (!existsSync(full)) continue;
      for (const name of readdirSync(full).sort()) {
        if (name.endsWith('.ts')) hash.update(name).update(readFileSync(path.join(full, name)));
      }
    }
  }
  version = hash.digest('hex').slice(0, 16);
  return version;
}

/** The cache key of one file's summary; a lean summary (task.ts) is another entry than the whole one. */
export function contentKey(file: string, text: string, lean = false): string {
  return createHash('sha1').update(file).update(lean ? '\0lean\0' : '\0').update(text).digest('hex');
}

/**
 * Summaries stored as `<root>/<version>/<key[0..2]>/<key>`. Every operation is best effort: a cache that cannot be
 * read or written (read-only tree, full disk, a concurrent writer) only costs the time of analysing again.
 */
export class SummaryCache {
  private readonly directory: string;

  constructor(root: string, codeVersion: string = analysisVersion()) {
    this.directory = path.join(root, codeVersion);
  }

  get(key: string): Uint8Array | undefined {
    try {
      return readFileSync(this.entry(key));
    } catch {
      return undefined;
    }
  }

  put(key: string, bytes: Uint8Array): void {
    const target = this.entry(key);
    // Written aside and renamed, so a reader (another worker, a second CLI run) never sees half an entry.
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(temporary, bytes);
      renameSync(temporary, target);
    } catch {
      rmSync(temporary, { force: true });
    }
  }

  /** Removes the entries other versions of the code wrote, which this one can never read. */
  pruneOtherVersions(): void {
    const root = path.dirname(this.directory);
    try {
      for (const name of readdirSync(root)) {
        const full = path.join(root, name);
        if (full !== this.directory && statSync(full).isDirectory()) rmSync(full, { recursive: true, force: true });
      }
    } catch {
      // Nothing cached yet, or not ours to clean: either way there is nothing to do.
    }
  }

  private entry(key: string): string {
    return path.join(this.directory, key.slice(0, 2), key);
  }
}
