// "Reward": mean return per iteration, smoothed with a debiased EMA (slider) over the faint raw
// curve; below it, on the same iteration axis (synced tooltips), mean final score and mean route
// cost. The two plots are separate staggered components so one update never draws both at once,
// drawn by LinePlot (plain SVG; see there why not recharts).
// The dashed line is the run's chance level (a uniform random policy's mean return, der/chanceLevel.ts):
// a return above it, with falling entropy, is learning you can see.
import { memo, useMemo, useState } from 'react';
import { ChartCard, EmptyChart } from './ChartCard';
import { chanceOf, learningCheck, niceScale, rewardRows, type AxisScale, type IterationLike, type RewardRow } from './chartData';
import type { ChanceLevel } from '../../der/runRecord';
import { SERIES } from './palette';
import { SeriesLegend, type LegendItem } from './SeriesLegend';
import { staggered } from '../hooks/staggered';
import { ChartFrame } from './ChartFrame';
import { LinePlot, type LineSeries } from './LinePlot';

export interface RewardChartProps {
  iterations: readonly IterationLike[];
  simulated: boolean;
}

const RETURN_LEGEND: LegendItem[] = [
  { label: 'mean return (raw)', color: SERIES.raw, faint: true },
  { label: 'mean return (smoothed)', color: SERIES.return },
];
const SIDE_LEGEND: LegendItem[] = [
  { label: 'mean final score P (left axis)', color: SERIES.score },
  { label: 'mean route cost, B params (right axis)', color: SERIES.cost },
];

const CHANCE_COLOR = '#6b7280';

const rowIteration = (r: RewardRow) => r.iteration;
const RAW: LineSeries<RewardRow> = { name: 'mean return (raw)', color: SERIES.raw, value: (r) => r.meanReturn, opacity: 0.6 };
const SMOOTHED: LineSeries<RewardRow> = { name: 'mean return (smoothed)', color: SERIES.return, value: (r) => r.smoothedReturn, strokeWidth: 2 };
// The raw curve has dots while they can be told apart.
const RETURN_SERIES_DOTS = [{ ...RAW, dots: true }, SMOOTHED];
const RETURN_SERIES = [RAW, SMOOTHED];
const SIDE_SERIES: LineSeries<RewardRow>[] = [
  { name: 'mean final score P', color: SERIES.score, value: (r) => r.meanFinalScore },
  { name: 'mean route cost (B params)', color: SERIES.cost, value: (r) => r.meanRouteCost, axis: 'right' },
];

const ReturnPlot = staggered(function ReturnPlot({ rows, chance, scale }: { rows: readonly RewardRow[]; chance: ChanceLevel | null; scale: AxisScale | null }) {
  const reference = chance ? { y: chance.meanReturn, label: 'random policy', color: CHANCE_COLOR } : null;
  return (
    <ChartFrame height={200}>
      {(width) => (
        <LinePlot
          width={width}
          height={200}
          rows={rows}
          x={rowIteration}
          series={rows.length < 40 ? RETURN_SERIES_DOTS : RETURN_SERIES}
          left={scale}
          reference={reference}
          syncId="iterations"
          ariaLabel="Mean return per iteration, raw and smoothed"
        />
      )}
    </ChartFrame>
  );
}, 'ReturnPlot');

const ScoreCostPlot = staggered(function ScoreCostPlot({
  rows,
  scoreScale,
  costScale,
}: {
  rows: readonly RewardRow[];
  scoreScale: AxisScale | null;
  costScale: AxisScale | null;
}) {
  return (
    <ChartFrame height={130}>
      {(width) => (
        <LinePlot
          width={width}
          height={130}
          rows={rows}
          x={rowIteration}
          series={SIDE_SERIES}
          left={scoreScale}
          right={costScale}
          syncId="iterations"
          ariaLabel="Mean final score and mean route cost per iteration"
        />
      )}
    </ChartFrame>
  );
}, 'ScoreCostPlot');

export const RewardChart = memo(function RewardChart({ iterations, simulated }: RewardChartProps) {
  const [smoothing, setSmoothing] = useState(0.6);
  const rows = useMemo(() => rewardRows(iterations, smoothing), [iterations, smoothing]);
  const sideRows = useMemo(() => rewardRows(iterations, 0), [iterations]);
  const chance = useMemo(() => chanceOf(iterations), [iterations]);
  const check = useMemo(() => learningCheck(iterations), [iterations]);
  const returnScale = useMemo(() => niceScale([...rows.flatMap((r) => [r.meanReturn, r.smoothedReturn]), chance?.meanReturn ?? Number.NaN]), [rows, chance]);
  const scoreScale = useMemo(
    () =>
      niceScale(
        sideRows.map((r) => r.meanFinalScore),
        4,
      ),
    [sideRows],
  );
  const costScale = useMemo(
    () =>
      niceScale(
        sideRows.map((r) => r.meanRouteCost),
        4,
        { fromZero: true },
      ),
    [sideRows],
  );
  const legend = chance ? [...RETURN_LEGEND, { label: 'random policy (chance level)', color: CHANCE_COLOR }] : RETURN_LEGEND;
  const tools = (
    <label className="inline-control">
      Smoothing
      <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
      <output>{smoothing.toFixed(2)}</output>
    </label>
  );
  return (
    <ChartCard
      title="Reward"
      caption="Mean episode return per PPO iteration; the bold line is smoothed (debiased EMA), the faint one raw. Up is better. Below: final BERTScore (higher = better answers) and parameters called per route (lower = cheaper)."
      simulated={simulated}
      tools={tools}
      testId="reward-chart"
      wide
    >
      <div className="chart-stage">
        {rows.length === 0 && <EmptyChart overlay text="No iteration finished yet: the first point appears after the first PPO update." />}
        <>
          <SeriesLegend items={legend} />
          <ReturnPlot rows={rows} chance={chance} scale={returnScale} />
          {chance && (
            <p
              className="chart-caption"
              data-testid="learning-check"
              data-chance={chance.meanReturn}
              data-recent-return={check?.recentReturn ?? ''}
              data-first-entropy={check?.firstEntropy ?? ''}
              data-recent-entropy={check?.recentEntropy ?? ''}
              data-above={check ? String(check.above) : ''}
              data-entropy-falling={check ? String(check.entropyFalling) : ''}
            >
              Random policy (uniform over the agent’s actions, {chance.seeds} seeds × {chance.questions} training questions): mean return{' '}
              {chance.meanReturn.toFixed(3)} ± {chance.sd.toFixed(3)} (sd over seeds).
              {check &&
                ` Last ${check.window} iterations: ${check.recentReturn.toFixed(3)}, ${check.above ? 'clearly above the line' : 'within 2 sd of the line or below it'}; policy entropy ${check.firstEntropy.toFixed(2)} → ${check.recentEntropy.toFixed(2)}${check.entropyFalling ? ' (falling)' : ''}.`}
            </p>
          )}
          <SeriesLegend items={SIDE_LEGEND} />
          <ScoreCostPlot rows={sideRows} scoreScale={scoreScale} costScale={costScale} />
        </>
      </div>
    </ChartCard>
  );
});
