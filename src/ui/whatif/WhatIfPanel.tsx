// The What-if tab: change α, β, γ, p0 or Tmax and see the recorded episodes re-scored at once
// (core rescoreEpisodes: the recorded scores P are reused, no expert is called). Shows the
// re-scored reward curve next to the recorded one, and how many routes would end earlier or go
// on past the recording; "Train with these knobs" starts a new run with them.
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RewardConfig, RewardForm } from '../../der/config';
import { rescoreEpisodes } from '../../der/rescore';
import { downsampleMinMax, formatNumber, meanOf, niceScale } from '../charts/chartData';
import { ChartCard, EmptyChart } from '../charts/ChartCard';
import { SERIES } from '../charts/palette';
import { SeriesLegend, type LegendItem } from '../charts/SeriesLegend';
import { DOMAIN_AUTO, DOMAIN_DATA, fixedDigits, format3, iterationLabel, MARGIN, TICK, tickNumber } from '../charts/chartProps';
import { useThrottledTraining } from '../hooks/useThrottledTraining';
import { useRunContext } from '../hooks/useRunContext';
import { useTrainingStore } from '../../store/trainingStore';
import { useConfigStore } from '../../store/configStore';
import { whatIfRows, type WhatIfRow } from './whatIfData';
import { ChartFrame } from '../charts/ChartFrame';

interface Knob {
  key: 'alpha' | 'beta' | 'gamma' | 'p0' | 'tmax';
  symbol: string;
  min: number;
  max: number;
  step: number;
  hint: string;
}

const KNOBS: Knob[] = [
  { key: 'alpha', symbol: 'α', min: 0, max: 0.05, step: 0.0005, hint: 'cost per billion parameters called' },
  { key: 'beta', symbol: 'β', min: 0, max: 10, step: 0.1, hint: 'weight of the score increment ΔP' },
  { key: 'gamma', symbol: 'γ', min: 0, max: 5, step: 0.1, hint: 'terminal bias: +γ on success, −γ at Tmax' },
  { key: 'p0', symbol: 'p0', min: 0, max: 1, step: 0.005, hint: 'success threshold on the score P' },
  { key: 'tmax', symbol: 'Tmax', min: 1, max: 20, step: 1, hint: 'maximum expert calls per route' },
];

