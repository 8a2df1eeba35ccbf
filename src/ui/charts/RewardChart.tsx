// "Reward": mean return per iteration, smoothed with a debiased EMA (slider) over the faint raw
// curve; below it, on the same iteration axis (synced tooltips), mean final score and mean route
// cost. The two plots are separate staggered components so one update never draws both at once.
// The dashed line is the run's chance level (a uniform random policy's mean return, der/chanceLevel.ts):
// a return above it, with falling entropy, is learning you can see.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, EmptyChart } from './ChartCard';
import { chanceOf, learningCheck, niceScale, rewardRows, type AxisScale, type IterationLike, type RewardRow } from './chartData';
import type { ChanceLevel } from '../../der/runRecord';
import { SERIES } from './palette';
import { DOMAIN_AUTO, DOMAIN_DATA, DOMAIN_FROM_ZERO, fixedDigits, format3, iterationLabel, MARGIN, TICK, tickNumber } from './chartProps';
import { SeriesLegend, type LegendItem } from './SeriesLegend';
import { staggered } from '../hooks/staggered';
import { ChartFrame } from './ChartFrame';

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

/** y-axis props from a scale: explicit, distinct, evenly spaced ticks (recharts' auto ticks repeat on a flat series). */
function yAxisScale(scale: AxisScale | null, fallback: typeof DOMAIN_AUTO | typeof DOMAIN_FROM_ZERO) {
  return scale ? { domain: scale.domain, ticks: scale.ticks, tickFormatter: fixedDigits(scale.digits) } : { domain: fallback, tickFormatter: tickNumber };
}

const ReturnPlot = staggered(function ReturnPlot({ rows, chance, scale }: { rows: readonly RewardRow[]; chance: ChanceLevel | null; scale: AxisScale | null }) {
  return (
    <ChartFrame height={200}>
      {(width) => (
        <LineChart width={width} height={200} data={rows as RewardRow[]} syncId="iterations" margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
          <XAxis interval={0} dataKey="iteration" type="number" domain={DOMAIN_DATA} allowDecimals={false} tick={TICK} />
          <YAxis interval={0} tick={TICK} width={48} {...yAxisScale(scale, DOMAIN_AUTO)} />
          <Tooltip formatter={format3} labelFormatter={iterationLabel} />
          <Line name="mean return (raw)" dataKey="meanReturn" stroke={SERIES.raw} strokeOpacity={0.6} dot={rows.length < 40} isAnimationActive={false} />
          <Line name="mean return (smoothed)" dataKey="smoothedReturn" stroke={SERIES.return} strokeWidth={2} dot={false} isAnimationActive={false} />
          {chance && (
            <ReferenceLine
              y={chance.meanReturn}
              stroke={CHANCE_COLOR}
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{ value: 'random policy', position: 'insideBottomRight', fontSize: 11, fill: CHANCE_COLOR }}
            />
          )}
        </LineChart>
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
        <LineChart width={width} height={130} data={rows as RewardRow[]} syncId="iterations" margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
          <XAxis interval={0} dataKey="iteration" type="number" domain={DOMAIN_DATA} allowDecimals={false} tick={TICK} />
          <YAxis interval={0} yAxisId="score" tick={TICK} width={48} {...yAxisScale(scoreScale, DOMAIN_AUTO)} />
          <YAxis interval={0} yAxisId="cost" orientation="right" tick={TICK} width={44} {...yAxisScale(costScale, DOMAIN_FROM_ZERO)} />
          <Tooltip formatter={format3} labelFormatter={iterationLabel} />
          <Line yAxisId="score" name="mean final score P" dataKey="meanFinalScore" stroke={SERIES.score} dot={false} isAnimationActive={false} />
          <Line yAxisId="cost" name="mean route cost (B params)" dataKey="meanRouteCost" stroke={SERIES.cost} dot={false} isAnimationActive={false} />
        </LineChart>
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
