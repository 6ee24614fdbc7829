// The rule registry: every rule, in the order findings are reported for one site.
import { barrierWithoutComment } from './barrier-without-comment';
import type { Rule } from './rule';

export const rules: readonly Rule[] = [barrierWithoutComment];

export function findRule(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
