// One network of the lean step with its matrix products on WebAssembly SIMD (gemmSimd.ts) instead
// of tfjs kernels: the same arrays and formulas as LeanWeights (leanStep.ts), with the weights kept
// as JS arrays (views of the optimizer's, no upload) and the bias and activation applied in the
// product's own call (tanh as 2·sigmoid(2u) − 1, as the tape path). No tfjs kernel runs. Chosen by
// createLeanWeights where the engine has SIMD; the gradients equal the tfjs products' to float32
// rounding (tests/agent/gemmSimd.test.ts, and tests/agent/leanStep.test.ts against the tape path).
import { activationBackward, arrayColumnSums, transposeRows } from './denseOp';
import type { SimdGemm } from './gemmSimd';
import type { Mlp } from './mlp';
import { ScratchBuffers } from './scratchBuffers';

export interface SimdForward {
  hidden: Float32Array[];
  hiddenT: Float32Array[];
  out: Float32Array;
}

export class SimdLeanWeights {
  readonly scratch = new ScratchBuffers();
  private kernels: Float32Array[] = [];
  private biases: Float32Array[] = [];
  private kernelsT: (Float32Array | null)[] = [];

  constructor(
    readonly net: Mlp,
    private readonly gemm: SimdGemm,
  ) {}

  /** Take the weights from `params`: the network's variables flattened in order (kernel, bias per layer). */
  refresh(params: Float32Array): void {
    this.kernels = [];
    this.biases = [];
    this.kernelsT = [];
    let offset = 0;
    this.net.layers.forEach((layer, l) => {
      const [rows, cols] = layer.kernel.shape;
      const w = params.subarray(offset, offset + rows * cols);
      // Views of the optimizer's arrays: refreshed (for the transposes) after every Adam step.
      this.kernels.push(w);
      this.biases.push(params.subarray(offset + rows * cols, offset + rows * cols + cols));
      this.kernelsT.push(l === 0 ? null : transposeRows(w, rows, cols, this.scratch.get(`wT${l}`, w.length)));
      offset += rows * cols + cols;
    });
  }

  /** Forward pass from the states [n, stateDim]; keeps every hidden activation and its transpose. */
  forward(x: Float32Array, n: number): SimdForward {
    const hidden: Float32Array[] = [];
    const hiddenT: Float32Array[] = [];
    const last = this.net.layers.length - 1;
    const activation = this.net.spec.activation;
    let h = x;
    for (let l = 0; l <= last; l++) {
      const [rows, width] = this.net.layers[l].kernel.shape;
      const out = this.scratch.get(l === last ? 'out' : `h${l}`, n * width);
      this.gemm.multiply(h, n, rows, this.kernels[l], width, out, { bias: this.biases[l], activation: l === last ? 'linear' : activation });
      if (l === last) return { hidden, hiddenT, out };
      hidden.push(out);
      hiddenT.push(transposeRows(out, n, width, this.scratch.get(`hT${l}`, out.length)));
      h = out;
    }
    throw new Error('unreachable');
  }

  /** Backward pass from ∂loss/∂output; gradients in net.variables order (kernel, bias per layer). */
  backward(xT: Float32Array, fwd: SimdForward, dOut: Float32Array, n: number): Float32Array[] {
    const L = this.net.layers.length;
    const grads: Float32Array[] = new Array(2 * L);
    let d = dOut;
    let width = this.net.spec.outputDim;
    for (let l = L - 1; l >= 0; l--) {
      const rows = this.net.layers[l].kernel.shape[0];
      // ∂W = hᵀ·d with hᵀ [rows, n] (the states' transpose for the first layer).
      grads[2 * l] = this.scratch.get(`gW${l}`, rows * width);
      this.gemm.multiply(l === 0 ? xT : fwd.hiddenT[l - 1], rows, n, d, width, grads[2 * l]);
      grads[2 * l + 1] = arrayColumnSums(d, n, width);
      if (l === 0) break;
      const dh = this.scratch.get(`dh${l}`, n * rows);
      this.gemm.multiply(d, n, width, this.kernelsT[l]!, rows, dh);
      d = activationBackward(dh, fwd.hidden[l - 1], this.net.spec.activation, this.scratch.get(`d${l - 1}`, dh.length));
      width = rows;
    }
    return grads;
  }

  dispose(): void {
    // Nothing on a backend: the weights are the optimizer's arrays or scratch copies of them.
  }
}
