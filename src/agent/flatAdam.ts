// Adam for the lean step (leanStep.ts) on the CPU backends: one network's parameters and both
// moments live in three flat Float32Arrays, and one JS loop updates all of them (the fused
// kernel of the issue, on a CPU). The tfjs Adam (adam.ts) needs ~12 kernels per variable, each
// with its scalar constants; on wasm this loop over ~165k parameters costs about as much as
// two of those kernels (measured in bench/README.md). After the loop each variable gets its new
// values (one tensor write per variable, a memcpy on wasm/cpu).
//
// Same rule as adam.ts (PyTorch's, bias-corrected, eps added to √v̂), with the gradient scale
// (grad-norm clip) applied first.
import * as tf from '@tensorflow/tfjs';

/** An optimizer's state, plain numbers: enough to resume bit-identically. */
export interface AdamState {
  step: number;
  /** First and second moments, flat over the variables in order. */
  m: Float32Array;
  v: Float32Array;
}

export class FlatAdam {
  private paramsBuf: Float32Array | null = null;
  private m: Float32Array | null = null;
  private v: Float32Array | null = null;
  private step = 0;

  constructor(
    public learningRate: number,
    readonly eps: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {}

  /** Read the variables' current values (call once per update: they may have been set since). */
  load(variables: readonly tf.Variable[]): void {
    const total = variables.reduce((n, v) => n + v.size, 0);
    this.paramsBuf = new Float32Array(total);
    let offset = 0;
    for (const variable of variables) {
      this.paramsBuf.set(variable.dataSync() as Float32Array, offset);
      offset += variable.size;
    }
    if (!this.m || this.m.length !== total) {
      this.m = new Float32Array(total);
      this.v = new Float32Array(total);
    }
  }

  /** The parameters as last loaded or updated, flat in variable order (read-only for callers). */
  get params(): Float32Array {
    if (!this.paramsBuf) throw new Error('FlatAdam: load() first');
    return this.paramsBuf;
  }

  /**
   * One Adam step on the loaded parameters with `grads` (one array per variable, in order) times
   * `gradScale`. Only the JS copy changes: store() writes it to the variables.
   */
  apply(grads: readonly Float32Array[], gradScale = 1): void {
    const p = this.params;
    const m = this.m!;
    const v = this.v!;
    this.step += 1;
    const { beta1: b1, beta2: b2 } = this;
    const bc1 = 1 - b1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.step);
    const stepSize = (this.learningRate * sqrtBc2) / bc1;
    const epsHat = this.eps * sqrtBc2;
    const c1 = (1 - b1) * gradScale;
    const c2 = (1 - b2) * gradScale * gradScale;
    let offset = 0;
    for (const g of grads) {
      if (offset + g.length > p.length) throw new Error(`FlatAdam: the gradients hold more numbers than the ${p.length} parameters.`);
      adamLoop(p, m, v, g, offset, b1, b2, c1, c2, stepSize, epsHat);
      offset += g.length;
    }
    if (offset !== p.length) throw new Error(`FlatAdam: the gradients hold ${offset} numbers, the parameters ${p.length}.`);
  }

  /** Write the parameters to the variables (once per update: the lean step reads `params`). */
  store(variables: readonly tf.Variable[]): void {
    const p = this.params;
    let offset = 0;
    for (const variable of variables) {
      // slice(): the cpu backend keeps the array it is given; the master copy must stay ours.
      tf.tidy(() => variable.assign(tf.tensor(p.slice(offset, offset + variable.size), variable.shape, 'float32')));
      offset += variable.size;
    }
  }

  getState(): AdamState | null {
    if (this.step === 0 || !this.m || !this.v) return null;
    return { step: this.step, m: this.m.slice(), v: this.v.slice() };
  }

  /** Restore moments and step count (sizes must match the variables this optimizer updates). */
  setState(state: AdamState | null, totalParams: number): void {
    if (!state) {
      this.step = 0;
      this.m = null;
      this.v = null;
      return;
    }
    if (state.m.length !== totalParams || state.v.length !== totalParams) {
      throw new Error(`Saved optimizer state has ${state.m.length} moments, the network has ${totalParams} parameters.`);
    }
    this.step = state.step;
    this.m = Float32Array.from(state.m);
    this.v = Float32Array.from(state.v);
  }
}

/** The fused update of one variable's slice (a monomorphic loop: ~2 ns per parameter). */
function adamLoop(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  offset: number,
  b1: number,
  b2: number,
  c1: number,
  c2: number,
  stepSize: number,
  epsHat: number,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) {
    const j = offset + i;
    const gi = g[i];
    m[j] = b1 * m[j] + c1 * gi;
    v[j] = b2 * v[j] + c2 * gi * gi;
    p[j] -= (stepSize * m[j]) / (Math.sqrt(v[j]) + epsHat);
  }
}
