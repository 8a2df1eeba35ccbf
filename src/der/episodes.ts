// The episode runner: all active episodes advance one step together (lockstep), so each step
// makes one encoder call, one policy call and one scorer call for the whole batch, and the
// expert calls of the batch run in parallel (the pool adapter limits concurrency itself).
import { allowedActions, STOP_NAME, stopAction, type StopRule } from './actions';
import type { KtpConfig, RewardConfig } from './config';
import { callExpertSafely, replyFields, requireReferences, scoreBatch, type ExpertCallOutcome } from './expertCall';
import { renderPrompt, stateText } from './prompts';
import { stepRewardTerms } from './reward';
import type { DoneReason, EpisodeRecord, StepRecord } from './runRecord';
import type { Trajectory } from './trajectory';
import type { ExpertPool, Policy, PolicyDecision, PolicyObservation, Question, Scorer, StateEncoder } from './types';

export interface EpisodeDeps {
  pool: ExpertPool;
  scorer: Scorer;
  encoder: StateEncoder;
  policy: Policy;
}

export interface EpisodeOptions {
  reward: RewardConfig;
  stopRule: StopRule;
  ktp: KtpConfig;
  iteration: number;
  /** Index of the first episode within the run (EpisodeRecord.index = firstIndex + position). */
  firstIndex?: number;
  /** Expert calls after which a route ends; defaults to Tmax. Baselines with a fixed route pass its length. */
  maxCalls?: number;
  /**
   * Leave experts that are cooling down (pool.health) out of the allowed actions while another
   * action remains, as a router takes a failing endpoint out of rotation. Training sets it.
   */
  avoidCoolingExperts?: boolean;
  /** Called as soon as an episode ends (before the others finish), e.g. to stream it to the UI. */
  onEpisode?: (record: EpisodeRecord, trajectory: Trajectory) => void;
}

export interface EpisodeBatch {
  /** In question order. */
  episodes: EpisodeRecord[];
  /** In question order; what PPO learns from. */
  trajectories: Trajectory[];
}

interface LiveEpisode {
  position: number;
  question: Question;
  steps: StepRecord[];
  states: Float32Array[];
  allowed: boolean[][];
  /** Latest answer (null before the first). */
  answer: string | null;
  /** Score of the latest answer (NaN before the first). */
  score: number;
  done: boolean;
}

/**
 * Run one episode per question, batched in lockstep.
 *
 * References: the threshold rule needs a reference answer for every question (its stop and its
 * reward use the score), so it throws when one is missing. Under the learned rule a question
 * without a reference can run (e.g. asking a trained agent a new question): its scores and
 * rewards are NaN and the scorer is not called for it. Training needs references under both rules.
 *
 * A failed expert call ends only its own episode: that step records the `error`, score NaN,
 * reward 0; the episode gets done_reason "error" and failed: true. Failures of the encoder, the
 * policy or the scorer are not per-episode and are thrown.
 */
