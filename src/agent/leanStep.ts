// The lean PPO gradient step for the CPU backends (wasm, cpu): the same gradients as the tape path
// (ppoLossFused + denseOp through tf.variableGrads), computed with ~28 tfjs kernels instead of ~330.
//
// Where the engine has WebAssembly SIMD (all current browsers, Node) the products run on
// gemmSimd.ts instead and no tfjs kernel runs in the step (SimdLeanWeights, leanWeightsSimd.ts);
// the tfjs form below (LeanWeights) is the fallback, and what the SIMD form is tested against.
//
// Only the matrix products (and the tanh of the forward pass) run as tfjs kernels. Everything
// element-wise runs in plain JS on Float32Arrays read from the backend: the loss head and its
// gradient (a [batch, actions] problem: ~3k numbers), the activation derivatives and the bias
// gradients. On wasm and cpu a tensor read is a memcpy, not a GPU readback; measured on wasm at
// batch 256 (384→256→256, 11 actions), each of those tfjs kernels costs ~10–15 µs of overhead on
// top of its work, while the JS loop over the same 65k numbers costs about the same as one kernel
// (bench/README.md, "PPO update: kernels per gradient step"). GPU backends keep the tape path:
// reading activations back there would stall the device.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { LOSS_STATS } from './ppoLoss';
import { activationBackward, arrayColumnSums, transposeRows } from './denseOp';
import type { Mlp } from './mlp';
import { ScratchBuffers } from './scratchBuffers';
import { simdGemm } from './gemmSimd';
import { SimdLeanWeights } from './leanWeightsSimd';
import { readInto } from './tensorRead';

export type LossConfig = Pick<PpoConfig, 'clipRange' | 'clipValueLoss' | 'entropyCoef' | 'valueCoef'>;

/** One minibatch as plain arrays (row-major). */
export interface LeanBatch {
  n: number;
  stateDim: number;
  numActions: number;
  states: Float32Array; // [n, stateDim]
  statesT: Float32Array; // [stateDim, n]
  maskAdd: Float32Array; // [n, numActions]
  actions: ArrayLike<number>;
  oldLogProbs: Float32Array;
  oldValues: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
}

export interface LossHeadOutput {
  /** ∂loss/∂logits, [n, numActions]. */
  dz: Float32Array;
  /** ∂loss/∂value, [n]. */
  dv: Float32Array;
  /** In LOSS_STATS order. */
  stats: number[];
}

/**
 * The PPO loss (clipped surrogate, optionally clipped value loss, entropy bonus) and its gradient
 * with respect to the logits and values, as in ppoLossFused.ts (same formulas, float64 here).
 */
export function lossHead(logits: Float32Array, values: Float32Array, b: LeanBatch, cfg: LossConfig): LossHeadOutput {
  const { n, numActions: A } = b;
  const eps = cfg.clipRange;
  const dz = new Float32Array(n * A);
  const dv = new Float32Array(n);
  const logp = new Float64Array(A);
  const p = new Float64Array(A);
  let pgSum = 0;
  let entSum = 0;
  let klSum = 0;
  let clipCount = 0;
  let vSum = 0;
  for (let i = 0; i < n; i++) {
    const row = i * A;
    let max = -Infinity;
    for (let a = 0; a < A; a++) max = Math.max(max, logits[row + a] + b.maskAdd[row + a]);
    let sum = 0;
    for (let a = 0; a < A; a++) sum += Math.exp(logits[row + a] + b.maskAdd[row + a] - max);
    const lse = max + Math.log(sum);
    let entropy = 0;
    for (let a = 0; a < A; a++) {
      logp[a] = logits[row + a] + b.maskAdd[row + a] - lse;
      p[a] = Math.exp(logp[a]);
      entropy -= p[a] * logp[a]; // masked: p = 0, so 0 (log p is finite: −1e9)
    }
    const action = b.actions[i];
    const logRatio = logp[action] - b.oldLogProbs[i];
    const ratio = Math.exp(logRatio);
    const adv = b.advantages[i];
    const surrogate = adv * ratio;
    const clipped = adv * Math.min(Math.max(ratio, 1 - eps), 1 + eps);
    pgSum += Math.min(surrogate, clipped);
    entSum += entropy;
    klSum += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > eps) clipCount += 1;
    const pgCoef = surrogate <= clipped ? surrogate : 0;
    for (let a = 0; a < A; a++) {
      const onehot = a === action ? 1 : 0;
      dz[row + a] = (-1 / n) * (pgCoef * (onehot - p[a]) - cfg.entropyCoef * p[a] * (logp[a] + entropy));
    }
    const v = values[i];
    const err = v - b.returns[i];
    const sq = err * err;
    if (cfg.clipValueLoss) {
      const d = v - b.oldValues[i];
      // Exactly v where |v − v_old| ≤ ε (see clippedValues in ppoLoss.ts).
      const cv = Math.abs(d) <= eps ? v : b.oldValues[i] + Math.min(Math.max(d, -eps), eps);
      const csq = (cv - b.returns[i]) ** 2;
      vSum += Math.max(sq, csq);
      dv[i] = sq >= csq ? ((2 * cfg.valueCoef) / n) * err : 0;
    } else {
      vSum += sq;
      dv[i] = ((2 * cfg.valueCoef) / n) * err;
    }
  }
  const policyLoss = -pgSum / n;
  const valueLoss = vSum / n;
  const entropy = entSum / n;
  const loss = policyLoss + cfg.valueCoef * valueLoss - cfg.entropyCoef * entropy;
  // Rounded to float32 like the tape path's statistics, so that a value that overflows there
  // (e.g. a squared error above 3.4e38) is Infinity here too and the NaN guard skips the step.
  const stats = [policyLoss, valueLoss, entropy, klSum / n, clipCount / n, loss].map(Math.fround);
  if (stats.length !== LOSS_STATS.length) throw new Error('lossHead: statistics out of step with LOSS_STATS');
  return { dz, dv, stats };
}

