// Saves a run to IndexedDB as training goes, from the worker (the page thread only reads). Episode
// events are queued and written together every `batchMs`; an iteration (its metrics plus the
// weights it produced) or a status change is written at once. Writes are serialised, each in one
// transaction, so the saved record is always a prefix of the run. After a failed write (storage
// full) nothing more is written: a later batch could succeed and leave a gap.
import type { EpisodeRecord } from '../der/runRecord';
import type { RunWrite } from './runsDb';
import { lastMeanReturn, type PackedWeight, type SavedTrainingState, type RunStatus, type SavedRunMeta, type StoredEpisode, type StoredIteration, type StoredWeights } from './savedRun';
import type { IterationRecord } from '../der/runRecord';
import type { EpisodeRetention } from './episodeRetention';

export interface RunRecorderOptions {
  write(batch: RunWrite): Promise<void>;
  /** Called once, with a message for the user, when saving fails. */
  onError(message: string, err: unknown): void;
  describeError(err: unknown): string;
  batchMs?: number;
  now?: () => Date;
  /** Sample episodes beyond a cap (episodeRetention.ts); absent keeps every episode. */
  retention?: EpisodeRetention;
}

export class RunRecorder {
  private meta: SavedRunMeta;
  /** The meta as last written successfully: its counts describe what the database holds. */
  private savedMeta: SavedRunMeta | null = null;
  private episodes: StoredEpisode[] = [];
  private iterations: StoredIteration[] = [];
  private weights: StoredWeights | null = null;
  /** Saved episodes (by seq) the retention dropped, to delete with the next write. */
  private deletes: number[] = [];
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failure: string | null = null;
  private readonly batchMs: number;
  private readonly now: () => Date;

  /** `meta` describes what is already saved (a fresh run: zero counts; a resumed run: its kept prefix). */
  constructor(meta: SavedRunMeta, private readonly options: RunRecorderOptions, alreadySaved = false) {
    this.meta = { ...meta };
    if (alreadySaved) this.savedMeta = { ...meta };
    this.batchMs = options.batchMs ?? 250;
    this.now = options.now ?? (() => new Date());
  }

  get runId(): string {
    return this.meta.id;
  }

  /** Why saving stopped, or null while it works. */
  get error(): string | null {
    return this.failure;
  }

  /** Queue an episode; returns the seqs of the episodes the retention dropped (this one's included). */
  episode(record: EpisodeRecord): number[] {
    if (this.failure) return [];
    const seq = this.meta.episodeCount;
    this.episodes.push({ runId: this.meta.id, seq, record });
    this.meta.episodeCount += 1;
    let dropped: number[] = [];
    const retention = this.options.retention;
    if (retention) {
      dropped = retention.add(seq, record.iteration);
      for (const d of dropped) {
        const queued = this.episodes.findIndex((e) => e.seq === d);
        if (queued >= 0) this.episodes.splice(queued, 1);
        else this.deletes.push(d);
      }
      this.meta.episodesKept = retention.kept;
      this.meta.retention = { settings: retention.settings, state: retention.state };
    }
    this.dirty = true;
    this.timer ??= setTimeout(() => void this.flush(), this.batchMs);
    return dropped;
  }

  /** An iteration closed: its report, and the weights it produced (taken right after the update) with the training state a resume needs. */
  iteration(report: IterationRecord, weights: PackedWeight[] | null, weightsMeta: Record<string, unknown> = {}, training?: SavedTrainingState): Promise<void> {
    if (this.failure) return this.chain;
    const at = this.now().toISOString();
    this.meta.iterationCount = report.iteration + 1;
    this.meta.optimizerSteps += report.update?.gradSteps ?? 0;
    this.iterations.push({ runId: this.meta.id, iteration: report.iteration, report });
    this.meta.lastMeanReturn = lastMeanReturn([report]) ?? this.meta.lastMeanReturn;
    if (weights) {
      this.weights = { runId: this.meta.id, savedAt: at, iterations: this.meta.iterationCount, optimizerSteps: this.meta.optimizerSteps, meta: weightsMeta, entries: weights, ...(training ? { training } : {}) };
      this.meta.hasWeights = true;
    }
    this.dirty = true;
    return this.flush();
  }

  status(status: RunStatus): Promise<void> {
    if (this.meta.status === status) return this.flush();
    this.meta.status = status;
    this.dirty = true;
    return this.flush();
  }

  /** Write whatever is queued now; resolves when it (and every earlier write) is done. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.chain = this.chain.then(() => this.writeQueued());
    return this.chain;
  }

  private async writeQueued(): Promise<void> {
    if (this.failure || !this.dirty) return;
    const meta: SavedRunMeta = { ...this.meta, updatedAt: this.now().toISOString() };
    const batch: RunWrite = { meta, episodes: this.episodes, iterations: this.iterations, weights: this.weights ?? undefined, ...(this.deletes.length > 0 ? { deleteEpisodes: this.deletes } : {}) };
    this.episodes = [];
    this.deletes = [];
    this.iterations = [];
    this.weights = null;
    this.dirty = false;
    try {
      await this.options.write(batch);
      this.savedMeta = meta;
    } catch (err) {
      this.failure = this.options.describeError(err);
      this.options.onError(this.failure, err);
      // Best effort: mark the saved record (its counts unchanged) so the runs list can say why it stops early.
      if (this.savedMeta) {
        try {
          await this.options.write({ meta: { ...this.savedMeta, storageError: this.failure } });
        } catch {
          /* the disk is full; the list shows the run without the note */
        }
      }
    }
  }
}
