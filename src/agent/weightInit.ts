// Seeded weight initialisers computed in plain JS (from src/der/rng.ts), so the same seed gives
// bit-identical initial weights on every backend, and no tfjs random op state is involved.
import type { Rng } from '../der/rng';

/** Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)). Row-major [fanIn, fanOut]. */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * limit;
  return out;
}

/**
 * (Semi-)orthogonal matrix of shape [rows, cols] times `gain`, as torch.nn.init.orthogonal_:
 * QR of a Gaussian matrix with the signs of R's diagonal folded into Q. Here by modified
 * Gram–Schmidt on the short side, which gives the same distribution.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const long = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  // `short` vectors of length `long`, orthonormalised one after another.
  const basis: Float64Array[] = [];
  for (let k = 0; k < short; k++) {
    const v = new Float64Array(long);
    for (let i = 0; i < long; i++) v[i] = rng.normal();
    for (const q of basis) {
      let dot = 0;
      for (let i = 0; i < long; i++) dot += q[i] * v[i];
      for (let i = 0; i < long; i++) v[i] -= dot * q[i];
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-10) {
      k--; // a (practically impossible) degenerate draw: draw again
      continue;
    }
    for (let i = 0; i < long; i++) v[i] /= norm;
    basis.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Tall matrix: basis vectors are columns; wide matrix: they are rows.
      out[r * cols + c] = gain * (rows >= cols ? basis[c][r] : basis[r][c]);
    }
  }
  return out;
}