export async function runEpisodes(questions: readonly Question[], deps: EpisodeDeps, options: EpisodeOptions): Promise<EpisodeBatch> {
  const { pool, scorer, encoder, policy } = deps;
  const { reward, stopRule, ktp } = options;
  const maxCalls = options.maxCalls ?? reward.tmax;
  const expertCount = pool.experts.length;
  if (!Number.isInteger(maxCalls) || maxCalls < 1) throw new Error(`maxCalls must be a whole number ≥ 1, got ${maxCalls}`);
  if (expertCount === 0) throw new Error('the expert pool is empty: add at least one expert');
  if (stopRule === 'threshold') requireReferences(questions, 'the threshold stop rule ends a route when the score reaches p0, which needs a reference');

  const live: LiveEpisode[] = questions.map((question, position) => ({
    position,
    question,
    steps: [],
    states: [],
    allowed: [],
    answer: null,
    score: Number.NaN,
    done: false,
  }));
  const records: EpisodeRecord[] = new Array(questions.length);
  const trajectories: Trajectory[] = new Array(questions.length);

  const finish = (episode: LiveEpisode): void => {
    episode.done = true;
    const record = episodeRecord(episode, options, policy.name);
    const trajectory = trajectoryFromEpisode(record, episode.states, episode.allowed);
    records[episode.position] = record;
    trajectories[episode.position] = trajectory;
    options.onEpisode?.(record, trajectory);
  };

  for (let t = 0; ; t++) {
    const active = live.filter((e) => !e.done);
    if (active.length === 0) break;
    const mask = options.avoidCoolingExperts ? withoutCoolingExperts(allowedActions(expertCount, stopRule, t), pool) : allowedActions(expertCount, stopRule, t);

    const routes = active.map((e) => ({ t, calls: e.steps.filter((s) => s.error === undefined && s.expert !== STOP_NAME).map((s) => s.action) }));
    const states = await encoder.encode(
      active.map((e) => stateText(e.question, e.answer)),
      routes,
    );
    if (states.length !== active.length) throw new Error(`encoder ${encoder.name} returned ${states.length} vectors for ${active.length} states`);
    const observations: PolicyObservation[] = active.map((e, i) => ({ question: e.question, state: states[i], t, lastScore: e.score, allowed: mask }));
    const decisions = await policy.act(observations);
    if (decisions.length !== active.length) throw new Error(`policy ${policy.name} returned ${decisions.length} decisions for ${active.length} episodes`);
    decisions.forEach((d) => checkDecision(d, mask, policy.name, t));

    const prompts = active.map((e, i) =>
      stopRule === 'learned' && decisions[i].action === stopAction(expertCount) ? '' : renderPrompt(e.question, e.answer, ktp),
    );
    const outcomes: (ExpertCallOutcome | null)[] = await Promise.all(
      active.map((e, i) => {
        const action = decisions[i].action;
        if (stopRule === 'learned' && action === stopAction(expertCount)) return null;
        return callExpertSafely(pool, action, { prompt: prompts[i], question: e.question, previous: e.answer, t });
      }),
    );

    // One scorer call for every answer that has a reference.
    const toScore = active.map((_, i) => i).filter((i) => outcomes[i]?.ok && active[i].question.output !== undefined);
    const scored = await scoreBatch(
      scorer,
      toScore.map((i) => (outcomes[i] as { ok: true; reply: { answer: string } }).reply.answer),
      toScore.map((i) => active[i].question.output as string),
    );
    const scoreOf = new Map(toScore.map((i, k) => [i, scored[k]]));

    active.forEach((e, i) => {
      const decision = decisions[i];
      const outcome = outcomes[i];
      e.states.push(states[i]);
      e.allowed.push(mask.slice());
      const policyFields = { probs: decision.probs.slice(), logProb: decision.logProb, value: decision.value };
      let step: StepRecord;
      if (outcome === null) {
        const r = stepRewardTerms({ t, kind: 'stop', score: e.score, previousScore: e.score, sizeB: 0 }, reward, stopRule, maxCalls);
        step = {
          t,
          action: decision.action,
          expert: STOP_NAME,
          cost: 0,
          prompt: '',
          answer: e.answer ?? '',
          score: e.score,
          delta: 0,
          reward: r.total,
          terms: r.terms,
          ...policyFields,
          done: true,
          done_reason: 'stop',
        };
      } else if (!outcome.ok) {
        step = {
          t,
          action: decision.action,
          expert: pool.experts[decision.action].name,
          cost: 0,
          prompt: prompts[i],
          answer: '',
          score: Number.NaN,
          delta: 0,
          reward: 0,
          terms: { score: 0, cost: 0, increment: 0, terminal: 0 },
          ...policyFields,
          done: true,
          done_reason: 'error',
          latencyMs: outcome.latencyMs,
          error: outcome.error,
        };
      } else {
        const expert = pool.experts[decision.action];
        const score = scoreOf.get(i) ?? Number.NaN;
        const r = stepRewardTerms({ t, kind: 'expert', score, previousScore: e.score, sizeB: expert.sizeB }, reward, stopRule, maxCalls);
        step = {
          t,
          action: decision.action,
          expert: expert.name,
          cost: expert.sizeB,
          prompt: prompts[i],
          answer: outcome.reply.answer,
          score,
          delta: t > 0 ? score - e.score : 0,
          reward: r.total,
          terms: r.terms,
          ...policyFields,
          done: r.done,
          done_reason: r.doneReason,
          ...replyFields(outcome.reply),
        };
        e.answer = outcome.reply.answer;
        e.score = score;
      }
      e.steps.push(step);
      if (step.done) finish(e);
    });
  }
  return { episodes: records, trajectories };
}

