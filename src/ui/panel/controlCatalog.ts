// Every experiment control in one table: its id (used by lesson mode's `hide=` list), its visible
// label (also its accessible name), the paper's symbol, a one-line explanation and where its value
// lives in the config. The panel renders from here, so labels, ids and help cannot drift apart.
import type { ConfigPath } from '../../store/configEdit';

interface BaseSpec {
  id: string;
  label: string;
  /** The symbol in the paper (or the usual PPO name) when it is not the label itself. */
  symbol?: string;
  help: string;
  path: ConfigPath;
}

export interface SliderSpec extends BaseSpec {
  kind: 'slider';
  min: number;
  max: number;
  step: number;
  scale?: 'log';
  integer?: boolean;
}
export interface NumberSpec extends BaseSpec {
  kind: 'number';
  min?: number;
  step?: number | 'any';
}
export interface CheckboxSpec extends BaseSpec {
  kind: 'checkbox';
}
export interface SelectSpec extends BaseSpec {
  kind: 'select';
  options: { value: string; label: string }[];
}
export type ControlSpec = SliderSpec | NumberSpec | CheckboxSpec | SelectSpec;

export const REWARD_CONTROLS: ControlSpec[] = [
  {
    kind: 'slider',
    id: 'alpha',
    label: 'α',
    path: ['reward', 'alpha'],
    min: 0,
    max: 0.02,
    step: 0.0005,
    help: 'Cost weight: every expert call subtracts α·C(M), C(M) the size in billions of parameters.',
  },
  {
    kind: 'slider',
    id: 'beta',
    label: 'β',
    path: ['reward', 'beta'],
    min: 0,
    max: 20,
    step: 0.5,
    help: 'Weight of the score increment ΔP = P(t) − P(t−1) in each step’s reward.',
  },
  {
    kind: 'slider',
    id: 'gamma',
    label: 'γ',
    path: ['reward', 'gamma'],
    min: 0,
    max: 10,
    step: 0.1,
    help: 'Terminal bias: +γ when the answer reaches p0, −γ at Tmax without success (not the PPO discount).',
  },
  {
    kind: 'slider',
    id: 'p0',
    label: 'p0',
    path: ['reward', 'p0'],
    min: 0,
    max: 1,
    step: 0.01,
    help: 'Success threshold on the score P: a route stops once P ≥ p0.',
  },
  {
    kind: 'slider',
    id: 'tmax',
    label: 'Tmax',
    path: ['reward', 'tmax'],
    min: 1,
    max: 20,
    step: 1,
    integer: true,
    help: 'Most expert calls in one route; the episode ends there.',
  },
  {
    kind: 'select',
    id: 'rewardForm',
    label: 'Reward form',
    path: ['reward', 'form'],
    help: 'Paper: every step pays P + β·ΔP − α·C (long routes earn more). Final: a route’s return is β·(P_final − p0) ± γ − α·ΣC, so a call pays only by improving the answer (a departure from the paper).',
    options: [
      { value: 'paper', label: 'paper (P every step)' },
      { value: 'final', label: 'final quality − cost' },
    ],
  },
  {
    kind: 'select',
    id: 'stopRule',
    label: 'Stop rule',
    path: ['stopRule'],
    help: 'Threshold: stop when P ≥ p0 (needs reference answers). Learned: the agent has a STOP action.',
    options: [
      { value: 'threshold', label: 'threshold (P ≥ p0)' },
      { value: 'learned', label: 'learned STOP action' },
    ],
  },
];