/**
 * One network's weights as the lean step uses them, uploaded from the optimizer's flat JS copy
 * after every Adam step (a memcpy per layer on wasm/cpu):
 * - tanh hidden layers hold 2W and 2b, so that one fused matMul with a sigmoid gives s = σ(2a),
 *   and tanh(a) = 2s − 1 (exact: doubling commutes with rounding). tfjs-wasm's Tanh kernel costs
 *   ~3 ms per 256×256, its Sigmoid ~0.15 ms (the same identity as denseOp's fastTanh);
 * - every layer after the first also holds Wᵀ, for the backward pass without a Transpose kernel.
 * The JS arrays behind those uploads, the activations and the back-propagated errors come from
 * `scratch` (reused from step to step on wasm: scratchBuffers.ts).
 */
export class LeanWeights {
  private forwardKernels: tf.Tensor2D[] = [];
  private forwardBiases: tf.Tensor1D[] = [];
  private kernelsT: (tf.Tensor2D | null)[] = [];
  readonly scratch = new ScratchBuffers();

  constructor(readonly net: Mlp) {}

  private get tanh(): boolean {
    return this.net.spec.activation === 'tanh';
  }

  /** Upload from `params`: the network's variables flattened in order (kernel, bias per layer). */
  refresh(params: Float32Array): void {
    this.dispose();
    const last = this.net.layers.length - 1;
    let offset = 0;
    this.net.layers.forEach((layer, l) => {
      const [rows, cols] = layer.kernel.shape;
      const w = params.subarray(offset, offset + rows * cols);
      const b = params.subarray(offset + rows * cols, offset + rows * cols + cols);
      offset += rows * cols + cols;
      const doubled = l < last && this.tanh;
      this.forwardKernels.push(tf.tensor2d(this.copied(`w${l}`, w, doubled), [rows, cols]));
      this.forwardBiases.push(tf.tensor1d(this.copied(`b${l}`, b, doubled)));
      this.kernelsT.push(l === 0 ? null : tf.tensor2d(transposeRows(w, rows, cols, this.scratch.get(`wT${l}`, w.length)), [cols, rows]));
    });
  }

  /** `src` (times 2 when `doubled`) in the scratch array `key`: a copy, since `src` is the optimizer's master copy. */
  private copied(key: string, src: Float32Array, doubled: boolean): Float32Array {
    const out = this.scratch.get(key, src.length);
    if (doubled) for (let i = 0; i < src.length; i++) out[i] = 2 * src[i];
    else out.set(src);
    return out;
  }

