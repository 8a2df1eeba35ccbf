// Adam for the lean step (leanStep.ts) on the CPU backends: one network's parameters and both
// moments live in one kernel's flat buffers (adamKernel.ts), and one fused loop updates all of
// them: WebAssembly SIMD where the engine has it, else JS (the fused kernel of the issue, on a
// CPU). The tfjs Adam (adam.ts) needs ~12 kernels per variable, each with its scalar constants.
// After an update each variable gets its new values (one tensor write per variable, a memcpy on
// wasm/cpu).
//
// Same rule as adam.ts (PyTorch's, bias-corrected, eps added to √v̂), with the gradient scale
// (grad-norm clip) applied first.
import * as tf from '@tensorflow/tfjs';
import { createAdamKernel, type AdamKernel } from './adamKernel';
import { reusableOn } from './scratchBuffers';

/** An optimizer's state, plain numbers: enough to resume bit-identically. */
export interface AdamState {
  step: number;
  /** First and second moments, flat over the variables in order. */
  m: Float32Array;
  v: Float32Array;
}

export class FlatAdam {
  private kernel: AdamKernel | null = null;
  /** Whether `params` holds loaded values (the kernel may exist from setState alone). */
  private loaded = false;
  /** The variables' dataIds right after the last store(); cleared by an apply() not stored yet. */
  private storedIds: object[] = [];
  private step = 0;

  constructor(
    public learningRate: number,
    readonly eps: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    /** 'js' forces the JS loop (tests compare the two). */
    private readonly kernelKind: 'auto' | 'js' = 'auto',
  ) {}

  /** Which loop runs the update: 'wasm-simd' or 'js' (null before load or setState). */
  get kind(): AdamKernel['kind'] | null {
    return this.kernel?.kind ?? null;
  }

  /** A kernel for `total` parameters: the current one (moments kept) or a new one (moments zero). */
  private kernelFor(total: number): AdamKernel {
    if (!this.kernel || this.kernel.length !== total) this.kernel = createAdamKernel(total, this.kernelKind);
    return this.kernel;
  }

  /**
   * Read the variables' current values (call once per update: they may have been set since).
   * Skipped when the flat copy was stored and the variables still hold the tensors that store()
   * gave them: an assignment from anywhere else (setWeights, a restored run) gives a variable a
   * new dataId.
   */
  load(variables: readonly tf.Variable[]): void {
    const total = variables.reduce((n, v) => n + v.size, 0);
    const sameKernel = this.kernel?.length === total;
    const kernel = this.kernelFor(total);
    const unchanged = sameKernel && this.loaded && this.storedIds.length === variables.length && variables.every((v, k) => v.dataId === this.storedIds[k]);
    if (unchanged) return;
    let offset = 0;
    for (const variable of variables) {
      kernel.params.set(variable.dataSync() as Float32Array, offset);
      offset += variable.size;
    }
    this.loaded = true;
  }

  /** The parameters as last loaded or updated, flat in variable order (read-only for callers). */
  get params(): Float32Array {
    if (!this.kernel || !this.loaded) throw new Error('FlatAdam: load() first');
    return this.kernel.params;
  }

  /**
   * One Adam step on the loaded parameters with `grads` (one array per variable, in order) times
   * `gradScale`. Only the flat copy changes: store() writes it to the variables.
   */
  apply(grads: readonly Float32Array[], gradScale = 1): void {
    const kernel = this.kernel;
    if (!kernel || !this.loaded) throw new Error('FlatAdam: load() first');
    this.step += 1;
    this.storedIds = [];
    const { beta1: b1, beta2: b2 } = this;
    const bc1 = 1 - b1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.step);
    kernel.step(grads, {
      b1,
      b2,
      c1: (1 - b1) * gradScale,
      c2: (1 - b2) * gradScale * gradScale,
      stepSize: (this.learningRate * sqrtBc2) / bc1,
      epsHat: this.eps * sqrtBc2,
    });
  }

  /** Write the parameters to the variables (once per update: the lean step reads `params`). */
  store(variables: readonly tf.Variable[]): void {
    const p = this.params;
    // The cpu backend keeps the array it is given (the master copy must stay ours: slice); wasm copies it.
    const copy = !reusableOn(tf.getBackend());
    let offset = 0;
    for (const variable of variables) {
      const values = p.subarray(offset, offset + variable.size);
      tf.tidy(() => variable.assign(tf.tensor(copy ? values.slice() : values, variable.shape, 'float32')));
      offset += variable.size;
    }
    this.storedIds = variables.map((v) => v.dataId);
  }

  getState(): AdamState | null {
    if (this.step === 0 || !this.kernel) return null;
    return { step: this.step, m: this.kernel.m.slice(), v: this.kernel.v.slice() };
  }

  /** Restore moments and step count (sizes must match the variables this optimizer updates). */
  setState(state: AdamState | null, totalParams: number): void {
    if (!state) {
      this.step = 0;
      this.kernel?.m.fill(0);
      this.kernel?.v.fill(0);
      return;
    }
    if (state.m.length !== totalParams || state.v.length !== totalParams) {
      throw new Error(`Saved optimizer state has ${state.m.length} moments, the network has ${totalParams} parameters.`);
    }
    const kernel = this.kernelFor(totalParams);
    this.step = state.step;
    kernel.m.set(state.m);
    kernel.v.set(state.v);
  }
}
