// A plain multilayer perceptron on tf.variable weights with a hand-written forward pass: fewer
// ops than tf.layers, a faster gradient on wasm (denseOp.ts), and full control over names and init.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../der/rng';
import { dense, fastTanh } from './denseOp';
import { glorotUniform, orthogonal } from './weightInit';

export type Activation = 'tanh' | 'relu';

export interface MlpSpec {
  /** Prefix of the variable names, e.g. "actor" → "actor/dense0/kernel". */
  name: string;
  inputDim: number;
  hiddenSizes: readonly number[];
  outputDim: number;
  activation: Activation;
  /** Orthogonal init (gain √2 on hidden layers, `outputGain` on the head) instead of Glorot uniform. */
  orthogonalInit: boolean;
  /** Gain of the output layer under orthogonal init (0.01 for an actor head, 1 for a critic head). */
  outputGain: number;
}

export interface MlpLayer {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

/** Below this many elements the 4-op fastTanh costs more in op overhead than it saves. */
const FAST_TANH_MIN_SIZE = 16384;

function tanhForTraining(h: tf.Tensor2D): tf.Tensor2D {
  return h.size >= FAST_TANH_MIN_SIZE ? fastTanh(h) : tf.tanh(h);
}

/** tfjs variable names are global to the engine; a per-instance suffix lets several agents coexist. */
let instanceCounter = 0;

export class Mlp {
  readonly layers: MlpLayer[];
  readonly variables: tf.Variable[];
  /** Stable names ("actor/dense0/kernel") for save/load, in the order of `variables`. */
  readonly variableNames: string[];

  constructor(
    readonly spec: MlpSpec,
    rng: Rng,
  ) {
    const sizes = [spec.inputDim, ...spec.hiddenSizes, spec.outputDim];
    this.layers = [];
    this.variableNames = [];
    const suffix = `#${++instanceCounter}`;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const isHead = l + 2 === sizes.length;
      const values = spec.orthogonalInit
        ? orthogonal(fanIn, fanOut, isHead ? spec.outputGain : Math.SQRT2, rng.fork(`${spec.name}/${l}`))
        : glorotUniform(fanIn, fanOut, rng.fork(`${spec.name}/${l}`));
      const kernelName = `${spec.name}/dense${l}/kernel`;
      const biasName = `${spec.name}/dense${l}/bias`;
      // tidy disposes the initial-value tensors; variables are not tracked by it.
      const kernel = tf.tidy(() => tf.variable(tf.tensor2d(values, [fanIn, fanOut]), true, kernelName + suffix)) as tf.Variable<tf.Rank.R2>;
      const bias = tf.tidy(() => tf.variable(tf.zeros([fanOut]), true, biasName + suffix)) as tf.Variable<tf.Rank.R1>;
      this.layers.push({ kernel, bias });
      this.variableNames.push(kernelName, biasName);
    }
    this.variables = this.layers.flatMap((layer) => [layer.kernel, layer.bias]);
  }

  /**
   * [batch, inputDim] → [batch, outputDim]; the head is linear. `x` is data (no gradient flows to
   * it); pass its transpose `xT` when differentiating, to speed up the first layer's gradient.
   * Call inside tf.tidy.
   */
  forward(x: tf.Tensor2D, xT?: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((layer, l) => {
      h = l === 0 && xT ? dense(h, layer.kernel, layer.bias, xT) : dense(h, layer.kernel, layer.bias);
      if (l < this.layers.length - 1) h = this.spec.activation === 'relu' ? tf.relu(h) : tanhForTraining(h);
    });
    return h;
  }

  /**
   * The same function for inference only (acting, values): built-in ops, no custom-gradient
   * wrappers, which cost more than they save on small batches. Do not differentiate through it.
   */
  predict(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((layer, l) => {
      const hidden = l < this.layers.length - 1;
      const activation = hidden && this.spec.activation === 'relu' ? 'relu' : 'linear';
      h = tf.fused.matMul({ a: h, b: layer.kernel, bias: layer.bias, activation }) as tf.Tensor2D;
      if (hidden && this.spec.activation === 'tanh') h = tf.tanh(h);
    });
    return h;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
