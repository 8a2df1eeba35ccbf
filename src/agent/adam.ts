// Adam as PyTorch defines it (bias-corrected, eps added to √v̂), with a learning rate that can be
// changed between steps (lr annealing) and moments that are plain tf.variables we own and dispose.
import * as tf from '@tensorflow/tfjs';

export class Adam {
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private step = 0;

  constructor(
    public learningRate: number,
    readonly eps: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {}

  /**
   * Apply one step for each (variable, gradient) pair, the gradients first multiplied by
   * `gradScale` (the grad-norm clip factor, folded into the moment updates to save an op).
   * Gradients are not disposed here.
   */
  apply(pairs: readonly { variable: tf.Variable; grad: tf.Tensor }[], gradScale = 1): void {
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2 = 1 - this.beta2 ** this.step;
    const stepSize = this.learningRate / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    tf.tidy(() => {
      for (const { variable, grad } of pairs) {
        let slot = this.moments.get(variable.name);
        if (!slot) {
          slot = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false) }));
          this.moments.set(variable.name, slot);
        }
        const m = tf.add(tf.mul(slot.m, this.beta1), tf.mul(grad, (1 - this.beta1) * gradScale));
        const v = tf.add(tf.mul(slot.v, this.beta2), tf.mul(tf.square(grad), (1 - this.beta2) * gradScale * gradScale));
        slot.m.assign(m);
        slot.v.assign(v);
        // lr/bc1 · m / (√v/√bc2 + eps) = (lr·√bc2/bc1) · m / (√v + eps·√bc2): one op fewer.
        const denom = tf.add(tf.sqrt(v), this.eps * sqrtBc2);
        variable.assign(tf.sub(variable, tf.mul(tf.div(m, denom), stepSize * sqrtBc2)));
      }
    });
  }

  dispose(): void {
    for (const { m, v } of this.moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.moments.clear();
  }
}
