// "Runs compared": the selected runs' reward curves (mean return per iteration) on one chart, or,
// grouped, one curve per config with the seed removed: mean with a ± std band, N in the legend.
// A table under the chart gives the last point of each curve in numbers.
import { useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, EmptyChart } from '../charts/ChartCard';
import { expertColor } from '../charts/palette';
import { groupBySeed, meanStdCurve, type CurveRun } from './seedGroups';

export interface RunsOverlayChartProps {
  runs: CurveRun[];
  grouped: boolean;
  simulated: boolean;
}

type Row = Record<string, number | [number, number]>;

const fmt = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : Array.isArray(v) ? v.map((x) => Number(x).toFixed(3)).join(' … ') : '—';

interface Series {
  key: string;
  label: string;
  color: string;
  last: { iteration: number; mean: number; std: number | null; n: number } | null;
}

function buildRows(runs: CurveRun[], grouped: boolean): { rows: Row[]; series: Series[] } {
  const byIteration = new Map<number, Row>();
  const row = (iteration: number) => {
    let r = byIteration.get(iteration);
    if (!r) byIteration.set(iteration, (r = { iteration }));
    return r;
  };
  const series: Series[] = [];
  if (grouped) {
    groupBySeed(runs).forEach((group, g) => {
      const key = `g${g}`;
      const curve = meanStdCurve(group.runs);
      for (const p of curve) {
        row(p.iteration)[key] = p.mean;
        row(p.iteration)[`${key}_band`] = [p.mean - p.std, p.mean + p.std];
      }
      const last = curve.at(-1);
      series.push({
        key,
        label: group.label,
        color: expertColor(g),
        last: last ? { iteration: last.iteration, mean: last.mean, std: last.std, n: last.n } : null,
      });
    });
  } else {
    runs.forEach((run, i) => {
      const key = `r${i}`;
      for (const [iteration, value] of run.points) row(iteration)[key] = value;
      const last = run.points.at(-1);
      series.push({ key, label: run.name, color: expertColor(i), last: last ? { iteration: last[0], mean: last[1], std: null, n: 1 } : null });
    });
  }
  return { rows: [...byIteration.values()].sort((a, b) => (a.iteration as number) - (b.iteration as number)), series };
}

export function RunsOverlayChart({ runs, grouped, simulated }: RunsOverlayChartProps) {
  const { rows, series } = useMemo(() => buildRows(runs, grouped), [runs, grouped]);
  return (
    <ChartCard
      title="Runs compared"
      caption={
        grouped
          ? 'Mean return per iteration; runs whose configs differ only by seed are one line (their mean) with a band of ± one standard deviation; N = runs in the group.'
          : 'Mean return per iteration of each selected run. Tick "Group runs that differ only by seed" to see mean ± std over seeds.'
      }
      simulated={simulated}
      testId="runs-overlay"
      wide
    >
      {rows.length === 0 ? (
        <EmptyChart text="Select runs in the table (the Compare checkbox) to overlay their reward curves." />
      ) : (
        <>
          <ResponsiveContainer width="100%" height={260}>
            <ComposedChart data={rows} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
              <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} width={48} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
              <Tooltip formatter={fmt} labelFormatter={(l) => `iteration ${l}`} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {grouped &&
                series.map((s) => (
                  <Area
                    key={`${s.key}_band`}
                    dataKey={`${s.key}_band`}
                    name={`${s.label} ± std`}
                    legendType="none"
                    stroke="none"
                    fill={s.color}
                    fillOpacity={0.18}
                    isAnimationActive={false}
                    connectNulls
                  />
                ))}
              {series.map((s) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  strokeWidth={2}
                  dot={rows.length < 40}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </ComposedChart>
          </ResponsiveContainer>
          <table className="runs-summary" data-testid="runs-overlay-table">
            <caption className="muted">Last point of each curve</caption>
            <thead>
              <tr>
                <th scope="col">{grouped ? 'Group' : 'Run'}</th>
                <th scope="col">Iteration</th>
                <th scope="col">Mean return</th>
                {grouped && <th scope="col">± std</th>}
                {grouped && <th scope="col">N</th>}
              </tr>
            </thead>
            <tbody>
              {series.map((s) => (
                <tr key={s.key}>
                  <th scope="row">
                    <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
                  </th>
                  <td>{s.last ? s.last.iteration : '—'}</td>
                  <td>{s.last ? fmt(s.last.mean) : '—'}</td>
                  {grouped && <td>{s.last?.std != null ? fmt(s.last.std) : '—'}</td>}
                  {grouped && <td data-testid="group-n">{s.last ? s.last.n : 0}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </ChartCard>
  );
}
