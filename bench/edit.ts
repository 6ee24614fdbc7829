// `npm run bench:edit [-- --edits N --lines N]`: latency from an edit to its publishDiagnostics, through the real server
// (`node dist/cli.js lsp --stdio`) on a generated 10k-line kernel-style file; prints p50/p95/max over scripted edits.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { kernelStyleFile, random } from './generate';

const { values } = parseArgs({ options: { edits: { type: 'string' }, lines: { type: 'string' } } });
const editCount = Number(values.edits ?? 100);
const lineCount = Number(values.lines ?? 10_000);

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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * The editor's side of the conversation, as little as the benchmark needs (test/lsp/client.ts is the full test client,
 * but it is bound to vitest): initialize, answer settings, send text, wait for a version's diagnostics.
 */
async function startServer(): Promise<{
  open(uri: string, text: string): Promise<void>;
  change(uri: string, version: number, text: string): Promise<void>;
  published(uri: string, version: number): Promise<void>;
  stop(): Promise<void>;
}> {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../dist/cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<string, () => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const key = `${params.uri}@${params.version}`;
    waiting.get(key)?.();
    waiting.delete(key);
  });
  // Debounce off: the figure is the server's own latency, not the quiet time it waits for by design.
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'barrierLint' ? { debounceMs: 0 } : null)));
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
    change: (uri, version, text) =>
      connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    published: (uri, version) => new Promise((resolve) => waiting.set(`${uri}@${version}`, resolve)),
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
  const file = path.join(dir, 'queue.c');
  let text = kernelStyleFile(lineCount);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const client = await startServer();
  try {
    const opened = performance.now();
    const first = client.published(uri, 1);
    await client.open(uri, text);
    await first;
    const openMs = performance.now() - opened;

    const next = random(7);
    const latencies: number[] = [];
    for (let i = 0; i < editCount; i++) {
      const edit = edits[i % edits.length];
      if (edit === undefined) continue;
      text = edit(text, next);
      const version = i + 2;
      const sent = performance.now();
      const published = client.published(uri, version);
      await client.change(uri, version, text);
      await published;
      latencies.push(performance.now() - sent);
    }
    latencies.sort((a, b) => a - b);
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    console.log(`file: ${text.split('\n').length} lines of generated kernel-style C, ${latencies.length} edits, debounce 0`);
    console.log(`open → diagnostics: ${ms(openMs)}`);
    console.log(`edit → diagnostics: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies.at(-1) ?? NaN)}`);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:edit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
