// Adam as PyTorch defines it (bias-corrected, eps added to √v̂), with a learning rate that can be
// changed between steps (lr annealing). All of a network's parameters share one flat moment
// vector: one set of element-wise ops per step instead of one per variable, which matters when
// per-op overhead dominates (small networks on wasm).
import * as tf from '@tensorflow/tfjs';

export class Adam {
  private m: tf.Variable | null = null;
  private v: tf.Variable | null = null;
  private layout: string[] = [];
  private step = 0;

  constructor(
    public learningRate: number,
    readonly eps: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {}

  /**
   * Apply one step to the (variable, gradient) pairs — always the same variables in the same
   * order — with the gradients first multiplied by `gradScale` (the grad-norm clip factor, folded
   * into the moment updates). Gradients are not disposed here.
   */
  apply(pairs: readonly { variable: tf.Variable; grad: tf.Tensor }[], gradScale = 1): void {
    const flat = tf.tidy(() => flattenGrads(pairs.map((p) => p.grad)));
    this.applyFlat(pairs.map((p) => p.variable), flat, gradScale);
    flat.dispose();
  }

  /** As apply, with the gradients already concatenated (flattenGrads) in the order of `variables`. */
  applyFlat(variables: readonly tf.Variable[], flatGrad: tf.Tensor1D, gradScale = 1): void {
    const names = variables.map((v) => v.name);
    if (!this.m) {
      const total = variables.reduce((n, v) => n + v.size, 0);
      this.m = tf.variable(tf.zeros([total]), false);
      this.v = tf.variable(tf.zeros([total]), false);
      this.layout = names;
    } else if (names.join('\n') !== this.layout.join('\n')) {
      throw new Error('Adam.apply was called with a different set of variables than its first call; use one optimizer per network.');
    }
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** this.step);
    const [mVar, vVar] = [this.m, this.v!];
    tf.tidy(() => {
      const g = flatGrad;
      const m = tf.add(tf.mul(mVar, this.beta1), tf.mul(g, (1 - this.beta1) * gradScale));
      const v = tf.add(tf.mul(vVar, this.beta2), tf.mul(tf.square(g), (1 - this.beta2) * gradScale * gradScale));
      mVar.assign(m);
      vVar.assign(v);
      // lr/bc1 · m / (√v/√bc2 + eps) = (lr·√bc2/bc1) · m / (√v + eps·√bc2): one op fewer.
      const delta = tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.eps * sqrtBc2)), (this.learningRate * sqrtBc2) / bc1);
      const parts = tf.split(delta, variables.map((variable) => variable.size));
      variables.forEach((variable, k) => variable.assign(tf.sub(variable, tf.reshape(parts[k], variable.shape))));
    });
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = this.v = null;
  }
}

/** All gradients of a network as one vector, in order (call inside tf.tidy). */
export function flattenGrads(grads: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.concat(grads.map((g) => tf.reshape(g, [-1]))) as tf.Tensor1D;
}
