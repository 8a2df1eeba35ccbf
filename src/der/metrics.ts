// Per-iteration summaries of episodes for the live charts and the run file's iteration lines:
// returns and scores, route lengths and costs, the score increment ΔP by step and by expert
// transition, and which experts are used at which step. Failed episodes are counted but left
// out of the means; STOP and failed steps are not expert calls and are left out of ΔP and usage.
import { STOP_NAME } from './actions';
import type { EpisodeRecord, EpisodeSummary, StepRecord, StepStat } from './runRecord';

export type { EpisodeSummary, StepStat };

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

export function summarizeEpisodes(episodes: readonly EpisodeRecord[], options: SummaryOptions): EpisodeSummary {
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
