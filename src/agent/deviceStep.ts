// The PPO update on the webgpu backend with nothing read back inside it. Each network lives in one
// flat state buffer [params | m | v] (webgpuFlatNet.ts), so that a gradient step is a short,
// fixed list of custom WebGPU programs: per network L forward products and 2L − 1 backward ones
// (webgpuGemm.ts: bias, activation and its derivative fused in, ∂b computed with ∂W), the loss
// statistics and the loss gradient for both networks (webgpuLoss.ts), Σg² of both networks and the
// step control (webgpuControl.ts: folds statistics and norms into an accumulator on the device,
// decides the clip factors and whether the step may be applied: the NaN guard), and one fused Adam
// per network masked by that flag. The accumulator is read once, when the update ends (and once
// per epoch only when targetKl asks), together with both networks' states, which then become
// the tf.Variables' values and the moments that getState returns (webgpuFlatNet.ts).
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import type { AdamState } from './flatAdam';
import type { GradientStepper, StepperResult } from './gradientStepper';
import type { Mlp } from './mlp';
import { normalize } from './advantages';
import { gather, gatherRows, type FlatTransitions, type GradientStepPlan } from './ppoBatch';
import { LOSS_STATS } from './ppoLoss';
import { ACC, stepControl, sumSquares } from './webgpuControl';
import { WebGpuFlatNet } from './webgpuFlatNet';
import { lossGradients, lossStats } from './webgpuLoss';

/**
 * A minibatch as two uploads: the states, and one [n, A + 5] block per row
 * (mask offsets, old log-prob, old value, advantage, return, action) for the loss programs.
 */
function deviceBatch(flat: FlatTransitions, indices: readonly number[], normalizeAdvantages: boolean) {
  const n = indices.length;
  const A = flat.numActions;
  const W = A + 5;
  const states = gatherRows(flat.states, flat.stateDim, indices);
  const raw = gather(flat.advantages, indices);
  const adv = normalizeAdvantages ? normalize(raw) : raw;
  const rows = new Float32Array(n * W);
  indices.forEach((row, k) => {
    rows.set(flat.maskAdd.subarray(row * A, (row + 1) * A), k * W);
    rows[k * W + A] = flat.oldLogProbs[row];
    rows[k * W + A + 1] = flat.oldValues[row];
    rows[k * W + A + 2] = adv[k];
    rows[k * W + A + 3] = flat.returns[row];
    rows[k * W + A + 4] = flat.actions[row];
  });
  return {
    states: tf.tensor2d(states, [n, flat.stateDim]),
    rows: tf.tensor2d(rows, [n, W]),
  };
}

/** Σg² of both networks in one program (at most 7 gradients per program: deeper networks are flattened first). */
function networkSquares(actor: tf.Tensor[], critic: tf.Tensor[]): tf.Tensor {
  if (actor.length + critic.length <= 7) return sumSquares(actor, critic);
  return tf.tidy(() => sumSquares([tf.concat(actor.map((g) => tf.reshape(g, [-1])))], [tf.concat(critic.map((g) => tf.reshape(g, [-1])))]));
}

export class DeviceStepper implements GradientStepper {
  /** The actor's and the critic's flat state and Adam. */
  private readonly adams: [WebGpuFlatNet, WebGpuFlatNet];

  constructor(
    readonly actor: Mlp,
    readonly critic: Mlp,
    ppo: Pick<PpoConfig, 'actorLr' | 'criticLr' | 'adamEps'>,
  ) {
    this.adams = [new WebGpuFlatNet(actor, ppo.actorLr, ppo.adamEps), new WebGpuFlatNet(critic, ppo.criticLr, ppo.adamEps)];
  }

  async run(flat: FlatTransitions, plan: readonly GradientStepPlan[], ppo: PpoConfig): Promise<StepperResult> {
    const stepsBefore = this.adams.map((a) => a.step);
    this.adams.forEach((net) => net.sync());
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
        const next = this.step(flat, step.indices, acc, ppo);
        acc.dispose();
        acc = next;
      }
      // The update's one read: the accumulator and both networks' states, in one buffer.
      const all = tf.concat([acc, ...this.adams.map((net) => net.current)]);
      const data = (await all.data()) as Float32Array;
      all.dispose();
      const a = data.subarray(0, ACC.size);
      let offset = ACC.size;
      this.adams.forEach((net) => {
        net.adopt(data.subarray(offset, offset + 3 * net.params));
        offset += 3 * net.params;
      });
      const applied = a[ACC.appliedSteps];
      this.adams.forEach((net, k) => net.settle(stepsBefore[k], applied));
      const means = Array.from({ length: LOSS_STATS.length + 1 }, (_, k) => (applied > 0 ? a[ACC.stats + k] / applied : NaN));
      const result: StepperResult = { means, applied, stoppedEarly };
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
  private step(flat: FlatTransitions, indices: number[], acc: tf.Tensor, ppo: PpoConfig): tf.Tensor {
    const batch = deviceBatch(flat, indices, ppo.normalizeAdvantages);
    const [actor, critic] = this.adams;
    const A = flat.numActions;
    let stats: tf.Tensor | undefined;
    const [actorGrads, criticGrads] = tf.tidy(() => {
      const fa = actor.forward(batch.states);
      const fc = critic.forward(batch.states);
      stats = tf.keep(lossStats(fa.out, fc.out, batch.rows, ppo));
      const d = lossGradients(fa.out, fc.out, batch.rows, ppo);
      return [
        actor.backward(batch.states, fa, { tensor: d, stride: A + 1, offset: 0 }),
        critic.backward(batch.states, fc, { tensor: d, stride: A + 1, offset: A }),
      ];
    });
    Object.values(batch).forEach((t) => t.dispose());
    const squares = networkSquares(actorGrads, criticGrads);
    const next = stepControl(stats!, squares, acc, ppo.maxGradNorm, ppo.gradClipPerNetwork);
    [stats!, squares].forEach((t) => t.dispose());
    actor.adam(actorGrads, next, ACC.actorScale);
    critic.adam(criticGrads, next, ACC.criticScale);
    [...actorGrads, ...criticGrads].forEach((g) => g.dispose());
    return next;
  }

  setLearningRates(actor: number, critic: number): void {
    this.adams[0].learningRate = actor;
    this.adams[1].learningRate = critic;
  }

  getStates(): [AdamState | null, AdamState | null] {
    return [this.adams[0].getState(), this.adams[1].getState()];
  }

  setStates(actor: AdamState | null, critic: AdamState | null): void {
    this.adams[0].setState(actor);
    this.adams[1].setState(critic);
  }

  dispose(): void {
    this.adams.forEach((a) => a.dispose());
  }
}
