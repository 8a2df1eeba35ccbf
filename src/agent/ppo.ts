// The DER-Agent: actor and critic MLPs trained with PPO on tfjs. Acts on batches of observations
// (one forward pass for all parallel episodes) and learns from per-episode trajectories.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { createRng, type Rng } from '../der/rng';
import type { Trajectory } from '../der/trajectory';
import type { Policy, PolicyDecision, PolicyObservation } from '../der/types';
import { Adam, globalNorm } from './adam';
import { explainedVariance, normalize } from './advantages';
import { transposeRows } from './denseOp';
import { Mlp } from './mlp';
import { MASKED_LOGIT, flattenTrajectories, gather, gatherRows, planGradientSteps, type FlatTransitions } from './ppoBatch';
import { LOSS_STATS, maskedLogProbsInference, type MinibatchTensors } from './ppoLoss';
import { ppoLossFused } from './ppoLossFused';
import { decideFromLogProbs } from './sampling';
import type { WeightEntry } from './weightsIO';
import type { PpoUpdateMetrics } from '../der/runRecord';

export interface PpoAgentOptions {
  stateDim: number;
  /** Experts, plus STOP when the learned stop is on. */
  numActions: number;
  ppo: PpoConfig;
  seed: number;
}

export interface UpdateProgress {
  /** 0-based index of the iteration this update follows. */
  iteration: number;
  totalIterations: number;
}

export type { PpoUpdateMetrics } from '../der/runRecord';

export interface ActOptions {
  /** Pick the most probable allowed action instead of sampling (evaluation). */
  greedy?: boolean;
}

export class PpoAgent implements Policy {
  readonly name = 'ppo';
  readonly stateDim: number;
  readonly numActions: number;
  readonly ppo: PpoConfig;
  readonly actor: Mlp;
  readonly critic: Mlp;
  private readonly actorOptimizer: Adam;
  private readonly criticOptimizer: Adam;
  private readonly actRng: Rng;
  private readonly updateRng: Rng;

  constructor(options: PpoAgentOptions) {
    const { stateDim, numActions, ppo, seed } = options;
    if (ppo.referenceQuirks) {
      throw new Error('PpoConfig.referenceQuirks (reproducing the reference code defects) is not implemented by PpoAgent; turn it off.');
    }
    if (!(stateDim > 0) || !(numActions > 1)) {
      throw new Error(`PpoAgent needs stateDim > 0 and at least 2 actions (got stateDim ${stateDim}, numActions ${numActions}).`);
    }
    this.stateDim = stateDim;
    this.numActions = numActions;
    this.ppo = ppo;
    const rng = createRng(seed);
    const common = { inputDim: stateDim, hiddenSizes: ppo.hiddenSizes, activation: ppo.activation, orthogonalInit: ppo.orthogonalInit };
    this.actor = new Mlp({ ...common, name: 'actor', outputDim: numActions, outputGain: 0.01 }, rng.fork('actor'));
    this.critic = new Mlp({ ...common, name: 'critic', outputDim: 1, outputGain: 1 }, rng.fork('critic'));
    this.actorOptimizer = new Adam(ppo.actorLr, ppo.adamEps);
    this.criticOptimizer = new Adam(ppo.criticLr, ppo.adamEps);
    this.actRng = rng.fork('act');
    this.updateRng = rng.fork('update');
  }

  /** Sample one action per observation (or the argmax with `greedy`), in one forward pass. */
  async act(observations: readonly PolicyObservation[], options: ActOptions = {}): Promise<PolicyDecision[]> {
    const n = observations.length;
    if (n === 0) return [];
    const A = this.numActions;
    const states = new Float32Array(n * this.stateDim);
    const maskAdd = new Float32Array(n * A);
    observations.forEach((obs, i) => {
      if (obs.state.length !== this.stateDim) throw new Error(`Observation ${i}: state has ${obs.state.length} numbers, the agent expects ${this.stateDim}.`);
      if (obs.allowed.length !== A) throw new Error(`Observation ${i}: mask has ${obs.allowed.length} entries, the agent has ${A} actions.`);
      if (!obs.allowed.some(Boolean)) throw new Error(`Observation ${i}: no action is allowed.`);
      states.set(obs.state, i * this.stateDim);
      for (let a = 0; a < A; a++) maskAdd[i * A + a] = obs.allowed[a] ? 0 : MASKED_LOGIT;
    });
    // One read for log-probabilities and values together: [n, A + 1].
    const out = tf.tidy(() => {
      const s = tf.tensor2d(states, [n, this.stateDim]);
      const logp = maskedLogProbsInference(this.actor, s, tf.tensor2d(maskAdd, [n, A]));
      return tf.concat([logp, this.critic.predict(s)], 1);
    });
    const data = await out.data();
    out.dispose();
    return observations.map((obs, i) =>
      decideFromLogProbs(data.subarray(i * (A + 1), i * (A + 1) + A), data[i * (A + 1) + A], obs.allowed, options.greedy ? null : this.actRng),
    );
  }

