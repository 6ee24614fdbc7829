// The language server's state: open documents, the analysis Workspace, settings and the texts positions are read from.
import { getHeapStatistics } from 'node:v8';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MessageType, ShowMessageNotification, TextDocuments, type Connection } from 'vscode-languageserver/node';
import { Workspace } from '../analysis/index';
import { fileToUri, uriToFile, type FileLookup } from './convert';
import type { LitmusRun } from './litmus';
import { ServerNotifications, type LitmusRunResult, type StatusParams } from './protocol';
import { defaultSettings, type Settings } from './settings';

export interface ClientSupport {
  /** The client answers `workspace/configuration` (pull settings) rather than only pushing them. */
  configuration: boolean;
  /** The client understands server-initiated `window/workDoneProgress/create`. */
  workDoneProgress: boolean;
  /** The client honours `workspace/codeLens/refresh`. */
  codeLensRefresh: boolean;
  /** The client sends `workspace/didChangeWorkspaceFolders`. */
  workspaceFolders: boolean;
  /** The client asked for `barrierLint/status` notifications (protocol.ts). */
  statusNotification: boolean;
}

export class ServerState implements FileLookup {
  readonly workspace = new Workspace();
  readonly documents = new TextDocuments(TextDocument);
  /** Read through applySettings, which keeps the Workspace's rule options in step. */
  settings: Settings = defaultSettings;
  support: ClientSupport = {
    configuration: false,
    workDoneProgress: false,
    codeLensRefresh: false,
    workspaceFolders: false,
    statusNotification: false,
  };
  /** Local paths of the workspace folders, indexed for cross-file pairing. */
  folders: string[] = [];
  /** Where the index caches per-file summaries across server starts (given by the client); no cache when undefined. */
  cacheDirectory: string | undefined;
  /** Files the indexer read from disk (their text lives in the Workspace's file models). */
  readonly indexedFiles = new Set<string>();
  /**
   * Documents made from the Workspace's text of files that are not open, for positions in related information and
   * fixes. Kept per file and rebuilt only when the text changes, so the index's texts are not held twice.
   */
  private readonly modelDocuments = new Map<string, TextDocument>();
  /** Pending re-analyses by document URI; a newer change replaces the pending one, so stale work never runs. */
  readonly pendingAnalyses = new Map<string, NodeJS.Timeout>();
  /** When each open document last changed (performance.now()), so a change after a pause skips the debounce. */
  readonly lastChanges = new Map<string, number>();
  /** Fresh re-parses of edited documents once the user pauses (Workspace.settleFile), by URI; a change cancels one. */
  readonly pendingSettles = new Map<string, NodeJS.Timeout>();
  /** Bumped by each publishAll; an older one still working through its queue stops. */
  publishGeneration = 0;
  /** Documents opened but not yet analysed; their first analysis runs at once rather than after the debounce. */
  readonly opening = new Set<string>();
  /** The last simulator run of each open .litmus document and the version it ran on, for its CodeLens and hover. */
  readonly litmusResults = new Map<string, { version: number; result: LitmusRunResult }>();
  /** Simulator runs in flight, one per .litmus document (see litmus.ts). */
  readonly litmusRuns = new Map<string, LitmusRun>();
  /** Bumped by each (re-)index; a running index that sees a newer generation stops, being stale. */
  indexGeneration = 0;
  /** The latest indexing pass, which callers of a superseded pass wait for. */
  indexing: Promise<number | undefined> = Promise.resolve(0);
  /** The URI the client used for each file it opened, so diagnostics go back under exactly that URI. */
  private readonly uris = new Map<string, string>();

  constructor(readonly connection: Connection) {}

  /** The share of the heap's limit in use (the indexer stops taking files past a share of it); replaceable in tests. */
  heapShare = (): number => {
    const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
    return used / limit;
  };

  /** Takes new settings; the Workspace applies the per-rule ones, so findings arrive with the chosen severities. */
  applySettings(settings: Settings): void {
    this.settings = settings;
    this.workspace.configure({ rules: settings.rules });
  }

  fileOf(uri: string): string {
    const file = uriToFile(uri);
    this.uris.set(file, uri);
    return file;
  }

  uri(file: string): string {
    return this.uris.get(file) ?? fileToUri(file);
  }

  isOpen(file: string): boolean {
    const uri = this.uris.get(file);
    return uri !== undefined && this.documents.get(uri) !== undefined;
  }

  document(file: string): TextDocument | undefined {
    const uri = this.uris.get(file);
    const open = uri !== undefined ? this.documents.get(uri) : undefined;
    if (open !== undefined) return open;
    const text = this.workspace.model(file)?.text;
    if (text === undefined) {
      this.modelDocuments.delete(file);
      return undefined;
    }
    let document = this.modelDocuments.get(file);
    if (document?.getText() !== text) {
      document = TextDocument.create(this.uri(file), 'c', 0, text);
      this.modelDocuments.set(file, document);
    }
    return document;
  }

  sendStatus(params: StatusParams): void {
    if (this.support.statusNotification) void this.connection.sendNotification(ServerNotifications.status, params);
  }

  /**
   * Tells the user something the server could not do as asked, in a message and in the output channel. A notification,
   * not showMessageRequest: every client takes it, and no answer can fail.
   */
  warn(message: string): void {
    this.connection.console.warn(`barrier-lint: ${message}`);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Barrier Lint: ${message}` });
  }

  /** Logs a failure on the client's output channel; the server carries on, since one bad file must not stop it. */
  logError(what: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.connection.console.error(`barrier-lint: ${what}: ${detail}`);
  }
}
