// Reading C sources from disk for the CLI and the server's index: directory walks and the skip rules for bad files.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Larger files are generated tables or firmware blobs, not code whose barriers anyone reviews; they are skipped. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set(['.c', '.h']);

/** Directories a walk never enters: version-control metadata, dependency trees and our own cache. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', 'node_modules', '.barrier-lint-cache']);

export function isSourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(file));
}

/**
 * Lists the .c and .h files under a directory, sorted so output is stable across file systems. `skip` may prune
 * further directories or files by absolute path (the server's exclude globs).
 */
export async function walkSources(directory: string, skip?: (file: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      // A directory that vanished or is unreadable mid-walk is not worth failing the whole walk for.
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (skip?.(full)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await visit(full);
      } else if (entry.isFile() && isSourceFile(entry.name)) {
        found.push(full);
      }
    }
  };
  await visit(directory);
  return found;
}

export type SourceRead = { ok: true; text: string } | { ok: false; skipped: string } | { ok: false; error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as C source, or says why it is skipped (not a file, huge, binary, not UTF-8) or unreadable. */
export async function readSource(file: string): Promise<SourceRead> {
  let bytes: Buffer;
  try {
    const refused = statRefusal(await stat(file));
    if (refused !== undefined) return refused;
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, error: describeFsError(error) };
  }
  return decodeSource(bytes);
}

/**
 * readSource for an index worker, which has nothing else to do while the file is read: the asynchronous calls would
 * each leave the thread idle for a round trip through libuv's thread pool, once per file of a tree.
 */
export function readSourceSync(file: string): SourceRead {
  let bytes: Buffer;
  try {
    const refused = statRefusal(statSync(file));
    if (refused !== undefined) return refused;
    bytes = readFileSync(file);
  } catch (error) {
    return { ok: false, error: describeFsError(error) };
  }
  return decodeSource(bytes);
}

/** Why a file is skipped before it is read, from its stat; undefined when it is to be read. */
function statRefusal(stats: Stats): SourceRead | undefined {
  // A pipe or a device named like a source would block its read for good.
  if (!stats.isFile()) return { ok: false, skipped: 'not a regular file' };
  // Checking the size first keeps a huge file from being read into memory at all.
  if (stats.size > MAX_FILE_BYTES) return { ok: false, skipped: `larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB` };
  return undefined;
}

function decodeSource(bytes: Buffer): SourceRead {
  // git's heuristic: a NUL byte in the first 8000 bytes marks a binary file.
  if (bytes.subarray(0, 8000).includes(0)) return { ok: false, skipped: 'binary file' };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, skipped: 'not UTF-8' };
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}