export const PPO_MAIN_CONTROLS: ControlSpec[] = [
  {
    kind: 'slider',
    id: 'discount',
    label: 'Discount',
    symbol: 'γ_PPO',
    path: ['ppo', 'discount'],
    min: 0,
    max: 1,
    step: 0.01,
    help: 'Discount of later rewards in the return (the reference uses 0.95); not the reward’s γ.',
  },
  {
    kind: 'slider',
    id: 'clip',
    label: 'Clip ε',
    symbol: 'ε',
    path: ['ppo', 'clipRange'],
    min: 0.01,
    max: 1,
    step: 0.01,
    help: 'How far one update may move the probability ratio away from 1.',
  },
  {
    kind: 'slider',
    id: 'actorLr',
    label: 'Actor learning rate',
    symbol: 'η_π',
    path: ['ppo', 'actorLr'],
    min: 1e-7,
    max: 1e-1,
    step: 0.05,
    scale: 'log',
    help: 'Adam step size of the policy network (log scale).',
  },
  {
    kind: 'slider',
    id: 'criticLr',
    label: 'Critic learning rate',
    symbol: 'η_V',
    path: ['ppo', 'criticLr'],
    min: 1e-7,
    max: 1e-1,
    step: 0.05,
    scale: 'log',
    help: 'Adam step size of the value network (log scale).',
  },
  {
    kind: 'slider',
    id: 'entropy',
    label: 'Entropy coefficient',
    symbol: 'c_H',
    path: ['ppo', 'entropyCoef'],
    min: 0,
    max: 0.1,
    step: 0.001,
    help: 'Bonus for a spread-out policy; keeps the agent trying other experts.',
  },
  {
    kind: 'slider',
    id: 'gaeLambda',
    label: 'GAE λ',
    symbol: 'λ',
    path: ['ppo', 'gaeLambda'],
    min: 0,
    max: 1,
    step: 0.01,
    help: 'Bias–variance trade-off of generalised advantage estimation (1 = Monte-Carlo).',
  },
  {
    kind: 'select',
    id: 'advantage',
    label: 'Advantage',
    symbol: 'Â',
    path: ['ppo', 'advantage'],
    help: 'mc: return − V(s), as in the reference code; gae: generalised advantage estimation.',
    options: [
      { value: 'mc', label: 'mc (Monte-Carlo return − V)' },
      { value: 'gae', label: 'gae (generalised advantage)' },
    ],
  },
  {
    kind: 'select',
    id: 'batching',
    label: 'Batching',
    path: ['ppo', 'batching'],
    help: 'How an iteration’s episodes are cut into gradient steps.',
    options: [
      { value: 'sampled-episodes', label: 'sampled episodes (reference)' },
      { value: 'minibatch-epochs', label: 'minibatch epochs (CleanRL)' },
    ],
  },
];

export const PPO_SWITCHES: ControlSpec[] = [
  {
    kind: 'checkbox',
    id: 'routeContext',
    label: 'Route context in the state',
    path: ['state', 'routeContext'],
    help: 'Append the step, the last expert and the experts already called to the encoded text, so the agent knows where it is in the route (a departure from the paper).',
  },
  {
    kind: 'checkbox',
    id: 'normalizeAdvantages',
    label: 'Normalize advantages',
    path: ['ppo', 'normalizeAdvantages'],
    help: 'Scale each minibatch’s advantages to mean 0, standard deviation 1.',
  },
  {
    kind: 'checkbox',
    id: 'clipValueLoss',
    label: 'Clip value loss',
    path: ['ppo', 'clipValueLoss'],
    help: 'Clip the critic’s change around its old value, like the policy ratio.',
  },
  {
    kind: 'checkbox',
    id: 'gradClipPerNetwork',
    label: 'Clip grad norm per network',
    path: ['ppo', 'gradClipPerNetwork'],
    help: 'Clip the actor’s and the critic’s gradient norms separately, so the critic’s large gradient cannot shrink the actor’s (departs from CleanRL).',
  },
  {
    kind: 'checkbox',
    id: 'valueNormalization',
    label: 'Normalize values',
    path: ['ppo', 'valueNormalization'],
    help: 'The critic learns returns standardised by their running mean and sd (PopArt-lite: its head is rescaled so V(s) is kept).',
  },
  {
    kind: 'checkbox',
    id: 'normalizeStates',
    label: 'Standardize states',
    path: ['ppo', 'normalizeStates'],
    help: 'Running per-feature mean/sd of the states, clipped to ±10, updated after each update and saved with the weights.',
  },
  {
    kind: 'checkbox',
    id: 'annealLr',
    label: 'Anneal learning rates',
    path: ['ppo', 'annealLr'],
    help: 'Lower both learning rates linearly to 0 over the run.',
  },
  {
    kind: 'checkbox',
    id: 'orthogonalInit',
    label: 'Orthogonal init',
    path: ['ppo', 'orthogonalInit'],
    help: 'Orthogonal weights (gain √2 hidden, 0.01 actor output) instead of Glorot.',
  },
];

