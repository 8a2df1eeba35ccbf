// Report rows: one per method, aggregated over the seeds of an evaluation (mean ± std with N),
// so one seed, K seeds and an α/β sweep all end up in the same table, CSV and charts. A
// stochastic method (random baselines, sampled agent) counts each of its draws as one value, so
// its N is draws × seeds; a deterministic one counts one value per seed.
import { STOP_NAME, type StopRule } from './actions';
import { isAgentKind, type Evaluation, type MethodKind, type MethodResult } from './evaluation';
import type { QuestionMeans } from './evaluationCompare';
import type { EpisodeRecord } from './runRecord';
import { aggregateSeedMetrics, bestRowsPerColumn, type BetterDirection, type SeedMetricKey, type SeedStat } from './evaluationMetrics';

export interface ReportRow {
  id: string;
  label: string;
  kind: MethodKind;
  stopRule: StopRule;
  usesReferences: boolean;
  /** Mean ± std over seeds (n = seeds, or seeds × draws for a stochastic method, that gave a value). */
  metrics: Record<SeedMetricKey, SeedStat>;
  /** Mean count per route length 1..Tmax over seeds, then the mean count of routes longer than Tmax. */
  routeLengthCounts: number[];
  overTmax: number;
  /** Questions per seed, and failed episodes summed over seeds. */
  questions: number;
  failed: number;
  byDomain: Record<string, Record<SeedMetricKey, SeedStat>>;
  /** The most frequent routes (expert names in call order) over all seeds' episodes, most frequent first. */
  topRoutes: { route: string[]; count: number }[];
  /** Per question: score, params and return averaged over seeds and draws (for paired comparisons). */
  questionMeans: QuestionMeans;
  /** The α/β of an agent row of a sweep. */
  sweep?: { alpha: number; beta: number };
}

/** Per question id, the mean score, parameters and return over the given episodes (failed ones left out). */
export function questionMeansOf(episodes: readonly EpisodeRecord[]): QuestionMeans {
  const sums = new Map<string, { score: number; params: number; ret: number; n: number }>();
  for (const e of episodes) {
    if (e.failed) continue;
    const s = sums.get(e.question_id) ?? { score: 0, params: 0, ret: 0, n: 0 };
    s.score += e.final_score;
    s.params += e.route_cost;
    s.ret += e.return;
    s.n += 1;
    sums.set(e.question_id, s);
  }
  const out: QuestionMeans = {};
  for (const [id, s] of sums) out[id] = { meanScore: s.score / s.n, meanParamsB: s.params / s.n, meanReturn: s.ret / s.n };
  return out;
}

const TOP_ROUTES = 5;

/** Routes by frequency (ties: shorter first, then alphabetical, so the order is stable). */
export function topRoutes(episodes: readonly EpisodeRecord[], limit = TOP_ROUTES): { route: string[]; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of episodes) {
    if (e.failed) continue;
    const key = JSON.stringify(e.steps.filter((s) => s.expert !== STOP_NAME && s.error === undefined).map((s) => s.expert));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, count]) => ({ route: JSON.parse(key) as string[], count }))
    .sort((a, b) => b.count - a.count || a.route.length - b.route.length || a.route.join().localeCompare(b.route.join()))
    .slice(0, limit);
}

function rowFor(
  perSeed: readonly MethodResult[],
  head: Omit<ReportRow, 'metrics' | 'routeLengthCounts' | 'overTmax' | 'questions' | 'failed' | 'byDomain' | 'topRoutes' | 'questionMeans'>,
): ReportRow {
  // One value per draw of a stochastic method, one per seed otherwise.
  const aggregated = aggregateSeedMetrics(perSeed.flatMap((m) => (m.draws ? m.draws.map((d) => d.metrics) : [m.metrics])));
  const { routeLengthCounts, ...metrics } = aggregated;
  const domains = [...new Set(perSeed.flatMap((m) => Object.keys(m.byDomain)))].sort();
  const byDomain: ReportRow['byDomain'] = {};
  for (const d of domains) {
    const { routeLengthCounts: _ignored, ...stats } = aggregateSeedMetrics(perSeed.flatMap((m) => (m.byDomain[d] ? [m.byDomain[d]] : [])));
    byDomain[d] = stats;
  }
  return {
    ...head,
    metrics,
    routeLengthCounts,
    overTmax: perSeed.reduce((s, m) => s + m.metrics.overTmax, 0) / Math.max(1, perSeed.length),
    questions: perSeed[0]?.metrics.questions ?? 0,
    failed: perSeed.reduce((s, m) => s + m.metrics.failed, 0),
    byDomain,
    topRoutes: topRoutes(perSeed.flatMap((m) => m.episodes)),
    questionMeans: questionMeansOf(perSeed.flatMap((m) => m.episodes)),
  };
}

