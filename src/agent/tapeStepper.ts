// The tape gradient path (webgl and any backend without a faster one): tfjs autodiff over the
// fused loss (ppoLossFused.ts), one read of the statistics and gradient norms per step, then the
// op-by-op Adam (adam.ts) only when everything read was finite.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { Adam, globalNorm } from './adam';
import type { AdamState } from './flatAdam';
import { clipScales, nonFiniteReason, runSteps, type GradientStepper, type StepOutcome, type StepperResult } from './gradientStepper';
import type { Mlp } from './mlp';
import type { FlatTransitions, GradientStepPlan } from './ppoBatch';
import { LOSS_STATS, minibatchTensors } from './ppoLoss';
import { ppoLossFused } from './ppoLossFused';

export class TapeStepper implements GradientStepper {
  private readonly adams: [Adam, Adam];

  constructor(
    private readonly actor: Mlp,
    private readonly critic: Mlp,
    ppo: Pick<PpoConfig, 'actorLr' | 'criticLr' | 'adamEps'>,
  ) {
    this.adams = [new Adam(ppo.actorLr, ppo.adamEps), new Adam(ppo.criticLr, ppo.adamEps)];
  }

  run(flat: FlatTransitions, plan: readonly GradientStepPlan[], ppo: PpoConfig): Promise<StepperResult> {
    return runSteps(plan, ppo, (indices) => this.step(flat, indices, ppo));
  }

  /** Loss, gradients, one read of the statistics, then (only if all finite) the optimizer steps. */
  private async step(flat: FlatTransitions, indices: number[], ppo: PpoConfig): Promise<StepOutcome> {
    const batch = minibatchTensors(flat, indices, ppo.normalizeAdvantages);
    const actorVars = this.actor.variables;
    const criticVars = this.critic.variables;
    const allVars = [...actorVars, ...criticVars];
    let stats: tf.Tensor1D | undefined;
    const { grads, summary } = tf.tidy(() => {
      const { value, grads: named } = tf.variableGrads(() => {
        const logits = this.actor.forward(batch.states, batch.statesT);
        const values = this.critic.forward(batch.states, batch.statesT);
        const out = ppoLossFused(logits, values, batch, ppo);
        stats = tf.keep(out.stats);
        return out.loss;
      }, allVars);
      value.dispose();
      const list = allVars.map((v) => named[v.name]);
      const norms = [globalNorm(list.slice(0, actorVars.length)), globalNorm(list.slice(actorVars.length))];
      return { grads: list, summary: tf.concat([stats!, tf.reshape(tf.sqrt(tf.addN(norms.map((x) => tf.square(x)))), [1]), tf.stack(norms)]) };
    });
    stats?.dispose();
    Object.values(batch).forEach((t) => t.dispose());
    const read = Array.from(await summary.data());
    summary.dispose();
    const [actorNorm, criticNorm] = read.slice(LOSS_STATS.length + 1);
    const values = read.slice(0, LOSS_STATS.length + 1);
    const reason = nonFiniteReason(values);
    if (reason) {
      grads.forEach((g) => g.dispose());
      return { applied: false, reason };
    }
    // Grad-norm clip, applied inside Adam: one global norm (CleanRL) or one per network.
    const [actorScale, criticScale] = clipScales(actorNorm, criticNorm, ppo);
    this.adams[0].apply(
      actorVars.map((variable, k) => ({ variable, grad: grads[k] })),
      actorScale,
    );
    this.adams[1].apply(
      criticVars.map((variable, k) => ({ variable, grad: grads[actorVars.length + k] })),
      criticScale,
    );
    grads.forEach((g) => g.dispose());
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
    this.adams[0].setState(actor, this.actor.variables);
    this.adams[1].setState(critic, this.critic.variables);
  }

  dispose(): void {
    this.adams.forEach((a) => a.dispose());
  }
}
