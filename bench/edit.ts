// `npm run bench:edit [-- --edits N --lines N --file PATH --debounce MS --cpu-prof DIR]`: latency from an edit to its
// publishDiagnostics, through the real server (`node dist/cli.js lsp --stdio`), on a generated 10k-line kernel-style
// file (or a copy of PATH); prints p50/p95/max over scripted edits and the server's CPU time per edit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { diffTexts } from '../server/src/analysis/incremental';
import { lineOf, lineStarts } from '../server/src/analysis/text';
import { kernelStyleFile, random } from './generate';
import { cpuMs } from './proc';

const { values } = parseArgs({
  options: { edits: { type: 'string' }, lines: { type: 'string' }, file: { type: 'string' }, debounce: { type: 'string' }, 'cpu-prof': { type: 'string' } },
});
/** Where the server writes a V8 CPU profile of its whole run (open and edits), to read in a profiler. */
const profileDir = values['cpu-prof'];
const editCount = Number(values.edits ?? 100);
const lineCount = Number(values.lines ?? 10_000);
/** The server's quiet time before it re-analyses; 0 by default, so the figure is the server's own work. */
const debounceMs = Number(values.debounce ?? 0);

/** One scripted edit: a function from the current text to the next, as a person at a keyboard would make them. */
type Edit = (text: string, next: () => number) => string;

function lineIndices(text: string, pattern: RegExp): number[] {
  return text.split('\n').flatMap((line, index) => (pattern.test(line) ? [index] : []));
}

function editLine(text: string, index: number, change: (line: string) => string[]): string {
  const lines = text.split('\n');
  lines.splice(index, 1, ...change(lines[index] ?? ''));
  return lines.join('\n');
}

/** What each scripted edit does, for the per-kind figures (in the order of `edits`). */
const editKinds = ['comment added', 'comment removed', 'barrier swapped', 'character typed'];

const edits: Edit[] = [
  // Explain a barrier, as the barrier-without-comment diagnostic asks.
  (text, next) => {
    const barriers = lineIndices(text, /^\tsmp_[wr]?mb\(\);$/);
    const at = barriers[Math.floor(next() * barriers.length)] ?? 0;
    return editLine(text, at, (line) => ['\t/* Pairs with the other side of this queue. */', line]);
  },
  // Take a comment away again.
  (text, next) => {
    const comments = lineIndices(text, /^\t\/\* Pairs with the other side/);
    const at = comments[Math.floor(next() * comments.length)];
    return at === undefined ? text : editLine(text, at, () => []);
  },
  // Strengthen or weaken a barrier.
  (text, next) => {
    const barriers = lineIndices(text, /^\tsmp_[wr]?mb\(\);$/);
    const at = barriers[Math.floor(next() * barriers.length)] ?? 0;
    return editLine(text, at, (line) => [line.includes('smp_mb') ? '\tsmp_wmb();' : '\tsmp_mb();']);
  },
  // Type a character into a function body.
  (text, next) => {
    const bodies = lineIndices(text, /^\treturn /);
    const at = bodies[Math.floor(next() * bodies.length)] ?? 0;
    return editLine(text, at, (line) => [line.replace(/;$/, ' ;')]);
  },
];

/** The change an editor with incremental sync sends: the replaced range (line/character of the old text) and its text. */
function contentChange(before: string, after: string): { range: { start: Position; end: Position }; text: string } {
  const edit = diffTexts(before, after);
  const starts = lineStarts(before);
  const position = (offset: number): Position => {
    const line = lineOf(starts, offset);
    return { line, character: offset - (starts[line] ?? 0) };
  };
  return { range: { start: position(edit.start), end: position(edit.oldEnd) }, text: after.slice(edit.start, edit.newEnd) };
}

interface Position {
  line: number;
  character: number;
}

/** How many of the first edits are listed one by one. */
const FIRST_EDITS = 10;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * The editor's side of the conversation, as little as the benchmark needs (test/lsp/client.ts is the full test client,
 * but it is bound to vitest): initialize, answer settings, send text, wait for a version's diagnostics.
 */