export function WhatIfPanel() {
  const { episodes } = useThrottledTraining((s) => ({ episodes: s.episodes }), 1000);
  const ctx = useRunContext();
  const startTraining = useTrainingStore((s) => s.startTraining);
  const runKey = JSON.stringify(ctx.reward);
  const [knobs, setKnobs] = useState<RewardConfig>(ctx.reward);
  const [launchError, setLaunchError] = useState<string | null>(null);
  // A different run (or config before any run) resets the knobs to its values.
  useEffect(() => setKnobs(JSON.parse(runKey) as RewardConfig), [runKey]);

  const deferredKnobs = useDeferredValue(knobs);
  const result = useMemo(() => rescoreEpisodes(episodes, deferredKnobs, ctx.stopRule), [episodes, deferredKnobs, ctx.stopRule]);
  const rows = useMemo(() => downsampleMinMax(whatIfRows(episodes, result.episodes), 500, (r) => r.whatIf), [episodes, result]);
  const recordedReturn = useMemo(
    () =>
      meanOf(
        episodes.filter((e) => !e.failed),
        (e) => e.return,
      ),
    [episodes],
  );
  const recordedLength = useMemo(
    () =>
      meanOf(
        episodes.filter((e) => !e.failed),
        (e) => e.route_length,
      ),
    [episodes],
  );
  const s = result.summary;

  const setKnob = (key: Knob['key'], raw: string) => {
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) return;
    setKnobs((k) => ({ ...k, [key]: key === 'tmax' ? Math.max(1, Math.round(value)) : value }));
  };

  const trainWithKnobs = async () => {
    setLaunchError(null);
    const config = useConfigStore.getState().config;
    if (!useConfigStore.getState().replaceConfig({ ...config, reward: knobs })) {
      setLaunchError('These knobs are not a valid reward config (check that p0 is in [0, 1] and Tmax is a whole number from 1 to 20).');
      return;
    }
    await startTraining();
  };

  return (
    <div className="whatif">
      <section className="whatif-knobs" aria-label="What-if reward knobs">
        <h2>What-if reward knobs</h2>
        <p className="muted">
          Re-scores the {episodes.length} recorded episodes under new reward knobs. The recorded scores P are reused: <b>no expert is called</b>. A stricter
          rule can end a route earlier; a looser one cannot extend it (those routes count as "would go on", with their recorded part).
        </p>
        {KNOBS.map((k) => (
          <div className="knob" key={k.key}>
            <label htmlFor={`whatif-${k.key}`}>What-if {k.symbol}</label>
            <input
              id={`whatif-${k.key}`}
              type="range"
              min={k.min}
              max={k.max}
              step={k.step}
              value={knobs[k.key]}
              onChange={(e) => setKnob(k.key, e.target.value)}
            />
            <input
              type="number"
              aria-label={`What-if ${k.symbol} value`}
              min={k.min}
              max={k.max}
              step={k.step}
              value={knobs[k.key]}
              onChange={(e) => setKnob(k.key, e.target.value)}
            />
            <span className="knob-hint">
              {k.hint} (run: {ctx.reward[k.key]})
            </span>
          </div>
        ))}
        <div className="knob">
          <label htmlFor="whatif-form">What-if reward form</label>
          <select id="whatif-form" value={knobs.form ?? 'paper'} onChange={(e) => setKnobs((k) => ({ ...k, form: e.target.value as RewardForm }))}>
            <option value="paper">paper (P every step)</option>
            <option value="final">final quality − cost</option>
          </select>
          <span className="knob-hint">paper: r = P + βΔP − αC ± γ; final: return = β(P_final − p0) ± γ − αΣC (run: {ctx.reward.form ?? 'paper'})</span>
        </div>
        <div className="whatif-actions">
          <button type="button" onClick={() => setKnobs(ctx.reward)}>
            Reset to the run's knobs
          </button>
          <button type="button" className="primary" onClick={() => void trainWithKnobs()}>
            Train with these knobs
          </button>
        </div>
        {launchError && (
          <p className="error" role="alert">
            {launchError}
          </p>
        )}
      </section>
      <section className="whatif-results" aria-label="What-if results">
        <table className="whatif-table">
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col">recorded</th>
              <th scope="col">what-if</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">mean return</th>
              <td data-testid="whatif-recorded-return">{formatNumber(recordedReturn)}</td>
              <td data-testid="whatif-return">{formatNumber(s.meanReturn)}</td>
            </tr>
            <tr>
              <th scope="row">mean route length</th>
              <td>{formatNumber(recordedLength, 2)}</td>
              <td>{formatNumber(s.meanRouteLength, 2)}</td>
            </tr>
            <tr>
              <th scope="row">success rate (P ≥ p0)</th>
              <td>
                {formatNumber(
                  meanOf(
                    episodes.filter((e) => !e.failed),
                    (e) => (e.final_score >= ctx.reward.p0 ? 1 : 0),
                  ),
                  2,
                )}
              </td>
              <td>{formatNumber(s.successRate, 2)}</td>
            </tr>
            <tr>
              <th scope="row">routes ending earlier</th>
              <td></td>
              <td data-testid="whatif-earlier">{s.endedEarlier}</td>
            </tr>
            <tr>
              <th scope="row">routes that would go on</th>
              <td></td>
              <td data-testid="whatif-later">{s.endedLater}</td>
            </tr>
            <tr>
              <th scope="row">unchanged stop point</th>
              <td></td>
              <td>{s.unchanged}</td>
            </tr>
          </tbody>
        </table>
        <WhatIfChart rows={rows} simulated={ctx.simulated} />
      </section>
    </div>
  );
}

const WHATIF_LEGEND: LegendItem[] = [
  { label: 'recorded', color: '#8a94a3' },
  { label: 'what-if', color: SERIES.whatIf },
];

function WhatIfChart({ rows, simulated }: { rows: readonly WhatIfRow[]; simulated: boolean }) {
  // Explicit, distinct ticks (recharts' auto ticks repeat on a flat series: duplicate keys, stacked labels).
  const yScale = useMemo(() => niceScale(rows.flatMap((r) => [r.recorded, r.whatIf])), [rows]);
  return (
    <ChartCard
      title="Re-scored reward"
      caption="Mean return per iteration as recorded (grey) and under the what-if knobs (pink), on the same episodes. The gap is what the new knobs change in the reward signal PPO would learn from."
      simulated={simulated}
      testId="whatif-chart"
      wide
    >
      {rows.length === 0 ? (
        <EmptyChart text="No episode recorded yet: train first, then play with the knobs." />
      ) : (
        <>
          <SeriesLegend items={WHATIF_LEGEND} />
          <ChartFrame height={260}>
            {(width) => (
              <LineChart width={width} height={260} data={rows as WhatIfRow[]} margin={MARGIN}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
                <XAxis interval={0} dataKey="iteration" type="number" domain={DOMAIN_DATA} allowDecimals={false} tick={TICK} />
                {yScale ? (
                  <YAxis interval={0} tick={TICK} width={48} domain={yScale.domain} ticks={yScale.ticks} tickFormatter={fixedDigits(yScale.digits)} />
                ) : (
                  <YAxis interval={0} tick={TICK} width={48} domain={DOMAIN_AUTO} tickFormatter={tickNumber} />
                )}
                <Tooltip formatter={format3} labelFormatter={iterationLabel} />
                <Line name="recorded" dataKey="recorded" stroke="#8a94a3" dot={rows.length < 40} isAnimationActive={false} />
                <Line name="what-if" dataKey="whatIf" stroke={SERIES.whatIf} strokeWidth={2} dot={rows.length < 40} isAnimationActive={false} />
              </LineChart>
            )}
          </ChartFrame>
        </>
      )}
    </ChartCard>
  );
}