/** The mask without the experts that are cooling down, unless that would leave no action. */
function withoutCoolingExperts(mask: boolean[], pool: ExpertPool): boolean[] {
  const health = pool.health?.();
  if (!health) return mask;
  const kept = mask.map((ok, a) => ok && !(a < health.length && health[a].coolingMs > 0));
  return kept.some(Boolean) ? kept : mask;
}

function checkDecision(d: PolicyDecision, mask: readonly boolean[], policyName: string, t: number): void {
  if (!Number.isInteger(d.action) || d.action < 0 || d.action >= mask.length || !mask[d.action]) {
    throw new Error(
      `policy ${policyName} chose action ${d.action} at t = ${t}, which is not allowed now (allowed: ${mask.flatMap((ok, a) => (ok ? [a] : [])).join(', ')}; STOP is never allowed at t = 0)`,
    );
  }
}

function episodeRecord(e: LiveEpisode, options: EpisodeOptions, policyName: string): EpisodeRecord {
  const last = e.steps[e.steps.length - 1];
  const calls = e.steps.filter((s) => s.expert !== STOP_NAME && s.error === undefined);
  const failed = last.done_reason === 'error';
  const record: EpisodeRecord = {
    type: 'episode',
    iteration: options.iteration,
    index: (options.firstIndex ?? 0) + e.position,
    question_id: e.question.id,
    policy: policyName,
    steps: e.steps,
    return: e.steps.reduce((sum, s) => sum + s.reward, 0),
    final_score: e.score,
    route_length: calls.length,
    route_cost: calls.reduce((sum, s) => sum + s.cost, 0),
    done_reason: last.done_reason as DoneReason,
  };
  if (e.question.domain !== undefined) record.domain = e.question.domain;
  if (failed) record.failed = true;
  if (options.maxCalls !== undefined && options.maxCalls !== options.reward.tmax) record.call_limit = options.maxCalls;
  return record;
}

/**
 * The PPO view of a recorded episode, given the encoded state and allowed mask before each step.
 * A failed episode keeps the steps before the failed call and is not terminal: its bootstrap
 * value is the critic's V at the failed step's state (0 when the policy has no critic).
 */
export function trajectoryFromEpisode(episode: EpisodeRecord, states: readonly Float32Array[], allowed: readonly (readonly boolean[])[]): Trajectory {
  const kept = episode.steps.filter((s) => s.error === undefined);
  if (states.length < kept.length || allowed.length < kept.length) {
    throw new Error(`episode ${episode.index} has ${kept.length} steps but only ${states.length} states and ${allowed.length} masks`);
  }
  const failedStep = episode.steps.find((s) => s.error !== undefined);
  return {
    states: kept.map((_, i) => states[i]),
    allowed: kept.map((_, i) => allowed[i].slice()),
    actions: kept.map((s) => s.action),
    logProbs: kept.map((s) => s.logProb),
    values: kept.map((s) => s.value),
    rewards: kept.map((s) => s.reward),
    terminal: failedStep === undefined,
    bootstrapValue: failedStep !== undefined && Number.isFinite(failedStep.value) ? failedStep.value : 0,
  };
}
