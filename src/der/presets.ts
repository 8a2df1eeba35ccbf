// The two presets: `reference` (the authors' constants) and `tuned` (CleanRL-style PPO).
import { parseConfig, type ExperimentConfig, type PpoConfig, type RewardConfig } from './config';

export const REFERENCE_REWARD: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 5 };

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
  referenceQuirks: false,
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
  actorLr: 3e-4,
  criticLr: 1e-3,
  annealLr: false,
  batching: 'minibatch-epochs',
  updateEpochs: 4,
  minibatches: 4,
  orthogonalInit: true,
};

const COMMON = {
  seed: 42,
  ktp: { template: 'reference' as const, custom: '{question}\nPrevious answer: {previous}\nImprove it.' },
  stopRule: 'threshold' as const,
  pool: { kind: 'simulated' as const },
  dataset: { source: 'sample', testFraction: 0.2, splitSeed: 42 },
  scorer: 'glove',
  encoder: 'use-lite',
};

export const PRESETS: Record<'reference' | 'tuned', ExperimentConfig> = {
  reference: parseConfig({ ...COMMON, preset: 'reference', reward: REFERENCE_REWARD, ppo: REFERENCE_PPO, iterations: 10 }),
  tuned: parseConfig({ ...COMMON, preset: 'tuned', reward: REFERENCE_REWARD, ppo: TUNED_PPO, iterations: 30 }),
};

export type PresetName = keyof typeof PRESETS;

export function presetConfig(name: PresetName): ExperimentConfig {
  return structuredClone(PRESETS[name]);
}

/** The config the workbench opens with: the simulated pool, no network, no key. */
export const DEFAULT_CONFIG: ExperimentConfig = PRESETS.tuned;
