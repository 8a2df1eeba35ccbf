// The two presets: `reference` (the authors' constants) and `tuned` (CleanRL-style PPO, plus the
// departures from the paper that make the agent learn in minutes: see the README's "Learning").
import { parseConfig, type ExperimentConfig, type PpoConfig, type RewardConfig } from './config';

export const REFERENCE_REWARD: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 5, form: 'paper' };

/** tuned: the same knobs, paid in the final-quality form (return = β·(P_T − p0) ± γ − α·ΣC). */
export const TUNED_REWARD: RewardConfig = { ...REFERENCE_REWARD, form: 'final' };

export const REFERENCE_PPO: PpoConfig = {
  discount: 0.95,
  advantage: 'mc',
  gaeLambda: 1,
  normalizeAdvantages: false,
  clipRange: 0.3,
  clipValueLoss: false,
  entropyCoef: 0,
  valueCoef: 1,
  maxGradNorm: 0,
  gradClipPerNetwork: false,
  valueNormalization: false,
  normalizeStates: false,
  actorLr: 1e-5,
  criticLr: 1e-6,
  adamEps: 1e-5,
  annealLr: false,
  episodesPerIteration: 32,
  batching: 'sampled-episodes',
  gradientSteps: 16,
  episodesPerStep: 8,
  updateEpochs: 1,
  minibatches: 1,
  orthogonalInit: false,
  hiddenSizes: [256, 256],
  activation: 'tanh',
  targetKl: 0,
};

export const TUNED_PPO: PpoConfig = {
  ...REFERENCE_PPO,
  advantage: 'gae',
  gaeLambda: 0.95,
  normalizeAdvantages: true,
  clipRange: 0.2,
  clipValueLoss: true,
  entropyCoef: 0.01,
  valueCoef: 0.5,
  maxGradNorm: 0.5,
  gradClipPerNetwork: true,
  valueNormalization: true,
  normalizeStates: true,
  // The final-quality return is the route's outcome: routes are ≤ Tmax + 1 steps, nothing to discount.
  discount: 1,
  actorLr: 3e-4,
  criticLr: 1e-3,
  annealLr: false,
  batching: 'minibatch-epochs',
  updateEpochs: 4,
  minibatches: 4,
  orthogonalInit: true,
};

/** tuned's default length: long enough that entropy has fallen and explained variance risen (README, "Learning"). */
export const TUNED_ITERATIONS = 100;

const COMMON = {
  seed: 42,
  ktp: { template: 'reference' as const, custom: '{question}\nPrevious answer: {previous}\nImprove it.' },
  stopRule: 'threshold' as const,
  pool: { kind: 'simulated' as const },
  dataset: { source: 'sample', testFraction: 0.2, splitSeed: 42 },
  scorer: 'glove',
  encoder: 'use-lite',
};

/** Training questions of the bundled sample (192 questions with references, 20% held out). */
export const SAMPLE_TRAIN_QUESTIONS = 154;

/** Iterations for `epochs` passes over `trainQuestions` at `episodesPerIteration` questions each (the authors count epochs). */
export function iterationsForEpochs(epochs: number, trainQuestions: number, episodesPerIteration: number): number {
  return epochs * Math.ceil(trainQuestions / episodesPerIteration);
}

export const PRESETS: Record<'reference' | 'tuned', ExperimentConfig> = {
  // The authors train 10 epochs over the training split, 32 questions per iteration: 10 × ⌈154/32⌉ = 50 on the sample.
  reference: parseConfig({
    ...COMMON,
    preset: 'reference',
    reward: REFERENCE_REWARD,
    ppo: REFERENCE_PPO,
    iterations: iterationsForEpochs(10, SAMPLE_TRAIN_QUESTIONS, REFERENCE_PPO.episodesPerIteration),
    state: { routeContext: false },
  }),
  // glove-mean (a mean of GloVe word vectors, ~75× faster than USE-lite), the learned STOP, route
  // context and the final-quality reward: the agent learns visibly within a few minutes in the browser.
  tuned: parseConfig({
    ...COMMON,
    preset: 'tuned',
    reward: TUNED_REWARD,
    ppo: TUNED_PPO,
    iterations: TUNED_ITERATIONS,
    stopRule: 'learned',
    encoder: 'glove-mean',
    state: { routeContext: true },
  }),
};

export type PresetName = keyof typeof PRESETS;

export function presetConfig(name: PresetName): ExperimentConfig {
  return structuredClone(PRESETS[name]);
}

/** The config the workbench opens with: the simulated pool, no network, no key. */
export const DEFAULT_CONFIG: ExperimentConfig = PRESETS.tuned;
