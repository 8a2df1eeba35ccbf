// Which episodes a long run keeps. A 10,000-iteration run collects ~320,000 episodes (about 1 GB
// as JSON); the metrics of every iteration are small and always kept whole, but episodes beyond a
// cap are sampled, as TensorBoard samples what it stores: every episode of the latest
// `latestIterations` iterations, plus a uniform reservoir sample (Algorithm R, of a fixed size) of
// the older ones, `maxEpisodes` in all. The draws are a hash of (seed, n), so the choice is reproducible from the
// run's seed and can be carried on after a resume from two counters. Pure: the CLI's run-file
// writer and the browser's run recorder both drive it and delete what it drops.
import type { EpisodeRetentionInfo } from '../der/runRecord';

export interface RetentionSettings {
  /** Episodes kept at most (the latest iterations' episodes alone may exceed it; then only they are kept). */
  maxEpisodes: number;
  /** Iterations whose episodes are all kept. */
  latestIterations: number;
  seed: number;
  /**
   * The run's episodes per iteration (E). The reservoir holds maxEpisodes − 2·latestIterations·E
   * (room for an iteration's failed episodes, capped at E by the failure policy), so that its size
   * is fixed and the sample uniform; if the latest iterations still outgrow the cap, the reservoir
   * gives up random members.
   */
  episodesPerIteration: number;
}

export const DEFAULT_MAX_EPISODES = 5_000;
export const DEFAULT_LATEST_ITERATIONS = 5;

/** What must be saved to carry the sampling on after a resume (the kept episodes come from storage). */
export interface RetentionState {
  /** Episodes that left the latest-iterations window so far (the reservoir's stream length n). */
  olderSeen: number;
  /** Episodes recorded so far (M). */
  total: number;
  newestIteration: number;
}

/** murmur3's 32-bit finaliser: every input bit changes every output bit. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform draw in [0, 1) from (seed, n, salt), 53 bits. */
function hashUnit(seed: number, n: number, salt: number): number {
  const key = fmix32(fmix32(seed) ^ Math.imul(salt, 0x9e3779b9));
  const hi = fmix32(key ^ fmix32(n) ^ Math.floor(n / 0x100000000));
  const lo = fmix32(hi ^ key ^ 0x27d4eb2f);
  return (hi * 0x200000 + (lo >>> 11)) / 0x20000000000000;
}

export class EpisodeRetention {
  /** Iteration → episode indices, for the latest iterations. */
  private readonly window = new Map<number, number[]>();
  private windowCount = 0;
  private readonly reservoir: number[] = [];
  private olderSeen: number;
  private readonly reservoirSize: number;
  private totalSeen: number;
  private newestIteration: number;

  constructor(
    readonly settings: RetentionSettings,
    restored?: { state: RetentionState; kept: readonly { index: number; iteration: number }[] },
  ) {
    if (!(settings.maxEpisodes >= 1) || !Number.isInteger(settings.maxEpisodes)) throw new Error(`maxEpisodes must be a whole number ≥ 1, got ${settings.maxEpisodes}`);
    if (!(settings.latestIterations >= 1) || !Number.isInteger(settings.latestIterations)) throw new Error(`latestIterations must be a whole number ≥ 1, got ${settings.latestIterations}`);
    this.reservoirSize = Math.max(0, settings.maxEpisodes - 2 * settings.latestIterations * Math.max(1, settings.episodesPerIteration));
    this.olderSeen = restored?.state.olderSeen ?? 0;
    this.totalSeen = restored?.state.total ?? 0;
    this.newestIteration = restored?.state.newestIteration ?? -1;
    // The reservoir is kept in index order (see offer), so sorting restores it exactly.
    for (const { index, iteration } of [...(restored?.kept ?? [])].sort((x, y) => x.index - y.index)) {
      if (this.inWindow(iteration)) this.addToWindow(index, iteration);
      else this.reservoir.push(index);
    }
  }

  /** Episodes kept now (N). */
  get kept(): number {
    return this.windowCount + this.reservoir.length;
  }

  /** Episodes recorded (M). */
  get total(): number {
    return this.totalSeen;
  }

  get state(): RetentionState {
    return { olderSeen: this.olderSeen, total: this.totalSeen, newestIteration: this.newestIteration };
  }

  info(): EpisodeRetentionInfo {
    return { maxEpisodes: this.settings.maxEpisodes, latestIterations: this.settings.latestIterations, seed: this.settings.seed, kept: this.kept, total: this.totalSeen };
  }

  /** Record an episode; returns the indices of the episodes to drop now (possibly this one, later). */
  add(index: number, iteration: number): number[] {
    this.totalSeen += 1;
    this.newestIteration = Math.max(this.newestIteration, iteration);
    this.addToWindow(index, iteration);
    const dropped: number[] = [];
    for (const [it, indices] of [...this.window.entries()]) {
      if (this.inWindow(it)) continue;
      this.window.delete(it);
      this.windowCount -= indices.length;
      for (const older of indices) {
        const out = this.offer(older);
        if (out !== null) dropped.push(out);
      }
    }
    // The window grew (a long iteration): shrink the reservoir to keep the cap, uniformly.
    while (this.reservoir.length > 0 && this.kept > this.settings.maxEpisodes) {
      const j = Math.floor(hashUnit(this.settings.seed, this.totalSeen + this.reservoir.length, 0x5bd1e995) * this.reservoir.length);
      dropped.push(this.reservoir[j]);
      this.reservoir.splice(j, 1);
    }
    return dropped;
  }

  private inWindow(iteration: number): boolean {
    return iteration > this.newestIteration - this.settings.latestIterations;
  }

  private addToWindow(index: number, iteration: number): void {
    let list = this.window.get(iteration);
    if (!list) this.window.set(iteration, (list = []));
    list.push(index);
    this.windowCount += 1;
  }

  /**
   * Algorithm R: the n-th older episode replaces a random kept one with probability capacity / n.
   * The replaced one leaves its place and the newcomer (the largest index yet) goes last, so the
   * reservoir stays in index order and a resume can rebuild it from the stored episodes.
   */
  private offer(index: number): number | null {
    this.olderSeen += 1;
    const capacity = this.reservoirSize;
    if (this.reservoir.length < capacity) {
      this.reservoir.push(index);
      return null;
    }
    const j = Math.floor(hashUnit(this.settings.seed, this.olderSeen, 0x1b873593) * this.olderSeen);
    if (j < this.reservoir.length) {
      const out = this.reservoir[j];
      this.reservoir.splice(j, 1);
      this.reservoir.push(index);
      return out;
    }
    return index;
  }
}
