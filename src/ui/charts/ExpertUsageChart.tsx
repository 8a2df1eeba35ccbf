// "Expert usage": which experts the policy calls at each step index t (stacked counts).
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, EmptyChart } from './ChartCard';
import { expertColor } from './palette';

export interface ExpertUsageChartProps {
  names: readonly string[];
  /** usage[t][k]: calls of expert k at step t. */
  usage: readonly (readonly number[])[];
  scopeLabel: string;
  simulated: boolean;
}

export const ExpertUsageChart = memo(function ExpertUsageChart({ names, usage, scopeLabel, simulated }: ExpertUsageChartProps) {
  const { rows, used } = useMemo(() => {
    const used = names.map((_, k) => usage.some((row) => (row[k] ?? 0) > 0));
    const rows = usage.map((row, t) => {
      const out: Record<string, number> = { t };
      row.forEach((n, k) => (out[`e${k}`] = n));
      return out;
    });
    return { rows, used };
  }, [names, usage]);
  const any = used.some(Boolean);
  return (
    <ChartCard
      title="Expert usage"
      caption={`Calls of each expert at step index t (${scopeLabel}; t = 0 is the first call). A policy that has learned a route concentrates on a few colours per step.`}
      simulated={simulated}
      testId="usage-chart"
    >
      {!any ? (
        <EmptyChart text="No expert call recorded yet." />
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
            <XAxis dataKey="t" tick={{ fontSize: 11 }} label={{ value: 'step index t', position: 'insideBottom', offset: -2, fontSize: 11 }} height={34} />
            <YAxis tick={{ fontSize: 11 }} width={40} allowDecimals={false} />
            <Tooltip labelFormatter={(l) => `t = ${l}`} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {names.map((name, k) =>
              used[k] ? <Bar key={name} name={name} dataKey={`e${k}`} stackId="usage" fill={expertColor(k)} isAnimationActive={false} /> : null,
            )}
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
});
