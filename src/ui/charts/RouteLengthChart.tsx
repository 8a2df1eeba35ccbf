// "Route length": how many experts a route calls, k = 1..Tmax, for the latest iteration and for
// the whole run. Shares (not counts) so both scopes fit one axis; counts are in the tooltip.
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend } from './SeriesLegend';
import { ChartCard, EmptyChart } from './ChartCard';
import { routeLengthRows, type RouteLengthRow } from './chartData';
import { DOMAIN_SHARE, LABEL_CALLS, MARGIN, TICK, percent } from './chartProps';
import { ChartFrame } from './ChartFrame';

export interface RouteLengthChartProps {
  last: readonly number[];
  cumulative: readonly number[];
  lastIteration: number | null;
  simulated: boolean;
}

const callsLabel = (l: unknown) => `${String(l)} call${l === 1 ? '' : 's'}`;

function formatShare(value: unknown, name: unknown, item: unknown): [string, string] {
  const row = (item as { payload?: RouteLengthRow }).payload;
  const count = name === 'whole run' ? row?.cumulativeCount : row?.lastCount;
  return [`${(Number(value) * 100).toFixed(1)}% (${count ?? 0} routes)`, String(name)];
}

export const RouteLengthChart = memo(function RouteLengthChart({ last, cumulative, lastIteration, simulated }: RouteLengthChartProps) {
  const rows = useMemo(() => routeLengthRows(last, cumulative), [last, cumulative]);
  const total = cumulative.reduce((a, b) => a + b, 0);
  const lastName = lastIteration === null ? 'latest iteration' : `iteration ${lastIteration}`;
  const legend = useMemo(
    () => [
      { label: lastName, color: '#4e79a7' },
      { label: 'whole run', color: '#bac8da' },
    ],
    [lastName],
  );
  return (
    <ChartCard
      title="Route length"
      caption="Share of routes that called k experts before ending. Mass moving left means the agent learned to stop earlier (cheaper); k = Tmax means it hit the step limit."
      simulated={simulated}
      testId="route-length-chart"
    >
      <div className="chart-stage">
        {total === 0 && <EmptyChart overlay text="No finished episode yet." />}
        <>
          <SeriesLegend items={legend} />
          <ChartFrame height={220}>
            {(width) => (
              <BarChart width={width} height={220} data={rows} margin={MARGIN}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
                <XAxis interval={0} dataKey="length" tick={TICK} label={LABEL_CALLS} height={40} />
                <YAxis interval={0} tick={TICK} width={40} tickFormatter={percent} domain={DOMAIN_SHARE} />
                <Tooltip labelFormatter={callsLabel} formatter={formatShare} />
                <Bar name={lastName} dataKey="lastShare" fill="#4e79a7" isAnimationActive={false} />
                <Bar name="whole run" dataKey="cumulativeShare" fill="#bac8da" isAnimationActive={false} />
              </BarChart>
            )}
          </ChartFrame>
        </>
      </div>
    </ChartCard>
  );
});
