// The DER-Agent: actor and critic MLPs trained with PPO on tfjs. Acts on batches of observations
// (one forward pass for all parallel episodes) and learns from per-episode trajectories.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { createRng, type Rng } from '../der/rng';
import type { Trajectory } from '../der/trajectory';
import type { Policy, PolicyDecision, PolicyObservation } from '../der/types';
import { DeviceStepper } from './deviceStep';
import type { GradientStepper } from './gradientStepper';
import { LeanStepper } from './leanStepper';
import { TapeStepper } from './tapeStepper';
import { explainedVariance } from './advantages';
import { Mlp } from './mlp';
import { MASKED_LOGIT, firstNonFinite, flattenTrajectories, planGradientSteps } from './ppoBatch';
import { LOSS_STATS, maskedLogProbsInference } from './ppoLoss';
import { RunningMeanStd, valueScale } from './runningStats';
import { normalizeValueTargets } from './valueNormalization';
import { decideFromLogProbs } from './sampling';
import { fromSavedAdam, toSavedAdam, validateTrainingState, type AgentTrainingState } from './trainingState';
import type { WeightEntry } from './weightsIO';
import type { PpoUpdateMetrics } from '../der/runRecord';

export interface PpoAgentOptions {
  stateDim: number;
  /** Experts, plus STOP when the learned stop is on. */
  numActions: number;
  ppo: PpoConfig;
  seed: number;
  /**
   * How gradients are computed: "lean" (leanStep.ts: hand-written backward pass, JS loss head and
   * JS Adam; for the CPU backends), "device" (deviceStep.ts: written-out backward pass, the loss,
   * Adam, statistics and NaN guard as WebGPU programs, one read per update; webgpu only) or "tape" (tfjs
   * autodiff with fused ops, tfjs Adam, one read per step; any backend). Default "auto": lean on
   * wasm and cpu, device on webgpu, tape elsewhere. All give the same weights.
   */
  gradientPath?: 'auto' | GradientPath;
}

export type GradientPath = 'lean' | 'tape' | 'device';

export { clipScales } from './gradientStepper';

/** Backends where tensor reads are memcpys, so the lean step's JS parts cost nothing extra. */
const LEAN_BACKENDS = new Set(['wasm', 'cpu']);

