// The worker's side of saved runs: start recording a new run, or reopen a saved one to resume it.
// The worker owns persistence so the page thread never serialises episodes or weights.
import type { RunHeader } from '../der/runRecord';
import { stripSecrets } from '../der/runRecordIO';
import { stripSecretsForUrl } from '../der/urlState';
import { loadRun, loadWeights, storageErrorMessage, truncateEpisodes, writeRun, type RunWrite } from './runsDb';
import { defaultRunName, newRunId, resumeCut, unpackWeights, type CacheRef, type SavedRunMeta, type SavedTrainingState } from './savedRun';
import type { WeightEntry } from '../agent/weightsIO';
import { RunRecorder } from './runRecorder';
import { DEFAULT_LATEST_ITERATIONS, DEFAULT_MAX_EPISODES, EpisodeRetention } from './episodeRetention';

/**
 * A recorder for `meta`. A run that samples its episodes (meta.retention) gets its sampler back,
 * carried on from the saved counters and the stored episodes `keptEpisodes` (a resume).
 */
export function createRecorder(
  meta: SavedRunMeta,
  onStorageError: (message: string) => void,
  alreadySaved: boolean,
  write: (batch: RunWrite) => Promise<void> = writeRun,
  keptEpisodes: readonly { index: number; iteration: number }[] = [],
): RunRecorder {
  const retention = meta.retention ? new EpisodeRetention(meta.retention.settings, alreadySaved ? { state: meta.retention.state, kept: keptEpisodes } : undefined) : undefined;
  return new RunRecorder(
    meta,
    {
      write,
      describeError: storageErrorMessage,
      onError: (message) => onStorageError(message),
      retention,
    },
    alreadySaved,
  );
}

/** The meta of a run that has not been saved yet (the first write creates it). */
export function newRunMeta(header: RunHeader, cache: CacheRef | null): SavedRunMeta {
  const now = new Date().toISOString();
  // Keys travel to the worker apart from the config (InitOptions.apiKeys); this catches any that slipped into it.
  const safeHeader = stripSecretsForUrl(stripSecrets(header));
  return {
    id: newRunId(),
    name: defaultRunName(safeHeader),
    createdAt: now,
    updatedAt: now,
    header: safeHeader,
    status: 'paused',
    episodeCount: 0,
    iterationCount: 0,
    lastMeanReturn: null,
    optimizerSteps: 0,
    hasWeights: false,
    cache,
    source: 'trained',
    // Long runs stay bounded: beyond the cap, episodes are sampled (episodeRetention.ts).
    episodesKept: 0,
    retention: {
      settings: { maxEpisodes: DEFAULT_MAX_EPISODES, latestIterations: DEFAULT_LATEST_ITERATIONS, seed: safeHeader.seed, episodesPerIteration: safeHeader.config.ppo.episodesPerIteration },
      state: { olderSeen: 0, total: 0, newestIteration: -1 },
    },
  };
}

export interface ReopenedRun {
  meta: SavedRunMeta;
  weights: WeightEntry[] | null;
  /** Adam state and random streams saved with the weights; null for runs saved before they were kept (they resume, not bit-identically). */
  training: SavedTrainingState | null;
  /** Episodes done (the run-wide index the resumed run goes on from). */
  keptEpisodes: number;
  /** The stored episodes before the cut (all of them, or the sample a long run kept). */
  storedEpisodes: { index: number; iteration: number }[];
}

/**
 * Load a saved run for resuming and cut its record back to the finished iterations (the episodes
 * of an unfinished iteration are asked again). Throws with the reason when it cannot be resumed.
 */
export async function reopenRun(runId: string): Promise<ReopenedRun> {
  const saved = await loadRun(runId);
  if (!saved) throw new Error(`Saved run ${runId} is not in this browser's storage (deleted, or saved in another browser).`);
  const { meta } = saved;
  if (meta.iterationCount >= meta.header.config.iterations) throw new Error(`Run "${meta.name}" is finished: all ${meta.header.config.iterations} iterations are done.`);
  const stored = await loadWeights(runId);
  if (meta.iterationCount > 0 && !stored) {
    throw new Error(`Run "${meta.name}" has ${meta.iterationCount} iterations but no saved agent weights, so it cannot continue; import its weights in the Runs tab first.`);
  }
  // With sampled episodes the stored ones are not a prefix: cut at the first unfinished-iteration episode.
  const cut = resumeCut(saved.episodes, meta.iterationCount, meta.episodeCount);
  const kept: SavedRunMeta = {
    ...meta,
    episodeCount: cut.fromSeq,
    ...(meta.retention
      ? { episodesKept: cut.kept.length, retention: { settings: meta.retention.settings, state: { ...meta.retention.state, total: cut.fromSeq } } }
      : {}),
    status: 'paused',
    storageError: undefined,
    updatedAt: new Date().toISOString(),
  };
  await truncateEpisodes(kept, cut.fromSeq);
  return { meta: kept, weights: stored ? unpackWeights(stored.entries) : null, training: stored?.training ?? null, keptEpisodes: cut.fromSeq, storedEpisodes: cut.kept.map((e) => ({ index: e.seq, iteration: e.record.iteration })) };
}
