// One network on the webgpu device path, held as a single flat state buffer
//   [W0, b0, W1, b1, … | m | v]   (parameters in net.variables order, then Adam's two moments)
// so that every layer's product reads its weights in place (webgpuGemm.ts) and Adam is one fused
// kernel for the whole network: per gradient step and network, L forward products, L weight-and-
// bias gradient products, L − 1 input-gradient products and one Adam dispatch.
//
// The Mlp's tf.Variables stay the weights everyone else reads (act, save, the lean and tape
// paths). At the end of an update the state is read back once (with the step accumulator, by
// deviceStep.ts) and adopted: the variables get the new parameters as tensors made from CPU data
// (so getWeights never reads the GPU synchronously, which webgpu can only do through a canvas),
// and the moments are kept on the CPU for getState. The state is rebuilt from the variables only
// when something else changed them (their dataIds differ: setWeights, a load).
import * as tf from '@tensorflow/tfjs';
import type { AdamState } from './flatAdam';
import type { Mlp } from './mlp';
import { ACC } from './webgpuControl';
import { gemm } from './webgpuGemm';
import { runProgram } from './webgpuRun';

/** A row-major block of ∂loss/∂output: `tensor` [n, stride], the output's columns from `offset`. */
export interface OutputGrad {
  tensor: tf.Tensor2D;
  stride: number;
  offset: number;
}

export interface FlatForward {
  /** Hidden activations, [n, width] each. */
  hidden: tf.Tensor2D[];
  out: tf.Tensor2D;
}

const WORKGROUP = 64;
/** WebGPU's default of 8 storage buffers per stage: the output, the state, the accumulator and ≤ 5 gradients. */
const MAX_GRADS = 5;

/** Masked Adam over the whole state in one dispatch; `grads` are the layers' [(in + 1)·out] gradients in order. */
function adamProgram(layerSizes: readonly number[]): object {
  const L = layerSizes.length;
  const offsets = layerSizes.slice(1).map((_, k) => `o${k + 1} : i32, `);
  const pick = layerSizes
    .map((_, k) =>
      k === L - 1
        ? `return G${k}[i - ${k === 0 ? '0' : `uniforms.o${k}`}];`
        : `if (i < uniforms.o${k + 1}) { return G${k}[i - ${k === 0 ? '0' : `uniforms.o${k}`}]; }`,
    )
    .join('\n        ');
  return {
    variableNames: ['ST', ...layerSizes.map((_, k) => `G${k}`), 'ACC'],
    shaderKey: `der_flat_adam_${L}`,
    dispatchLayout: { x: [0] },
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: `P : i32, ${offsets.join('')}beta1 : f32, beta2 : f32, stepSize : f32, epsHat : f32, scaleSlot : i32,`,
    getUserCode: () => `
      fn grad(i : i32) -> f32 {
        ${pick}
      }
      fn main(index : i32) {
        let P = uniforms.P;
        if (index < P) {
          var p = ST[index];
          var m = ST[P + index];
          var v = ST[2 * P + index];
          if (ACC[${ACC.applyNow}] > 0.5) {
            let g = grad(index) * ACC[uniforms.scaleSlot];
            m = uniforms.beta1 * m + (1.0 - uniforms.beta1) * g;
            v = uniforms.beta2 * v + (1.0 - uniforms.beta2) * g * g;
            p = p - uniforms.stepSize * m / (sqrt(v) + uniforms.epsHat);
          }
          result[index] = p;
          result[P + index] = m;
          result[2 * P + index] = v;
        }
      }`,
  };
}

export class WebGpuFlatNet {
  /** [p | m | v], resident on the device between updates; null until the first update. */
  private state: tf.Tensor1D | null = null;
  /** Adam's moments as of the last update's end (or setState); null before any step. */
  private moments: { m: Float32Array; v: Float32Array } | null = null;
  /** The variables' dataIds when the state last matched them. */
  private syncedIds: unknown[] = [];
  /** Number of parameters; the state holds 3× as many numbers. */
  readonly params: number;
  /** Offset of each layer's [W; b] slice in the state. */
  private readonly offsets: number[];
  step = 0;

