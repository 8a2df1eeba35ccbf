// The WebAssembly SIMD Adam (adamSimd.wat → adamSimdModule.ts) against the JS loop, the committed
// module against a fresh assembly of its source, and FlatAdam's load/store around the variables.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { createAdamKernel, type AdamStepConstants } from '../../src/agent/adamKernel';
import { FlatAdam } from '../../src/agent/flatAdam';
import { createRng } from '../../src/der/rng';
// @ts-expect-error: a plain .mjs build script, no type declarations
import { MODULES, generate } from '../../scripts/build-wasm.mjs';
import { readFileSync } from 'node:fs';

function constants(step: number, scale: number): AdamStepConstants {
  const [b1, b2, lr, eps] = [0.9, 0.999, 3e-4, 1e-5];
  const sqrtBc2 = Math.sqrt(1 - b2 ** step);
  return { b1, b2, c1: (1 - b1) * scale, c2: (1 - b2) * scale * scale, stepSize: (lr * sqrtBc2) / (1 - b1 ** step), epsHat: eps * sqrtBc2 };
}

describe('Adam kernels', () => {
  it('every committed *SimdModule.ts (Adam, cosine maxima) is the assembly of its .wat (npm run build:wasm)', async () => {
    for (const m of MODULES as { wat: string; out: string }[]) expect(readFileSync(m.out, 'utf8')).toBe(await generate(m));
  });

  it('Node has WebAssembly SIMD, so the lean step runs the SIMD loop', () => {
    expect(createAdamKernel(10).kind).toBe('wasm-simd');
    expect(createAdamKernel(10, 'js').kind).toBe('js');
  });

  // 1001 numbers in three variables: not a multiple of 4, so the last vector is part padding.
  it('SIMD and JS give the same parameters and moments over 20 steps (float32 vs float64 arithmetic)', () => {
    const sizes = [700, 290, 11];
    const total = sizes.reduce((a, b) => a + b, 0);
    const [simd, js] = [createAdamKernel(total), createAdamKernel(total, 'js')];
    const rng = createRng(5);
    const init = Float32Array.from({ length: total }, () => rng.normal());
    simd.params.set(init);
    js.params.set(init);
    for (let t = 1; t <= 20; t++) {
      const grads = sizes.map((n) => Float32Array.from({ length: n }, () => rng.normal() * (t % 3 === 0 ? 100 : 0.01)));
      const k = constants(t, t % 2 === 0 ? 0.5 : 1);
      simd.step(grads, k);
      js.step(grads, k);
    }
    let worstP = 0;
    let moved = 0;
    for (let i = 0; i < total; i++) {
      worstP = Math.max(worstP, Math.abs(simd.params[i] - js.params[i]));
      moved = Math.max(moved, Math.abs(js.params[i] - init[i]));
      expect(simd.m[i]).toBeCloseTo(js.m[i], 4);
      expect(Math.abs(simd.v[i] - js.v[i])).toBeLessThanOrEqual(1e-5 * Math.abs(js.v[i]) + 1e-12);
    }
    expect(moved).toBeGreaterThan(1e-3);
    expect(worstP).toBeLessThan(1e-6);
  });

  it('rejects gradients of the wrong size, naming both sizes', () => {
    const kernel = createAdamKernel(8);
    expect(() => kernel.step([new Float32Array(7)], constants(1, 1))).toThrow(/7 numbers, the parameters 8/);
  });

  it('FlatAdam keeps the moments across loads and restores them from a saved state', () => {
    const adam = new FlatAdam(1e-3, 1e-5);
    adam.setState({ step: 3, m: Float32Array.of(1, 2, 3), v: Float32Array.of(4, 5, 6) }, 3);
    expect(adam.kind).toBe('wasm-simd');
    const state = adam.getState()!;
    expect(Array.from(state.m)).toEqual([1, 2, 3]);
    expect(Array.from(state.v)).toEqual([4, 5, 6]);
    expect(() => adam.params).toThrow(/load\(\) first/);
    adam.setState(null, 3);
    expect(adam.getState()).toBeNull();
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: load() sees a variable assigned after store(), and store() leaves the master copy alone`, async () => {
      expect(await initBackend(backend)).toBe(backend);
      const vars = [tf.variable(tf.tensor1d([1, 2, 3])), tf.variable(tf.tensor1d([4, 5]))];
      const adam = new FlatAdam(0.1, 1e-8);
      adam.load(vars);
      adam.apply([Float32Array.of(1, 1, 1), Float32Array.of(-1, -1)]);
      adam.store(vars);
      const stored = Array.from(adam.params);
      expect(Array.from(vars[0].dataSync())).toEqual(stored.slice(0, 3));
      expect(stored[0]).toBeCloseTo(0.9, 5); // Adam's first step moves each weight by lr
      adam.apply([Float32Array.of(1, 1, 1), Float32Array.of(-1, -1)]);
      expect(Array.from(vars[0].dataSync())).toEqual(stored.slice(0, 3)); // the variable kept its copy
      adam.load(vars); // a step not stored: the variables are the truth again
      expect(Array.from(adam.params)).toEqual(stored);
      adam.store(vars);
      vars[1].assign(tf.tensor1d([7, 8]));
      adam.load(vars); // an assignment from elsewhere: read again
      expect(Array.from(adam.params)).toEqual([...stored.slice(0, 3), 7, 8]);
      vars.forEach((v) => v.dispose());
    });
  }
});
