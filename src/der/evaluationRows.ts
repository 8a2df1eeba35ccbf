// Report rows: one per method, aggregated over the seeds of an evaluation (mean ± std with N),
// so one seed, K seeds and an α/β sweep all end up in the same table, CSV and charts.
import { STOP_NAME, type StopRule } from './actions';
import type { Evaluation, MethodKind } from './evaluation';
import type { EpisodeRecord } from './runRecord';
import { aggregateSeedMetrics, bestRowsPerColumn, type BetterDirection, type MethodMetrics, type SeedMetricKey, type SeedStat } from './evaluationMetrics';

export interface ReportRow {
  id: string;
  label: string;
  kind: MethodKind;
  stopRule: StopRule;
  usesReferences: boolean;
  /** Mean ± std over seeds (n = seeds that gave a value). */
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
  /** The α/β of an agent row of a sweep. */
  sweep?: { alpha: number; beta: number };
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

function rowFor(perSeed: readonly { metrics: MethodMetrics; byDomain: Record<string, MethodMetrics>; episodes: EpisodeRecord[] }[], head: Omit<ReportRow, 'metrics' | 'routeLengthCounts' | 'overTmax' | 'questions' | 'failed' | 'byDomain' | 'topRoutes'>): ReportRow {
  const aggregated = aggregateSeedMetrics(perSeed.map((m) => m.metrics));
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
  };
}

/**
 * One row per method id, over the given per-seed evaluations (same methods in each). `agentOnly`
 * keeps only the agent row (for the extra points of a sweep); `agentLabel`/`sweep` rename it.
 */
export function reportRows(perSeed: readonly Evaluation[], options: { agentOnly?: boolean; agentLabel?: string; agentId?: string; sweep?: { alpha: number; beta: number } } = {}): ReportRow[] {
  if (perSeed.length === 0) return [];
  const ids = perSeed[0].methods.map((m) => m.id);
  const rows: ReportRow[] = [];
  for (const id of ids) {
    if (options.agentOnly && id !== 'agent') continue;
    const results = perSeed.map((e) => {
      const found = e.methods.find((m) => m.id === id);
      if (!found) throw new Error(`method ${id} is missing from one seed's evaluation; every seed must run the same methods`);
      return found;
    });
    const first = results[0];
    const isAgent = id === 'agent';
    rows.push(
      rowFor(results, {
        id: isAgent && options.agentId ? options.agentId : id,
        label: isAgent && options.agentLabel ? options.agentLabel : first.label,
        kind: first.kind,
        stopRule: first.stopRule,
        usesReferences: first.usesReferences,
        ...(isAgent && options.sweep ? { sweep: options.sweep } : {}),
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
  return bestRowsPerColumn(matrix, columns.map((c) => c.better));
}
