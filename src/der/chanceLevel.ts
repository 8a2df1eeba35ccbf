// The chance level of a run: the mean return of a uniformly random policy over the agent's own
// allowed actions (every expert, plus STOP after the first call under the learned rule), on the
// training questions, under the run's reward and stop rule, averaged over several seeds. An
// untrained agent is close to this policy (its entropy starts near ln(actions)); a return above
// this line is what "the agent has learned something" means on the reward chart.
import { allowedActions, type StopRule } from './actions';
import type { KtpConfig, RewardConfig } from './config';
import { EMPTY_STATE_ENCODER } from './baselines';
import { runEpisodes } from './episodes';
import { createRng } from './rng';
import type { ChanceLevel } from './runRecord';
import type { ExpertPool, Policy, Question, Scorer } from './types';

export const CHANCE_POLICY_NAME = 'uniform random';

/** Uniform over the allowed actions; the state is not looked at. */
export function uniformRandomPolicy(seed: number): Policy {
  const rng = createRng(`chance|${seed}`);
  return {
    name: CHANCE_POLICY_NAME,
    async act(observations) {
      return observations.map((o) => {
        const allowed = o.allowed.flatMap((ok, a) => (ok ? [a] : []));
        const action = allowed[rng.int(allowed.length)];
        const probs = o.allowed.map((ok) => (ok ? 1 / allowed.length : 0));
        return { action, probs, logProb: Math.log(probs[action]), value: Number.NaN };
      });
    },
  };
}

export interface ChanceOptions {
  reward: RewardConfig;
  stopRule: StopRule;
  ktp: KtpConfig;
  /** Seeds of the random policy (each runs every question once). */
  seeds: number;
}

/** Mean return (and its sd over seeds) of the uniform random policy on `questions`. Failed episodes are left out. */
export async function chanceLevel(questions: readonly Question[], deps: { pool: ExpertPool; scorer: Scorer }, options: ChanceOptions): Promise<ChanceLevel> {
  if (!Number.isInteger(options.seeds) || options.seeds < 1) throw new Error(`chance level: seeds must be a whole number ≥ 1, got ${options.seeds}`);
  allowedActions(deps.pool.experts.length, options.stopRule, 0);
  const perSeed: number[] = [];
  let routeLength = 0;
  let episodes = 0;
  for (let seed = 0; seed < options.seeds; seed++) {
    const batch = await runEpisodes(
      questions,
      { pool: deps.pool, scorer: deps.scorer, encoder: EMPTY_STATE_ENCODER, policy: uniformRandomPolicy(seed) },
      {
        reward: options.reward,
        stopRule: options.stopRule,
        ktp: options.ktp,
        iteration: -1,
        firstIndex: -1,
      },
    );
    const ok = batch.episodes.filter((e) => !e.failed && Number.isFinite(e.return));
    if (ok.length === 0) continue;
    perSeed.push(ok.reduce((s, e) => s + e.return, 0) / ok.length);
    routeLength += ok.reduce((s, e) => s + e.route_length, 0);
    episodes += ok.length;
  }
  const n = perSeed.length;
  const mean = n > 0 ? perSeed.reduce((a, b) => a + b, 0) / n : Number.NaN;
  const sd = n > 1 ? Math.sqrt(perSeed.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    policy: CHANCE_POLICY_NAME,
    meanReturn: mean,
    sd,
    seeds: n,
    questions: questions.length,
    meanRouteLength: episodes > 0 ? routeLength / episodes : Number.NaN,
  };
}
