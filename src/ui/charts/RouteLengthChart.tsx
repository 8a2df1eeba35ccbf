// "Route length": how many experts a route calls, k = 1..Tmax, for the latest iteration and for
// the whole run. Shares (not counts) so both scopes fit one axis; counts are in the tooltip.
// Drawn by BarPlot (plain SVG; see there why not recharts).
import { memo, useMemo } from 'react';
import { SeriesLegend } from './SeriesLegend';
import { ChartCard, EmptyChart } from './ChartCard';
import { routeLengthRows } from './chartData';
import { percent } from './chartProps';
import { ChartFrame } from './ChartFrame';
import { BarPlot, type BarSeries } from './BarPlot';

export interface RouteLengthChartProps {
  last: readonly number[];
  cumulative: readonly number[];
  lastIteration: number | null;
  simulated: boolean;
}

const callsLabel = (k: number) => `${k} call${k === 1 ? '' : 's'}`;
const shareText = (share: number, count: number) => `${(share * 100).toFixed(1)}% (${count} routes)`;
const SHARE_SCALE = { domain: [0, 1] as [number, number], ticks: [0, 0.25, 0.5, 0.75, 1], digits: 2 };
const LAST_COLOR = '#4e79a7';
const RUN_COLOR = '#bac8da';

export const RouteLengthChart = memo(function RouteLengthChart({ last, cumulative, lastIteration, simulated }: RouteLengthChartProps) {
  const rows = useMemo(() => routeLengthRows(last, cumulative), [last, cumulative]);
  const total = cumulative.reduce((a, b) => a + b, 0);
  const lastName = lastIteration === null ? 'latest iteration' : `iteration ${lastIteration}`;
  const legend = useMemo(
    () => [
      { label: lastName, color: LAST_COLOR },
      { label: 'whole run', color: RUN_COLOR },
    ],
    [lastName],
  );
  const categories = useMemo(() => rows.map((r) => r.length), [rows]);
  const series = useMemo<BarSeries[]>(
    () => [
      { name: lastName, color: LAST_COLOR, values: rows.map((r) => r.lastShare) },
      { name: 'whole run', color: RUN_COLOR, values: rows.map((r) => r.cumulativeShare) },
    ],
    [rows, lastName],
  );
  const tooltip = (i: number) => ({
    title: callsLabel(rows[i].length),
    rows: [
      { name: lastName, color: LAST_COLOR, text: shareText(rows[i].lastShare, rows[i].lastCount) },
      { name: 'whole run', color: '#7d8fa6', text: shareText(rows[i].cumulativeShare, rows[i].cumulativeCount) },
    ],
  });
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
              <BarPlot
                width={width}
                height={220}
                categories={categories}
                series={series}
                yScale={SHARE_SCALE}
                yFormat={percent}
                yAxisWidth={40}
                xLabel="expert calls k"
                tooltip={tooltip}
                ariaLabel="Share of routes by number of expert calls"
              />
            )}
          </ChartFrame>
        </>
      </div>
    </ChartCard>
  );
});