  /** The argmax-action variant of act, for evaluation. */
  actGreedy(observations: readonly PolicyObservation[]): Promise<PolicyDecision[]> {
    return this.act(observations, { greedy: true });
  }

  /** V(s) for each state (e.g. the bootstrap value of a cut-off episode). */
  async values(states: readonly Float32Array[]): Promise<number[]> {
    if (states.length === 0) return [];
    const v = tf.tidy(() => this.critic.predict(tf.tensor2d(gatherStates(states, this.stateDim), [states.length, this.stateDim])));
    const data = await v.data();
    v.dispose();
    return Array.from(data);
  }

  /** One PPO update on the episodes of an iteration. */
  async update(trajectories: readonly Trajectory[], progress?: UpdateProgress): Promise<PpoUpdateMetrics> {
    const started = performance.now();
    const ppo = this.ppo;
    const frac = ppo.annealLr && progress ? Math.max(0, 1 - progress.iteration / Math.max(1, progress.totalIterations)) : 1;
    this.actorOptimizer.learningRate = ppo.actorLr * frac;
    this.criticOptimizer.learningRate = ppo.criticLr * frac;
    const flat = flattenTrajectories(trajectories, this.stateDim, this.numActions, ppo);
    const metrics: PpoUpdateMetrics = {
      policyLoss: NaN, valueLoss: NaN, entropy: NaN, approxKl: NaN, clipFraction: NaN, gradNorm: NaN,
      explainedVariance: explainedVariance(Array.from(flat.oldValues), Array.from(flat.returns)),
      gradSteps: 0, transitions: flat.count, episodes: trajectories.length,
      actorLr: this.actorOptimizer.learningRate, criticLr: this.criticOptimizer.learningRate,
      stoppedEarly: false, skipped: false, ms: 0,
    };
    const badInput = firstNonFinite(flat);
    if (badInput) return { ...metrics, skipped: true, skipReason: badInput, ms: performance.now() - started };
    if (flat.count === 0) return { ...metrics, skipped: true, skipReason: 'no transitions to learn from', ms: performance.now() - started };

    const sums = new Float64Array(LOSS_STATS.length + 1);
    let lastEpoch = -1;
    let epochKl = 0;
    for (const step of planGradientSteps(flat, ppo, this.updateRng)) {
      if (step.epoch !== lastEpoch) {
        // CleanRL checks the KL of the latest minibatch once per epoch.
        if (lastEpoch >= 0 && ppo.targetKl > 0 && epochKl > ppo.targetKl) {
          metrics.stoppedEarly = true;
          break;
        }
        lastEpoch = step.epoch;
      }
      const result = await this.gradientStep(flat, step.indices);
      if (!result.applied) {
        metrics.skipped = true;
        metrics.skipReason = result.reason;
        break;
      }
      result.stats.forEach((v, k) => (sums[k] += v));
      epochKl = result.stats[LOSS_STATS.indexOf('approxKl')];
      metrics.gradSteps += 1;
    }
    if (metrics.gradSteps > 0) {
      const mean = (k: number) => sums[k] / metrics.gradSteps;
      metrics.policyLoss = mean(0);
      metrics.valueLoss = mean(1);
      metrics.entropy = mean(2);
      metrics.approxKl = mean(3);
      metrics.clipFraction = mean(4);
      metrics.gradNorm = mean(LOSS_STATS.length);
    }
    metrics.ms = performance.now() - started;
    return metrics;
  }

