// The rule registry: every rule, in the order findings are reported for one site.
import { barrierWithoutComment } from './barrier-without-comment';
import { missingBarrier } from './missing-barrier';
import { overStrongBarrier } from './over-strong-barrier';
import { pairingCommentMismatch } from './pairing-comment-mismatch';
import type { Rule } from './rule';
import { tooWeakBarrier } from './too-weak-barrier';
import { unmarkedAccess } from './unmarked-access';
import { unpairedBarrier } from './unpaired-barrier';

export const rules: readonly Rule[] = [
  missingBarrier,
  tooWeakBarrier,
  overStrongBarrier,
  unpairedBarrier,
  unmarkedAccess,
  barrierWithoutComment,
  pairingCommentMismatch,
];

export function findRule(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
