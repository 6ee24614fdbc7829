// The server's settings (section `barrierLint`), read defensively because any LSP client may send anything.
import type { RuleSetting } from '../analysis/types';

export interface Settings {
  /** Rule id → setting; rules not listed keep their default severity. */
  rules: Record<string, RuleSetting>;
  /** Quiet time after the last keystroke before a document is re-analysed. */
  debounceMs: number;
  simulator: {
    /** Wall-clock budget for one litmus run (a CodeLens run or a scenario); the run is abandoned after it. */
    timeoutMs: number;
    /** Bound on the candidate executions one run examines; 0 for no bound. */
    maxExecutions: number;
  };
  /** Globs (relative to a workspace folder) of the files indexed for cross-file pairing. */
  include: string[];
  exclude: string[];
}

export const SETTINGS_SECTION = 'barrierLint';

export const defaultSettings: Settings = {
  rules: {},
  debounceMs: 200,
  simulator: { timeoutMs: 10_000, maxExecutions: 0 },
  include: ['**/*.c', '**/*.h'],
  exclude: ['**/.git/**', '**/node_modules/**', '**/.barrier-lint-cache/**'],
};

const ruleSettings: readonly string[] = ['default', 'off', 'error', 'warning', 'info', 'hint'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boundedNumber(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function stringList(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : fallback;
}

/** Turns whatever the client sent into complete settings; malformed parts fall back to their defaults. */
export function parseSettings(raw: unknown): Settings {
  if (!isRecord(raw)) return defaultSettings;
  const rules: Record<string, RuleSetting> = {};
  if (isRecord(raw.rules)) {
    for (const [id, value] of Object.entries(raw.rules)) {
      if (typeof value === 'string' && ruleSettings.includes(value)) rules[id] = value as RuleSetting;
    }
  }
  const simulator = isRecord(raw.simulator) ? raw.simulator : {};
  return {
    rules,
    debounceMs: boundedNumber(raw.debounceMs, defaultSettings.debounceMs, 0, 10_000),
    simulator: {
      timeoutMs: boundedNumber(simulator.timeoutMs, defaultSettings.simulator.timeoutMs, 100, 600_000),
      maxExecutions: Math.round(boundedNumber(simulator.maxExecutions, defaultSettings.simulator.maxExecutions, 0, 1e9)),
    },
    include: stringList(raw.include, defaultSettings.include),
    exclude: stringList(raw.exclude, defaultSettings.exclude),
  };
}
