// The training loop that wires the core's episode runner to the PPO agent. It knows no DOM and
// no transport: the Web Worker and the Node CLI both drive it and forward its events.
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord, IterationRecord, PpoUpdateMetrics } from '../der/runRecord';
import type { ExpertPool, Policy, Question, Scorer, StateEncoder } from '../der/types';
import type { Trajectory } from '../der/trajectory';
import { createRng } from '../der/rng';
import { QuestionStream, type QuestionStreamState } from '../der/questionStream';
import { runEpisodes } from '../der/episodes';
import { summarizeEpisodes } from '../der/metrics';
import { chanceLevel } from '../der/chanceLevel';
import type { ChanceLevel } from '../der/runRecord';

/** Seeds of the random-policy line on the simulated pool. */
export const DEFAULT_CHANCE_SEEDS = 10;
import { defaultFailurePolicy, FailurePolicy, type FailureClock, type FailurePolicySettings } from './failurePolicy';

/** What the trainer needs from an agent: a policy that can also learn from trajectories. */
export interface LearningAgent extends Policy {
  update(trajectories: Trajectory[], progress?: { iteration: number; totalIterations: number }): Promise<PpoUpdateMetrics>;
}

export interface TrainerDeps {
  pool: ExpertPool;
  scorer: Scorer;
  encoder: StateEncoder;
  agent: LearningAgent;
}

/**
 * Why PPO cannot learn from a trajectory (a NaN/Inf reward, value or log-probability, e.g. from a
 * scorer that returned NaN), or null. One such episode would make PpoAgent skip the whole update,
 * so the trainer leaves it out instead and the rest of the batch still teaches the agent.
 */
export function unlearnableReason(trajectory: Trajectory): string | null {
  const fields: [string, readonly number[]][] = [
    ['reward', trajectory.rewards],
    ['value', trajectory.values],
    ['log-probability', trajectory.logProbs],
  ];
  for (const [what, values] of fields) {
    const t = values.findIndex((v) => !Number.isFinite(v));
    if (t >= 0) return `${what} at step ${t} is ${values[t]}`;
  }
  if (!trajectory.terminal && !Number.isFinite(trajectory.bootstrapValue)) return `bootstrap value is ${trajectory.bootstrapValue}`;
  return null;
}

export interface TrainerEvents {
  onEpisode?(episode: EpisodeRecord): void;
  onIteration?(report: IterationRecord): void;
}

export interface TrainerOptions {
  /** When expert calls fail: routing around, waiting, pausing (defaults: defaultFailurePolicy). */
  failurePolicy?: Partial<FailurePolicySettings>;
  /** For tests: the failure policy's clock (waiting for a cooldown). */
  clock?: FailureClock;
  /**
   * Seeds of the chance level (der/chanceLevel.ts) computed before the first update and attached
   * to every iteration record, for the reward chart's random line. Default: 10 on the simulated
   * pool (free), 0 (off) on other pools, where it would spend real expert calls.
   */
  chanceSeeds?: number;
}

export class Trainer {
  /** The training questions' order (der/questionStream.ts); its state is saved with a run's weights. */
  private readonly questions: QuestionStream;
  private pending: { episode: EpisodeRecord; trajectory: Trajectory }[] = [];
  /** Episodes of the current iteration left out of learning because of a NaN/Inf (see unlearnableReason). */
  private excluded: string[] = [];
  private episodeIndex = 0;
  /** Pauses the run when experts keep failing, and counts failures per expert (failurePolicy.ts). */
  readonly failures: FailurePolicy;
  iteration = 0;

  constructor(
    private readonly config: ExperimentConfig,
    private readonly trainQuestions: readonly Question[],
    private readonly deps: TrainerDeps,
    private readonly events: TrainerEvents = {},
    options: TrainerOptions = {},
  ) {
    if (trainQuestions.length === 0) throw new Error('The training split is empty: add questions or lower the test fraction.');
    this.questions = new QuestionStream(trainQuestions, createRng(config.seed).fork('questions'));
    this.failures = new FailurePolicy({ ...defaultFailurePolicy(config.ppo.episodesPerIteration), ...options.failurePolicy }, deps.pool, options.clock);
    this.chanceSeeds = options.chanceSeeds ?? (deps.pool.simulated ? DEFAULT_CHANCE_SEEDS : 0);
  }

  private readonly chanceSeeds: number;
  private chance: Promise<ChanceLevel> | null = null;

  /** The chance level of this run (computed once, on the training questions), or null when off. */
  chanceLevel(): Promise<ChanceLevel> | null {
    if (this.chanceSeeds <= 0) return null;
    this.chance ??= chanceLevel(
      this.trainQuestions,
      { pool: this.deps.pool, scorer: this.deps.scorer },
      {
        reward: this.config.reward,
        stopRule: this.config.stopRule,
        ktp: this.config.ktp,
        seeds: this.chanceSeeds,
      },
    );
    return this.chance;
  }

