// "PPO diagnostics": CleanRL's debug metrics, one small chart each, logged every update. Drawn as
// plain SVG sparklines (see Sparkline.tsx): six recharts instances per update were too costly.
import { memo, useMemo } from 'react';
import type { PpoUpdateMetrics } from '../../der/runRecord';
import { ChartCard, EmptyChart } from './ChartCard';
import { metricSeries } from './chartData';
import { Sparkline } from './Sparkline';

export interface PpoDiagnosticsProps {
  updates: readonly { iteration: number; update: PpoUpdateMetrics | null }[];
  simulated: boolean;
}

const METRICS: { key: keyof PpoUpdateMetrics; label: string; hint: string }[] = [
  { key: 'policyLoss', label: 'policy loss', hint: 'clipped surrogate; noisy, no trend needed' },
  { key: 'valueLoss', label: 'value loss', hint: 'critic error; should fall' },
  { key: 'entropy', label: 'entropy', hint: 'policy randomness; falls as it commits' },
  { key: 'approxKl', label: 'approx KL', hint: 'policy change per update; spikes = too big steps' },
  { key: 'clipFraction', label: 'clip fraction', hint: 'share of ratios clipped; high = lr too big' },
  { key: 'explainedVariance', label: 'explained variance', hint: 'critic fit; near 1 is good, ≤ 0 is useless' },
];

export const PpoDiagnostics = memo(function PpoDiagnostics({ updates, simulated }: PpoDiagnosticsProps) {
  const series = useMemo(() => METRICS.map((m) => ({ ...m, rows: metricSeries(updates, (u) => (u.update ? Number(u.update[m.key]) : undefined)) })), [updates]);
  const any = series.some((s) => s.rows.length > 0);
  return (
    <ChartCard
      title="PPO diagnostics"
      caption="One point per PPO update (x = iteration). Watch approx KL and clip fraction for unstable updates, and explained variance for whether the critic predicts returns."
      simulated={simulated}
      testId="ppo-chart"
      wide
    >
      {!any ? (
        <EmptyChart text="No PPO update yet." />
      ) : (
        <div className="small-multiples">
          {series.map((s) => (
            <figure key={s.key} className="small-chart">
              <figcaption>
                <strong>{s.label}</strong> <span>{s.hint}</span>
              </figcaption>
              {s.rows.length > 0 ? <Sparkline rows={s.rows} label={s.label} /> : <p className="chart-empty">no value yet</p>}
            </figure>
          ))}
        </div>
      )}
    </ChartCard>
  );
});