  /**
   * Forward pass; keeps every hidden activation h (as arrays, and transposed as tensors for the
   * weight gradients). Call inside tf.tidy.
   */
  forward(x: tf.Tensor2D, n: number): { hidden: Float32Array[]; hiddenT: tf.Tensor2D[]; out: Float32Array } {
    const hidden: Float32Array[] = [];
    const hiddenT: tf.Tensor2D[] = [];
    const last = this.net.layers.length - 1;
    let h = x;
    for (let l = 0; l <= last; l++) {
      const activation = l === last ? 'linear' : this.tanh ? 'sigmoid' : 'relu';
      const z = tf.fused.matMul({ a: h, b: this.forwardKernels[l], bias: this.forwardBiases[l], activation }) as tf.Tensor2D;
      if (l === last) return { hidden, hiddenT, out: readInto(z, this.scratch.get('out', z.size)) };
      const width = z.shape[1];
      const data = readInto(z, this.scratch.get(`z${l}`, z.size));
      let values = data;
      if (this.tanh) {
        values = this.scratch.get(`h${l}`, data.length);
        for (let i = 0; i < data.length; i++) values[i] = 2 * data[i] - 1;
        h = tf.tensor2d(values, [n, width]);
      } else {
        h = z;
      }
      hidden.push(values);
      hiddenT.push(tf.tensor2d(transposeRows(values, n, width, this.scratch.get(`hT${l}`, values.length)), [width, n]));
    }
    throw new Error('unreachable');
  }

  /** Backward pass from ∂loss/∂output; gradients in net.variables order (kernel, bias per layer). Call inside tf.tidy. */
  backward(xT: tf.Tensor2D, fwd: ReturnType<LeanWeights['forward']>, dOut: Float32Array, n: number): Float32Array[] {
    const L = this.net.layers.length;
    const grads: Float32Array[] = new Array(2 * L);
    let d = dOut;
    let width = this.net.spec.outputDim;
    for (let l = L - 1; l >= 0; l--) {
      const dT = tf.tensor2d(d, [n, width]);
      grads[2 * l] = readInto(tf.matMul(l === 0 ? xT : fwd.hiddenT[l - 1], dT), this.scratch.get(`gW${l}`, this.net.layers[l].kernel.size));
      grads[2 * l + 1] = arrayColumnSums(d, n, width);
      if (l === 0) break;
      const dh = readInto(tf.matMul(dT, this.kernelsT[l]!), this.scratch.get(`dh${l}`, n * this.net.layers[l].kernel.shape[0]));
      d = activationBackward(dh, fwd.hidden[l - 1], this.net.spec.activation, this.scratch.get(`d${l - 1}`, dh.length));
      width = this.net.layers[l - 1].bias.shape[0];
    }
    return grads;
  }

  dispose(): void {
    for (const t of [...this.forwardKernels, ...this.forwardBiases, ...this.kernelsT]) t?.dispose();
    this.forwardKernels = [];
    this.forwardBiases = [];
    this.kernelsT = [];
  }
}

export interface LeanGradients {
  actor: Float32Array[];
  critic: Float32Array[];
  stats: number[];
}

/** One network's weights for the lean step: products on WebAssembly SIMD where the engine has it, else tfjs kernels. */
export type LeanNetwork = LeanWeights | SimdLeanWeights;

export function createLeanWeights(net: Mlp): LeanNetwork {
  const gemm = simdGemm();
  return gemm ? new SimdLeanWeights(net, gemm) : new LeanWeights(net);
}

/** Loss statistics and the gradients of both networks for one minibatch. */
export function leanGradients(actor: LeanNetwork, critic: LeanNetwork, b: LeanBatch, cfg: LossConfig): LeanGradients {
  if (actor instanceof SimdLeanWeights && critic instanceof SimdLeanWeights) {
    const fa = actor.forward(b.states, b.n);
    const fc = critic.forward(b.states, b.n);
    const head = lossHead(fa.out, fc.out, b, cfg);
    return { actor: actor.backward(b.statesT, fa, head.dz, b.n), critic: critic.backward(b.statesT, fc, head.dv, b.n), stats: head.stats };
  }
  if (!(actor instanceof LeanWeights && critic instanceof LeanWeights)) throw new Error('leanGradients: actor and critic must use the same kind of products');
  // The result goes out through a closure: tf.tidy walks a returned value element by element,
  // which over ~330k gradient numbers costs more than the whole step.
  let result: LeanGradients | undefined;
  tf.tidy(() => {
    const x = tf.tensor2d(b.states, [b.n, b.stateDim]);
    const xT = tf.tensor2d(b.statesT, [b.stateDim, b.n]);
    const fa = actor.forward(x, b.n);
    const fc = critic.forward(x, b.n);
    const head = lossHead(fa.out, fc.out, b, cfg);
    result = { actor: actor.backward(xT, fa, head.dz, b.n), critic: critic.backward(xT, fc, head.dv, b.n), stats: head.stats };
  });
  return result!;
}

/** √(Σ g²) over arrays, summed in float64, rounded to float32 (Infinity where the tape path's sum overflows). */
export function normOf(grads: readonly Float32Array[]): number {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(Math.fround(s));
}
