// When expert calls fail, the trainer must neither spin (an outage once wrote 1.8 million failed
// episodes in 3 minutes) nor give up at the first hiccup. This is the policy, after LiteLLM's
// router: a failing expert cools down for a few seconds and is routed around (pool.health and the
// episode runner's avoidCoolingExperts); when every expert is cooling down the trainer waits for
// the first to come back, but only while the outage is young; it pauses the run, with one line that
// names each failing endpoint and its last error, when
//   - every expert has been cooling down for longer than `maxOutageWaitMs`,
//   - the last `pauseAfterFailedEpisodes` episodes all failed, or
//   - an iteration had more unlearnable failed episodes than `maxFailedEpisodesPerIteration`
//     (so a run never writes more than that many failed episodes on top of what it learns from).
// It also counts calls and failures per expert for the iteration's record (IterationRecord.failures).
import { STOP_NAME } from '../der/actions';
import type { EpisodeRecord, IterationFailures } from '../der/runRecord';
import type { ExpertHealth, ExpertPool } from '../der/types';

export interface FailurePolicySettings {
  /** Pause when this many episodes in a row failed (K). */
  pauseAfterFailedEpisodes: number;
  /** Failed episodes without a learnable prefix allowed per iteration; one more pauses the run. */
  maxFailedEpisodesPerIteration: number;
  /** When every expert cools down, wait for the first to come back while the outage is younger than this. */
  maxOutageWaitMs: number;
}

/** Defaults for an iteration of `episodesPerIteration` episodes: K = min(16, E), cap = 1 × E, wait ≤ 15 s. */
export function defaultFailurePolicy(episodesPerIteration: number): FailurePolicySettings {
  return {
    pauseAfterFailedEpisodes: Math.max(1, Math.min(16, episodesPerIteration)),
    maxFailedEpisodesPerIteration: Math.max(1, episodesPerIteration),
    maxOutageWaitMs: 15_000,
  };
}

/** The run paused itself because experts are failing; `message` is one line for the user. */
export class RunPausedError extends Error {
  constructor(
    message: string,
    readonly experts: ExpertHealth[],
  ) {
    super(message);
    this.name = 'RunPausedError';
  }
}

export interface FailureClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: FailureClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** One line: no newlines, long errors shortened. */
function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

interface ExpertCounts {
  calls: number;
  failedCalls: number;
  failedEpisodes: number;
}

export class FailurePolicy {
  private consecutiveFailedEpisodes = 0;
  private outageSince: number | null = null;
  private iterationCounts = new Map<string, ExpertCounts>();
  private iterationEpisodes = 0;
  private iterationFailed = 0;
  private iterationUnlearnable = 0;
  /** Last error seen in an episode, per expert (pools without health still name a cause). */
  private readonly lastError = new Map<string, string>();

  constructor(
    readonly settings: FailurePolicySettings,
    private readonly pool: ExpertPool,
    private readonly clock: FailureClock = realClock,
  ) {}

  /** Before collecting: wait for a cooldown to end if every expert is cooling down, or pause. */
  async beforeCollect(): Promise<void> {
    for (;;) {
      const health = this.pool.health?.();
      if (!health || health.length === 0 || !health.every((h) => h.coolingMs > 0)) return;
      const now = this.clock.now();
      this.outageSince ??= now;
      const wait = Math.min(...health.map((h) => h.coolingMs));
      if (now - this.outageSince + wait > this.settings.maxOutageWaitMs) {
        throw this.paused(`every expert is failing and cooling down (for ${((now - this.outageSince) / 1000).toFixed(1)} s so far)`);
      }
      await this.clock.sleep(wait);
    }
  }

