// "ΔP by expert transition": a matrix whose cell (i, j) is the mean ΔP when expert j answered
// right after expert i (rows = previous expert, columns = next). Drawn as an HTML grid, which
// is cheaper than an SVG chart and keeps each cell's numbers in its title for hover and readers.
import { memo } from 'react';
import { ChartCard, EmptyChart } from './ChartCard';
import { divergingColor } from './chartData';

export interface TransitionHeatmapProps {
  names: readonly string[];
  mean: readonly (readonly number[])[];
  count: readonly (readonly number[])[];
  scopeLabel: string;
  simulated: boolean;
}

export const TransitionHeatmap = memo(function TransitionHeatmap({ names, mean, count, scopeLabel, simulated }: TransitionHeatmapProps) {
  let maxAbs = 0;
  let seen = 0;
  mean.forEach((row, i) =>
    row.forEach((v, j) => {
      if (count[i]?.[j] > 0 && Number.isFinite(v)) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
        seen += 1;
      }
    }),
  );
  return (
    <ChartCard
      title="ΔP by expert transition"
      caption={`Rows: previous expert; columns: the expert that answered next (${scopeLabel}). Blue = the next expert improved the answer on average, red = made it worse; grey = never seen. Hover a cell for mean ΔP and count.`}
      simulated={simulated}
      testId="transition-heatmap"
    >
      {seen === 0 ? (
        <EmptyChart text="No expert-to-expert transition recorded yet." />
      ) : (
        <div className="heatmap-scroll">
          <table className="heatmap" aria-label="Mean ΔP by expert transition">
            <thead>
              <tr>
                <th scope="col" className="corner">
                  prev ↓ / next →
                </th>
                {names.map((n) => (
                  <th key={n} scope="col" className="col-head">
                    <span>{n}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((rowName, i) => (
                <tr key={rowName}>
                  <th scope="row">{rowName}</th>
                  {names.map((colName, j) => {
                    const n = count[i]?.[j] ?? 0;
                    const v = mean[i]?.[j] ?? Number.NaN;
                    const label =
                      n > 0
                        ? `${rowName} → ${colName}: mean ΔP ${v.toFixed(4)} over ${n} transition${n === 1 ? '' : 's'}`
                        : `${rowName} → ${colName}: never seen`;
                    return (
                      <td key={colName} title={label} aria-label={label} style={{ background: divergingColor(n > 0 ? v : Number.NaN, maxAbs) }}>
                        {n > 0 ? n : ''}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="heatmap-legend">Cell text = number of transitions. Colour scale: ±{maxAbs.toFixed(3)} ΔP.</p>
        </div>
      )}
    </ChartCard>
  );
});
