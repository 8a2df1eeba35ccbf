// The WebAssembly SIMD cosine maxima (cosineMaxSimd.wat) against the JS kernel and the definition:
// block edges (m not a multiple of 8, one row, dim 1), pad columns that must never win a maximum
// (all cosines negative), zero rows, a NaN that must reach the score, and reused module memory.
import { describe, expect, it } from 'vitest';
import { fillCosineMaxima } from '../../src/scoring/cosineMaxKernel';
import { simdCosineMaxima } from '../../src/scoring/cosineMaxSimd';
import { greedyMatch } from '../../src/scoring/greedyMatch';
import { inverseNorms, randomRows } from '../support/tokenRows';

function both(c: Float32Array, n: number, r: Float32Array, m: number, dim: number) {
  const simd = simdCosineMaxima()!;
  const [ic, ir] = [inverseNorms(c, n, dim), inverseNorms(r, m, dim)];
  const js = { c: new Float64Array(n), r: new Float64Array(m) };
  const wasm = { c: new Float64Array(n).fill(7), r: new Float64Array(m).fill(7) }; // stale values must go
  fillCosineMaxima(c, ic, n, r, ir, m, dim, js.c, js.r);
  simd(c, ic, n, r, ir, m, dim, wasm.c, wasm.r);
  return { js, wasm };
}

describe('cosine maxima on WebAssembly SIMD', () => {
  it('Node has WebAssembly SIMD, so greedyMatch runs this kernel', () => {
    expect(simdCosineMaxima()).not.toBeNull();
  });

  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 9, 3],
    [2, 8, 8],
    [3, 7, 5],
    [5, 17, 32],
    [40, 33, 32],
    [13, 6, 256],
  ];
  for (const [n, m, dim] of sizes) {
    it(`equals the JS kernel to float32 rounding (${n}×${m}, dim ${dim})`, () => {
      const { js, wasm } = both(randomRows(n, dim, 11 + n), n, randomRows(m, dim, 5 + m), m, dim);
      js.c.forEach((v, i) => expect(Math.abs(wasm.c[i] - v)).toBeLessThan(1e-6));
      js.r.forEach((v, j) => expect(Math.abs(wasm.r[j] - v)).toBeLessThan(1e-6));
    });
  }

  it('pad columns never win: with every cosine negative the maxima stay negative', () => {
    const dim = 4;
    const c = new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]);
    // Three reference tokens (five pad columns in the block of eight), each pointing away from both candidates.
    const r = new Float32Array([-1, -1, 0, 0, -1, -0.5, 0, 0, -0.2, -1, 0, 0]);
    const { js, wasm } = both(c, 2, r, 3, dim);
    for (const v of [...wasm.c, ...wasm.r]) expect(v).toBeLessThan(0);
    js.c.forEach((v, i) => expect(wasm.c[i]).toBeCloseTo(v, 6));
    js.r.forEach((v, j) => expect(wasm.r[j]).toBeCloseTo(v, 6));
  });

  it('a zero row has cosine 0 with everything, as in the JS kernel', () => {
    const dim = 6;
    const c = randomRows(3, dim, 1);
    c.fill(0, dim, 2 * dim); // candidate 1 is the zero vector
    const { js, wasm } = both(c, 3, randomRows(4, dim, 2), 4, dim);
    expect(wasm.c[1]).toBe(0);
    js.c.forEach((v, i) => expect(wasm.c[i]).toBeCloseTo(v, 6));
  });

  it('a NaN in a token vector makes the score NaN (so the trainer flags it) instead of being skipped', () => {
    const dim = 8;
    const vectors = randomRows(5, dim, 3);
    vectors[2 * dim + 3] = NaN;
    const score = greedyMatch({ vectors, count: 5, dim }, { vectors: randomRows(4, dim, 4), count: 4, dim });
    expect(score.precision).toBeNaN();
    expect(score.recall).toBeNaN();
    expect(score.f1).toBeNaN();
  });

  it('a large call after a small one grows the module memory and still computes right', () => {
    both(randomRows(2, 4, 1), 2, randomRows(3, 4, 2), 3, 4);
    const [n, m, dim] = [200, 190, 384]; // ~600 kB of rows: more than the module's first 64 kB page
    const { js, wasm } = both(randomRows(n, dim, 8), n, randomRows(m, dim, 9), m, dim);
    js.c.forEach((v, i) => expect(Math.abs(wasm.c[i] - v)).toBeLessThan(1e-6));
    js.r.forEach((v, j) => expect(Math.abs(wasm.r[j] - v)).toBeLessThan(1e-6));
  });
});
