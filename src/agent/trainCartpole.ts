// Trains PpoAgent on parallel CartPole-v1 environments: a generic check that the PPO machinery
// learns, with known reference results (CleanRL ppo.py reaches ~492 at 500k steps; rl-zoo's tuned
// PPO solves it within 100k).
import type { PpoConfig } from '../der/config';
import type { Trajectory } from '../der/trajectory';
import type { PolicyObservation, Question } from '../der/types';
import { CARTPOLE_ACTIONS, CARTPOLE_STATE_DIM, CartPole } from '../envs/cartpole';
import { PpoAgent, type PpoUpdateMetrics } from './ppo';

/** CleanRL ppo.py's CartPole settings (lr 2.5e-4 annealed, GAE 0.95/0.99, 4×4 minibatches, 64×64 tanh). */
export const CARTPOLE_CLEANRL_PPO: PpoConfig = {
  discount: 0.99,
  advantage: 'gae',
  gaeLambda: 0.95,
  normalizeAdvantages: true,
  clipRange: 0.2,
  clipValueLoss: true,
  entropyCoef: 0.01,
  valueCoef: 0.5,
  maxGradNorm: 0.5,
  gradClipPerNetwork: false,
  valueNormalization: false,
  normalizeStates: false,
  actorLr: 2.5e-4,
  criticLr: 2.5e-4,
  adamEps: 1e-5,
  annealLr: true,
  episodesPerIteration: 4,
  batching: 'minibatch-epochs',
  gradientSteps: 1,
  episodesPerStep: 1,
  updateEpochs: 4,
  minibatches: 4,
  orthogonalInit: true,
  hiddenSizes: [64, 64],
  activation: 'tanh',
  targetKl: 0,
};

/** Faster settings in the spirit of rl-zoo's CartPole PPO: lr 1e-3 annealed, 20 epochs, λ 0.8, γ 0.98, no entropy bonus. */
export const CARTPOLE_FAST_PPO: PpoConfig = {
  ...CARTPOLE_CLEANRL_PPO,
  discount: 0.98,
  gaeLambda: 0.8,
  entropyCoef: 0,
  clipValueLoss: false,
  actorLr: 1e-3,
  criticLr: 1e-3,
  updateEpochs: 20,
  minibatches: 1,
};

export interface CartpoleTrainOptions {
  seed: number;
  ppo?: PpoConfig;
  numEnvs?: number;
  /** Steps per env per iteration. */
  rolloutSteps?: number;
  /** Total env steps (over all envs). */
  totalSteps: number;
  /** How many recent completed episodes make up `meanReturn`. */
  meanWindow?: number;
  onIteration?: (report: CartpoleIterationReport) => void;
}

export interface CartpoleIterationReport {
  iteration: number;
  envSteps: number;
  /** Mean return of the last `meanWindow` completed episodes (NaN before the first). */
  meanReturn: number;
  episodes: number;
  update: PpoUpdateMetrics;
}

export interface CartpoleTrainResult {
  reports: CartpoleIterationReport[];
  episodeReturns: number[];
  /** Env steps at which each episode ended. */
  episodeEndSteps: number[];
  finalMeanReturn: number;
  envSteps: number;
  agent: PpoAgent;
}

const CARTPOLE_QUESTION: Question = { id: 'cartpole', instruction: 'CartPole-v1', input: '' };
const BOTH_ALLOWED: readonly boolean[] = [true, true];

type Segment = Trajectory;

function emptySegment(): Segment {
  return { states: [], allowed: [], actions: [], logProbs: [], values: [], rewards: [], terminal: false, bootstrapValue: 0 };
}

export async function trainCartpole(options: CartpoleTrainOptions): Promise<CartpoleTrainResult> {
  const ppo = options.ppo ?? CARTPOLE_CLEANRL_PPO;
  const numEnvs = options.numEnvs ?? 4;
  const rolloutSteps = options.rolloutSteps ?? 128;
  const meanWindow = options.meanWindow ?? 20;
  const totalIterations = Math.ceil(options.totalSteps / (numEnvs * rolloutSteps));
  const agent = new PpoAgent({ stateDim: CARTPOLE_STATE_DIM, numActions: CARTPOLE_ACTIONS, ppo, seed: options.seed });
  const envs = Array.from({ length: numEnvs }, (_, i) => new CartPole(options.seed * 1000 + i));
  let observations = envs.map((env) => env.reset());
  const episodeSoFar = new Array<number>(numEnvs).fill(0);
  const episodeReturns: number[] = [];
  const episodeEndSteps: number[] = [];
  const reports: CartpoleIterationReport[] = [];
  let envSteps = 0;

  for (let iteration = 0; iteration < totalIterations; iteration++) {
    const finished: Trajectory[] = [];
    let segments = envs.map(() => emptySegment());
    // Cut-off episodes whose bootstrap value V(s_T) is computed in one batch at the end.
    const pendingBootstrap: { segment: Segment; state: Float32Array }[] = [];
    for (let t = 0; t < rolloutSteps; t++) {
      const obs: PolicyObservation[] = observations.map((state) => ({ question: CARTPOLE_QUESTION, state, t, lastScore: NaN, allowed: BOTH_ALLOWED }));
      const decisions = await agent.act(obs);
      observations = envs.map((env, i) => {
        const d = decisions[i];
        const seg = segments[i];
        seg.states.push(observations[i]);
        seg.allowed.push(BOTH_ALLOWED.slice());
        seg.actions.push(d.action);
        seg.logProbs.push(d.logProb);
        seg.values.push(d.value);
        const step = env.step(d.action);
        seg.rewards.push(step.reward);
        episodeSoFar[i] += step.reward;
        envSteps += 1;
        if (!step.terminated && !step.truncated) return step.observation;
        seg.terminal = step.terminated;
        if (step.truncated) pendingBootstrap.push({ segment: seg, state: step.observation });
        finished.push(seg);
        segments[i] = emptySegment();
        episodeReturns.push(episodeSoFar[i]);
        episodeEndSteps.push(envSteps);
        episodeSoFar[i] = 0;
        return env.reset();
      });
    }
    // Episodes still running at the end of the rollout continue next iteration: bootstrap from V(s).
    for (let i = 0; i < numEnvs; i++) {
      if (segments[i].actions.length > 0) {
        pendingBootstrap.push({ segment: segments[i], state: observations[i] });
        finished.push(segments[i]);
      }
    }
    const bootValues = await agent.values(pendingBootstrap.map((p) => p.state));
    pendingBootstrap.forEach((p, k) => (p.segment.bootstrapValue = bootValues[k]));
    segments = [];

    const update = await agent.update(finished, { iteration, totalIterations });
    const recent = episodeReturns.slice(-meanWindow);
    const report: CartpoleIterationReport = {
      iteration,
      envSteps,
      meanReturn: recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : NaN,
      episodes: episodeReturns.length,
      update,
    };
    reports.push(report);
    options.onIteration?.(report);
  }
  const last = reports[reports.length - 1];
  return { reports, episodeReturns, episodeEndSteps, finalMeanReturn: last?.meanReturn ?? NaN, envSteps, agent };
}
