// Run records: the public JSON Lines format (documented in the README).
// Line 1: {"type":"run", ...}; then one {"type":"episode", ...} line per episode; optionally
// {"type":"iteration", ...} lines with the iteration's metrics (an IterationRecord).
//
// IterationRecord is THE shape of one training iteration: the trainer reports it, the worker
// posts it, the store and the charts draw it, IndexedDB keeps it, the CLI prints it and the run
// file holds it (as an IterationLine). Add a per-iteration number as a named field here.
import type { ExperimentConfig } from './config';

export type DoneReason = 'threshold' | 'tmax' | 'stop' | 'error';

/** The reward of one step split into its terms; `reward` is their sum. */
export interface RewardTerms {
  /** P_t */
  score: number;
  /** −α·C_t */
  cost: number;
  /** β·ΔP_t (0 at t = 0) */
  increment: number;
  /** +γ on success, −γ at the step limit without success, 0 otherwise */
  terminal: number;
}

export interface StepRecord {
  t: number;
  /** Index of the chosen action; equals the number of experts for STOP. */
  action: number;
  /** Expert name, or "STOP". */
  expert: string;
  /** C_t: the expert's size in billions (0 for STOP). */
  cost: number;
  prompt: string;
  answer: string;
  /** P_t */
  score: number;
  /** ΔP_t = P_t − P_{t−1} (0 at t = 0) */
  delta: number;
  reward: number;
  terms: RewardTerms;
  probs: number[];
  logProb: number;
  value: number;
  done: boolean;
  done_reason: DoneReason | null;
  cached?: boolean;
  usage?: { promptTokens: number; completionTokens: number };
  latencyMs?: number;
  costUSD?: number;
  error?: string;
}

export interface EpisodeRecord {
  type: 'episode';
  iteration: number;
  /** Index of the episode within the run (stable order). */
  index: number;
  question_id: string;
  domain?: string;
  policy: string;
  steps: StepRecord[];
  /** Sum of the step rewards (undiscounted). */
  return: number;
  final_score: number;
  /** Number of expert calls (STOP does not count). */
  route_length: number;
  /** Sum of C over the route, in billions. */
  route_cost: number;
  done_reason: DoneReason;
  failed?: boolean;
  /**
   * Expert calls after which this route had to end, when that was not Tmax (a fixed-route
   * baseline such as a single expert under the threshold rule). The what-if rescoring needs it.
   */
  call_limit?: number;
}

export interface RunHeader {
  type: 'run';
  config: ExperimentConfig;
  seed: number;
  created: string;
  versions: Record<string, string>;
  experts: { name: string; sizeB: number; kind: string }[];
  simulated: boolean;
  knowledgeTransfer: boolean;
  /** Present when the run keeps a sample of its episodes (runs/episodeRetention.ts): how, and how many. */
  retention?: EpisodeRetentionInfo;
}

/**
 * Which episodes a long run keeps: every episode of the latest `latestIterations` iterations, plus
 * a uniform reservoir sample (seeded by `seed`) of the older ones, `maxEpisodes` at most in all.
 * Iteration metrics are always kept whole.
 */
export interface EpisodeRetentionInfo {
  maxEpisodes: number;
  latestIterations: number;
  seed: number;
  /** Episodes stored. */
  kept: number;
  /** Episodes the run collected. */
  total: number;
}

export type RunLine = RunHeader | EpisodeRecord | IterationLine;

/** PPO debug metrics of one update (CleanRL's set): what the PPO diagnostics chart draws. */
export interface PpoUpdateMetrics {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
  explainedVariance: number;
  /** Gradient norm before clipping, mean over the applied steps. */
  gradNorm: number;
  gradSteps: number;
  transitions: number;
  episodes: number;
  actorLr: number;
  criticLr: number;
  /** True when targetKl stopped the update before its planned steps. */
  stoppedEarly: boolean;
  /** True when no (further) gradient was applied because a number was NaN/Inf; see skipReason. */
  skipped: boolean;
  skipReason?: string;
  ms: number;
}

/** Mean, population standard deviation and count of ΔP at one step. */
export interface StepStat {
  /** Step index (from 0). */
  t: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  n: number;
}

/**
 * A set of episodes in numbers (der/metrics.ts summarizeEpisodes computes it): one iteration's in
 * an IterationRecord, the latest iteration's or the whole run's in the dashboard. NaN where there
 * was nothing to average.
 */
export interface EpisodeSummary {
  episodes: number;
  failed: number;
  meanReturn: number;
  meanFinalScore: number;
  /** Expert calls per route. */
  meanRouteLength: number;
  /** Billions of parameters called per route. */
  meanRouteCost: number;
  /** Share of episodes whose final score is ≥ p0. */
  successRate: number;
  /** routeLengthHistogram[k − 1] = number of routes with k calls, k = 1..Tmax (longer routes land in the last bin). */
  routeLengthHistogram: number[];
  /** ΔP of the expert calls at t = 1..Tmax−1 (ΔP is 0 by definition at t = 0). */
  deltaByStep: StepStat[];
  /** transitionDelta[i][j]: mean ΔP when expert j answers right after expert i (NaN where never seen). */
  transitionDelta: number[][];
  transitionCount: number[][];
  /** expertUsageByStep[t][k]: calls of expert k at step t, t = 0..Tmax−1. */
  expertUsageByStep: number[][];
}

/** One training iteration (see the header of this file: the one shape every layer uses). */
export interface IterationRecord {
  iteration: number;
  /** Episodes the update learned from. */
  episodes: number;
  /** The learned-from episodes in numbers (mean return, mean final score, route length, cost, …). */
  summary: EpisodeSummary;
  /** PPO debug metrics of the update that closed the iteration (null when there was nothing to learn from). */
  update: PpoUpdateMetrics | null;
  /** Episodes left out of this update because a reward, value or log-probability was NaN/Inf (they stay in the record). */
  excludedEpisodes?: number;
  /** Failed expert calls and episodes of this iteration, per expert; absent when nothing failed. */
  failures?: IterationFailures;
  /** What went wrong in this iteration, in words (episodes left out, an update skipped); absent when all went well. */
  warning?: string;
  /** The run's chance level (der/chanceLevel.ts), the same on every iteration; absent when not computed (real pools). */
  chance?: ChanceLevel;
}

/** Mean return of a uniformly random policy over the agent's allowed actions on the training questions. */
export interface ChanceLevel {
  policy: string;
  meanReturn: number;
  /** Standard deviation of the per-seed means. */
  sd: number;
  seeds: number;
  questions: number;
  meanRouteLength: number;
}

/**
 * What failed in one iteration. A failed episode that answered at least once is still learned from
 * (its prefix, bootstrapped from the critic); one that failed at its first call is not.
 */
export interface IterationFailures {
  /** Episodes collected in the iteration, failed or not. */
  collected: number;
  failedEpisodes: number;
  /** Failed episodes with nothing to learn from (the first call failed). */
  unlearnableEpisodes: number;
  /** Expert calls made (a call may have sent several HTTP requests: retries), and those that failed. */
  calls: number;
  failedCalls: number;
  /** Per expert that failed at least once. */
  byExpert: Record<string, { calls: number; failedCalls: number; failedEpisodes: number }>;
}

/** An IterationRecord as a run-file line. */
export type IterationLine = { type: 'iteration' } & IterationRecord;

export function iterationLine(record: IterationRecord): IterationLine {
  return { type: 'iteration', ...record };
}
