// What a saved run is (the shapes kept in IndexedDB by runsDb.ts) and the pure conversions around
// it: Float32 weight packing and the facts the runs list shows. No IndexedDB, no React: unit-tested on its own.
import type { EpisodeRecord, IterationRecord, RunHeader } from '../der/runRecord';
import type { WeightEntry } from '../agent/weightsIO';
import type { AgentTrainingState } from '../agent/trainingState';
import type { QuestionStreamState } from '../der/questionStream';
import type { RetentionSettings, RetentionState } from './episodeRetention';

/**
 * running: a worker is (or was, until the page went away) training it; paused / stopped: the user
 * halted it; finished: all configured iterations done; interrupted: found "running" with no worker
 * behind it (the page was reloaded or closed mid-run).
 */
export type RunStatus = 'running' | 'paused' | 'stopped' | 'finished' | 'interrupted';

/** Where the run's expert answers were cached, so a resumed or re-run route costs nothing new. */
export interface CacheRef {
  /** IndexedDB database name of the response cache. */
  dbName: string;
  /** Number of cached responses when last recorded, if known. */
  entries?: number;
}

export interface SavedRunMeta {
  id: string;
  name: string;
  /** ISO time the run record was created (first saved). */
  createdAt: string;
  updatedAt: string;
  /** The run file's first line: config, seed, versions, experts (secrets stripped). */
  header: RunHeader;
  status: RunStatus;
  episodeCount: number;
  iterationCount: number;
  /** Mean return of the last finished iteration; null before the first update. */
  lastMeanReturn: number | null;
  /** Adam steps taken so far (sum of the updates' gradient steps). */
  optimizerSteps: number;
  hasWeights: boolean;
  cache: CacheRef | null;
  source: 'trained' | 'imported';
  /** Set when saving failed (storage full): the record is intact up to the counts above. */
  storageError?: string;
  /** Episodes stored, when the run samples them beyond a cap (episodeCount is then the number recorded). */
  episodesKept?: number;
  /** How episodes beyond the cap are sampled, and the sampler's counters (a resume carries them on). */
  retention?: { settings: RetentionSettings; state: RetentionState };
}

/** "1,200 episodes kept of 16,000" when a run sampled its episodes; null when it kept them all. */
export function keptOfTotal(meta: Pick<SavedRunMeta, 'episodeCount' | 'episodesKept'>): string | null {
  if (meta.episodesKept === undefined || meta.episodesKept >= meta.episodeCount) return null;
  return `${meta.episodesKept.toLocaleString('en')} episodes kept of ${meta.episodeCount.toLocaleString('en')}`;
}

export interface StoredEpisode {
  runId: string;
  /** Position in the run (0, 1, 2, … in the order episodes finished). */
  seq: number;
  record: EpisodeRecord;
}

export interface StoredIteration {
  runId: string;
  iteration: number;
  report: IterationRecord;
}

/** A weight tensor as float32 (half the size of a number[] in IndexedDB). */
export interface PackedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface StoredWeights {
  runId: string;
  savedAt: string;
  /** Number of PPO iterations these weights have learned from. */
  iterations: number;
  optimizerSteps: number;
  meta: Record<string, unknown>;
  entries: PackedWeight[];
  /** What a resume needs besides the weights to continue bit-identically; absent in runs saved before it was kept. */
  training?: SavedTrainingState;
}

/**
 * Taken with the weights at the end of an iteration: the agent's Adam moments, step counts and
 * random streams (PpoAgent.getTrainingState), and the trainer's question order. Plain numbers, not
 * Float32-packed: the random-stream states are uint32.
 */
export interface SavedTrainingState {
  agent: AgentTrainingState;
  questions: QuestionStreamState;
}

export function packWeights(entries: readonly WeightEntry[]): PackedWeight[] {
  return entries.map((e) => ({ name: e.name, shape: e.shape.slice(), data: Float32Array.from(e.data) }));
}

export function unpackWeights(entries: readonly PackedWeight[]): WeightEntry[] {
  return entries.map((e) => ({ name: e.name, shape: e.shape.slice(), data: Array.from(e.data) }));
}

/** Mean return of the last iteration that has one (null when none). */
export function lastMeanReturn(iterations: readonly IterationRecord[]): number | null {
  for (let i = iterations.length - 1; i >= 0; i--) {
    const value = iterations[i].summary.meanReturn;
    if (Number.isFinite(value)) return value;
  }
  return null;
}

/** A run found "running" on a fresh page has no worker behind it any more. */
export function effectiveStatus(meta: SavedRunMeta, liveRunId: string | null): RunStatus {
  return meta.status === 'running' && meta.id !== liveRunId ? 'interrupted' : meta.status;
}

/** Whether "Resume run" can continue it: not finished, and its learned weights are saved (or nothing was learned yet). */
export function isResumable(meta: SavedRunMeta): boolean {
  if (meta.status === 'finished' || meta.iterationCount >= meta.header.config.iterations) return false;
  return meta.iterationCount === 0 || meta.hasWeights;
}

/**
 * Episodes a resume keeps: those of finished iterations. The episodes of an unfinished iteration
 * were never learned from and their trajectories (state vectors) are not saved, so a resume asks
 * those questions again with the restored policy (Trainer.restoreProgress replays the question
 * stream); they are the first episodes of a run's iteration order, so this is a prefix.
 */
/**
 * Where a resume cuts a run whose episodes may be sampled: `fromSeq` is the first episode of the
 * unfinished iteration (the episodes done), `kept` the stored episodes before it. With every
 * episode stored this is learnedEpisodeCount's prefix.
 */
export function resumeCut(episodes: readonly StoredEpisode[], iterationCount: number, episodeCount: number): { fromSeq: number; kept: StoredEpisode[] } {
  const sorted = [...episodes].sort((a, b) => a.seq - b.seq);
  const first = sorted.find((e) => e.record.iteration >= iterationCount);
  const fromSeq = first ? first.seq : Math.max(episodeCount, sorted.length > 0 ? sorted[sorted.length - 1].seq + 1 : 0);
  return { fromSeq, kept: sorted.filter((e) => e.seq < fromSeq) };
}

export function learnedEpisodeCount(episodes: readonly EpisodeRecord[], iterationCount: number): number {
  let n = 0;
  while (n < episodes.length && episodes[n].iteration < iterationCount) n++;
  return n;
}

export function defaultRunName(header: RunHeader): string {
  const when = new Date(header.created);
  const stamp = Number.isNaN(when.getTime()) ? header.created : when.toISOString().slice(0, 16).replace('T', ' ');
  return `${header.config.preset} · seed ${header.seed} · ${stamp}`;
}

export function newRunId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
