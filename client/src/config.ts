// Typed access to the extension's settings (section `barrierLint`), in the shape package.json contributes.
import * as vscode from 'vscode';

export const SECTION = 'barrierLint';

export type RuleSetting = 'default' | 'off' | 'error' | 'warning' | 'info' | 'hint';

export interface Config {
  rules: Record<string, RuleSetting>;
  debounceMs: number;
  simulator: { timeoutMs: number; maxExecutions: number };
  include: string[];
  exclude: string[];
}

/**
 * The settings for a scope (a document's folder, or the window when omitted). Every key is contributed in
 * package.json with its default, so VS Code always has a value.
 */
export function readConfig(scope?: vscode.ConfigurationScope): Config {
  const section = vscode.workspace.getConfiguration(SECTION, scope);
  const get = <T>(key: string): T => section.get<T>(key) as T;
  return {
    rules: get('rules'),
    debounceMs: get('debounceMs'),
    simulator: { timeoutMs: get('simulator.timeoutMs'), maxExecutions: get('simulator.maxExecutions') },
    include: get('include'),
    exclude: get('exclude'),
  };
}
