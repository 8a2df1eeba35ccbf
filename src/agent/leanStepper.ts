// The lean gradient path (wasm, cpu): leanStep.ts computes each minibatch's gradients with 16
// matrix products (on the WebAssembly SIMD kernel of gemmSimd.ts where the engine has it, else as
// tfjs kernels) and JS loops, and FlatAdam applies them to flat JS copies of the weights.
// The weights are loaded from the variables when an update starts and stored back when it ends;
// they are uploaded to tensors before a step that needs them (not after the last Adam step).
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { normalize } from './advantages';
import { FlatAdam, type AdamState } from './flatAdam';
import { clipScales, nonFiniteReason, runSteps, type GradientStepper, type StepOutcome, type StepperResult } from './gradientStepper';
import { transposeRows } from './denseOp';
import { createLeanWeights, leanGradients, normOf, type LeanBatch, type LeanNetwork } from './leanStep';
import type { Mlp } from './mlp';
import { gather, gatherRows, type FlatTransitions, type GradientStepPlan } from './ppoBatch';
import { ScratchBuffers, reusableOn } from './scratchBuffers';

export class LeanStepper implements GradientStepper {
  private readonly adams: [FlatAdam, FlatAdam];
  private readonly weights: [LeanNetwork, LeanNetwork];
  /** The minibatch's states and their transpose. */
  private readonly batchScratch = new ScratchBuffers();
  /** Whether `weights` (their uploaded tensors, or their transposes on the SIMD path) lag behind the optimizer's parameters. */
  private stale = true;

  constructor(
    private readonly actor: Mlp,
    private readonly critic: Mlp,
    ppo: Pick<PpoConfig, 'actorLr' | 'criticLr' | 'adamEps'>,
  ) {
    this.adams = [new FlatAdam(ppo.actorLr, ppo.adamEps), new FlatAdam(ppo.criticLr, ppo.adamEps)];
    this.weights = [createLeanWeights(actor), createLeanWeights(critic)];
  }

  async run(flat: FlatTransitions, plan: readonly GradientStepPlan[], ppo: PpoConfig): Promise<StepperResult> {
    const nets = [this.actor, this.critic];
    this.adams.forEach((adam, k) => adam.load(nets[k].variables));
    const reuse = reusableOn(tf.getBackend());
    for (const scratch of [this.batchScratch, ...this.weights.map((w) => w.scratch)]) scratch.reuse = reuse;
    this.stale = true;
    try {
      const result = await runSteps(plan, ppo, (indices) => this.step(flat, indices, ppo));
      if (result.applied > 0) this.adams.forEach((adam, k) => adam.store(nets[k].variables));
      return result;
    } finally {
      this.weights.forEach((w) => w.dispose());
    }
  }

  private step(flat: FlatTransitions, indices: number[], ppo: PpoConfig): StepOutcome {
    const n = indices.length;
    const states = gatherRows(flat.states, flat.stateDim, indices, this.batchScratch.get('states', n * flat.stateDim));
    const advantages = gather(flat.advantages, indices);
    const batch: LeanBatch = {
      n,
      stateDim: flat.stateDim,
      numActions: flat.numActions,
      states,
      statesT: transposeRows(states, n, flat.stateDim, this.batchScratch.get('statesT', n * flat.stateDim)),
      maskAdd: gatherRows(flat.maskAdd, flat.numActions, indices),
      actions: indices.map((row) => flat.actions[row]),
      oldLogProbs: gather(flat.oldLogProbs, indices),
      oldValues: gather(flat.oldValues, indices),
      advantages: ppo.normalizeAdvantages ? normalize(advantages) : advantages,
      returns: gather(flat.returns, indices),
    };
    const [actorWeights, criticWeights] = this.weights;
    if (this.stale) this.weights.forEach((w, k) => w.refresh(this.adams[k].params));
    this.stale = false;
    const g = leanGradients(actorWeights, criticWeights, batch, ppo);
    const [actorNorm, criticNorm] = [normOf(g.actor), normOf(g.critic)];
    const values = [...g.stats, Math.hypot(actorNorm, criticNorm)];
    const reason = nonFiniteReason(values);
    if (reason) return { applied: false, reason };
    const [actorScale, criticScale] = clipScales(actorNorm, criticNorm, ppo);
    const [actorAdam, criticAdam] = this.adams;
    actorAdam.apply(g.actor, actorScale);
    criticAdam.apply(g.critic, criticScale);
    this.stale = true;
    return { applied: true, stats: values };
  }

  setLearningRates(actor: number, critic: number): void {
    this.adams[0].learningRate = actor;
    this.adams[1].learningRate = critic;
  }

  getStates(): [AdamState | null, AdamState | null] {
    return [this.adams[0].getState(), this.adams[1].getState()];
  }

  setStates(actor: AdamState | null, critic: AdamState | null): void {
    const sizes = [this.actor, this.critic].map((net) => net.variables.reduce((n, v) => n + v.size, 0));
    this.adams[0].setState(actor, sizes[0]);
    this.adams[1].setState(critic, sizes[1]);
  }

  dispose(): void {
    this.weights.forEach((w) => w.dispose());
  }
}
