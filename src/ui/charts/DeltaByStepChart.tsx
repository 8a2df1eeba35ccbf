// "BERTScore increment": ΔP = P_t − P_{t−1} of the expert calls at step t (mean ± std), i.e.
// how much each further expert improved the previous answer. Drawn by BarPlot (plain SVG; see
// there why not recharts).
import { memo, useMemo } from 'react';
import type { StepStat } from '../../der/metrics';
import { ChartCard, EmptyChart } from './ChartCard';
import { niceScale } from './chartData';
import { ChartFrame } from './ChartFrame';
import { BarPlot, type BarSeries } from './BarPlot';

export interface DeltaByStepChartProps {
  deltaByStep: readonly StepStat[];
  scopeLabel: string;
  simulated: boolean;
}

const BAR_COLOR = '#59a14f';

export const DeltaByStepChart = memo(function DeltaByStepChart({ deltaByStep, scopeLabel, simulated }: DeltaByStepChartProps) {
  // Recharts shows steps from 1 for people (step index t from 0 means the 2nd call is t = 1).
  const rows = useMemo(() => deltaByStep.filter((s) => s.n > 0).map((s) => ({ t: s.t, mean: s.mean, std: s.std, n: s.n })), [deltaByStep]);
  // Explicit ticks over bars, whiskers and the zero line: distinct labels even when every ΔP is 0.
  const scale = useMemo(
    () => niceScale([0, ...rows.flatMap((r) => [r.mean - (Number.isFinite(r.std) ? r.std : 0), r.mean + (Number.isFinite(r.std) ? r.std : 0)])]),
    [rows],
  );
  const categories = useMemo(() => rows.map((r) => r.t), [rows]);
  const series = useMemo<BarSeries[]>(() => [{ name: 'mean ΔP', color: BAR_COLOR, values: rows.map((r) => r.mean), errors: rows.map((r) => r.std) }], [rows]);
  const tooltip = (i: number) => ({
    title: `t = ${rows[i].t}`,
    rows: [{ name: 'mean ΔP', color: BAR_COLOR, text: `${rows[i].mean.toFixed(4)} ± ${rows[i].std.toFixed(4)} (n = ${rows[i].n})` }],
  });
  return (
    <ChartCard
      title="BERTScore increment"
      caption={`ΔP per step index t (${scopeLabel}): bar = mean gain of the t-th follow-up expert over the previous answer, whisker = ±1 std. Above 0 means the knowledge-transfer prompt helped.`}
      simulated={simulated}
      testId="delta-chart"
    >
      <div className="chart-stage">
        {rows.length === 0 && <EmptyChart overlay text="No route with two or more expert calls yet (ΔP is defined from the second call on)." />}
        <ChartFrame height={220}>
          {(width) => (
            <BarPlot
              width={width}
              height={220}
              categories={categories}
              series={series}
              yScale={scale}
              yAxisWidth={52}
              xLabel="step index t"
              zeroLine
              tooltip={tooltip}
              ariaLabel="Mean ΔP per step index, with ±1 std whiskers"
            />
          )}
        </ChartFrame>
      </div>
    </ChartCard>
  );
});