export const PPO_MORE_CONTROLS: ControlSpec[] = [
  {
    kind: 'number',
    id: 'iterations',
    label: 'Iterations',
    path: ['iterations'],
    min: 1,
    step: 1,
    help: 'PPO iterations in one run (collect episodes, then update).',
  },
  {
    kind: 'number',
    id: 'episodesPerIteration',
    label: 'Episodes per iteration',
    path: ['ppo', 'episodesPerIteration'],
    min: 1,
    step: 1,
    help: 'Questions answered (one route each) before every update.',
  },
  {
    kind: 'number',
    id: 'gradientSteps',
    label: 'Gradient steps',
    path: ['ppo', 'gradientSteps'],
    min: 1,
    step: 1,
    help: 'Sampled-episodes batching: gradient steps per update.',
  },
  {
    kind: 'number',
    id: 'episodesPerStep',
    label: 'Episodes per step',
    path: ['ppo', 'episodesPerStep'],
    min: 1,
    step: 1,
    help: 'Sampled-episodes batching: episodes drawn for each step.',
  },
  {
    kind: 'number',
    id: 'updateEpochs',
    label: 'Update epochs',
    path: ['ppo', 'updateEpochs'],
    min: 1,
    step: 1,
    help: 'Minibatch-epochs batching: passes over the iteration’s transitions.',
  },
  {
    kind: 'number',
    id: 'minibatches',
    label: 'Minibatches',
    path: ['ppo', 'minibatches'],
    min: 1,
    step: 1,
    help: 'Minibatch-epochs batching: minibatches per pass.',
  },
  {
    kind: 'number',
    id: 'valueCoef',
    label: 'Value coefficient',
    symbol: 'c_V',
    path: ['ppo', 'valueCoef'],
    min: 0,
    step: 'any',
    help: 'Weight of the critic’s loss.',
  },
  {
    kind: 'number',
    id: 'maxGradNorm',
    label: 'Max gradient norm',
    path: ['ppo', 'maxGradNorm'],
    min: 0,
    step: 'any',
    help: 'Clip the global gradient norm; 0 turns it off.',
  },
  {
    kind: 'number',
    id: 'targetKl',
    label: 'Target KL',
    path: ['ppo', 'targetKl'],
    min: 0,
    step: 'any',
    help: 'Stop an update early when approx KL exceeds it; 0 turns it off.',
  },
  { kind: 'number', id: 'adamEps', label: 'Adam ε', path: ['ppo', 'adamEps'], min: 0, step: 'any', help: 'Adam’s numerical-stability constant.' },
  {
    kind: 'select',
    id: 'activation',
    label: 'Activation',
    path: ['ppo', 'activation'],
    help: 'Hidden-layer non-linearity of actor and critic.',
    options: [
      { value: 'tanh', label: 'tanh' },
      { value: 'relu', label: 'relu' },
    ],
  },
];

export interface SectionSpec {
  id: string;
  title: string;
  /** Control ids in the section, for the lesson editor. */
  controls: { id: string; label: string }[];
}

const listed = (specs: ControlSpec[]) => specs.map(({ id, label }) => ({ id, label }));

/** The panel's sections in order; hiding a section id hides the whole section. */
export const SECTIONS: SectionSpec[] = [
  { id: 'preset', title: 'Preset and seed', controls: [{ id: 'seed', label: 'Seed' }] },
  { id: 'reward', title: 'Reward knobs', controls: listed(REWARD_CONTROLS) },
  {
    id: 'ppo',
    title: 'PPO',
    controls: [...listed(PPO_MAIN_CONTROLS), ...listed(PPO_SWITCHES), ...listed(PPO_MORE_CONTROLS), { id: 'hiddenSizes', label: 'Hidden sizes' }],
  },
  { id: 'ktp', title: 'Knowledge-transfer prompt', controls: [] },
  { id: 'pool', title: 'Expert pool', controls: [] },
  { id: 'dataset', title: 'Dataset', controls: [{ id: 'split', label: 'Test fraction and split seed' }] },
  { id: 'scorer', title: 'Scorer and encoder', controls: [{ id: 'encoder', label: 'State encoder' }] },
  { id: 'backend', title: 'Compute backend', controls: [] },
];
