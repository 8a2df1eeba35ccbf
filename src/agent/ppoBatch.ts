// Flattening a list of episodes into transition arrays, and choosing which transitions each
// gradient step sees (CleanRL's shuffled minibatch epochs, or the reference's sampled episodes).
import type { PpoConfig } from '../der/config';
import { shuffled, type Rng } from '../der/rng';
import type { Trajectory } from '../der/trajectory';
import { batchTargets } from './advantages';

/** A logit offset that makes a forbidden action's probability exactly 0 without producing NaN. */
export const MASKED_LOGIT = -1e9;

export interface FlatTransitions {
  count: number;
  stateDim: number;
  numActions: number;
  states: Float32Array; // [count, stateDim]
  maskAdd: Float32Array; // [count, numActions]: 0 where allowed, MASKED_LOGIT where not
  actions: Int32Array;
  oldLogProbs: Float32Array;
  oldValues: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  /** Transition indices of each episode, in step order. */
  episodeIndices: number[][];
}

export function flattenTrajectories(
  trajectories: readonly Trajectory[],
  stateDim: number,
  numActions: number,
  ppo: Pick<PpoConfig, 'discount' | 'advantage' | 'gaeLambda'>,
): FlatTransitions {
  const targets = batchTargets(trajectories, { discount: ppo.discount, method: ppo.advantage, lambda: ppo.gaeLambda });
  const count = trajectories.reduce((n, t) => n + t.actions.length, 0);
  const flat: FlatTransitions = {
    count,
    stateDim,
    numActions,
    states: new Float32Array(count * stateDim),
    maskAdd: new Float32Array(count * numActions),
    actions: new Int32Array(count),
    oldLogProbs: new Float32Array(count),
    oldValues: new Float32Array(count),
    advantages: new Float32Array(count),
    returns: new Float32Array(count),
    episodeIndices: [],
  };
  let i = 0;
  trajectories.forEach((traj, e) => {
    const n = traj.actions.length;
    for (const [field, len] of [
      ['states', traj.states.length],
      ['allowed', traj.allowed.length],
      ['logProbs', traj.logProbs.length],
      ['values', traj.values.length],
      ['rewards', traj.rewards.length],
    ] as const) {
      if (len !== n) throw new Error(`Trajectory ${e} has ${n} actions but ${len} ${field}; every step needs one of each.`);
    }
    const indices: number[] = [];
    for (let t = 0; t < n; t++, i++) {
      const state = traj.states[t];
      if (state.length !== stateDim) throw new Error(`Trajectory ${e} step ${t}: state has ${state.length} numbers, the agent expects ${stateDim}.`);
      flat.states.set(state, i * stateDim);
      const allowed = traj.allowed[t];
      if (allowed.length !== numActions) throw new Error(`Trajectory ${e} step ${t}: mask has ${allowed.length} entries, the agent has ${numActions} actions.`);
      const action = traj.actions[t];
      if (!Number.isInteger(action) || action < 0 || action >= numActions || !allowed[action]) {
        throw new Error(`Trajectory ${e} step ${t}: action ${action} is not an allowed action; the episode runner recorded a forbidden choice.`);
      }
      for (let a = 0; a < numActions; a++) flat.maskAdd[i * numActions + a] = allowed[a] ? 0 : MASKED_LOGIT;
      flat.actions[i] = action;
      flat.oldLogProbs[i] = traj.logProbs[t];
      flat.oldValues[i] = traj.values[t];
      flat.advantages[i] = targets[e].advantages[t];
      flat.returns[i] = targets[e].returns[t];
      indices.push(i);
    }
    flat.episodeIndices.push(indices);
  });
  return flat;
}

export interface GradientStepPlan {
  /** Epoch (minibatch-epochs) or 0 (sampled-episodes); targetKl is checked when it changes. */
  epoch: number;
  indices: number[];
}

/** The transitions of every gradient step of one update, in order. */
export function planGradientSteps(flat: FlatTransitions, ppo: PpoConfig, rng: Rng): GradientStepPlan[] {
  const plan: GradientStepPlan[] = [];
  if (flat.count === 0) return plan;
  if (ppo.batching === 'minibatch-epochs') {
    const all = Array.from({ length: flat.count }, (_, i) => i);
    const size = Math.ceil(flat.count / ppo.minibatches);
    for (let epoch = 0; epoch < ppo.updateEpochs; epoch++) {
      const order = shuffled(all, rng);
      for (let start = 0; start < order.length; start += size) plan.push({ epoch, indices: order.slice(start, start + size) });
    }
  } else {
    const episodes = flat.episodeIndices.map((_, e) => e).filter((e) => flat.episodeIndices[e].length > 0);
    const perStep = Math.min(ppo.episodesPerStep, episodes.length);
    for (let step = 0; step < ppo.gradientSteps; step++) {
      const chosen = shuffled(episodes, rng).slice(0, perStep);
      plan.push({ epoch: step, indices: chosen.flatMap((e) => flat.episodeIndices[e]) });
    }
  }
  return plan;
}

/** Gather rows of a row-major [n, width] array (into `out` when given: every element is written). */
export function gatherRows(
  source: Float32Array,
  width: number,
  indices: readonly number[],
  out: Float32Array = new Float32Array(indices.length * width),
): Float32Array {
  indices.forEach((row, k) => out.set(source.subarray(row * width, (row + 1) * width), k * width));
  return out;
}

export function gather(source: Float32Array, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length);
  indices.forEach((row, k) => (out[k] = source[row]));
  return out;
}

/** A reason when rewards (hence advantages/returns), values or states hold NaN/Inf, else null. */
export function firstNonFinite(flat: FlatTransitions): string | null {
  const checks: [string, Float32Array][] = [
    ['advantage', flat.advantages],
    ['return', flat.returns],
    ['old value', flat.oldValues],
    ['old log-probability', flat.oldLogProbs],
    ['state', flat.states],
  ];
  for (const [what, arr] of checks) {
    const i = arr.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) return `${what} at index ${i} is ${arr[i]} (a NaN/Inf reward or value); update skipped, weights unchanged`;
  }
  return null;
}
