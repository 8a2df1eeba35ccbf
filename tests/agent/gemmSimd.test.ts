// The lean step's matrix products on WebAssembly SIMD (gemmSimd.wat): the kernel against a float64
// product at shapes off its 4 × 8 blocks, its bias-and-activation epilogue against Math.tanh and
// relu, and one network's forward and backward pass with SIMD products against the same pass with
// tfjs kernels (LeanWeights), tanh and relu.
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { simdGemm } from '../../src/agent/gemmSimd';
import { LeanWeights } from '../../src/agent/leanStep';
import { SimdLeanWeights } from '../../src/agent/leanWeightsSimd';
import { Mlp } from '../../src/agent/mlp';
import { createRng } from '../../src/der/rng';
import { transposeRows } from '../../src/agent/denseOp';
import * as tf from '@tensorflow/tfjs';

function randomArray(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

/** Largest |x − y| / (1 + |y|) over two arrays. */
function worstRelative(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return worst;
}

describe('matrix products on WebAssembly SIMD', () => {
  it('Node has WebAssembly SIMD, so the lean step multiplies with this kernel', () => {
    expect(simdGemm()).not.toBeNull();
  });

  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 8],
    [5, 1, 9],
    [7, 13, 11],
    [33, 24, 1],
    [256, 384, 256],
  ];
  for (const [m, k, n] of shapes) {
    it(`equals the float64 product to float32 rounding: [${m}, ${k}] · [${k}, ${n}]`, () => {
      const a = randomArray(m * k, m + 1);
      const b = randomArray(k * n, n + 2);
      const out = new Float32Array(m * n).fill(99); // stale values must be overwritten
      simdGemm()!.multiply(a, m, k, b, n, out);
      const want = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) want[i * n + j] += a[i * k + p] * b[p * n + j];
      expect(worstRelative(out, want)).toBeLessThan(1e-5 * Math.sqrt(k));
    });
  }

  it('a product with k = 0 is all zeros, and too short an array is refused with its shape', () => {
    const out = new Float32Array(6).fill(5);
    simdGemm()!.multiply(new Float32Array(0), 2, 0, new Float32Array(0), 3, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => simdGemm()!.multiply(new Float32Array(3), 2, 2, new Float32Array(4), 2, new Float32Array(4))).toThrow('[2, 2] · [2, 2]');
  });

  it('the epilogue adds the bias, then tanh (to 2e-7, saturating without NaN or Inf at |u| up to 1e4) or relu', () => {
    const u = Float32Array.from([...Array.from({ length: 2001 }, (_, i) => (i - 1000) / 100), -1e4, 1e4, -50, 50, 0]);
    const m = u.length;
    const run = (activation: 'linear' | 'tanh' | 'relu') => {
      const out = new Float32Array(m * 3);
      // a [m, 1] · b [1, 3] = u in each column; the bias row shifts column 1 by +1 and column 2 by −1.
      simdGemm()!.multiply(u, m, 1, new Float32Array([1, 1, 1]), 3, out, { bias: new Float32Array([0, 1, -1]), activation });
      return out;
    };
    const [linear, tanh, relu] = [run('linear'), run('tanh'), run('relu')];
    for (let i = 0; i < m; i++)
      for (let c = 0; c < 3; c++) {
        const x = Math.fround(u[i] + [0, 1, -1][c]);
        expect(linear[i * 3 + c]).toBe(x);
        expect(Math.abs(tanh[i * 3 + c] - Math.tanh(x))).toBeLessThan(2e-7);
        expect(relu[i * 3 + c]).toBe(Math.max(x, 0));
      }
  });

  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: one network's forward and backward pass equal those with tfjs products`, async () => {
      expect(await initBackend('wasm')).toBe('wasm');
      const [n, D, A] = [37, 19, 6]; // off every block size
      const net = new Mlp({ name: 'a', inputDim: D, hiddenSizes: [24, 13], outputDim: A, activation, orthogonalInit: true, outputGain: 1 }, createRng(3));
      const params = new Float32Array(net.variables.reduce((s, v) => s + v.size, 0));
      let offset = 0;
      for (const v of net.variables) {
        params.set(v.dataSync() as Float32Array, offset);
        offset += v.size;
      }
      const states = randomArray(n * D, 7);
      const statesT = transposeRows(states, n, D);
      const dOut = randomArray(n * A, 8);

      const simd = new SimdLeanWeights(net, simdGemm()!);
      simd.refresh(params);
      const fs = simd.forward(states, n);
      const gs = simd.backward(statesT, fs, dOut, n).map((g) => Float32Array.from(g));

      const plain = new LeanWeights(net);
      plain.refresh(params);
      const { out, grads } = tf.tidy(() => {
        const f = plain.forward(tf.tensor2d(states, [n, D]), n);
        const outCopy = Float32Array.from(f.out);
        return { out: outCopy, grads: plain.backward(tf.tensor2d(statesT, [D, n]), f, dOut, n).map((g) => Float32Array.from(g)) };
      });
      plain.dispose();
      net.dispose();

      expect(worstRelative(fs.out, out)).toBeLessThan(1e-5);
      expect(gs.length).toBe(grads.length);
      gs.forEach((g, i) => expect(worstRelative(g, grads[i])).toBeLessThan(1e-5));
      // Not trivially equal: the gradients are non-zero.
      expect(Math.max(...gs[0].map(Math.abs))).toBeGreaterThan(1e-3);
    });
  }
});