async function startServer(): Promise<{
  open(uri: string, text: string): Promise<void>;
  change(uri: string, version: number, before: string, after: string): Promise<void>;
  published(uri: string, version: number): Promise<void>;
  cpuMs(): number | undefined;
  mainThreadCpuMs(): number | undefined;
  stop(): Promise<void>;
}> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = spawn(process.execPath, [...profile, path.resolve(__dirname, '../dist/cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<string, () => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const key = `${params.uri}@${params.version}`;
    waiting.get(key)?.();
    waiting.delete(key);
  });
  // Debounce off by default: the figure is the server's own latency, not the quiet time it waits for by design.
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'barrierLint' ? { debounceMs } : null)));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    open: (uri, text) => connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } }),
    // Incremental sync, as VS Code sends changes: the server announces TextDocumentSyncKind.Incremental.
    change: (uri, version, before, after) =>
      connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [contentChange(before, after)] }),
    published: (uri, version) => new Promise((resolve) => waiting.set(`${uri}@${version}`, resolve)),
    cpuMs: () => cpuMs(child.pid),
    mainThreadCpuMs: () => cpuMs(child.pid, child.pid),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-bench-edit-'));
  const file = path.join(dir, values.file === undefined ? 'queue.c' : path.basename(values.file));
  let text = values.file === undefined ? kernelStyleFile(lineCount) : readFileSync(values.file, 'utf8');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const client = await startServer();
  try {
    const startCpu = client.cpuMs();
    const opened = performance.now();
    const first = client.published(uri, 1);
    await client.open(uri, text);
    await first;
    const openMs = performance.now() - opened;
    const openedCpu = client.cpuMs();
    const openedMainCpu = client.mainThreadCpuMs();

    const next = random(7);
    const latencies: number[] = [];
    const byKind = edits.map((): number[] => []);
    for (let i = 0; i < editCount; i++) {
      const edit = edits[i % edits.length];
      if (edit === undefined) continue;
      const before = text;
      text = edit(text, next);
      const version = i + 2;
      const sent = performance.now();
      const published = client.published(uri, version);
      await client.change(uri, version, before, text);
      await published;
      const latency = performance.now() - sent;
      latencies.push(latency);
      byKind[i % edits.length]!.push(latency);
    }
    const editedCpu = client.cpuMs();
    const editedMainCpu = client.mainThreadCpuMs();
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    const what = values.file === undefined ? 'generated kernel-style C' : values.file;
    console.log(`file: ${text.split('\n').length} lines of ${what}, ${latencies.length} edits, debounce ${debounceMs} ms`);
    const cpu = (from: number | undefined, to: number | undefined, count: number): string =>
      from === undefined || to === undefined ? 'n/a' : ms((to - from) / count);
    console.log(`open → diagnostics: ${ms(openMs)} (server CPU ${cpu(startCpu, openedCpu, 1)})`);
    const spread = (values: readonly number[]): string => {
      const sorted = [...values].sort((a, b) => a - b);
      return `p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted.at(-1) ?? NaN)}`;
    };
    console.log(`edit → diagnostics: ${spread(latencies)}`);
    // The first edits run while V8 still compiles the edit path: shown apart, and kept in the totals.
    const firstEdits = latencies.slice(0, FIRST_EDITS);
    console.log(`  first ${firstEdits.length} edits: ${firstEdits.map((value) => value.toFixed(0)).join(', ')} ms`);
    byKind.forEach((values, kind) => console.log(`  ${editKinds[kind]} (${values.length}): ${spread(values)}`));
    console.log(
      `server CPU per edit: ${cpu(openedCpu, editedCpu, latencies.length)}, main thread ${cpu(openedMainCpu, editedMainCpu, latencies.length)} (user + system, 10 ms ticks, averaged)`,
    );
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:edit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
