// Adam on the webgpu backend as two fused WebGPU kernels per variable (webgpuPrograms.ts), with
// the clip factor and the apply flag read on the device from the step accumulator: no scalar
// tensors, no readback. The moments live packed as [m | v] per variable. Same rule as adam.ts.
import * as tf from '@tensorflow/tfjs';
import type { AdamState } from './flatAdam';
import { adamMoments, adamParams } from './webgpuPrograms';

export class WebGpuAdam {
  private mv: tf.Tensor[] | null = null;
  step = 0;

  constructor(
    public learningRate: number,
    readonly eps: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {}

  /**
   * One step on `variables` with `grads` (same order), each scaled by acc[scaleSlot] and applied
   * only where acc's apply flag is set. The step count advances here; settle() corrects it once
   * the update's accumulator has been read (a masked step did not happen).
   */
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], acc: tf.Tensor, scaleSlot: number): void {
    if (!this.mv) this.mv = variables.map((v) => tf.keep(tf.zeros([2 * v.size])));
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** this.step);
    const stepSize = (this.learningRate * sqrtBc2) / bc1;
    const epsHat = this.eps * sqrtBc2;
    variables.forEach((variable, k) => {
      const mv = tf.keep(adamMoments(grads[k], this.mv![k], acc, this.beta1, this.beta2, scaleSlot));
      this.mv![k].dispose();
      this.mv![k] = mv;
      tf.tidy(() => variable.assign(tf.reshape(adamParams(variable, mv, acc, stepSize, epsHat), variable.shape)));
    });
  }

  /** After reading the accumulator: `applied` of the steps since `stepBefore` really happened. */
  settle(stepBefore: number, applied: number): void {
    this.step = stepBefore + applied;
  }

  getState(): AdamState | null {
    if (this.step === 0 || !this.mv) return null;
    const parts = this.mv.map((t) => t.dataSync() as Float32Array);
    const total = parts.reduce((n, p) => n + p.length / 2, 0);
    const m = new Float32Array(total);
    const v = new Float32Array(total);
    let offset = 0;
    for (const p of parts) {
      const n = p.length / 2;
      m.set(p.subarray(0, n), offset);
      v.set(p.subarray(n), offset);
      offset += n;
    }
    return { step: this.step, m, v };
  }

  setState(state: AdamState | null, variables: readonly tf.Variable[]): void {
    this.dispose();
    this.step = 0;
    if (!state) return;
    const total = variables.reduce((n, v) => n + v.size, 0);
    if (state.m.length !== total || state.v.length !== total) {
      throw new Error(`Saved optimizer state has ${state.m.length} moments, the network has ${total} parameters.`);
    }
    let offset = 0;
    this.mv = variables.map((variable) => {
      const packed = new Float32Array(2 * variable.size);
      packed.set(state.m.subarray(offset, offset + variable.size), 0);
      packed.set(state.v.subarray(offset, offset + variable.size), variable.size);
      offset += variable.size;
      return tf.keep(tf.tensor1d(packed));
    });
    this.step = state.step;
  }

  dispose(): void {
    this.mv?.forEach((t) => t.dispose());
    this.mv = null;
  }
}