  /** Loss, gradients, one read of the statistics, then (only if all finite) the optimizer steps. */
  private async gradientStep(flat: FlatTransitions, indices: number[]): Promise<{ applied: true; stats: number[] } | { applied: false; reason: string }> {
    const n = indices.length;
    const advantages = gather(flat.advantages, indices);
    const actionOneHot = new Float32Array(n * this.numActions);
    indices.forEach((row, k) => (actionOneHot[k * this.numActions + flat.actions[row]] = 1));
    const states = gatherRows(flat.states, flat.stateDim, indices);
    const batch: MinibatchTensors = {
      states: tf.tensor2d(states, [n, flat.stateDim]),
      statesT: tf.tensor2d(transposeRows(states, n, flat.stateDim), [flat.stateDim, n]),
      maskAdd: tf.tensor2d(gatherRows(flat.maskAdd, flat.numActions, indices), [n, flat.numActions]),
      actionOneHot: tf.tensor2d(actionOneHot, [n, this.numActions]),
      oldLogProbs: tf.tensor1d(gather(flat.oldLogProbs, indices)),
      oldValues: tf.tensor1d(gather(flat.oldValues, indices)),
      advantages: tf.tensor1d(this.ppo.normalizeAdvantages ? normalize(advantages) : advantages),
      returns: tf.tensor1d(gather(flat.returns, indices)),
    };
    const actorVars = this.actor.variables;
    const criticVars = this.critic.variables;
    const allVars = [...actorVars, ...criticVars];
    let stats: tf.Tensor1D | undefined;
    const { grads, summary } = tf.tidy(() => {
      const { value, grads: named } = tf.variableGrads(() => {
        const logits = this.actor.forward(batch.states, batch.statesT);
        const values = this.critic.forward(batch.states, batch.statesT);
        const out = ppoLossFused(logits, values, batch, this.ppo);
        stats = tf.keep(out.stats);
        return out.loss;
      }, allVars);
      value.dispose();
      const list = allVars.map((v) => named[v.name]);
      return { grads: list, summary: tf.concat([stats!, tf.reshape(globalNorm(list), [1])]) };
    });
    stats?.dispose();
    Object.values(batch).forEach((t) => t.dispose());
    const values = Array.from(await summary.data());
    summary.dispose();
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      grads.forEach((g) => g.dispose());
      const what = bad < LOSS_STATS.length ? LOSS_STATS[bad] : 'gradient norm';
      return { applied: false, reason: `${what} is ${values[bad]}; gradients not applied` };
    }
    // Global grad-norm clip over actor and critic together (CleanRL), applied inside Adam.
    const norm = values[LOSS_STATS.length];
    const scale = this.ppo.maxGradNorm > 0 ? Math.min(1, this.ppo.maxGradNorm / (norm + 1e-6)) : 1;
    this.actorOptimizer.apply(actorVars.map((variable, k) => ({ variable, grad: grads[k] })), scale);
    this.criticOptimizer.apply(criticVars.map((variable, k) => ({ variable, grad: grads[actorVars.length + k] })), scale);
    grads.forEach((g) => g.dispose());
    return { applied: true, stats: values };
  }

  /** Actor then critic weights, with stable names; plain numbers so they serialise as JSON. */
  getWeights(): WeightEntry[] {
    const entries: WeightEntry[] = [];
    for (const net of [this.actor, this.critic]) {
      net.variables.forEach((v, k) => entries.push({ name: net.variableNames[k], shape: v.shape.slice(), data: Array.from(v.dataSync()) }));
    }
    return entries;
  }

  /** Replace all weights; every name must match in name and shape (else nothing is changed). */
  setWeights(entries: readonly WeightEntry[]): void {
    const targets = new Map<string, tf.Variable>();
    for (const net of [this.actor, this.critic]) net.variables.forEach((v, k) => targets.set(net.variableNames[k], v));
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const [name, variable] of targets) {
      const entry = byName.get(name);
      if (!entry) throw new Error(`Saved weights lack "${name}"; they were made for a different network.`);
      const size = variable.shape.reduce((a, b) => a * b, 1);
      if (entry.shape.join('x') !== variable.shape.join('x') || entry.data.length !== size) {
        throw new Error(`Saved weight "${name}" has shape [${entry.shape}] but the agent's is [${variable.shape}]; check stateDim, numActions and hiddenSizes.`);
      }
    }
    for (const [name, variable] of targets) {
      const entry = byName.get(name)!;
      tf.tidy(() => variable.assign(tf.tensor(entry.data, variable.shape, 'float32')));
    }
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}

function gatherStates(states: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(states.length * dim);
  states.forEach((s, i) => {
    if (s.length !== dim) throw new Error(`State ${i} has ${s.length} numbers, the agent expects ${dim}.`);
    out.set(s, i * dim);
  });
  return out;
}

/** A reason when rewards (hence advantages/returns), values or states hold NaN/Inf, else null. */
function firstNonFinite(flat: FlatTransitions): string | null {
  const checks: [string, Float32Array][] = [
    ['advantage', flat.advantages], ['return', flat.returns], ['old value', flat.oldValues],
    ['old log-probability', flat.oldLogProbs], ['state', flat.states],
  ];
  for (const [what, arr] of checks) {
    const i = arr.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) return `${what} at index ${i} is ${arr[i]} (a NaN/Inf reward or value); update skipped, weights unchanged`;
  }
  return null;
}