function defaultGradientPath(backend: string): GradientPath {
  return LEAN_BACKENDS.has(backend) ? 'lean' : backend === 'webgpu' ? 'device' : 'tape';
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
  private readonly actRng: Rng;
  private readonly updateRng: Rng;
  /** The resolved gradient path (see PpoAgentOptions.gradientPath). */
  readonly gradientPath: GradientPath;
  /** Computes and applies the gradients, and holds the optimizers (leanStepper, tapeStepper, deviceStep). */
  private readonly stepper: GradientStepper;
  /** [actor, critic] learning rates of the latest update (annealed when ppo.annealLr). */
  private learningRates: [number, number];
  /** Running statistics of raw states (ppo.normalizeStates), updated after each update. */
  readonly stateStats: RunningMeanStd | null;
  /** Running statistics of returns (ppo.valueNormalization): the critic learns (R − mean)/sd. */
  readonly returnStats: RunningMeanStd | null;

  constructor(options: PpoAgentOptions) {
    const { stateDim, numActions, ppo, seed } = options;
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
    this.learningRates = [ppo.actorLr, ppo.criticLr];
    const path = options.gradientPath ?? 'auto';
    this.gradientPath = path === 'auto' ? defaultGradientPath(tf.getBackend()) : path;
    if (this.gradientPath === 'device' && tf.getBackend() !== 'webgpu')
      throw new Error(`gradientPath "device" needs the webgpu backend (active: ${tf.getBackend()}).`);
    const Stepper = { lean: LeanStepper, tape: TapeStepper, device: DeviceStepper }[this.gradientPath];
    this.stepper = new Stepper(this.actor, this.critic, ppo);
    this.actRng = rng.fork('act');
    this.updateRng = rng.fork('update');
    this.stateStats = ppo.normalizeStates ? new RunningMeanStd(stateDim) : null;
    this.returnStats = ppo.valueNormalization ? new RunningMeanStd(1) : null;
  }

  /** Raw states as the networks see them (standardised when ppo.normalizeStates, once statistics exist). */
  private netStates(raw: Float32Array): Float32Array {
    return this.stateStats && this.stateStats.count > 0 ? this.stateStats.standardize(raw) : raw;
  }

  /** The critic's output in return units: v·sd + mean under value normalisation. */
  private denormalizeValue(v: number): number {
    return this.returnStats ? v * valueScale(this.returnStats) + this.returnStats.mean[0] : v;
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
      const s = tf.tensor2d(this.netStates(states), [n, this.stateDim]);
      const logp = maskedLogProbsInference(this.actor, s, tf.tensor2d(maskAdd, [n, A]));
      return tf.concat([logp, this.critic.predict(s)], 1);
    });
    const data = await out.data();
    out.dispose();
    return observations.map((obs, i) =>
      decideFromLogProbs(
        data.subarray(i * (A + 1), i * (A + 1) + A),
        this.denormalizeValue(data[i * (A + 1) + A]),
        obs.allowed,
        options.greedy ? null : this.actRng,
      ),
    );
  }

  /** The argmax-action variant of act, for evaluation. */
  actGreedy(observations: readonly PolicyObservation[]): Promise<PolicyDecision[]> {
    return this.act(observations, { greedy: true });
  }

  /** V(s) for each state (e.g. the bootstrap value of a cut-off episode). */
  async values(states: readonly Float32Array[]): Promise<number[]> {
    if (states.length === 0) return [];
    const v = tf.tidy(() => this.critic.predict(tf.tensor2d(this.netStates(gatherStates(states, this.stateDim)), [states.length, this.stateDim])));
    const data = await v.data();
    v.dispose();
    return Array.from(data, (x) => this.denormalizeValue(x));
  }

  /** One PPO update on the episodes of an iteration. */
  async update(trajectories: readonly Trajectory[], progress?: UpdateProgress): Promise<PpoUpdateMetrics> {
    const started = performance.now();
    const ppo = this.ppo;
    const frac = ppo.annealLr && progress ? Math.max(0, 1 - progress.iteration / Math.max(1, progress.totalIterations)) : 1;
    this.learningRates = [ppo.actorLr * frac, ppo.criticLr * frac];
    this.stepper.setLearningRates(...this.learningRates);
    const flat = flattenTrajectories(trajectories, this.stateDim, this.numActions, ppo);
    const metrics: PpoUpdateMetrics = {
      policyLoss: NaN,
      valueLoss: NaN,
      entropy: NaN,
      approxKl: NaN,
      clipFraction: NaN,
      gradNorm: NaN,
      explainedVariance: explainedVariance(Array.from(flat.oldValues), Array.from(flat.returns)),
      gradSteps: 0,
      transitions: flat.count,
      episodes: trajectories.length,
      actorLr: this.learningRates[0],
      criticLr: this.learningRates[1],
      stoppedEarly: false,
      skipped: false,
      ms: 0,
    };
    const badInput = firstNonFinite(flat);
    if (badInput) return { ...metrics, skipped: true, skipReason: badInput, ms: performance.now() - started };
    if (flat.count === 0) return { ...metrics, skipped: true, skipReason: 'no transitions to learn from', ms: performance.now() - started };
    const finishValueNorm = this.returnStats ? normalizeValueTargets(this.returnStats, this.critic, flat) : () => {};
    const rawStates = flat.states;
    flat.states = this.netStates(rawStates);
    const r = await this.stepper.run(flat, planGradientSteps(flat, ppo, this.updateRng), ppo);
    metrics.gradSteps = r.applied;
    metrics.stoppedEarly = r.stoppedEarly;
    if (r.skipReason) Object.assign(metrics, { skipped: true, skipReason: r.skipReason });
    finishValueNorm(metrics.gradSteps > 0);
    if (metrics.gradSteps > 0) this.stateStats?.update(rawStates, flat.count);
    if (metrics.gradSteps > 0) {
      [metrics.policyLoss, metrics.valueLoss, metrics.entropy, metrics.approxKl, metrics.clipFraction] = r.means;
      metrics.gradNorm = r.means[LOSS_STATS.length];
    }
    metrics.ms = performance.now() - started;
    return metrics;
  }

  /** Actor then critic weights, with stable names; plain numbers so they serialise as JSON. */
  getWeights(): WeightEntry[] {
    const entries: WeightEntry[] = [];
    for (const net of [this.actor, this.critic]) {
      net.variables.forEach((v, k) => entries.push({ name: net.variableNames[k], shape: v.shape.slice(), data: Array.from(v.dataSync()) }));
    }
    if (this.stateStats) entries.push(...this.stateStats.toEntries(STATE_NORM));
    if (this.returnStats) entries.push(...this.returnStats.toEntries(VALUE_NORM));
    return entries;
  }

  /**
   * Replace all weights; every name must match in name and shape (else nothing is changed).
   * Normaliser statistics are restored when present; files saved without them reset them.
   */
  setWeights(entries: readonly WeightEntry[]): void {
    const targets = new Map<string, tf.Variable>();
    for (const net of [this.actor, this.critic]) net.variables.forEach((v, k) => targets.set(net.variableNames[k], v));
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const [name, variable] of targets) {
      const entry = byName.get(name);
      if (!entry) throw new Error(`Saved weights lack "${name}"; they were made for a different network.`);
      const size = variable.shape.reduce((a, b) => a * b, 1);
      if (entry.shape.join('x') !== variable.shape.join('x') || entry.data.length !== size) {
        throw new Error(
          `Saved weight "${name}" has shape [${entry.shape}] but the agent's is [${variable.shape}]; check stateDim, numActions and hiddenSizes.`,
        );
      }
    }
    const stateStats = this.stateStats && new RunningMeanStd(this.stateDim);
    const returnStats = this.returnStats && new RunningMeanStd(1);
    stateStats?.fromEntries(STATE_NORM, byName);
    returnStats?.fromEntries(VALUE_NORM, byName);
    for (const [name, variable] of targets) {
      const entry = byName.get(name)!;
      tf.tidy(() => variable.assign(tf.tensor(entry.data, variable.shape, 'float32')));
    }
    for (const [to, from] of [
      [this.stateStats, stateStats],
      [this.returnStats, returnStats],
    ] as const) {
      if (!to || !from) continue;
      to.count = from.count;
      to.mean.set(from.mean);
      to.var.set(from.var);
    }
  }

  /**
   * Optimizer moments and step counts, and the random streams' states: with getWeights, all a
   * paused run needs to resume bit-identically (trainingState.ts).
   */
  getTrainingState(): AgentTrainingState {
    const [actor, critic] = this.stepper.getStates().map(toSavedAdam);
    return {
      version: 1,
      gradientPath: this.gradientPath,
      optimizers: { actor, critic },
      rng: { act: this.actRng.getState(), update: this.updateRng.getState() },
    };
  }

  /** Restore a getTrainingState result (after setWeights). Checks everything before changing anything. */
  setTrainingState(value: unknown): void {
    const state = validateTrainingState(value);
    const sizes = [this.actor, this.critic].map((net) => net.variables.reduce((n, v) => n + v.size, 0));
    [state.optimizers.actor, state.optimizers.critic].forEach((o, k) => {
      if (o && o.m.length !== sizes[k])
        throw new Error(
          `Saved training state has ${o.m.length} ${k === 0 ? 'actor' : 'critic'} moments, the network has ${sizes[k]} parameters; it was saved for a different network.`,
        );
    });
    this.stepper.setStates(fromSavedAdam(state.optimizers.actor), fromSavedAdam(state.optimizers.critic));
    this.actRng.setState(state.rng.act);
    this.updateRng.setState(state.rng.update);
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.stepper.dispose();
  }
}

const STATE_NORM = 'stateNorm';
const VALUE_NORM = 'valueNorm';

function gatherStates(states: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(states.length * dim);
  states.forEach((s, i) => {
    if (s.length !== dim) throw new Error(`State ${i} has ${s.length} numbers, the agent expects ${dim}.`);
    out.set(s, i * dim);
  });
  return out;
}
