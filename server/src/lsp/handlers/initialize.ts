// initialize and initialized: declare the server's capabilities, learn the client's, load settings, start the index.
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { version } from '../../../../package.json';
import { uriToFile } from '../convert';
import { publishAll } from '../diagnostics';
import { indexWorkspace } from '../indexer';
import { ServerCommands, type InitializationOptions } from '../protocol';
import { FIX_ALL_KIND } from './codeAction';
import type { ServerState } from '../state';
import { loadSettings } from './configuration';

function localFolder(uri: string): string | undefined {
  const file = uriToFile(uri);
  return file === uri ? undefined : file;
}

export function onInitialize(state: ServerState, params: InitializeParams): InitializeResult {
  const { capabilities } = params;
  state.support = {
    configuration: capabilities.workspace?.configuration === true,
    workDoneProgress: capabilities.window?.workDoneProgress === true,
    codeLensRefresh: capabilities.workspace?.codeLens?.refreshSupport === true,
    workspaceFolders: capabilities.workspace?.workspaceFolders === true,
    statusNotification: (params.initializationOptions as InitializationOptions | undefined)?.statusNotification === true,
  };
  state.cacheDirectory = (params.initializationOptions as InitializationOptions | undefined)?.cacheDirectory;
  const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  state.folders = folders.map(localFolder).filter((folder): folder is string => folder !== undefined);
  return {
    serverInfo: { name: 'barrier-lint', version },
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: Object.values(ServerCommands) },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
}

export async function onInitialized(state: ServerState): Promise<void> {
  state.applySettings(await loadSettings(state));
  // Documents opened while the settings were on their way were analysed with the defaults.
  publishAll(state);
  await indexWorkspace(state);
}

export async function onDidChangeWorkspaceFolders(state: ServerState, event: WorkspaceFoldersChangeEvent): Promise<void> {
  const removed = new Set(event.removed.map((folder) => localFolder(folder.uri)));
  const added = event.added.map((folder) => localFolder(folder.uri)).filter((folder): folder is string => folder !== undefined);
  state.folders = [...state.folders.filter((folder) => !removed.has(folder)), ...added];
  await indexWorkspace(state);
}
