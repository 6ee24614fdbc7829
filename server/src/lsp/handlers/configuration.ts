// workspace/didChangeConfiguration: reloads settings, re-indexes when the file globs changed, republishes.
import type { DidChangeConfigurationParams } from 'vscode-languageserver/node';
import { publishAll } from '../diagnostics';
import { indexWorkspace } from '../indexer';
import { parseSettings, SETTINGS_SECTION, type Settings } from '../settings';
import type { ServerState } from '../state';

/** Pulls the settings when the client supports it; otherwise `pushed` is what didChangeConfiguration carried. */
export async function loadSettings(state: ServerState, pushed?: unknown): Promise<Settings> {
  if (state.support.configuration) {
    try {
      return parseSettings(await state.connection.workspace.getConfiguration(SETTINGS_SECTION));
    } catch (error) {
      state.logError('reading settings failed', error);
    }
  }
  const section = typeof pushed === 'object' && pushed !== null ? (pushed as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
  return parseSettings(section);
}

export async function onDidChangeConfiguration(state: ServerState, params: DidChangeConfigurationParams): Promise<void> {
  const previous = state.settings;
  state.applySettings(await loadSettings(state, params.settings));
  const globsChanged =
    JSON.stringify([previous.include, previous.exclude]) !== JSON.stringify([state.settings.include, state.settings.exclude]);
  if (globsChanged) await indexWorkspace(state);
  else publishAll(state);
}
