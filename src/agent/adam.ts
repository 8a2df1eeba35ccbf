// Adam as PyTorch defines it (bias-corrected, eps added to √v̂), with a learning rate that can be
// changed between steps (lr annealing).
//
// Two layouts, chosen once from the network's size, because tfjs-wasm has two different costs:
// - small networks (CartPole's 64×64) are bound by per-kernel overhead (~10–15 µs): one flat
//   moment vector needs ~10 kernels per step instead of ~11 per variable;
// - large networks (DER's 384→256→256) are bound by memory traffic, and splitting the flat update
//   back into variables (SplitV/Slice) costs ~6 element-wise ops on wasm: per-variable moments.
import * as tf from '@tensorflow/tfjs';
import type { AdamState } from './flatAdam';

/** Networks up to this many parameters use one flat moment vector. */
export const FLAT_ADAM_MAX_PARAMS = 65536;

interface Slots {
  m: tf.Variable;
  v: tf.Variable;
}

export class Adam {
  private flat: Slots | null = null;
  private perVariable: Slots[] | null = null;
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
    const names = pairs.map((p) => p.variable.name);
    if (this.step === 0) {
      const total = pairs.reduce((n, p) => n + p.variable.size, 0);
      const zeros = (shape: number[]): Slots => tf.tidy(() => ({ m: tf.variable(tf.zeros(shape), false), v: tf.variable(tf.zeros(shape), false) }));
      if (total <= FLAT_ADAM_MAX_PARAMS) this.flat = zeros([total]);
      else this.perVariable = pairs.map((p) => zeros(p.variable.shape));
      this.layout = names;
    } else if (names.join('\n') !== this.layout.join('\n')) {
      throw new Error('Adam.apply was called with a different set of variables than its first call; use one optimizer per network.');
    }
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** this.step);
    // lr/bc1 · m / (√v/√bc2 + eps) = (lr·√bc2/bc1) · m / (√v + eps·√bc2): one op fewer.
    const stepSize = (this.learningRate * sqrtBc2) / bc1;
    const epsHat = this.eps * sqrtBc2;
    const update = (slots: Slots, g: tf.Tensor): tf.Tensor => {
      const m = tf.add(tf.mul(slots.m, this.beta1), tf.mul(g, (1 - this.beta1) * gradScale));
      const v = tf.add(tf.mul(slots.v, this.beta2), tf.mul(tf.square(g), (1 - this.beta2) * gradScale * gradScale));
      slots.m.assign(m);
      slots.v.assign(v);
      return tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsHat)), stepSize);
    };
    tf.tidy(() => {
      if (this.flat) {
        const delta = update(this.flat, tf.concat(pairs.map((p) => tf.reshape(p.grad, [-1]))));
        const parts = tf.split(
          delta,
          pairs.map((p) => p.variable.size),
        );
        pairs.forEach(({ variable }, k) => variable.assign(tf.sub(variable, tf.reshape(parts[k], variable.shape))));
      } else {
        pairs.forEach(({ variable, grad }, k) => variable.assign(tf.sub(variable, update(this.perVariable![k], grad))));
      }
    });
  }

  /** Step count and moments, flat over the variables in order (null before the first step). */
  getState(): AdamState | null {
    if (this.step === 0) return null;
    const parts = this.flat ? [this.flat] : this.perVariable!;
    const read = (key: 'm' | 'v') => {
      const arrays = parts.map((slots) => slots[key].dataSync() as Float32Array);
      const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
      let offset = 0;
      for (const a of arrays) {
        out.set(a, offset);
        offset += a.length;
      }
      return out;
    };
    return { step: this.step, m: read('m'), v: read('v') };
  }

  /** Restore a state from getState for these variables (the ones apply() will be given, in order). */
  setState(state: AdamState | null, variables: readonly tf.Variable[]): void {
    this.dispose();
    this.step = 0;
    this.layout = [];
    if (!state) return;
    const total = variables.reduce((n, v) => n + v.size, 0);
    if (state.m.length !== total || state.v.length !== total) {
      throw new Error(`Saved optimizer state has ${state.m.length} moments, the network has ${total} parameters.`);
    }
    const slot = (m: Float32Array, v: Float32Array, shape: number[]): Slots =>
      tf.tidy(() => ({ m: tf.variable(tf.tensor(m, shape, 'float32'), false), v: tf.variable(tf.tensor(v, shape, 'float32'), false) }));
    if (total <= FLAT_ADAM_MAX_PARAMS) {
      this.flat = slot(Float32Array.from(state.m), Float32Array.from(state.v), [total]);
    } else {
      let offset = 0;
      this.perVariable = variables.map((variable) => {
        const part = (a: Float32Array) => Float32Array.from(a.subarray(offset, offset + variable.size));
        const slots = slot(part(state.m), part(state.v), variable.shape);
        offset += variable.size;
        return slots;
      });
    }
    this.layout = variables.map((v) => v.name);
    this.step = state.step;
  }

  dispose(): void {
    for (const slots of [this.flat, ...(this.perVariable ?? [])]) {
      slots?.m.dispose();
      slots?.v.dispose();
    }
    this.flat = null;
    this.perVariable = null;
  }
}

/** √(Σ‖g‖²) over all gradients (call inside tf.tidy). */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}
