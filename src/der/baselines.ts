// Baselines for the cost–quality plane, run on the same pool, scorer (and so the same response
// cache) as the agent: a random route, one fixed expert, a fixed sequence, and the oracle.
import { actionCount, stopAction, type StopRule } from './actions';
import { runEpisodes, trajectoryFromEpisode, type EpisodeBatch, type EpisodeOptions } from './episodes';
import { callExpertSafely, replyFields, requireReferences, scoreBatch } from './expertCall';
import { oracleStepTerms } from './reward';
import { createRng } from './rng';
import type { EpisodeRecord, StepRecord } from './runRecord';
import { questionText, type ExpertPool, type Policy, type PolicyDecision, type Question, type Scorer, type StateEncoder } from './types';

export const ORACLE_POLICY_NAME = 'oracle';

export type BaselineSpec =
  /** Uniform random experts; `length` calls per route (1 = the "random pick" baseline), else until the stop rule ends it. */
  | { kind: 'random'; seed: number; length?: number }
  /** One call to expert `expert`, then the route ends. */
  | { kind: 'single'; expert: number }
  /** The given experts in order; the route ends when the list ends (or earlier, when the threshold rule fires). */
  | { kind: 'sequence'; experts: number[] }
  /** Every expert once on the raw question; keeps the best-scoring answer. */
  | { kind: 'oracle' };

export interface BaselineDeps {
  pool: ExpertPool;
  scorer: Scorer;
  /** Baselines ignore states; without an encoder they get empty vectors. */
  encoder?: StateEncoder;
}

export type BaselineOptions = Omit<EpisodeOptions, 'maxCalls'>;

/** A state encoder for policies that do not look at the state. */
export const EMPTY_STATE_ENCODER: StateEncoder = {
  name: 'none',
  dim: 0,
  encode: async (texts) => texts.map(() => new Float32Array(0)),
};

/**
 * Run a baseline through the same episode runner (and so the same experts, scorer and cache).
 *
 * How a fixed route of k calls ends: under the threshold rule the runner's call limit is set to k
 * (the threshold can still end it earlier, as for the agent); under the learned rule the baseline
 * picks STOP after its k calls, so its return is computed exactly as an agent's with the same
 * route would be. Routes longer than Tmax are refused (the agent could not take them). A random
 * route without `length` takes experts until the stop rule ends it (under the learned rule it
 * never picks STOP, so it runs to Tmax). The oracle is not a route: see `runOracleEpisodes`.
 */
export async function runBaseline(spec: BaselineSpec, questions: readonly Question[], deps: BaselineDeps, options: BaselineOptions): Promise<EpisodeBatch> {
  const { pool } = deps;
  const expertCount = pool.experts.length;
  if (spec.kind === 'oracle') return runOracleEpisodes(questions, deps, options);
  const route = spec.kind === 'single' ? [spec.expert] : spec.kind === 'sequence' ? spec.experts : null;
  const length = route ? route.length : spec.kind === 'random' ? spec.length : undefined;
  if (route) {
    const bad = route.find((a) => !Number.isInteger(a) || a < 0 || a >= expertCount);
    if (bad !== undefined) throw new Error(`baseline route names expert ${bad}, but the pool has experts 0..${expertCount - 1}`);
  }
  if (length !== undefined && (!Number.isInteger(length) || length < 1 || length > options.reward.tmax)) {
    throw new Error(`a baseline route of ${length} calls is not possible with Tmax = ${options.reward.tmax}: use 1..Tmax calls`);
  }
  const policy =
    spec.kind === 'random'
      ? randomRoutePolicy({ seed: spec.seed, expertCount, stopRule: options.stopRule, length })
      : fixedRoutePolicy(route as number[], expertCount, options.stopRule, routeName(spec.kind, route as number[], pool));
  const maxCalls = options.stopRule === 'threshold' && length !== undefined ? length : options.reward.tmax;
  return runEpisodes(questions, { pool, scorer: deps.scorer, encoder: deps.encoder ?? EMPTY_STATE_ENCODER, policy }, { ...options, maxCalls });
}

function routeName(kind: 'single' | 'sequence', route: readonly number[], pool: ExpertPool): string {
  return `${kind}:${route.map((a) => pool.experts[a].name).join('>')}`;
}

function decision(action: number, probs: number[]): PolicyDecision {
  return { action, probs, logProb: Math.log(probs[action]), value: Number.NaN };
}

function oneHot(action: number, size: number): number[] {
  const probs = new Array<number>(size).fill(0);
  probs[action] = 1;
  return probs;
}

/** Calls route[t] at step t; after the route, STOP (learned rule; the threshold rule's call limit ends it first). */
export function fixedRoutePolicy(route: readonly number[], expertCount: number, stopRule: StopRule, name = `sequence:${route.join('>')}`): Policy {
  const size = actionCount(expertCount, stopRule);
  return {
    name,
    act: async (observations) =>
      observations.map((o) => {
        const action = o.t < route.length ? route[o.t] : stopAction(expertCount);
        if (action >= size || !o.allowed[action]) {
          throw new Error(`${name}: its route of ${route.length} calls is over at t = ${o.t}, but STOP is not an allowed action here`);
        }
        return decision(action, oneHot(action, size));
      }),
  };
}

