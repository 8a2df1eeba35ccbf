// The PPO update on the webgpu backend with nothing read back inside it: each gradient step's
// loss statistics and gradient norms are folded into an accumulator on the device
// (webgpuPrograms.stepControl), which also decides the clip factors and whether the step may be
// applied (the NaN guard); Adam runs as fused kernels masked by that flag (webgpuAdam.ts). The
// accumulator is read once, when the update ends (and once per epoch only when targetKl asks).
// The loss and its gradient are WebGPU programs too, and the networks' backward passes are
// written out (matMuls with transpose flags, a column sum, one activation-derivative kernel per
// hidden layer): no tape.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import type { Mlp } from './mlp';
import { normalize } from './advantages';
import { gather, gatherRows, type FlatTransitions, type GradientStepPlan } from './ppoBatch';
import { LOSS_STATS } from './ppoLoss';
import { WebGpuAdam } from './webgpuAdam';
import { ACC, activationGrad, lossGradLogits, lossGradValues, lossStats, stepControl, sumSquares } from './webgpuPrograms';

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

/** Forward pass keeping every hidden activation. Call inside tf.tidy. */
function forward(net: Mlp, x: tf.Tensor2D): { hidden: tf.Tensor2D[]; out: tf.Tensor2D } {
  const hidden: tf.Tensor2D[] = [];
  const last = net.layers.length - 1;
  let h = x;
  net.layers.forEach((layer, l) => {
    const relu = l < last && net.spec.activation === 'relu';
    h = tf.fused.matMul({ a: h, b: layer.kernel, bias: layer.bias, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
    if (l < last && !relu) h = tf.tanh(h);
    if (l < last) hidden.push(h);
  });
  return { hidden, out: h };
}

/**
 * Backward pass written out (no tape): per layer dW = inputᵀ·d and dh = d·Wᵀ as matMuls with
 * the transpose flags (native in tfjs-webgpu's matMul, no Transpose kernel), db = Σ rows, and the
 * activation's derivative as one kernel. Gradients in net.variables order. Call inside tf.tidy.
 */
function backward(net: Mlp, x: tf.Tensor2D, fwd: ReturnType<typeof forward>, dOut: tf.Tensor2D): tf.Tensor[] {
  const L = net.layers.length;
  const grads: tf.Tensor[] = new Array(2 * L);
  let d = dOut;
  for (let l = L - 1; l >= 0; l--) {
    grads[2 * l] = tf.matMul(l === 0 ? x : fwd.hidden[l - 1], d, true, false);
    grads[2 * l + 1] = tf.sum(d, 0);
    if (l === 0) break;
    const dh = tf.matMul(d, net.layers[l].kernel, false, true);
    d = activationGrad(dh, fwd.hidden[l - 1], net.spec.activation) as tf.Tensor2D;
  }
  return grads;
}

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
    const batch = deviceBatch(flat, indices, ppo.normalizeAdvantages);
    const actorVars = actor.variables;
    const criticVars = critic.variables;
    let stats: tf.Tensor | undefined;
    const grads = tf.tidy(() => {
      const fa = forward(actor, batch.states);
      const fc = forward(critic, batch.states);
      stats = tf.keep(lossStats(fa.out, fc.out, batch.rows, ppo));
      const dz = lossGradLogits(fa.out, fc.out, batch.rows, ppo) as tf.Tensor2D;
      const dv = lossGradValues(fa.out, fc.out, batch.rows, ppo) as tf.Tensor2D;
      return [...backward(actor, batch.states, fa, dz), ...backward(critic, batch.states, fc, dv)];
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
