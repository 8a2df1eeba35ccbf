// Running mean and variance of vectors (Chan et al.'s parallel form of Welford's algorithm, as
// SB3's RunningMeanStd), for the PPO conditioning options: state standardisation and value
// normalisation. Statistics are rounded to float32 after each merge, so they survive the
// float32 packing of saved runs bit for bit (a resumed run standardises exactly as before).
import type { WeightEntry } from './weightsIO';

/** Clip of standardised states (SB3 VecNormalize's clip_obs). */
export const STATE_CLIP = 10;
/** Added to the variance before the square root (SB3's epsilon). */
const VAR_EPS = 1e-8;

export class RunningMeanStd {
  count = 0;
  readonly mean: Float64Array;
  readonly var: Float64Array;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
  }

  /** Merge `rows` vectors of length dim, row-major in `data` (non-finite input is the caller's check). */
  update(data: ArrayLike<number>, rows: number): void {
    if (rows === 0) return;
    const d = this.dim;
    const bMean = new Float64Array(d);
    const bVar = new Float64Array(d);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) bMean[j] += data[r * d + j];
    for (let j = 0; j < d; j++) bMean[j] /= rows;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const e = data[r * d + j] - bMean[j];
        bVar[j] += e * e;
      }
    }
    for (let j = 0; j < d; j++) bVar[j] /= rows;
    if (this.count === 0) {
      for (let j = 0; j < d; j++) {
        this.mean[j] = Math.fround(bMean[j]);
        this.var[j] = Math.fround(bVar[j]);
      }
      this.count = rows;
      return;
    }
    const total = this.count + rows;
    for (let j = 0; j < d; j++) {
      const delta = bMean[j] - this.mean[j];
      const m2 = this.var[j] * this.count + bVar[j] * rows + (delta * delta * this.count * rows) / total;
      this.mean[j] = Math.fround(this.mean[j] + (delta * rows) / total);
      this.var[j] = Math.fround(m2 / total);
    }
    this.count = total;
  }

  /** sd per feature, √(var + 1e-8). */
  sd(j: number): number {
    return Math.sqrt(this.var[j] + VAR_EPS);
  }

  /** (x − mean)/sd clipped to ±clip, row by row, into a new Float32Array. */
  standardize(data: Float32Array, clip = STATE_CLIP): Float32Array {
    const d = this.dim;
    const out = new Float32Array(data.length);
    const scale = Float64Array.from(this.var, (v) => 1 / Math.sqrt(v + VAR_EPS));
    const mean = this.mean;
    for (let row = 0; row < data.length; row += d) {
      for (let j = 0; j < d; j++) {
        const z = (data[row + j] - mean[j]) * scale[j];
        out[row + j] = z > clip ? clip : z < -clip ? -clip : z;
      }
    }
    return out;
  }

  reset(): void {
    this.count = 0;
    this.mean.fill(0);
    this.var.fill(1);
  }

  /** Three weight entries: `${prefix}/count` [1], `${prefix}/mean` [dim], `${prefix}/var` [dim]. */
  toEntries(prefix: string): WeightEntry[] {
    return [
      { name: `${prefix}/count`, shape: [1], data: [this.count] },
      { name: `${prefix}/mean`, shape: [this.dim], data: Array.from(this.mean) },
      { name: `${prefix}/var`, shape: [this.dim], data: Array.from(this.var) },
    ];
  }

  /**
   * Restore from entries made by toEntries; false (and reset to fresh statistics) when none are
   * there (files saved before the option existed). Throws on a wrong shape.
   */
  fromEntries(prefix: string, byName: ReadonlyMap<string, WeightEntry>): boolean {
    const count = byName.get(`${prefix}/count`);
    const mean = byName.get(`${prefix}/mean`);
    const variance = byName.get(`${prefix}/var`);
    if (!count && !mean && !variance) {
      this.reset();
      return false;
    }
    if (!count || !mean || !variance || count.data.length !== 1 || mean.data.length !== this.dim || variance.data.length !== this.dim) {
      throw new Error(
        `Saved statistics "${prefix}" are incomplete or sized for ${mean?.data.length ?? '?'} features, the agent has ${this.dim}; check stateDim.`,
      );
    }
    if (variance.data.some((v) => v < 0) || !(count.data[0] >= 0)) throw new Error(`Saved statistics "${prefix}" hold a negative variance or count.`);
    this.count = count.data[0];
    this.mean.set(mean.data);
    this.var.set(variance.data);
    return true;
  }
}

/** sd used to scale value targets: √var, floored at 1e-3 so a constant batch cannot blow up the rescaled critic head. */
export function valueScale(stats: RunningMeanStd): number {
  return stats.count === 0 ? 1 : Math.max(Math.sqrt(stats.var[0]), 1e-3);
}