/**
 * Uniform over the allowed experts (never STOP) for `length` calls, then STOP. The random stream
 * of each step is derived from (seed, question id, t), so a route does not depend on batch order.
 */
export function randomRoutePolicy(options: { seed: number; expertCount: number; stopRule: StopRule; length?: number }): Policy {
  const { seed, expertCount, stopRule, length } = options;
  const size = actionCount(expertCount, stopRule);
  return {
    name: length === undefined ? 'random' : `random:${length}`,
    act: async (observations) =>
      observations.map((o) => {
        if (length !== undefined && o.t >= length) {
          const stop = stopAction(expertCount);
          if (!o.allowed[stop]) throw new Error(`random:${length}: route over at t = ${o.t}, but STOP is not an allowed action here`);
          return decision(stop, oneHot(stop, size));
        }
        const experts = o.allowed.map((ok, a) => (ok && a < expertCount ? a : -1)).filter((a) => a >= 0);
        const rng = createRng(`${seed}:${o.question.id}:${o.t}`);
        const action = experts[rng.int(experts.length)];
        const probs = new Array<number>(size).fill(0);
        for (const a of experts) probs[a] = 1 / experts.length;
        return decision(action, probs);
      }),
  };
}

/**
 * The oracle: every expert once on the raw question (the same request as an agent's first call,
 * so a response cache is shared), keeping the best-scoring answer. One step per expert in pool
 * order: step.score is that expert's own P; the reward terms score the kept (best-so-far) answer
 * (see `oracleStepTerms`). final_score = max P, route_length = N, route_cost = the sum of all
 * sizes, done_reason "tmax" (its route is over). A failed call is recorded as an error step, the
 * other experts still count, and the episode is marked failed. Needs references.
 */
export async function runOracleEpisodes(questions: readonly Question[], deps: BaselineDeps, options: BaselineOptions): Promise<EpisodeBatch> {
  const { pool, scorer } = deps;
  const experts = pool.experts;
  const size = actionCount(experts.length, options.stopRule);
  requireReferences(questions, 'the oracle keeps the best-scoring answer, which needs a reference');
  const outcomes = await Promise.all(
    questions.map((q) => Promise.all(experts.map((_, k) => callExpertSafely(pool, k, { prompt: questionText(q), question: q, previous: null, t: 0 })))),
  );
  const flat = outcomes.flatMap((row, qi) => row.map((o, k) => ({ o, qi, k }))).filter((x) => x.o.ok);
  const scores = await scoreBatch(
    scorer,
    flat.map((x) => (x.o as { ok: true; reply: { answer: string } }).reply.answer),
    flat.map((x) => questions[x.qi].output as string),
  );
  const scoreOf = new Map(flat.map((x, i) => [`${x.qi}:${x.k}`, scores[i]]));

  const episodes: EpisodeRecord[] = [];
  const trajectories = [];
  for (const [qi, q] of questions.entries()) {
    const row = outcomes[qi];
    const okIdx = row.map((o, k) => (o.ok ? k : -1)).filter((k) => k >= 0);
    const terms = oracleStepTerms(
      okIdx.map((k) => scoreOf.get(`${qi}:${k}`) as number),
      okIdx.map((k) => experts[k].sizeB),
      options.reward,
    );
    const steps: StepRecord[] = row.map((o, k) => {
      const base = { t: k, action: k, expert: experts[k].name, prompt: questionText(q), probs: oneHot(k, size), logProb: 0, value: Number.NaN };
      const done = k === experts.length - 1;
      if (!o.ok) {
        return {
          ...base,
          cost: 0,
          answer: '',
          score: Number.NaN,
          delta: 0,
          reward: 0,
          terms: { score: 0, cost: 0, increment: 0, terminal: 0 },
          done,
          done_reason: done ? 'error' : null,
          latencyMs: o.latencyMs,
          error: o.error,
        };
      }
      const r = terms[okIdx.indexOf(k)];
      return {
        ...base,
        cost: experts[k].sizeB,
        answer: o.reply.answer,
        score: scoreOf.get(`${qi}:${k}`) as number,
        delta: r.delta,
        reward: r.total,
        terms: r.terms,
        done,
        done_reason: done ? 'tmax' : null,
        ...replyFields(o.reply),
      };
    });
    const failed = okIdx.length < experts.length;
    const record: EpisodeRecord = {
      type: 'episode',
      iteration: options.iteration,
      index: (options.firstIndex ?? 0) + qi,
      question_id: q.id,
      policy: ORACLE_POLICY_NAME,
      steps,
      return: steps.reduce((s, x) => s + x.reward, 0),
      final_score: terms.length > 0 ? terms[terms.length - 1].best : Number.NaN,
      route_length: okIdx.length,
      route_cost: okIdx.reduce((s, k) => s + experts[k].sizeB, 0),
      done_reason: failed ? 'error' : 'tmax',
    };
    if (q.domain !== undefined) record.domain = q.domain;
    if (failed) record.failed = true;
    const trajectory = trajectoryFromEpisode(
      record,
      steps.map(() => new Float32Array(0)),
      steps.map(() => new Array<boolean>(size).fill(true)),
    );
    episodes.push(record);
    trajectories.push(trajectory);
    options.onEpisode?.(record, trajectory);
  }
  return { episodes, trajectories };
}
