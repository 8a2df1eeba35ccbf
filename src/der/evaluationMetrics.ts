// The numbers an evaluation reports per method (the paper's results table and its Table 6 of
// route lengths), the per-domain breakdown, the mean ± std over seeds, the Pareto frontier of
// the cost–quality plane, and which row is best in each column.
import { STOP_NAME } from './actions';
import type { EpisodeRecord } from './runRecord';

export interface MethodMetrics {
  /** Questions evaluated (failed episodes included). */
  questions: number;
  /** Episodes ended by a failed expert call; left out of every mean below. */
  failed: number;
  /** Mean final score P (raw scorer scale). */
  meanScore: number;
  /** Share of routes whose final score is ≥ p0. */
  successRate: number;
  meanReturn: number;
  /** Expert calls per route that returned an answer. */
  meanRouteLength: number;
  /** routeLengthCounts[k − 1] = routes with k calls, k = 1..Tmax. */
  routeLengthCounts: number[];
  /** Routes longer than Tmax (only the call-all oracle has them). */
  overTmax: number;
  /** Mean sum of C (billions of parameters) over the route: compute per question. */
  meanParamsB: number;
  /** Expert calls made per question, failed ones included. */
  meanCalls: number;
  /** Prompt + completion tokens per question; null when no expert reported usage. */
  meanTokens: number | null;
  /** Money per question in USD; null when no expert reported a price. */
  meanCostUSD: number | null;
  /** Mean of `accuracy(final answer, reference)` (e.g. GSM8K exact match); null when not computed. */
  accuracy: number | null;
  /** Of the routes whose final score passes p0, the share that ended before Tmax calls (did the learned STOP stop?); null when none passed. */
  stopsBeforeTmaxWhenPassing: number | null;
}

export interface MetricsOptions {
  tmax: number;
  p0: number;
  /** References by question id, for `accuracy`. */
  references?: ReadonlyMap<string, string>;
  /** Per-answer accuracy in [0, 1] (e.g. exact match of the final number); omit when it does not apply. */
  accuracy?: (answer: string, reference: string) => number;
}

const mean = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);

/**
 * The answer a method ends with: the best-scoring step for the call-all oracle (it keeps the best
 * answer), otherwise the latest answer (a STOP step repeats it).
 */
export function finalAnswer(episode: EpisodeRecord): string {
  const answered = episode.steps.filter((s) => s.error === undefined && s.expert !== STOP_NAME);
  if (answered.length === 0) return '';
  if (episode.policy === 'oracle') {
    return answered.reduce((best, s) => (s.score > best.score ? s : best), answered[0]).answer;
  }
  return answered[answered.length - 1].answer;
}

export function methodMetrics(episodes: readonly EpisodeRecord[], options: MetricsOptions): MethodMetrics {
  const { tmax, p0 } = options;
  const ok = episodes.filter((e) => !e.failed);
  const counts = new Array<number>(tmax).fill(0);
  let overTmax = 0;
  for (const e of ok) {
    if (e.route_length > tmax) overTmax++;
    else if (e.route_length >= 1) counts[e.route_length - 1]++;
  }
  const calls = (e: EpisodeRecord) => e.steps.filter((s) => s.expert !== STOP_NAME).length;
  const usageSteps = ok.flatMap((e) => e.steps.filter((s) => s.usage !== undefined));
  const moneySteps = ok.flatMap((e) => e.steps.filter((s) => s.costUSD !== undefined));
  const tokens = (e: EpisodeRecord) => e.steps.reduce((sum, s) => sum + (s.usage ? s.usage.promptTokens + s.usage.completionTokens : 0), 0);
  const money = (e: EpisodeRecord) => e.steps.reduce((sum, s) => sum + (s.costUSD ?? 0), 0);
  const passing = ok.filter((e) => e.final_score >= p0);
  let accuracy: number | null = null;
  if (options.accuracy && options.references) {
    const judged = ok.filter((e) => options.references!.has(e.question_id));
    if (judged.length > 0) accuracy = mean(judged.map((e) => options.accuracy!(finalAnswer(e), options.references!.get(e.question_id)!)));
  }
  return {
    questions: episodes.length,
    failed: episodes.length - ok.length,
    meanScore: mean(ok.map((e) => e.final_score)),
    successRate: mean(ok.map((e) => (e.final_score >= p0 ? 1 : 0))),
    meanReturn: mean(ok.map((e) => e.return)),
    meanRouteLength: mean(ok.map((e) => e.route_length)),
    routeLengthCounts: counts,
    overTmax,
    meanParamsB: mean(ok.map((e) => e.route_cost)),
    meanCalls: mean(ok.map(calls)),
    meanTokens: usageSteps.length > 0 ? mean(ok.map(tokens)) : null,
    meanCostUSD: moneySteps.length > 0 ? mean(ok.map(money)) : null,
    accuracy,
    stopsBeforeTmaxWhenPassing: passing.length > 0 ? mean(passing.map((e) => (e.route_length < tmax ? 1 : 0))) : null,
  };
}

