// The inner loop of BERTScore's greedy matching: for two sets of token vectors, every pairwise
// cosine, reduced on the fly to each candidate token's best (row maxima) and each reference token's
// best (column maxima); the similarity matrix itself is never stored.
//
// Why it is shaped like this: the plain loop (one dot product per cell, 4 partial sums) ran at
// ~1.3 GMAC/s in V8 and was the largest JS cost of batched scoring. This kernel computes a 2 × 4
// block of cells per pass over the dimension: each loaded candidate value is used 4 times and each
// reference value twice, and the 8 sums stay in registers, ~2× faster (measured 1.3 → 2.4–2.8
// GMAC/s for dims 32–768). Each dot product is one float64 sum in index order; the result differs
// from the unrolled loop's only by rounding (~1e-16).
//
// Since 2026-12-05 greedyMatch runs cosineMaxSimd.ts (WebAssembly SIMD, float32, ~3.6× faster on
// tiny-bert's rows) where the engine validates it; this kernel is the fallback and the float64
// reference the SIMD tests compare against.

/**
 * Fills bestC[i] = max_j cos(c_i, r_j) for i < n and bestR[j] = max_i cos(c_i, r_j) for j < m,
 * where cos = dot(c_i, r_j) · invC[i] · invR[j] (inverse norms given, 0 for zero rows).
 * `c` holds n rows and `r` holds m rows of `dim` floats, row-major. n, m ≥ 1.
 */
export function fillCosineMaxima(
  c: Float32Array,
  invC: ArrayLike<number>,
  n: number,
  r: Float32Array,
  invR: ArrayLike<number>,
  m: number,
  dim: number,
  bestC: Float64Array,
  bestR: Float64Array,
): void {
  for (let j = 0; j < m; j++) bestR[j] = -Infinity;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const c0 = i * dim;
    const c1 = c0 + dim;
    const ic0 = invC[i];
    const ic1 = invC[i + 1];
    let best0 = -Infinity;
    let best1 = -Infinity;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const r0 = j * dim;
      const r1 = r0 + dim;
      const r2 = r1 + dim;
      const r3 = r2 + dim;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        b0 = 0,
        b1 = 0,
        b2 = 0,
        b3 = 0;
      for (let k = 0; k < dim; k++) {
        const x = c[c0 + k];
        const y = c[c1 + k];
        const p = r[r0 + k];
        const q = r[r1 + k];
        const u = r[r2 + k];
        const w = r[r3 + k];
        a0 += x * p;
        a1 += x * q;
        a2 += x * u;
        a3 += x * w;
        b0 += y * p;
        b1 += y * q;
        b2 += y * u;
        b3 += y * w;
      }
      const n0 = invR[j],
        n1 = invR[j + 1],
        n2 = invR[j + 2],
        n3 = invR[j + 3];
      a0 = a0 * ic0 * n0;
      a1 = a1 * ic0 * n1;
      a2 = a2 * ic0 * n2;
      a3 = a3 * ic0 * n3;
      b0 = b0 * ic1 * n0;
      b1 = b1 * ic1 * n1;
      b2 = b2 * ic1 * n2;
      b3 = b3 * ic1 * n3;
      if (a0 > best0) best0 = a0;
      if (a1 > best0) best0 = a1;
      if (a2 > best0) best0 = a2;
      if (a3 > best0) best0 = a3;
      if (b0 > best1) best1 = b0;
      if (b1 > best1) best1 = b1;
      if (b2 > best1) best1 = b2;
      if (b3 > best1) best1 = b3;
      const m0 = a0 > b0 ? a0 : b0;
      const m1 = a1 > b1 ? a1 : b1;
      const m2 = a2 > b2 ? a2 : b2;
      const m3 = a3 > b3 ? a3 : b3;
      if (m0 > bestR[j]) bestR[j] = m0;
      if (m1 > bestR[j + 1]) bestR[j + 1] = m1;
      if (m2 > bestR[j + 2]) bestR[j + 2] = m2;
      if (m3 > bestR[j + 3]) bestR[j + 3] = m3;
    }
    for (; j < m; j++) {
      const rj = j * dim;
      let a = 0,
        b = 0;
      for (let k = 0; k < dim; k++) {
        const p = r[rj + k];
        a += c[c0 + k] * p;
        b += c[c1 + k] * p;
      }
      a = a * ic0 * invR[j];
      b = b * ic1 * invR[j];
      if (a > best0) best0 = a;
      if (b > best1) best1 = b;
      const mj = a > b ? a : b;
      if (mj > bestR[j]) bestR[j] = mj;
    }
    bestC[i] = best0;
    bestC[i + 1] = best1;
  }
  if (i < n) {
    // An odd last candidate row: one cell at a time.
    const ci = i * dim;
    const ic = invC[i];
    let best = -Infinity;
    for (let j = 0; j < m; j++) {
      const rj = j * dim;
      let a = 0;
      for (let k = 0; k < dim; k++) a += c[ci + k] * r[rj + k];
      a = a * ic * invR[j];
      if (a > best) best = a;
      if (a > bestR[j]) bestR[j] = a;
    }
    bestC[i] = best;
  }
}
