// "Expert usage": which experts the policy calls at each step index t (stacked counts). Drawn by
// BarPlot (plain SVG; see there why not recharts).
import { memo, useMemo } from 'react';
import { SeriesLegend } from './SeriesLegend';
import { ChartCard, EmptyChart } from './ChartCard';
import { expertColor } from './palette';
import { ChartFrame } from './ChartFrame';
import { BarPlot, type BarSeries } from './BarPlot';
import { niceScale } from './chartData';

export interface ExpertUsageChartProps {
  names: readonly string[];
  /** usage[t][k]: calls of expert k at step t. */
  usage: readonly (readonly number[])[];
  scopeLabel: string;
  simulated: boolean;
}

export const ExpertUsageChart = memo(function ExpertUsageChart({ names, usage, scopeLabel, simulated }: ExpertUsageChartProps) {
  const { categories, series, scale, used, legend } = useMemo(() => {
    const used = names.map((_, k) => usage.some((row) => (row[k] ?? 0) > 0));
    const categories = usage.map((_, t) => t);
    // Series in expert order (stacked bottom to top), only the experts ever called.
    const series: BarSeries[] = names.map((name, k) => ({ name, color: expertColor(k), values: usage.map((row) => row[k] ?? 0) })).filter((_, k) => used[k]);
    // Whole-number ticks: these are counts.
    const top = usage.reduce(
      (m, row) =>
        Math.max(
          m,
          row.reduce((a, b) => a + b, 0),
        ),
      0,
    );
    const nice = niceScale([0, Math.max(1, top)], 5, { fromZero: true });
    const scale = nice && nice.ticks.every(Number.isInteger) ? nice : niceScale([0, Math.max(4, top)], 5, { fromZero: true });
    const legend = series.map((s) => ({ label: s.name, color: s.color }));
    return { categories, series, scale, used, legend };
  }, [names, usage]);
  const any = used.some(Boolean);
  const tooltip = (t: number) => ({
    title: `t = ${t}`,
    rows: series.map((s) => ({ name: s.name, color: s.color, text: String(s.values[t] ?? 0) })),
  });
  return (
    <ChartCard
      title="Expert usage"
      caption={`Calls of each expert at step index t (${scopeLabel}; t = 0 is the first call). A policy that has learned a route concentrates on a few colours per step.`}
      simulated={simulated}
      testId="usage-chart"
    >
      <div className="chart-stage">
        {!any && <EmptyChart overlay text="No expert call recorded yet." />}
        <>
          <SeriesLegend items={legend} />
          <ChartFrame height={240}>
            {(width) => (
              <BarPlot
                width={width}
                height={240}
                categories={categories}
                series={series}
                stacked
                yScale={scale}
                yAxisWidth={40}
                xLabel="step index t"
                tooltip={tooltip}
                ariaLabel="Calls of each expert at each step index"
              />
            )}
          </ChartFrame>
        </>
      </div>
    </ChartCard>
  );
});
