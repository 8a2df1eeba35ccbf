// "BERTScore increment": ΔP = P_t − P_{t−1} of the expert calls at step t (mean ± std), i.e.
// how much each further expert improved the previous answer.
import { memo, useMemo } from 'react';
import { Bar, CartesianGrid, ComposedChart, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { StepStat } from '../../der/metrics';
import { ChartCard, EmptyChart } from './ChartCard';
import { fixedDigits, LABEL_STEP, MARGIN, stepLabel, TICK, tickNumber } from './chartProps';
import { niceScale } from './chartData';
import { ChartFrame } from './ChartFrame';

export interface DeltaByStepChartProps {
  deltaByStep: readonly StepStat[];
  scopeLabel: string;
  simulated: boolean;
}

function formatDelta(value: unknown, name: unknown, item: unknown): [string, string] {
  const row = (item as { payload?: { std: number; n: number } }).payload;
  return [`${Number(value).toFixed(4)} ± ${row?.std.toFixed(4)} (n = ${row?.n})`, String(name)];
}

export const DeltaByStepChart = memo(function DeltaByStepChart({ deltaByStep, scopeLabel, simulated }: DeltaByStepChartProps) {
  // Recharts shows steps from 1 for people (step index t from 0 means the 2nd call is t = 1).
  const rows = useMemo(() => deltaByStep.filter((s) => s.n > 0).map((s) => ({ t: s.t, mean: s.mean, std: s.std, n: s.n })), [deltaByStep]);
  // Explicit ticks over bars, whiskers and the zero line: distinct labels even when every ΔP is 0.
  const scale = useMemo(
    () => niceScale([0, ...rows.flatMap((r) => [r.mean - (Number.isFinite(r.std) ? r.std : 0), r.mean + (Number.isFinite(r.std) ? r.std : 0)])]),
    [rows],
  );
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
            <ComposedChart width={width} height={220} data={rows} margin={MARGIN}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
              <XAxis interval={0} dataKey="t" tick={TICK} label={LABEL_STEP} height={40} />
              {scale ? (
                <YAxis interval={0} tick={TICK} width={52} domain={scale.domain} ticks={scale.ticks} tickFormatter={fixedDigits(scale.digits)} />
              ) : (
                <YAxis interval={0} tick={TICK} width={52} tickFormatter={tickNumber} />
              )}
              <ReferenceLine y={0} stroke="#8a94a3" />
              <Tooltip labelFormatter={stepLabel} formatter={formatDelta} />
              <Bar name="mean ΔP" dataKey="mean" fill="#59a14f" isAnimationActive={false}>
                <ErrorBar dataKey="std" width={6} stroke="#24532b" direction="y" />
              </Bar>
            </ComposedChart>
          )}
        </ChartFrame>
      </div>
    </ChartCard>
  );
});
