// "Reward": mean return per iteration, smoothed with a debiased EMA (slider) over the faint raw
// curve; below it, on the same iteration axis, mean final score and mean route cost.
import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, EmptyChart } from './ChartCard';
import { rewardRows, type IterationLike } from './chartData';
import { SERIES } from './palette';

export interface RewardChartProps {
  iterations: readonly IterationLike[];
  simulated: boolean;
}

const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '—');

export const RewardChart = memo(function RewardChart({ iterations, simulated }: RewardChartProps) {
  const [smoothing, setSmoothing] = useState(0.6);
  const rows = useMemo(() => rewardRows(iterations, smoothing), [iterations, smoothing]);
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
      {rows.length === 0 ? (
        <EmptyChart text="No iteration finished yet: the first point appears after the first PPO update." />
      ) : (
        <>
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={rows as RewardRowArray} syncId="iterations" margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
              <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} width={48} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
              <Tooltip formatter={fmt} labelFormatter={(l) => `iteration ${l}`} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line name="mean return (raw)" dataKey="meanReturn" stroke={SERIES.raw} strokeOpacity={0.6} dot={rows.length < 40} isAnimationActive={false} />
              <Line name="mean return (smoothed)" dataKey="smoothedReturn" stroke={SERIES.return} strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
          <ResponsiveContainer width="100%" height={130}>
            <LineChart data={rows as RewardRowArray} syncId="iterations" margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
              <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis yAxisId="score" tick={{ fontSize: 11 }} width={48} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
              <YAxis yAxisId="cost" orientation="right" tick={{ fontSize: 11 }} width={44} domain={[0, 'auto']} />
              <Tooltip formatter={fmt} labelFormatter={(l) => `iteration ${l}`} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line yAxisId="score" name="mean final score P" dataKey="meanFinalScore" stroke={SERIES.score} dot={false} isAnimationActive={false} />
              <Line yAxisId="cost" name="mean route cost (B params)" dataKey="meanRouteCost" stroke={SERIES.cost} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </>
      )}
    </ChartCard>
  );
});

// recharts wants a mutable array type; the rows are never mutated.
type RewardRowArray = ReturnType<typeof rewardRows> extends readonly (infer R)[] ? R[] : never;
