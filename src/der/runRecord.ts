// Run records: the public JSON Lines format (documented in the README).
// Line 1: {"type":"run", ...}; then one {"type":"episode", ...} line per episode; optionally
// {"type":"iteration", ...} lines with the iteration's metrics.
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
}

export interface IterationRecord {
  type: 'iteration';
  iteration: number;
  metrics: Record<string, number>;
}

export type RunLine = RunHeader | EpisodeRecord | IterationRecord;

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

/** One training iteration as the trainer reports it and the charts draw it. */
export interface IterationReport {
  iteration: number;
  episodes: number;
  /** Episode summaries (mean return, mean final score, route length, cost, …). */
  summary: Record<string, number>;
  /** PPO debug metrics of the update that closed the iteration (null when there was nothing to learn from). */
  update: PpoUpdateMetrics | null;
  /** Episodes left out of this update because a reward, value or log-probability was NaN/Inf (they stay in the record). */
  excludedEpisodes?: number;
  /** What went wrong in this iteration, in words (episodes left out, an update skipped); absent when all went well. */
  warning?: string;
}
