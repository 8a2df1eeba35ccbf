// One measurement of the tfjs backend that is active now: a real PPO gradient step (the project's
// PpoAgent on a fixed synthetic minibatch), a forward pass for acting, optionally one call of the
// state encoder; and what the step computed (update statistics, the weights' change, the policy's
// outputs) so that backendMeasure.ts can compare it with the cpu backend on the same inputs.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { TUNED_PPO } from '../der/presets';
import { createRng } from '../der/rng';
import type { Trajectory } from '../der/trajectory';
import type { PolicyObservation, Question } from '../der/types';
import { PpoAgent } from './ppo';

export interface ProbeShape {
  stateDim: number;
  numActions: number;
  hiddenSizes: readonly number[];
  /** Transitions in the probe's minibatch. Odd on purpose: odd row counts broke webgl (backendWebgl.ts). */
  batch: number;
  /** Observations in the timed forward pass (the episodes acted on together). */
  actBatch: number;
}

export const DEFAULT_PROBE_SHAPE: ProbeShape = { stateDim: 384, numActions: 11, hiddenSizes: [256, 256], batch: 63, actBatch: 16 };

export interface ProbeOutput {
  /** First step, including kernel/shader compilation. */
  warmupMs: number;
  /** Median of the timed gradient steps. */
  stepMs: number;
  /** Median forward pass (act) for shape.actBatch observations. */
  actMs: number;
  /** One encoder call (after a warm-up call), when an encoder was given. */
  encoderMs?: number;
  /** Update statistics of the first step: policy loss, value loss, entropy, gradient norm. */
  stats: number[];
  /** Change of every weight in the first step, actor then critic, flattened. */
  weightDelta: Float32Array;
  /** Action probabilities and values of the act observations before any step, flattened. */
  policyOut: Float32Array;
  /** Set when the first step was skipped (e.g. a NaN gradient): the backend computes wrongly. */
  skipReason?: string;
}

export interface ProbeEncoder {
  encode(texts: readonly string[]): Promise<unknown>;
}

/** Raised by `checkpoint` when the probe ran past its time cap. */
export class ProbeTimeout extends Error {}

/** A single-step PPO config with the tuned losses (value clip, entropy, grad clip). */
function probePpo(shape: ProbeShape): PpoConfig {
  return {
    ...TUNED_PPO,
    hiddenSizes: [...shape.hiddenSizes],
    batching: 'minibatch-epochs',
    updateEpochs: 1,
    minibatches: 1,
    episodesPerIteration: shape.batch,
  };
}

/** Deterministic episodes (1–3 steps, a few actions masked) with `batch` transitions in all. */
export function probeEpisodes(shape: ProbeShape, seed = 11): Trajectory[] {
  const rng = createRng(seed);
  const A = shape.numActions;
  const episodes: Trajectory[] = [];
  for (let left = shape.batch; left > 0;) {
    const len = Math.min(left, 1 + rng.int(3));
    left -= len;
    const allowed = Array.from({ length: len }, () => Array.from({ length: A }, (_, a) => a === 0 || rng.next() > 0.25));
    const actions = allowed.map((row) => {
      const ok = row.flatMap((x, a) => (x ? [a] : []));
      return ok[rng.int(ok.length)];
    });
    episodes.push({
      states: Array.from({ length: len }, () => Float32Array.from({ length: shape.stateDim }, () => rng.normal() * 0.5)),
      allowed,
      actions,
      logProbs: actions.map((_, t) => Math.log(1 / allowed[t].filter(Boolean).length)),
      values: actions.map(() => rng.normal() * 0.1),
      rewards: actions.map(() => rng.normal()),
      terminal: true,
      bootstrapValue: 0,
    });
  }
  return episodes;
}

function probeObservations(shape: ProbeShape, seed = 12): PolicyObservation[] {
  const rng = createRng(seed);
  const question: Question = { id: 'probe', instruction: '', input: 'probe' };
  return Array.from({ length: shape.actBatch }, (_, i) => ({
    question,
    state: Float32Array.from({ length: shape.stateDim }, () => rng.normal() * 0.5),
    t: 0,
    lastScore: NaN,
    allowed: Array.from({ length: shape.numActions }, (_, a) => a === i % shape.numActions || rng.next() > 0.25),
  }));
}

/** Read asynchronously: webgpu in Node has no synchronous readback (it needs OffscreenCanvas). */
async function flatWeights(agent: PpoAgent): Promise<Float32Array> {
  const parts = (await Promise.all([...agent.actor.variables, ...agent.critic.variables].map((v) => v.data()))) as Float32Array[];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const PROBE_TEXTS = [
  'Which river flows through Vienna?',
  'Explain photosynthesis in one sentence.',
  'What is 17 times 23?',
  'Name a prime number above 100.',
];

/**
 * Measure the active backend. `checkpoint()` is called after every await and may throw (the
 * caller's time cap); on a throw the agent is disposed and the error propagates.
 */
export async function probeActiveBackend(
  shape: ProbeShape,
  options: { encoder?: ProbeEncoder; checkpoint?: () => void; timedSteps?: number } = {},
): Promise<ProbeOutput> {
  const check = options.checkpoint ?? (() => {});
  const agent = new PpoAgent({ stateDim: shape.stateDim, numActions: shape.numActions, ppo: probePpo(shape), seed: 5 });
  try {
    const episodes = probeEpisodes(shape);
    const observations = probeObservations(shape);
    const decisions = await agent.act(observations, { greedy: true });
    check();
    const policyOut = Float32Array.from(decisions.flatMap((d) => [...d.probs, d.value]));
    const before = await flatWeights(agent);
    const started = performance.now();
    const first = await agent.update(episodes);
    const warmupMs = performance.now() - started;
    check();
    const after = await flatWeights(agent);
    const weightDelta = after.map((w, i) => w - before[i]);
    const stats = [first.policyLoss, first.valueLoss, first.entropy, first.gradNorm];
    const steps: number[] = [];
    for (let k = 0; k < (options.timedSteps ?? 3); k++) {
      steps.push((await agent.update(episodes)).ms);
      check();
    }
    const acts: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await agent.act(observations);
      acts.push(performance.now() - t0);
      check();
    }
    let encoderMs: number | undefined;
    if (options.encoder) {
      await options.encoder.encode(PROBE_TEXTS);
      check();
      const t0 = performance.now();
      await options.encoder.encode(PROBE_TEXTS.map((t) => `${t} (again)`));
      encoderMs = performance.now() - t0;
      check();
    }
    return {
      warmupMs,
      stepMs: median(steps),
      actMs: median(acts),
      encoderMs,
      stats,
      weightDelta,
      policyOut,
      ...(first.skipped ? { skipReason: first.skipReason ?? 'the update was skipped' } : {}),
    };
  } finally {
    agent.dispose();
  }
}

/** Tensors left by the probe (should be 0; exported for tests). */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
