// "Expert usage": which experts the policy calls at each step index t (stacked counts).
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend } from './SeriesLegend';
import { ChartCard, EmptyChart } from './ChartCard';
import { expertColor } from './palette';
import { LABEL_STEP, MARGIN, TICK, stepLabel } from './chartProps';
import { ChartFrame } from './ChartFrame';

export interface ExpertUsageChartProps {
  names: readonly string[];
  /** usage[t][k]: calls of expert k at step t. */
  usage: readonly (readonly number[])[];
  scopeLabel: string;
  simulated: boolean;
}

export const ExpertUsageChart = memo(function ExpertUsageChart({ names, usage, scopeLabel, simulated }: ExpertUsageChartProps) {
  const { rows, used, legend } = useMemo(() => {
    const used = names.map((_, k) => usage.some((row) => (row[k] ?? 0) > 0));
    const rows = usage.map((row, t) => {
      const out: Record<string, number> = { t };
      row.forEach((n, k) => (out[`e${k}`] = n));
      return out;
    });
    const legend = names.map((label, k) => ({ label, color: expertColor(k) })).filter((_, k) => used[k]);
    return { rows, used, legend };
  }, [names, usage]);
  const any = used.some(Boolean);
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
              <BarChart width={width} height={240} data={rows} margin={MARGIN}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
                <XAxis interval={0} dataKey="t" tick={TICK} label={LABEL_STEP} height={40} />
                <YAxis interval={0} tick={TICK} width={40} allowDecimals={false} />
                <Tooltip labelFormatter={stepLabel} />
                {names.map((name, k) =>
                  used[k] ? <Bar key={name} name={name} dataKey={`e${k}`} stackId="usage" fill={expertColor(k)} isAnimationActive={false} /> : null,
                )}
              </BarChart>
            )}
          </ChartFrame>
        </>
      </div>
    </ChartCard>
  );
});
