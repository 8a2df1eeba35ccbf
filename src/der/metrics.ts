// Per-iteration summaries of episodes for the live charts and the run file's iteration lines:
// returns and scores, route lengths and costs, the score increment ΔP by step and by expert
// transition, and which experts are used at which step. Failed episodes are counted but left
// out of the means; STOP and failed steps are not expert calls and are left out of ΔP and usage.
import { STOP_NAME } from './actions';
import type { EpisodeRecord, StepRecord } from './runRecord';

export interface StepStat {
  /** Step index (from 0). */
  t: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  n: number;
}

export interface IterationSummary {
  episodes: number;
  failed: number;
  meanReturn: number;
  meanFinalScore: number;
  /** Expert calls per route. */
  meanRouteLength: number;
  /** Billions of parameters called per route. */
  meanRouteCost: number;
  /** Share of episodes whose final score is ≥ p0. */
  successRate: number;
  /** routeLengthHistogram[k − 1] = number of routes with k calls, k = 1..Tmax (longer routes land in the last bin). */
  routeLengthHistogram: number[];
  /** ΔP of the expert calls at t = 1..Tmax−1 (ΔP is 0 by definition at t = 0). */
  deltaByStep: StepStat[];
  /** transitionDelta[i][j]: mean ΔP when expert j answers right after expert i (NaN where never seen). */
  transitionDelta: number[][];
  transitionCount: number[][];
  /** expertUsageByStep[t][k]: calls of expert k at step t, t = 0..Tmax−1. */
  expertUsageByStep: number[][];
}

export interface SummaryOptions {
  expertCount: number;
  tmax: number;
  p0: number;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean, population std and count of a list of numbers (NaN mean/std when empty). */
export function stat(t: number, values: readonly number[]): StepStat {
  const m = mean(values);
  const variance = mean(values.map((v) => (v - m) ** 2));
  return { t, mean: m, std: Math.sqrt(variance), n: values.length };
}

function isExpertCall(s: StepRecord, expertCount: number): boolean {
  return s.expert !== STOP_NAME && s.error === undefined && s.action >= 0 && s.action < expertCount;
}

const matrix = (n: number, m: number, fill = 0): number[][] => Array.from({ length: n }, () => new Array<number>(m).fill(fill));

export function summarizeEpisodes(episodes: readonly EpisodeRecord[], options: SummaryOptions): IterationSummary {
  const { expertCount, tmax, p0 } = options;
  const ok = episodes.filter((e) => !e.failed);
  const histogram = new Array<number>(tmax).fill(0);
  for (const e of ok) if (e.route_length >= 1) histogram[Math.min(e.route_length, tmax) - 1]++;

  const deltas: number[][] = Array.from({ length: tmax }, () => []);
  const transitionSum = matrix(expertCount, expertCount);
  const transitionCount = matrix(expertCount, expertCount);
  const usage = matrix(tmax, expertCount);
  for (const e of episodes) {
    let previousExpert = -1;
    for (const s of e.steps) {
      if (!isExpertCall(s, expertCount)) continue;
      if (s.t < tmax) usage[s.t][s.action]++;
      if (s.t > 0 && Number.isFinite(s.delta)) {
        if (s.t < tmax) deltas[s.t].push(s.delta);
        if (previousExpert >= 0) {
          transitionSum[previousExpert][s.action] += s.delta;
          transitionCount[previousExpert][s.action]++;
        }
      }
      previousExpert = s.action;
    }
  }
  return {
    episodes: episodes.length,
    failed: episodes.length - ok.length,
    meanReturn: mean(ok.map((e) => e.return)),
    meanFinalScore: mean(ok.map((e) => e.final_score)),
    meanRouteLength: mean(ok.map((e) => e.route_length)),
    meanRouteCost: mean(ok.map((e) => e.route_cost)),
    successRate: mean(ok.map((e) => (e.final_score >= p0 ? 1 : 0))),
    routeLengthHistogram: histogram,
    deltaByStep: deltas.slice(1).map((values, i) => stat(i + 1, values)),
    transitionDelta: transitionSum.map((row, i) => row.map((sum, j) => (transitionCount[i][j] > 0 ? sum / transitionCount[i][j] : Number.NaN))),
    transitionCount,
    expertUsageByStep: usage,
  };
}

/** The scalar part of a summary, flat, for an IterationRecord's `metrics`. */
export function summaryMetrics(summary: IterationSummary): Record<string, number> {
  const out: Record<string, number> = {
    episodes: summary.episodes,
    failed: summary.failed,
    meanReturn: summary.meanReturn,
    meanFinalScore: summary.meanFinalScore,
    meanRouteLength: summary.meanRouteLength,
    meanRouteCost: summary.meanRouteCost,
    successRate: summary.successRate,
  };
  summary.routeLengthHistogram.forEach((n, i) => (out[`routeLength_${i + 1}`] = n));
  for (const s of summary.deltaByStep) out[`deltaP_t${s.t}`] = s.mean;
  return out;
}