/**
 * One row per method id, over the given per-seed evaluations (same methods in each). `agentOnly`
 * keeps only the agent rows, greedy and sampled (for the points of a sweep); `sweep` names the
 * agent rows by their α/β ("DER agent α=… β=… (greedy, …)", id "agent:alpha=…,beta=…").
 */
export function reportRows(perSeed: readonly Evaluation[], options: { agentOnly?: boolean; sweep?: { alpha: number; beta: number } } = {}): ReportRow[] {
  if (perSeed.length === 0) return [];
  const ids = perSeed[0].methods.map((m) => m.id);
  const rows: ReportRow[] = [];
  for (const id of ids) {
    const kind = perSeed[0].methods.find((m) => m.id === id)!.kind;
    if (options.agentOnly && !isAgentKind(kind)) continue;
    const results = perSeed.map((e) => {
      const found = e.methods.find((m) => m.id === id);
      if (!found) throw new Error(`method ${id} is missing from one seed's evaluation; every seed must run the same methods`);
      return found;
    });
    const first = results[0];
    const point = isAgentKind(kind) ? options.sweep : undefined;
    rows.push(
      rowFor(results, {
        id: point ? `${id}:alpha=${point.alpha},beta=${point.beta}` : id,
        label: point ? first.label.replace(/^DER agent/, `DER agent α=${point.alpha} β=${point.beta}`) : first.label,
        kind: first.kind,
        stopRule: first.stopRule,
        usesReferences: first.usesReferences,
        ...(point ? { sweep: point } : {}),
      }),
    );
  }
  return rows;
}

/** The results table's numeric columns: which metric, its heading, and which direction is better. */
export interface ResultColumn {
  key: SeedMetricKey | 'scoreX100';
  heading: string;
  better: BetterDirection;
}

export function resultColumns(options: { accuracy: boolean; tokens: boolean; money: boolean }): ResultColumn[] {
  const columns: ResultColumn[] = [
    { key: 'meanScore', heading: 'mean score (raw)', better: 'higher' },
    { key: 'scoreX100', heading: 'score ×100', better: 'higher' },
    { key: 'successRate', heading: 'success (P ≥ p0)', better: 'higher' },
  ];
  if (options.accuracy) columns.push({ key: 'accuracy', heading: 'exact-match accuracy', better: 'higher' });
  columns.push(
    { key: 'meanRouteLength', heading: 'mean route length', better: 'lower' },
    { key: 'meanParamsB', heading: 'params / question (B)', better: 'lower' },
    { key: 'meanCalls', heading: 'calls / question', better: 'lower' },
  );
  if (options.tokens) columns.push({ key: 'meanTokens', heading: 'tokens / question', better: 'lower' });
  if (options.money) columns.push({ key: 'meanCostUSD', heading: 'USD / question', better: 'lower' });
  return columns;
}

export function columnValue(row: ReportRow, column: ResultColumn): SeedStat {
  if (column.key === 'scoreX100') {
    const s = row.metrics.meanScore;
    return { mean: s.mean * 100, std: s.std * 100, n: s.n };
  }
  return row.metrics[column.key];
}

/** Per column, the row indices holding the best mean (ties all marked; missing values never win). */
export function bestPerColumn(rows: readonly ReportRow[], columns: readonly ResultColumn[]): number[][] {
  const matrix = rows.map((row) => columns.map((c) => (columnValue(row, c).n > 0 ? columnValue(row, c).mean : null)));
  return bestRowsPerColumn(
    matrix,
    columns.map((c) => c.better),
  );
}