/** Metrics per domain (episodes without a domain are left out); empty when no episode has one. */
export function metricsByDomain(episodes: readonly EpisodeRecord[], options: MetricsOptions): Record<string, MethodMetrics> {
  const groups = new Map<string, EpisodeRecord[]>();
  for (const e of episodes) {
    if (e.domain === undefined) continue;
    const list = groups.get(e.domain) ?? [];
    list.push(e);
    groups.set(e.domain, list);
  }
  const out: Record<string, MethodMetrics> = {};
  for (const domain of [...groups.keys()].sort()) out[domain] = methodMetrics(groups.get(domain)!, options);
  return out;
}

/** Mean, sample standard deviation (n − 1; 0 for one value) and count over seeds. */
export interface SeedStat {
  mean: number;
  std: number;
  n: number;
}

export function seedStat(values: readonly number[]): SeedStat {
  const finite = values.filter((v) => Number.isFinite(v));
  const m = mean(finite);
  const std = finite.length > 1 ? Math.sqrt(finite.reduce((s, v) => s + (v - m) ** 2, 0) / (finite.length - 1)) : finite.length === 1 ? 0 : Number.NaN;
  return { mean: m, std, n: finite.length };
}

/** The scalar metrics that get mean ± std over seeds. */
export const SEED_METRIC_KEYS = [
  'meanScore',
  'successRate',
  'meanReturn',
  'meanRouteLength',
  'meanParamsB',
  'meanCalls',
  'meanTokens',
  'meanCostUSD',
  'accuracy',
  'stopsBeforeTmaxWhenPassing',
] as const;
export type SeedMetricKey = (typeof SEED_METRIC_KEYS)[number];

/** Per metric, mean ± std over the seeds' values (null values are skipped; n says how many counted). */
export function aggregateSeedMetrics(perSeed: readonly MethodMetrics[]): Record<SeedMetricKey, SeedStat> & { routeLengthCounts: number[] } {
  const out = {} as Record<SeedMetricKey, SeedStat>;
  for (const key of SEED_METRIC_KEYS) out[key] = seedStat(perSeed.map((m) => m[key]).filter((v): v is number => v !== null));
  const bins = perSeed[0]?.routeLengthCounts.length ?? 0;
  const routeLengthCounts = Array.from({ length: bins }, (_, k) => mean(perSeed.map((m) => m.routeLengthCounts[k])));
  return { ...out, routeLengthCounts };
}

export interface PlanePoint {
  /** Expert parameters per question (billions); lower is better. */
  cost: number;
  /** Mean final score; higher is better. */
  score: number;
}

/**
 * The points no other point dominates (another point with cost ≤ and score ≥, one of them
 * strictly), sorted by cost. Points with a non-finite coordinate are left out; exact duplicates
 * are all kept.
 */
export function paretoFrontier<T extends PlanePoint>(points: readonly T[]): T[] {
  const finite = points.filter((p) => Number.isFinite(p.cost) && Number.isFinite(p.score));
  const dominated = (p: T) => finite.some((q) => q.cost <= p.cost && q.score >= p.score && (q.cost < p.cost || q.score > p.score));
  return finite.filter((p) => !dominated(p)).sort((a, b) => a.cost - b.cost || b.score - a.score);
}

export type BetterDirection = 'higher' | 'lower';

/**
 * For each column, the indices of the rows holding its best value (ties all win). Null and
 * non-finite cells never win; a column with no finite value has no best row.
 */
export function bestRowsPerColumn(rows: readonly (readonly (number | null)[])[], directions: readonly BetterDirection[]): number[][] {
  return directions.map((direction, column) => {
    const values = rows.map((row) => row[column]);
    const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
    if (finite.length === 0) return [];
    const best = direction === 'higher' ? Math.max(...finite) : Math.min(...finite);
    const tolerance = 1e-12 * Math.max(1, Math.abs(best));
    return values.flatMap((v, i) => (v !== null && Number.isFinite(v) && Math.abs(v - best) <= tolerance ? [i] : []));
  });
}
