// Pure data helpers for the live charts: TensorBoard-style debiased EMA smoothing, downsampling
// that keeps a long series' endpoints and extremes, and route-length histograms. No React here,
// so the arithmetic is unit-tested on its own and the components only map data to recharts.
import type { ChanceLevel, EpisodeSummary, IterationRecord, PpoUpdateMetrics } from '../../der/runRecord';

/**
 * Exponential moving average with TensorBoard's debiasing: the running average starts at 0 and
 * is divided by (1 − w^k) after k finite points, so the first smoothed point equals the first
 * value instead of being pulled towards 0. Non-finite values pass through unchanged and do not
 * update the average. `weight` is in [0, 1): 0 is no smoothing.
 */
export function debiasedEma(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let last = 0;
  let accumulated = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    last = last * w + (1 - w) * value;
    accumulated += 1;
    const debias = w === 0 ? 1 : 1 - w ** accumulated;
    return last / debias;
  });
}

/**
 * Downsample rows to at most about `maxPoints` by splitting the series into buckets and keeping,
 * per bucket, the rows with the smallest and the largest value of `key` (in their original
 * order). The first and last rows are always kept, so the curve keeps its endpoints and every
 * global extreme. Short series are returned as they are (same array).
 */
export function downsampleMinMax<T>(rows: readonly T[], maxPoints: number, value: (row: T) => number): readonly T[] {
  if (rows.length <= maxPoints || maxPoints < 4) return rows;
  const inner = rows.length - 2;
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const size = inner / buckets;
  const kept: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor(b * size);
    const end = Math.min(rows.length - 1, 1 + Math.floor((b + 1) * size));
    let minIndex = -1;
    let maxIndex = -1;
    for (let i = start; i < end; i++) {
      const v = value(rows[i]);
      if (!Number.isFinite(v)) continue;
      if (minIndex < 0 || v < value(rows[minIndex])) minIndex = i;
      if (maxIndex < 0 || v > value(rows[maxIndex])) maxIndex = i;
    }
    if (minIndex < 0) continue;
    if (minIndex === maxIndex) kept.push(minIndex);
    else kept.push(Math.min(minIndex, maxIndex), Math.max(minIndex, maxIndex));
  }
  kept.push(rows.length - 1);
  return kept.map((i) => rows[i]);
}

/** Element-wise sum of histograms (shorter ones count as zeros). */
export function cumulativeHistogram(histograms: readonly (readonly number[])[]): number[] {
  const length = histograms.reduce((m, h) => Math.max(m, h.length), 0);
  const total = new Array<number>(length).fill(0);
  for (const h of histograms) h.forEach((n, i) => (total[i] += n));
  return total;
}

export interface RouteLengthRow {
  /** Number of expert calls k (1..Tmax). */
  length: number;
  lastCount: number;
  cumulativeCount: number;
  /** Shares of routes in [0, 1], so the two scopes share one axis. */
  lastShare: number;
  cumulativeShare: number;
}

/** Rows for the route-length chart: counts and shares per length k = 1..Tmax. */
export function routeLengthRows(last: readonly number[], cumulative: readonly number[]): RouteLengthRow[] {
  const lastTotal = last.reduce((a, b) => a + b, 0);
  const cumulativeTotal = cumulative.reduce((a, b) => a + b, 0);
  const length = Math.max(last.length, cumulative.length);
  return Array.from({ length }, (_, i) => ({
    length: i + 1,
    lastCount: last[i] ?? 0,
    cumulativeCount: cumulative[i] ?? 0,
    lastShare: lastTotal > 0 ? (last[i] ?? 0) / lastTotal : 0,
    cumulativeShare: cumulativeTotal > 0 ? (cumulative[i] ?? 0) / cumulativeTotal : 0,
  }));
}

export interface RewardRow {
  iteration: number;
  meanReturn: number;
  smoothedReturn: number;
  meanFinalScore: number;
  meanRouteCost: number;
  successRate: number;
}

/** The part of an IterationRecord the reward chart draws. */
export type IterationLike = Pick<IterationRecord, 'iteration' | 'chance'> & {
  summary: Pick<EpisodeSummary, 'meanReturn' | 'meanFinalScore' | 'meanRouteCost' | 'successRate'>;
  update?: Pick<PpoUpdateMetrics, 'entropy'> | null;
};

/** The run's chance level (the random policy's mean return), from the latest iteration that carries it. */
export function chanceOf(iterations: readonly IterationLike[]): ChanceLevel | null {
  for (let i = iterations.length - 1; i >= 0; i--) {
    const c = iterations[i].chance;
    if (c && Number.isFinite(c.meanReturn)) return c;
  }
  return null;
}

