// The client and the server agree on the custom protocol, and the manifest agrees with the server's settings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as clientProtocol from '../../client/src/protocol';
import * as serverProtocol from '../../server/src/lsp/protocol';
import { defaultSettings, SETTINGS_SECTION } from '../../server/src/lsp/settings';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Flattens nested settings into VS Code's dotted keys: `{ simulator: { timeoutMs } }` → `simulator.timeoutMs`. */
function dottedKeys(value: Record<string, unknown>, prefix: string): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  for (const [key, item] of Object.entries(value)) {
    const name = `${prefix}.${key}`;
    const isGroup = typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length > 0;
    if (isGroup) for (const [inner, innerValue] of dottedKeys(item as Record<string, unknown>, name)) keys.set(inner, innerValue);
    else keys.set(name, item);
  }
  return keys;
}

describe('custom protocol', () => {
  it('names the same server commands on both sides', () => {
    expect(clientProtocol.ServerCommands).toEqual(serverProtocol.ServerCommands);
  });

  it('names the same server notifications on both sides', () => {
    expect(clientProtocol.ServerNotifications).toEqual(serverProtocol.ServerNotifications);
  });

  it('keeps every command id in the barrierLint namespace and unique', () => {
    const ids = Object.values(serverProtocol.ServerCommands);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^barrierLint\.server\.[a-zA-Z]+$/);
  });
});

describe('manifest', () => {
  const properties: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

  // Read by the client alone: trace.server by vscode-languageclient, server.* to start the server's process.
  const clientOnly = ['trace.server', 'server.nodePath', 'server.maxMemoryMb'].map((key) => `${SETTINGS_SECTION}.${key}`);

  it('contributes exactly the settings the server reads, with the same defaults', () => {
    const server = dottedKeys(defaultSettings as unknown as Record<string, unknown>, SETTINGS_SECTION);
    const contributed = Object.keys(properties).filter((key) => !clientOnly.includes(key));
    expect(contributed.sort()).toEqual([...server.keys()].sort());
    for (const [key, value] of server) expect(properties[key]?.default, key).toEqual(value);
  });

  it('contributes the launch settings the client reads, with the defaults it assumes, for the user alone', () => {
    // client/src/extension.ts imports vscode, so what it reads is read as text: `section.get<T>('key', default)`.
    const extension = readFileSync(path.join(root, 'client/src/extension.ts'), 'utf8');
    const read = new Map([...extension.matchAll(/section\.get<\w+>\('([\w.]+)', ([^)]+)\)/g)].map((match) => [`${SETTINGS_SECTION}.${match[1]}`, JSON.parse(match[2]!.replace(/'/g, '"'))]));
    expect([...read.keys()].sort()).toEqual(clientOnly.filter((key) => key.includes('.server.')).sort());
    for (const [key, value] of read) {
      expect(properties[key]?.default, key).toEqual(value);
      // A workspace must not choose the executable the editor runs.
      expect((properties[key] as { scope?: string }).scope, key).toBe('machine');
    }
  });

  it('offers only contributed commands in menus, and none of the server commands (the language client registers those)', () => {
    const contributed = new Set(manifest.contributes.commands.map((command: { command: string }) => command.command));
    for (const entries of Object.values(manifest.contributes.menus) as { command: string }[][]) {
      for (const entry of entries) expect(contributed.has(entry.command), entry.command).toBe(true);
    }
    for (const id of Object.values(serverProtocol.ServerCommands)) expect(contributed.has(id)).toBe(false);
  });

  it('contributes exactly the commands of the client command table', () => {
    // client/src/commands.ts imports vscode, so its table is read as text: one `'barrierLint.x': handler` line each.
    const table = readFileSync(path.join(root, 'client/src/commands.ts'), 'utf8');
    const handled = [...table.matchAll(/^\s+'(barrierLint\.[A-Za-z]+)':/gm)].map((match) => match[1]);
    const contributed = manifest.contributes.commands.map((command: { command: string }) => command.command);
    expect(handled.length).toBeGreaterThan(0);
    expect([...handled].sort()).toEqual([...contributed].sort());
  });

  it('points the litmus language at files that exist', () => {
    const [language] = manifest.contributes.languages;
    const [grammar] = manifest.contributes.grammars;
    expect(language.id).toBe('litmus');
    expect(grammar.language).toBe('litmus');
    expect(() => readFileSync(path.join(root, language.configuration))).not.toThrow();
    expect(JSON.parse(readFileSync(path.join(root, grammar.path), 'utf8')).scopeName).toBe(grammar.scopeName);
  });
});
