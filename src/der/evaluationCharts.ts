// The evaluation's charts: the cost–quality plane (parameters per question against mean score,
// one point per method, with the Pareto frontier), the route-length distribution, and the α/β
// sweep drawn as a frontier of agent points among the baselines.
import { paretoFrontier } from './evaluationMetrics';
import type { ReportRow } from './evaluationRows';
import { scatterSvg, stackedBarsSvg, type ScatterPoint } from './svgCharts';

const GROUP_OF: Record<ReportRow['kind'], string> = {
  agent: 'DER agent (greedy)',
  'agent-sampled': 'DER agent (sampled)',
  'random-pick': 'random',
  'random-route': 'random',
  single: 'single expert',
  'best-single': 'best single (train)',
  cascade: 'cascade',
  oracle: 'call all, pick best',
};

function shortLabel(row: ReportRow): string {
  if (row.kind === 'single') return row.label.replace(/^single: /, '');
  if (row.kind === 'best-single') return 'best single';
  if (row.kind === 'agent' || row.kind === 'agent-sampled') {
    const name = row.kind === 'agent' ? 'greedy' : 'sampled';
    return row.sweep ? `α=${row.sweep.alpha}, β=${row.sweep.beta} ${name}` : `agent ${name}`;
  }
  if (row.kind === 'oracle') return 'oracle';
  return row.kind;
}

function point(row: ReportRow, group = GROUP_OF[row.kind]): ScatterPoint {
  const cost = row.metrics.meanParamsB;
  const score = row.metrics.meanScore;
  return {
    x: cost.mean,
    y: score.mean,
    label: shortLabel(row),
    group,
    xErr: cost.n > 1 ? cost.std : undefined,
    yErr: score.n > 1 ? score.std : undefined,
  };
}

const planeAxes = { xLabel: 'expert parameters per question (B) ↓', yLabel: 'mean final score ↑' };

/** Best-single duplicates a single-expert point, so it is left out of the plane. */
export function costQualitySvg(rows: readonly ReportRow[], title = 'Cost–quality plane (held-out questions)'): string {
  const shown = rows.filter((r) => r.kind !== 'best-single');
  const points = shown.map((r) => point(r));
  const frontier = paretoFrontier(points.map((p) => ({ ...p, cost: p.x, score: p.y })));
  return scatterSvg(points, { title, ...planeAxes, frontier, frontierLabel: 'Pareto frontier' });
}

/** The sweep's agent points (greedy and sampled) and the greedy agents' frontier, with the baselines for orientation. */
export function sweepSvg(agentRows: readonly ReportRow[], baselineRows: readonly ReportRow[]): string {
  const agents = agentRows.map((r) => point(r, r.kind === 'agent' ? 'agent greedy (α, β)' : 'agent sampled (α, β)'));
  const others = baselineRows.filter((r) => r.kind !== 'best-single').map((r) => point(r, 'baselines'));
  const greedy = agents.filter((_, i) => agentRows[i].kind === 'agent');
  const frontier = paretoFrontier(greedy.map((p) => ({ ...p, cost: p.x, score: p.y })));
  return scatterSvg([...agents, ...others], { title: 'α/β sweep on the cost–quality plane', ...planeAxes, frontier, frontierLabel: 'frontier of the sweep' });
}

export function routeLengthSvg(rows: readonly ReportRow[], tmax: number): string {
  const labels = [...Array.from({ length: tmax }, (_, k) => `${k + 1} call${k === 0 ? '' : 's'}`), `> ${tmax}`];
  const bars = rows.filter((r) => r.kind !== 'best-single').map((r) => ({ label: r.label, segments: [...r.routeLengthCounts, r.overTmax] }));
  return stackedBarsSvg(bars, labels, { title: 'Route-length distribution', xLabel: 'share of routes' });
}
