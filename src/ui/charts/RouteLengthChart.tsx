// "Route length": how many experts a route calls, k = 1..Tmax, for the latest iteration and for
// the whole run. Shares (not counts) so both scopes fit one axis; counts are in the tooltip.
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, EmptyChart } from './ChartCard';
import { routeLengthRows, type RouteLengthRow } from './chartData';

export interface RouteLengthChartProps {
  last: readonly number[];
  cumulative: readonly number[];
  lastIteration: number | null;
  simulated: boolean;
}

export const RouteLengthChart = memo(function RouteLengthChart({ last, cumulative, lastIteration, simulated }: RouteLengthChartProps) {
  const rows = useMemo(() => routeLengthRows(last, cumulative), [last, cumulative]);
  const total = cumulative.reduce((a, b) => a + b, 0);
  return (
    <ChartCard
      title="Route length"
      caption="Share of routes that called k experts before ending. Mass moving left means the agent learned to stop earlier (cheaper); k = Tmax means it hit the step limit."
      simulated={simulated}
      testId="route-length-chart"
    >
      {total === 0 ? (
        <EmptyChart text="No finished episode yet." />
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
            <XAxis dataKey="length" tick={{ fontSize: 11 }} label={{ value: 'expert calls k', position: 'insideBottom', offset: -2, fontSize: 11 }} height={34} />
            <YAxis tick={{ fontSize: 11 }} width={40} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} domain={[0, 1]} />
            <Tooltip
              labelFormatter={(l) => `${l} call${l === 1 ? '' : 's'}`}
              formatter={(value, name, item) => {
                const row = (item as { payload?: RouteLengthRow }).payload;
                const count = name === 'whole run' ? row?.cumulativeCount : row?.lastCount;
                return [`${(Number(value) * 100).toFixed(1)}% (${count ?? 0} routes)`, name];
              }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar name={lastIteration === null ? 'latest iteration' : `iteration ${lastIteration}`} dataKey="lastShare" fill="#4e79a7" isAnimationActive={false} />
            <Bar name="whole run" dataKey="cumulativeShare" fill="#bac8da" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
});
