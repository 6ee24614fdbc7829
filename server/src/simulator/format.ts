// herd7's result block for a simulation result: the text `herd7 -conf linux-kernel.cfg` prints, minus Time/Hash.

import type { SimulationResult } from './simulate';

/** Formats a result exactly as herd7 does (without its Time and Hash lines); early stops print a clear block. */
export function formatHerd(result: SimulationResult): string {
  const lines: string[] = [];
  if (result.status === 'error') {
    lines.push(`Test ${result.name} ${result.kind}`, `Error ${result.message ?? ''}`.trimEnd());
    return lines.join('\n') + '\n';
  }
  if (result.status !== 'complete') {
    const why =
      result.status === 'timeout'
        ? `Timeout after ${(result.elapsedMs / 1000).toFixed(1)}s`
        : result.status === 'limit'
          ? 'Stopped at the execution bound'
          : 'Cancelled';
    lines.push(`Test ${result.name} ${result.kind}`, `${why}: ${result.candidates} candidate executions examined, result incomplete`);
    return lines.join('\n') + '\n';
  }
  lines.push(`Test ${result.name} ${result.kind}`);
  lines.push(`States ${result.states.length}`);
  for (const s of result.states) lines.push(s.map((b) => `${b.loc}=${b.value};`).join(' '));
  lines.push(result.ok ? 'Ok' : 'No');
  lines.push('Witnesses');
  lines.push(`Positive: ${result.positive} Negative: ${result.negative}`);
  for (const f of result.flags) lines.push(`Flag ${f}`);
  lines.push(`Condition ${result.condition}`);
  lines.push(`Observation ${result.name} ${result.observation} ${result.pos} ${result.neg}`);
  // herd7 ends each test's block with an empty line.
  return lines.join('\n') + '\n\n';
}
