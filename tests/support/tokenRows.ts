// Token vectors for the matching-kernel tests: seeded rows in [−0.5, 0.5) and their inverse norms.

/** `count` rows of `dim` floats from a Lehmer generator seeded with `seed` (same seed, same rows). */
export function randomRows(count: number, dim: number, seed: number): Float32Array {
  const out = new Float32Array(count * dim);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 16807) % 2147483647;
    out[i] = s / 2147483647 - 0.5;
  }
  return out;
}

/** 1/|row| per row in float64, 0 for a zero row. */
export function inverseNorms(v: Float32Array, count: number, dim: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => {
    let sq = 0;
    for (let k = 0; k < dim; k++) sq += v[i * dim + k] ** 2;
    return sq > 0 ? 1 / Math.sqrt(sq) : 0;
  });
}
