// The PPO update on the webgpu backend with nothing read back inside it: each gradient step's
// loss statistics and gradient norms are folded into an accumulator on the device
// (webgpuPrograms.stepControl), which also decides the clip factors and whether the step may be
// applied (the NaN guard); Adam runs as fused kernels masked by that flag (webgpuAdam.ts). The
// accumulator is read once, when the update ends (and once per epoch only when targetKl asks).
// Gradients come from the tape path (ppoLossFused + denseOp through tf.variableGrads).
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import type { Mlp } from './mlp';
import type { FlatTransitions, GradientStepPlan } from './ppoBatch';
import { LOSS_STATS, minibatchTensors } from './ppoLoss';
import { ppoLossFused } from './ppoLossFused';
import { WebGpuAdam } from './webgpuAdam';
import { ACC, stepControl, sumSquares } from './webgpuPrograms';

export interface DeviceUpdateResult {
  /** Mean of LOSS_STATS, then the mean gradient norm, over the applied steps. */
  means: number[];
  applied: number;
  stoppedEarly: boolean;
  /** Set when a step was non-finite: that step and every later one were not applied. */
  skipReason?: string;
}

/** Σg² of a network's gradients, in programs of at most 6 inputs. */
function networkSumSquares(grads: readonly tf.Tensor[]): tf.Tensor {
  let acc = tf.zeros([1]);
  for (let k = 0; k < grads.length; k += 6) {
    const next = sumSquares(acc, grads.slice(k, k + 6));
    acc.dispose();
    acc = next;
  }
  return acc;
}

export class DeviceStepper {
  readonly adams: [WebGpuAdam, WebGpuAdam];

  constructor(ppo: Pick<PpoConfig, 'actorLr' | 'criticLr' | 'adamEps'>) {
    this.adams = [new WebGpuAdam(ppo.actorLr, ppo.adamEps), new WebGpuAdam(ppo.criticLr, ppo.adamEps)];
  }

  async run(actor: Mlp, critic: Mlp, flat: FlatTransitions, plan: readonly GradientStepPlan[], ppo: PpoConfig): Promise<DeviceUpdateResult> {
    const stepsBefore = this.adams.map((a) => a.step);
    let acc = tf.zeros([ACC.size]);
    let lastEpoch = -1;
    let stoppedEarly = false;
    try {
      for (const step of plan) {
        if (step.epoch !== lastEpoch) {
          // targetKl needs the latest KL once per epoch: the only read inside an update, and only when asked for.
          if (lastEpoch >= 0 && ppo.targetKl > 0) {
            const kl = (await acc.data())[ACC.lastApproxKl];
            if (kl > ppo.targetKl) {
              stoppedEarly = true;
              break;
            }
          }
          lastEpoch = step.epoch;
        }
        const next = this.step(actor, critic, flat, step.indices, acc, ppo);
        acc.dispose();
        acc = next;
      }
      const a = await acc.data();
      const applied = a[ACC.appliedSteps];
      this.adams.forEach((adam, k) => adam.settle(stepsBefore[k], applied));
      const means = Array.from({ length: LOSS_STATS.length + 1 }, (_, k) => (applied > 0 ? a[ACC.stats + k] / applied : NaN));
      const result: DeviceUpdateResult = { means, applied, stoppedEarly };
      if (a[ACC.bad] > 0) {
        const first = a[ACC.firstBad];
        const what = first >= 0 && first < LOSS_STATS.length ? LOSS_STATS[first] : 'gradient norm';
        result.skipReason = `${what} is not finite; gradients not applied`;
      }
      return result;
    } finally {
      acc.dispose();
    }
  }

  /** One gradient step; returns the accumulator after it. */
  private step(actor: Mlp, critic: Mlp, flat: FlatTransitions, indices: number[], acc: tf.Tensor, ppo: PpoConfig): tf.Tensor {
    const batch = minibatchTensors(flat, indices, ppo.normalizeAdvantages);
    const actorVars = actor.variables;
    const criticVars = critic.variables;
    const allVars = [...actorVars, ...criticVars];
    let stats: tf.Tensor | undefined;
    const grads = tf.tidy(() => {
      const { value, grads: named } = tf.variableGrads(() => {
        const out = ppoLossFused(actor.forward(batch.states, batch.statesT), critic.forward(batch.states, batch.statesT), batch, ppo);
        stats = tf.keep(out.stats);
        return out.loss;
      }, allVars);
      value.dispose();
      return allVars.map((v) => named[v.name]);
    });
    Object.values(batch).forEach((t) => t.dispose());
    const actorGrads = grads.slice(0, actorVars.length);
    const criticGrads = grads.slice(actorVars.length);
    const sqA = networkSumSquares(actorGrads);
    const sqC = networkSumSquares(criticGrads);
    const next = stepControl(stats!, sqA, sqC, acc, ppo.maxGradNorm, ppo.gradClipPerNetwork);
    [stats!, sqA, sqC].forEach((t) => t.dispose());
    this.adams[0].apply(actorVars, actorGrads, next, ACC.actorScale);
    this.adams[1].apply(criticVars, criticGrads, next, ACC.criticScale);
    grads.forEach((g) => g.dispose());
    return next;
  }

  dispose(): void {
    this.adams.forEach((a) => a.dispose());
  }
}
