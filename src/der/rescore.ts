// The "what-if" knobs: recompute rewards, returns and stop points of recorded episodes under
// new α, β, γ, p0, Tmax (and stop rule) without calling any expert. The recorded scores P are
// fixed; a stricter rule can end a route earlier (its steps are cut), but a looser one cannot
// extend it: those episodes are flagged `truncatedByRecording`.
import { STOP_NAME, type StopRule } from './actions';
import { ORACLE_POLICY_NAME } from './baselines';
import type { RewardConfig } from './config';
import { oracleStepTerms, stepRewardTerms } from './reward';
import type { DoneReason, EpisodeRecord, RewardTerms } from './runRecord';

export interface RescoredStep {
  t: number;
  action: number;
  expert: string;
  score: number;
  delta: number;
  terms: RewardTerms;
  reward: number;
  done: boolean;
  done_reason: DoneReason | null;
}

export interface RescoredEpisode {
  index: number;
  question_id: string;
  policy: string;
  steps: RescoredStep[];
  return: number;
  final_score: number;
  route_length: number;
  route_cost: number;
  /** null when the recording ends before the new rules would end the episode. */
  done_reason: DoneReason | null;
  /** The new rules would go on past the recording (higher p0 or Tmax, or a threshold stop where the agent had stopped). */
  truncatedByRecording: boolean;
  /** Stop point compared with the recording: fewer calls, would continue, or the same number of calls. */
  change: 'earlier' | 'later' | 'unchanged';
  /** The recorded failure (a failed expert call) is still inside the new route. */
  failed: boolean;
}

export interface RescoreSummary {
  episodes: number;
  /** Means over episodes that did not fail; truncated episodes count with their recorded part. */
  meanReturn: number;
  meanFinalScore: number;
  meanRouteLength: number;
  meanRouteCost: number;
  /** Share of non-failed episodes whose final score is ≥ the new p0. */
  successRate: number;
  endedEarlier: number;
  /** Would continue beyond the recording (= truncatedByRecording count). */
  endedLater: number;
  unchanged: number;
  failed: number;
}

export interface RescoreResult {
  episodes: RescoredEpisode[];
  summary: RescoreSummary;
}

export function rescoreEpisodes(episodes: readonly EpisodeRecord[], reward: RewardConfig, stopRule: StopRule): RescoreResult {
  const rescored = episodes.map((e) => (e.policy === ORACLE_POLICY_NAME ? rescoreOracle(e, reward) : rescoreRoute(e, reward, stopRule)));
  return { episodes: rescored, summary: summarizeRescore(rescored, reward) };
}

function rescoreRoute(e: EpisodeRecord, reward: RewardConfig, stopRule: StopRule): RescoredEpisode {
  const calls = e.steps.filter((s) => s.expert !== STOP_NAME && s.error === undefined);
  const recordedFailure = e.steps.some((s) => s.error !== undefined);
  const recordedStop = e.steps[e.steps.length - 1].expert === STOP_NAME;
  const steps: RescoredStep[] = [];
  let previous = Number.NaN;
  let doneReason: DoneReason | null = null;
  const callLimit = Math.min(e.call_limit ?? reward.tmax, reward.tmax);
  for (const [k, s] of calls.entries()) {
    const r = stepRewardTerms({ t: k, kind: 'expert', score: s.score, previousScore: previous, sizeB: s.cost }, reward, stopRule, callLimit);
    steps.push({
      t: k,
      action: s.action,
      expert: s.expert,
      score: s.score,
      delta: k > 0 ? s.score - previous : 0,
      terms: r.terms,
      reward: r.total,
      done: r.done,
      done_reason: r.doneReason,
    });
    previous = s.score;
    if (r.done) {
      doneReason = r.doneReason;
      break;
    }
  }
  const routeLength = steps.length;
  let failed = false;
  if (doneReason === null && recordedFailure) {
    failed = true;
    doneReason = 'error';
  } else if (doneReason === null && recordedStop && stopRule === 'learned' && routeLength > 0) {
    // The agent's STOP decision depends on states, not rewards: it stays where it was.
    const stop = e.steps[e.steps.length - 1];
    const r = stepRewardTerms({ t: routeLength, kind: 'stop', score: previous, previousScore: previous, sizeB: 0 }, reward, stopRule);
    steps.push({
      t: routeLength,
      action: stop.action,
      expert: STOP_NAME,
      score: previous,
      delta: 0,
      terms: r.terms,
      reward: r.total,
      done: true,
      done_reason: 'stop',
    });
    doneReason = 'stop';
  }
  const truncated = doneReason === null;
  const change = routeLength < calls.length ? 'earlier' : truncated ? 'later' : 'unchanged';
  const kept = calls.slice(0, routeLength);
  return {
    index: e.index,
    question_id: e.question_id,
    policy: e.policy,
    steps,
    return: steps.reduce((sum, s) => sum + s.reward, 0),
    final_score: routeLength > 0 ? previous : Number.NaN,
    route_length: routeLength,
    route_cost: kept.reduce((sum, s) => sum + s.cost, 0),
    done_reason: doneReason,
    truncatedByRecording: truncated,
    change,
    failed,
  };
}

function rescoreOracle(e: EpisodeRecord, reward: RewardConfig): RescoredEpisode {
  const calls = e.steps.filter((s) => s.error === undefined);
  const terms = oracleStepTerms(
    calls.map((s) => s.score),
    calls.map((s) => s.cost),
    reward,
  );
  const steps = calls.map((s, i): RescoredStep => ({
    t: s.t,
    action: s.action,
    expert: s.expert,
    score: s.score,
    delta: terms[i].delta,
    terms: terms[i].terms,
    reward: terms[i].total,
    done: i === calls.length - 1,
    done_reason: i === calls.length - 1 ? 'tmax' : null,
  }));
  const failed = calls.length < e.steps.length;
  return {
    index: e.index,
    question_id: e.question_id,
    policy: e.policy,
    steps,
    return: steps.reduce((sum, s) => sum + s.reward, 0),
    final_score: terms.length > 0 ? terms[terms.length - 1].best : Number.NaN,
    route_length: calls.length,
    route_cost: calls.reduce((sum, s) => sum + s.cost, 0),
    done_reason: failed ? 'error' : 'tmax',
    truncatedByRecording: false,
    change: 'unchanged',
    failed,
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function summarizeRescore(episodes: readonly RescoredEpisode[], reward: RewardConfig): RescoreSummary {
  const ok = episodes.filter((e) => !e.failed);
  return {
    episodes: episodes.length,
    meanReturn: mean(ok.map((e) => e.return)),
    meanFinalScore: mean(ok.map((e) => e.final_score)),
    meanRouteLength: mean(ok.map((e) => e.route_length)),
    meanRouteCost: mean(ok.map((e) => e.route_cost)),
    successRate: mean(ok.map((e) => (e.final_score >= reward.p0 ? 1 : 0))),
    endedEarlier: episodes.filter((e) => e.change === 'earlier').length,
    endedLater: episodes.filter((e) => e.change === 'later').length,
    unchanged: episodes.filter((e) => e.change === 'unchanged').length,
    failed: episodes.length - ok.length,
  };
}