  /** After collecting: count the episodes; throws RunPausedError when the run must pause. */
  afterEpisodes(episodes: readonly EpisodeRecord[], unlearnable: (episode: EpisodeRecord) => boolean): void {
    for (const episode of episodes) {
      this.iterationEpisodes += 1;
      let answered = false;
      for (const step of episode.steps) {
        if (step.expert === STOP_NAME) continue;
        const counts = this.countsOf(step.expert);
        counts.calls += 1;
        if (step.error !== undefined) {
          counts.failedCalls += 1;
          this.lastError.set(step.expert, step.error);
        } else answered = true;
      }
      if (answered) this.outageSince = null;
      if (episode.failed) {
        this.iterationFailed += 1;
        this.countsOf(episode.steps[episode.steps.length - 1].expert).failedEpisodes += 1;
        this.consecutiveFailedEpisodes += 1;
        if (unlearnable(episode)) this.iterationUnlearnable += 1;
      } else this.consecutiveFailedEpisodes = 0;
    }
    if (this.consecutiveFailedEpisodes >= this.settings.pauseAfterFailedEpisodes) {
      throw this.paused(`the last ${this.consecutiveFailedEpisodes} episodes all failed`);
    }
    if (this.iterationUnlearnable > this.settings.maxFailedEpisodesPerIteration) {
      throw this.paused(
        `${this.iterationUnlearnable} episodes of this iteration failed at their first call, more than the ${this.settings.maxFailedEpisodesPerIteration} allowed per iteration`,
      );
    }
  }

  /** The iteration's failure counts (absent when nothing failed), and a fresh count for the next one. */
  closeIteration(): IterationFailures | undefined {
    const failedCalls = [...this.iterationCounts.values()].reduce((sum, c) => sum + c.failedCalls, 0);
    const report: IterationFailures = {
      collected: this.iterationEpisodes,
      failedEpisodes: this.iterationFailed,
      unlearnableEpisodes: this.iterationUnlearnable,
      calls: [...this.iterationCounts.values()].reduce((sum, c) => sum + c.calls, 0),
      failedCalls,
      byExpert: Object.fromEntries([...this.iterationCounts.entries()].filter(([, c]) => c.failedCalls > 0 || c.failedEpisodes > 0)),
    };
    this.iterationCounts = new Map();
    this.iterationEpisodes = 0;
    this.iterationFailed = 0;
    this.iterationUnlearnable = 0;
    return report.failedCalls > 0 || report.failedEpisodes > 0 ? report : undefined;
  }

  /** The user resumes: start the streaks afresh and let every expert be tried again. */
  resume(): void {
    this.consecutiveFailedEpisodes = 0;
    this.outageSince = null;
    // The cap counts again from here: a resumed iteration may write another iteration's worth.
    this.iterationUnlearnable = 0;
    this.pool.resetHealth?.();
  }

  private countsOf(expert: string): ExpertCounts {
    let c = this.iterationCounts.get(expert);
    if (!c) this.iterationCounts.set(expert, (c = { calls: 0, failedCalls: 0, failedEpisodes: 0 }));
    return c;
  }

  /** One line: why, then each failing expert with its endpoint and last error, then what to do. */
  private paused(why: string): RunPausedError {
    const health = this.pool.health?.() ?? this.pool.experts.map((e) => ({ name: e.name, coolingMs: 0, consecutiveFailures: 0 }) as ExpertHealth);
    const failing = health
      .map((h) => ({ ...h, lastError: h.lastError ?? this.lastError.get(h.name) }))
      .filter((h) => h.coolingMs > 0 || h.consecutiveFailures > 0 || h.lastError !== undefined);
    // The call errors start with 'Expert "name" (model at URL): '; the line names both already.
    const cause = (h: ExpertHealth) => oneLine((h.lastError ?? 'failing').replace(/^Expert "[^"]*"( \([^)]*\))?: /, ''));
    const named = failing.map((h) => `"${h.name}"${h.endpoint ? ` at ${h.endpoint}` : ''}: ${cause(h).replace(/[.?!]$/, '')}`).join('; ');
    const message = `Run paused: ${why}. ${named ? `Failing: ${named}.` : ''} Every finished episode is kept; start again once the endpoints answer.`;
    return new RunPausedError(oneLine(message, 4000), failing);
  }
}
