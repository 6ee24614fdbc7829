// shutdown: stops background work (the index pass, simulator runs) before the client's `exit` ends the process, so
// no worker thread is still inside the native parser when the process goes away.
import { cancelAnalysis } from '../diagnostics';
import { stopIndexing } from '../indexer';
import { cancelLitmusRun } from '../litmus';
import type { ServerState } from '../state';

/** Shutdown must answer even if a worker is stuck; the index pass gets this long to wind down. */
const WIND_DOWN_MS = 2_000;

export async function onShutdown(state: ServerState): Promise<void> {
  for (const uri of new Set([...state.pendingAnalyses.keys(), ...state.pendingSettles.keys()])) cancelAnalysis(state, uri);
  for (const uri of [...state.litmusRuns.keys()]) cancelLitmusRun(state, uri);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, WIND_DOWN_MS);
  });
  // The running pass stops handing out files and terminates its workers.
  await Promise.race([stopIndexing(state), timeout]);
  clearTimeout(timer);
}
