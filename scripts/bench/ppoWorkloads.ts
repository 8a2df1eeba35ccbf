// The PPO-update workloads the benchmark times, shared by Node (ppoUpdate.ts, memory.ts) and the
// Chromium bench page (page/main.ts): random DER-shaped episodes and the preset configs. The same
// episodes give the minibatch sizes handed to the PyTorch peer, so both sides do identical steps.
import type { PpoConfig } from '../../src/der/config';
import { REFERENCE_PPO, TUNED_PPO } from '../../src/der/presets';
import { createRng } from '../../src/der/rng';
import type { Trajectory } from '../../src/der/trajectory';
import { flattenTrajectories, planGradientSteps } from '../../src/agent/ppoBatch';

/** The measurement: USE-lite-sized input (the 384-d figure of the issue), 11 actions. */
export const HEADLINE_STATE_DIM = 384;
/** USE-lite's real output size, for the preset updates. */
export const USE_LITE_STATE_DIM = 512;
export const NUM_ACTIONS = 11;

export interface PpoWorkload {
  name: string;
  /** Which loss the PyTorch peer computes: the tuned one (clipped value loss, entropy, grad clip, normalised advantages) or the plain reference one. */
  loss: 'tuned' | 'reference';
  ppo: PpoConfig;
  stateDim: number;
  trajectories: Trajectory[];
  /** Transitions per gradient step, in order (what the peer repeats). */
  batches: number[];
}

/** `episodes` random episodes of length 1..5 (DER's Tmax), or exactly `transitions` steps when given. */
export function randomEpisodes(opts: { episodes?: number; transitions?: number; stateDim: number; numActions: number; seed: number }): Trajectory[] {
  const rng = createRng(opts.seed);
  const out: Trajectory[] = [];
  let left = opts.transitions ?? Number.POSITIVE_INFINITY;
  while (left > 0 && (opts.episodes === undefined || out.length < opts.episodes)) {
    const len = Math.min(left, 1 + rng.int(5));
    left -= len;
    const state = () => Float32Array.from({ length: opts.stateDim }, () => rng.normal() * 0.1);
    out.push({
      states: Array.from({ length: len }, state),
      allowed: Array.from({ length: len }, () => Array(opts.numActions).fill(true)),
      actions: Array.from({ length: len }, () => rng.int(opts.numActions)),
      logProbs: Array.from({ length: len }, () => Math.log(1 / opts.numActions)),
      values: Array.from({ length: len }, () => rng.normal() * 0.1),
      rewards: Array.from({ length: len }, () => rng.normal()),
      terminal: true,
      bootstrapValue: 0,
    });
  }
  return out;
}

function batchSizes(trajectories: Trajectory[], ppo: PpoConfig, stateDim: number): number[] {
  const flat = flattenTrajectories(trajectories, stateDim, NUM_ACTIONS, ppo);
  return planGradientSteps(flat, ppo, createRng(3)).map((s) => s.indices.length);
}

function workload(name: string, loss: PpoWorkload['loss'], ppo: PpoConfig, stateDim: number, trajectories: Trajectory[]): PpoWorkload {
  return { name, loss, ppo, stateDim, trajectories, batches: batchSizes(trajectories, ppo, stateDim) };
}

/**
 * The headline (one Adam step at batch 256 on 384-d states, the figure) and one full
 * update of each preset on an iteration of 32 episodes (episodesPerIteration of both presets)
 * with 512-d USE-lite states.
 */
export function ppoWorkloads(): PpoWorkload[] {
  const oneStep: PpoConfig = { ...TUNED_PPO, batching: 'minibatch-epochs', updateEpochs: 1, minibatches: 1 };
  const iteration = (seed: number) => randomEpisodes({ episodes: TUNED_PPO.episodesPerIteration, stateDim: USE_LITE_STATE_DIM, numActions: NUM_ACTIONS, seed });
  return [
    workload(
      'one step, batch 256, 384-d',
      'tuned',
      oneStep,
      HEADLINE_STATE_DIM,
      randomEpisodes({ transitions: 256, stateDim: HEADLINE_STATE_DIM, numActions: NUM_ACTIONS, seed: 2 }),
    ),
    workload('tuned update (4 epochs × 4 minibatches), 512-d', 'tuned', TUNED_PPO, USE_LITE_STATE_DIM, iteration(4)),
    workload('reference update (16 steps × 8 episodes), 512-d', 'reference', REFERENCE_PPO, USE_LITE_STATE_DIM, iteration(5)),
  ];
}

/** Multiply-adds of one dense layer stack per sample. */
function macs(sizes: readonly number[]): { all: number; afterFirst: number } {
  let all = 0;
  let afterFirst = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    all += sizes[l] * sizes[l + 1];
    if (l > 0) afterFirst += sizes[l] * sizes[l + 1];
  }
  return { all, afterFirst };
}

/**
 * Matmul FLOPs of one gradient step on `batch` transitions, actor and critic: the forward pass,
 * the weight gradients, and the input gradients of every layer but the first (the states need
 * none). Elementwise work is not counted: this is the figure to hold against sgemm peak.
 */
export function gradientStepFlops(stateDim: number, hidden: readonly number[], numActions: number, batch: number): number {
  const actor = macs([stateDim, ...hidden, numActions]);
  const critic = macs([stateDim, ...hidden, 1]);
  const perSample = 2 * (2 * actor.all + actor.afterFirst + 2 * critic.all + critic.afterFirst);
  return perSample * batch;
}

export function updateFlops(w: Pick<PpoWorkload, 'stateDim' | 'batches' | 'ppo'>): number {
  return w.batches.reduce((sum, n) => sum + gradientStepFlops(w.stateDim, w.ppo.hiddenSizes, NUM_ACTIONS, n), 0);
}