export interface LearningCheck {
  /** Iterations averaged at each end. */
  window: number;
  recentReturn: number;
  chanceReturn: number;
  /** recentReturn above the random line by more than the random line's spread (2 sd over seeds). */
  above: boolean;
  firstEntropy: number;
  recentEntropy: number;
  entropyFalling: boolean;
}

/**
 * Has the agent learned? The mean return of the last `window` iterations against the random
 * policy's line, and the policy entropy of the first `window` updates against the last ones.
 * Null until there are 2·window iterations and a chance level.
 */
export function learningCheck(iterations: readonly IterationLike[], window = 5): LearningCheck | null {
  const chance = chanceOf(iterations);
  if (!chance || iterations.length < 2 * window) return null;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const recent = iterations.slice(-window);
  const recentReturn = mean(recent.map((r) => r.summary.meanReturn).filter(Number.isFinite));
  const entropies = (rs: readonly IterationLike[]) => mean(rs.map((r) => r.update?.entropy ?? Number.NaN).filter(Number.isFinite));
  const firstEntropy = entropies(iterations.slice(0, window));
  const recentEntropy = entropies(recent);
  return {
    window,
    recentReturn,
    chanceReturn: chance.meanReturn,
    above: recentReturn > chance.meanReturn + 2 * chance.sd,
    firstEntropy,
    recentEntropy,
    entropyFalling: recentEntropy < firstEntropy,
  };
}

/** Reward chart rows: per-iteration means with the smoothed return, downsampled for drawing. */
export function rewardRows(iterations: readonly IterationLike[], smoothing: number, maxPoints = 600): readonly RewardRow[] {
  const raw = iterations.map((r) => r.summary.meanReturn);
  const smoothed = debiasedEma(raw, smoothing);
  const rows = iterations.map((r, i): RewardRow => ({
    iteration: r.iteration,
    meanReturn: raw[i],
    smoothedReturn: smoothed[i],
    meanFinalScore: r.summary.meanFinalScore,
    meanRouteCost: r.summary.meanRouteCost,
    successRate: r.summary.successRate,
  }));
  return downsampleMinMax(rows, maxPoints, (row) => row.meanReturn);
}

/** One PPO diagnostic as (iteration, value) rows, skipping iterations without an update. */
export function metricSeries<T extends { iteration: number }>(
  items: readonly T[],
  value: (item: T) => number | undefined,
  maxPoints = 400,
): readonly { iteration: number; value: number }[] {
  const rows: { iteration: number; value: number }[] = [];
  for (const item of items) {
    const v = value(item);
    if (v !== undefined && Number.isFinite(v)) rows.push({ iteration: item.iteration, value: v });
  }
  return downsampleMinMax(rows, maxPoints, (r) => r.value);
}

/** Mean of a numeric field over items, NaN when empty. */
export function meanOf<T>(items: readonly T[], value: (item: T) => number): number {
  let sum = 0;
  let n = 0;
  for (const item of items) {
    const v = value(item);
    if (Number.isFinite(v)) {
      sum += v;
      n += 1;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Diverging colour for a ΔP heatmap cell: red below 0, blue above, grey when never seen. */
export function divergingColor(value: number, maxAbs: number): string {
  if (!Number.isFinite(value)) return '#eef0f3';
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, value / maxAbs)) : 0;
  const strength = Math.abs(t);
  // Interpolate from near-white towards the end colour.
  const [r, g, b] = t >= 0 ? [33, 102, 172] : [178, 24, 43];
  const mix = (c: number) => Math.round(247 + (c - 247) * strength);
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}

/** Compact number format for the UI: fixed decimals, "—" for non-finite. */
export function formatNumber(value: number | undefined, digits = 3): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** An axis drawn with explicit ticks: the domain spans them exactly; `digits` decimals tell them apart. */
export interface AxisScale {
  domain: [number, number];
  ticks: number[];
  digits: number;
}

/**
 * Evenly spaced "nice" ticks (steps of 1, 2, 2.5 or 5 × 10^k) covering the finite values, about
 * `count` of them. Ticks are distinct by construction, so their labels (with `digits` decimals) are
 * too, and no two labels land on the same spot: a constant series gets a small band around its
 * value instead of five ticks at one height. Null when no value is finite (the axis then keeps
 * recharts' default).
 */
export function niceScale(values: readonly number[], count = 5, options: { fromZero?: boolean } = {}): AxisScale | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return null;
  if (options.fromZero) lo = Math.min(0, lo);
  if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    hi += pad;
    lo = options.fromZero && lo >= 0 ? lo : lo - pad;
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * magnitude;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (Number((step / magnitude).toPrecision(3)) === 2.5 ? 1 : 0);
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, digits };
}