  get episodesDone(): number {
    return this.episodeIndex;
  }

  /** Episodes collected since the last PPO update. */
  get pendingEpisodes(): number {
    return this.pending.length;
  }

  /**
   * Restore counters when resuming a saved run (episodes already recorded are not replayed). With
   * the saved question order (questionState) the stream continues from it; without (runs saved
   * before it was kept) it is advanced exactly as the original run did. Either way a resumed run
   * asks the same questions.
   */
  restoreProgress(iteration: number, episodesDone: number, questionState?: QuestionStreamState): void {
    if (questionState) this.questions.setState(questionState);
    else for (let i = 0; i < episodesDone; i++) this.questions.next();
    this.iteration = iteration;
    this.episodeIndex = episodesDone;
  }

  /** The question order's state, to save with the weights at the end of an iteration. */
  questionState(): QuestionStreamState {
    return this.questions.getState();
  }

  private nextQuestion(): Question {
    return this.questions.next();
  }

  /**
   * Collect `count` episodes with the current policy (one batch, run in lockstep). Throws
   * RunPausedError (after recording the batch) when the failure policy pauses the run.
   */
  async collect(count: number): Promise<EpisodeRecord[]> {
    await this.failures.beforeCollect();
    const questions = Array.from({ length: count }, () => this.nextQuestion());
    const { episodes, trajectories } = await runEpisodes(
      questions,
      {
        pool: this.deps.pool,
        scorer: this.deps.scorer,
        encoder: this.deps.encoder,
        policy: this.deps.agent,
      },
      {
        reward: this.config.reward,
        stopRule: this.config.stopRule,
        ktp: this.config.ktp,
        iteration: this.iteration,
        firstIndex: this.episodeIndex,
        avoidCoolingExperts: true,
      },
    );
    this.episodeIndex += episodes.length;
    const noPrefix = new Set<EpisodeRecord>();
    episodes.forEach((episode, i) => {
      // A failed episode (an expert call failed) is learned from up to the failure, bootstrapped
      // from the critic's value there (trajectoryFromEpisode); one that failed at its first call
      // has nothing to learn from. Episodes with a NaN/Inf number are kept in the record only.
      if (episode.failed && trajectories[i].actions.length === 0) noPrefix.add(episode);
      else {
        const unlearnable = unlearnableReason(trajectories[i]);
        if (unlearnable) this.excluded.push(`episode ${episode.index} (question ${episode.question_id}): ${unlearnable}`);
        else this.pending.push({ episode, trajectory: trajectories[i] });
      }
      this.events.onEpisode?.(episode);
    });
    this.failures.afterEpisodes(episodes, (e) => noPrefix.has(e));
    return episodes;
  }

  /** Run one PPO update on the episodes collected since the last update, and close the iteration. */
  async update(): Promise<IterationRecord> {
    const batch = this.pending;
    const excluded = this.excluded;
    this.pending = [];
    this.excluded = [];
    const update = batch.length
      ? await this.deps.agent.update(
          batch.map((b) => b.trajectory),
          { iteration: this.iteration, totalIterations: this.config.iterations },
        )
      : null;
    const report: IterationRecord = {
      iteration: this.iteration,
      episodes: batch.length,
      summary: summarizeEpisodes(
        batch.map((b) => b.episode),
        {
          expertCount: this.deps.pool.experts.length,
          tmax: this.config.reward.tmax,
          p0: this.config.reward.p0,
        },
      ),
      update,
    };
    const failures = this.failures.closeIteration();
    if (failures) report.failures = failures;
    const chance = await this.chanceLevel();
    if (chance && Number.isFinite(chance.meanReturn)) report.chance = chance;
    const warnings: string[] = [];
    if (excluded.length > 0) {
      report.excludedEpisodes = excluded.length;
      warnings.push(
        `${excluded.length} episode(s) left out of the update because a number was not finite: ${excluded.slice(0, 3).join('; ')}${excluded.length > 3 ? '; …' : ''}. Check the scorer and the experts' answers.`,
      );
    }
    if (update?.skipped) warnings.push(`PPO update skipped, weights unchanged: ${update.skipReason ?? 'unknown reason'}.`);
    if (warnings.length > 0) report.warning = `Iteration ${this.iteration}: ${warnings.join(' ')}`;
    this.iteration += 1;
    this.events.onIteration?.(report);
    return report;
  }

  /** One full iteration: collect the rest of the iteration's episodes, then update. */
  async runIteration(): Promise<IterationRecord> {
    const missing = this.config.ppo.episodesPerIteration - this.pending.length;
    if (missing > 0) await this.collect(missing);
    return this.update();
  }

  get finished(): boolean {
    return this.iteration >= this.config.iterations;
  }
}
