// A minimal LSP client for tests: spawns `node dist/cli.js lsp --stdio` and speaks JSON-RPC to it like an editor.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol';

export const repoRoot = path.resolve(__dirname, '../..');
const cli = path.join(repoRoot, 'dist/cli.js');

export interface TestClientOptions {
  /** The workspace folder the server indexes; none when omitted. */
  rootPath?: string;
  /** Answers to `workspace/configuration` for section `barrierLint`; the capability is not announced when omitted. */
  settings?: () => unknown;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Methods of server notifications to keep in `notifications`. */
  record?: string[];
}

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcessWithoutNullStreams;
  /** The notifications of the methods in `options.record`, by method, in order. */
  readonly notifications = new Map<string, unknown[]>();
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: { test: (params: PublishDiagnosticsParams) => boolean; resolve: (params: PublishDiagnosticsParams) => void }[] = [];
  readonly stderr: string[] = [];
  private versions = new Map<string, number>();

  private constructor(child: ChildProcessWithoutNullStreams, options: TestClientOptions) {
    this.child = child;
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    const settings = options.settings;
    if (settings !== undefined) {
      this.connection.onRequest(ConfigurationRequest.type, (params) =>
        params.items.map((item) => (item.section === 'barrierLint' ? settings() : null)),
      );
    }
    // Servers may create progress tokens and log; a real editor accepts both.
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    for (const method of options.record ?? []) {
      this.connection.onNotification(method, (params: unknown) => {
        this.notifications.set(method, [...(this.notifications.get(method) ?? []), params]);
      });
    }
    this.connection.listen();
  }

  static async start(options: TestClientOptions = {}): Promise<{ client: TestClient; initialize: InitializeResult }> {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
    const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: repoRoot });
    const client = new TestClient(child, options);
    const rootUri = options.rootPath === undefined ? null : pathUri(options.rootPath);
    const initialize = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      initializationOptions: options.initializationOptions,
      workspaceFolders: rootUri === null ? null : [{ uri: rootUri, name: path.basename(options.rootPath ?? '') }],
      capabilities: {
        ...options.capabilities,
        workspace: { configuration: options.settings !== undefined, workspaceFolders: true, ...options.capabilities?.workspace },
        window: { workDoneProgress: true, ...options.capabilities?.window },
      },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initialize };
  }

  open(uri: string, text: string, languageId = 'c'): Promise<void> {
    this.versions.set(uri, 1);
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces the whole text (a full-document change); returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** Replaces a range (line/character of the current text) as an editor with incremental sync does; returns the new version. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The first publishDiagnostics for `uri` (already received or still to come) that satisfies `test`. */
  diagnostics(uri: string, test: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const match = (params: PublishDiagnosticsParams): boolean => params.uri === uri && test(params);
    const seen = this.published.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; server stderr:\n${this.stderr.join('')}`)),
        timeoutMs,
      );
      this.waiters.push({
        test: match,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      });
    });
  }

  /** Shuts the server down the polite way and resolves to its exit code, or the signal that ended it. */
  async stop(): Promise<number | string | null> {
    const exited = new Promise<number | string | null>((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.child.kill();
  }
}

export function pathUri(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * Hooks for one test file: a temporary directory, removed after the file, and every server a test starts, killed
 * after the test even when an assertion failed, so none outlives its test.
 */
export function lspSession(prefix: string): { dir: () => string; start: (options?: TestClientOptions) => ReturnType<typeof TestClient.start> } {
  let dir = '';
  const running: TestClient[] = [];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterEach(() => {
    for (const client of running.splice(0)) client.kill();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    start: async (options) => {
      const started = await TestClient.start(options);
      running.push(started.client);
      return started;
    },
  };
}
