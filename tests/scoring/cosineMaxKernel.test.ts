import { describe, expect, it } from 'vitest';
import { fillCosineMaxima } from '../../src/scoring/cosineMaxKernel';
import { greedyMatch, type TokenEmbeddings } from '../../src/scoring/greedyMatch';
import { inverseNorms, randomRows } from '../support/tokenRows';

/** Cosine maxima cell by cell, in float64: the definition the blocked kernel must reproduce. */
function naiveMaxima(c: Float32Array, n: number, r: Float32Array, m: number, dim: number) {
  const norm = (v: Float32Array, i: number) => Math.sqrt(Array.from(v.subarray(i * dim, (i + 1) * dim)).reduce((a, x) => a + x * x, 0));
  const rows = Array.from({ length: n }, () => -Infinity);
  const cols = Array.from({ length: m }, () => -Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let d = 0;
      for (let k = 0; k < dim; k++) d += c[i * dim + k] * r[j * dim + k];
      const cos = d / (norm(c, i) * norm(r, j));
      rows[i] = Math.max(rows[i], cos);
      cols[j] = Math.max(cols[j], cos);
    }
  }
  return { rows, cols };
}

describe('fillCosineMaxima (blocked 2×4 kernel)', () => {
  // Sizes around the block edges: odd candidate counts, reference counts not divisible by 4, dim 1.
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 5, 3],
    [2, 4, 8],
    [3, 7, 5],
    [5, 3, 32],
    [8, 9, 17],
    [13, 6, 64],
  ];
  for (const [n, m, dim] of sizes) {
    it(`row and column maxima equal the cell-by-cell cosines (${n}×${m}, dim ${dim})`, () => {
      const c = randomRows(n, dim, 7 + n);
      const r = randomRows(m, dim, 99 + m);
      const bestC = new Float64Array(n);
      const bestR = new Float64Array(m).fill(123); // stale values must be overwritten
      fillCosineMaxima(c, inverseNorms(c, n, dim), n, r, inverseNorms(r, m, dim), m, dim, bestC, bestR);
      const want = naiveMaxima(c, n, r, m, dim);
      want.rows.forEach((v, i) => expect(bestC[i]).toBeCloseTo(v, 12));
      want.cols.forEach((v, j) => expect(bestR[j]).toBeCloseTo(v, 12));
    });
  }

  // The vector-only path runs the WebAssembly SIMD kernel (float32 sums, as torch) where the engine
  // has it, Node included; the exact-match path sums in float64. They agree to float32 rounding.
  it('greedyMatch gives the same P/R/F1 on its vector-only path as on its exact-match path with no exact tokens', () => {
    const dim = 24;
    const cand: TokenEmbeddings = { vectors: randomRows(11, dim, 3), count: 11, dim, weights: Array.from({ length: 11 }, (_, i) => 1 + i / 10) };
    const ref: TokenEmbeddings = { vectors: randomRows(6, dim, 5), count: 6, dim };
    const fast = greedyMatch(cand, ref);
    // exactMatchIds of -1 everywhere means "use the vector": it forces the cell-by-cell loop.
    const slow = greedyMatch({ ...cand, exactMatchIds: new Int32Array(11).fill(-1) }, { ...ref, exactMatchIds: new Int32Array(6).fill(-1) });
    expect(fast.precision).toBeCloseTo(slow.precision, 6);
    expect(fast.recall).toBeCloseTo(slow.recall, 6);
    expect(fast.f1).toBeCloseTo(slow.f1, 6);
  });
});