  constructor(
    readonly net: Mlp,
    public learningRate: number,
    readonly eps: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {
    let offset = 0;
    this.offsets = net.layers.map((layer) => {
      const at = offset;
      offset += layer.kernel.size + layer.bias.size;
      return at;
    });
    this.params = offset;
  }

  /** Make the state hold the variables' current values (a no-op when nothing changed them since the last update). */
  sync(): void {
    const vars = this.net.variables;
    if (this.state && vars.every((v, k) => v.dataId === this.syncedIds[k])) return;
    const P = this.params;
    const mv = new Float32Array(2 * P);
    if (this.moments) {
      mv.set(this.moments.m, 0);
      mv.set(this.moments.v, P);
    }
    const next = tf.tidy(() => tf.concat([...vars.map((v) => tf.reshape(v, [-1])), tf.tensor1d(mv)]) as tf.Tensor1D);
    this.state?.dispose();
    this.state = tf.keep(next);
    this.syncedIds = vars.map((v) => v.dataId);
  }

  /** The state tensor (read back by deviceStep.ts at the end of an update). */
  get current(): tf.Tensor1D {
    if (!this.state) throw new Error('WebGpuFlatNet: sync() before use');
    return this.state;
  }

  private get tanh(): boolean {
    return this.net.spec.activation === 'tanh';
  }

  /** Forward pass from x [n, inputDim], keeping the hidden activations. Call inside tf.tidy. */
  forward(x: tf.Tensor2D): FlatForward {
    const hidden: tf.Tensor2D[] = [];
    const last = this.net.layers.length - 1;
    let h = x;
    for (let l = 0; l <= last; l++) {
      const [K, N] = this.net.layers[l].kernel.shape;
      const epilogue = l === last ? 'bias-linear' : this.tanh ? 'bias-tanh' : 'bias-relu';
      h = gemm(
        {
          M: x.shape[0],
          N,
          K,
          a: { mode: 'rows', stride: K },
          b: { mode: 'rows', stride: N, offset: this.offsets[l] },
          epilogue,
          biasOffset: this.offsets[l] + K * N,
        },
        h,
        this.current,
      );
      if (l < last) hidden.push(h);
    }
    return { hidden, out: h };
  }

  /** Backward pass: each layer's [(in + 1)·out] gradient (∂W then ∂b, the state's layout). Call inside tf.tidy. */
  backward(x: tf.Tensor2D, fwd: FlatForward, dOut: OutputGrad): tf.Tensor[] {
    const n = x.shape[0];
    const L = this.net.layers.length;
    const grads: tf.Tensor[] = new Array(L);
    let d = dOut;
    for (let l = L - 1; l >= 0; l--) {
      const [inDim, outDim] = this.net.layers[l].kernel.shape;
      const input = l === 0 ? x : fwd.hidden[l - 1];
      grads[l] = gemm(
        { M: inDim + 1, N: outDim, K: n, a: { mode: 'colsOnes', stride: inDim }, b: { mode: 'rows', stride: d.stride, offset: d.offset }, epilogue: 'none' },
        input,
        d.tensor,
      );
      if (l === 0) break;
      const dh = gemm(
        {
          M: n,
          N: inDim,
          K: outDim,
          a: { mode: 'rows', stride: d.stride, offset: d.offset },
          b: { mode: 'rowsT', stride: outDim, offset: this.offsets[l] },
          epilogue: this.tanh ? 'dtanh' : 'drelu',
        },
        d.tensor,
        this.current,
        fwd.hidden[l - 1],
      );
      d = { tensor: dh, stride: inDim, offset: 0 };
    }
    return grads;
  }

  /**
   * One Adam step on the whole state with the layers' gradients, scaled by acc[scaleSlot] and
   * applied only where acc's apply flag is set. The step count advances here; settle() corrects it
   * once the update's accumulator has been read (a masked step did not happen).
   */
  adam(grads: readonly tf.Tensor[], acc: tf.Tensor, scaleSlot: number): void {
    this.step += 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** this.step);
    const P = this.params;
    const flatGrads = grads.length > MAX_GRADS ? [tf.concat(grads.map((g) => tf.reshape(g, [-1])))] : grads;
    const sizes = flatGrads.length === 1 ? [P] : this.net.layers.map((layer) => layer.kernel.size + layer.bias.size);
    const program = { ...adamProgram(sizes), outputShape: [3 * P], dispatch: [Math.ceil(P / WORKGROUP), 1, 1] };
    const uniforms = [
      { type: 'int32', data: [P] },
      ...sizes.slice(1).map((_, k) => ({ type: 'int32', data: [this.offsets[k + 1]] })),
      { type: 'float32', data: [this.beta1] },
      { type: 'float32', data: [this.beta2] },
      { type: 'float32', data: [(this.learningRate * sqrtBc2) / bc1] },
      { type: 'float32', data: [this.eps * sqrtBc2] },
      { type: 'int32', data: [scaleSlot] },
    ];
    const next = runProgram(program, [this.current, ...flatGrads, acc], uniforms) as tf.Tensor1D;
    if (flatGrads !== grads) flatGrads[0].dispose();
    this.state!.dispose();
    this.state = tf.keep(next);
  }

  /** After reading the accumulator: `applied` of the steps since `stepBefore` really happened. */
  settle(stepBefore: number, applied: number): void {
    this.step = stepBefore + applied;
  }

  /**
   * Take the state read back at the end of an update (3·params numbers): the parameters go into
   * the variables as CPU-backed tensors, the moments are kept for getState.
   */
  adopt(data: Float32Array): void {
    const P = this.params;
    if (data.length !== 3 * P) throw new Error(`WebGpuFlatNet.adopt: ${data.length} numbers, expected ${3 * P}`);
    this.net.variables.forEach((v, k) => {
      const layer = Math.floor(k / 2);
      const begin = k % 2 === 0 ? this.offsets[layer] : this.offsets[layer] + this.net.layers[layer].kernel.size;
      tf.tidy(() => v.assign(tf.tensor(data.slice(begin, begin + v.size), v.shape)));
    });
    this.moments = { m: data.slice(P, 2 * P), v: data.slice(2 * P, 3 * P) };
    this.syncedIds = this.net.variables.map((v) => v.dataId);
  }

  getState(): AdamState | null {
    if (this.step === 0 || !this.moments) return null;
    return { step: this.step, m: this.moments.m.slice(), v: this.moments.v.slice() };
  }

  /** Restore moments and step count (the parameters come from the variables at the next sync). */
  setState(state: AdamState | null): void {
    this.dispose();
    this.step = 0;
    if (!state) return;
    const P = this.params;
    if (state.m.length !== P || state.v.length !== P) {
      throw new Error(`Saved optimizer state has ${state.m.length} moments, the network has ${P} parameters.`);
    }
    this.moments = { m: state.m.slice(), v: state.v.slice() };
    this.step = state.step;
  }

  dispose(): void {
    this.state?.dispose();
    this.state = null;
    this.moments = null;
    this.syncedIds = [];
  }
}
