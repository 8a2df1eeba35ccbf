// Debug faults for end-to-end tests of crash and storage recovery, switched on only by the page's
// URL (`?fault=worker-crash-after=3,quota-after=2`) and handed to the worker in InitOptions.faults.
// Without the parameter nothing here does anything; unknown or malformed entries are ignored.
//   worker-crash-after=N  after the N-th finished episode the worker reports an uncaught error and
//                         closes itself, as a worker that ran out of memory would end.
//   quota-after=N         after N writes of the saved run, every write that adds data fails with
//                         QuotaExceededError, as on a full disk.
import type { RunWrite } from '../runs/runsDb';

export interface InjectedFaults {
  crashAfterEpisodes?: number;
  quotaAfterWrites?: number;
}

const ENTRY = /^(worker-crash-after|quota-after)=(\d{1,6})$/;

/** Parse the `fault` URL parameter (comma-separated entries). */
export function parseFaults(text: string | null | undefined): InjectedFaults {
  const faults: InjectedFaults = {};
  for (const entry of (text ?? '').split(',')) {
    const m = ENTRY.exec(entry.trim());
    if (!m) continue;
    const n = Number(m[2]);
    if (m[1] === 'worker-crash-after') faults.crashAfterEpisodes = n;
    else faults.quotaAfterWrites = n;
  }
  return faults;
}

/** The page's `?fault=` parameter, or undefined (the usual case). */
export function faultParamFromUrl(search: string): string | undefined {
  return new URLSearchParams(search).get('fault') ?? undefined;
}

/**
 * A storage write that fails with QuotaExceededError once `okWrites` writes have succeeded, for
 * every write that adds data (episodes, iterations, weights). A write of the run's meta alone
 * replaces a record of the same size, so it still passes, as on a really full disk.
 */
export function failingAfter(write: (batch: RunWrite) => Promise<void>, okWrites: number): (batch: RunWrite) => Promise<void> {
  let done = 0;
  return async (batch) => {
    const grows = (batch.episodes?.length ?? 0) + (batch.iterations?.length ?? 0) > 0 || batch.weights !== undefined;
    if (done >= okWrites && grows) throw new DOMException(`The quota has been exceeded (injected by ?fault=quota-after=${okWrites}).`, 'QuotaExceededError');
    await write(batch);
    done += 1;
  };
}

interface WorkerScope {
  close(): void;
  reportError?(error: unknown): void;
}

/** Counts finished episodes and ends the worker after the configured number. */
export function crashCounter(faults: InjectedFaults, scope: WorkerScope = globalThis as unknown as WorkerScope): () => void {
  const limit = faults.crashAfterEpisodes;
  let episodes = 0;
  return () => {
    if (limit === undefined) return;
    episodes += 1;
    if (episodes !== limit) return;
    const error = new Error(`Injected fault (?fault=worker-crash-after=${limit}): the training worker crashed on purpose after ${limit} episodes.`);
    // The page's Worker gets an "error" event, then the worker stops for good (pending calls never answer).
    // close() at once: no later task of this worker runs, so no further episode is saved.
    if (scope.reportError) scope.reportError(error);
    else
      setTimeout(() => {
        throw error;
      });
    scope.close();
  };
}
