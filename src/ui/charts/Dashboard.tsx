// The Dashboard tab: live charts of the run on screen. Reads the store through a throttle so a
// burst of episode events costs one render, and only this tab's charts render while it is open.
import { useMemo, useRef, useState } from 'react';
import type { EpisodeRecord } from '../../der/runRecord';
import type { IterationRecord } from '../../der/runRecord';
import { useThrottledTraining } from '../hooks/useThrottledTraining';
import { useRunContext } from '../hooks/useRunContext';
import { dashboardSummaries } from './dashboardData';
import { staggered } from '../hooks/staggered';
import { RewardChart as RewardChartNow } from './RewardChart';
import { RouteLengthChart as RouteLengthChartNow } from './RouteLengthChart';
import { DeltaByStepChart as DeltaByStepChartNow } from './DeltaByStepChart';
import { TransitionHeatmap as TransitionHeatmapNow } from './TransitionHeatmap';
import { ExpertUsageChart as ExpertUsageChartNow } from './ExpertUsageChart';
import { PpoDiagnostics as PpoDiagnosticsNow } from './PpoDiagnostics';
import { FailureRateChart as FailureRateChartNow } from './FailureRateChart';

// One chart update per task (see staggered.tsx): a batch of events never redraws all at once.
const RewardChart = staggered(RewardChartNow, 'RewardChart');
const RouteLengthChart = staggered(RouteLengthChartNow, 'RouteLengthChart');
const DeltaByStepChart = staggered(DeltaByStepChartNow, 'DeltaByStepChart');
const TransitionHeatmap = staggered(TransitionHeatmapNow, 'TransitionHeatmap');
const ExpertUsageChart = staggered(ExpertUsageChartNow, 'ExpertUsageChart');
const PpoDiagnostics = staggered(PpoDiagnosticsNow, 'PpoDiagnostics');
const FailureRateChart = staggered(FailureRateChartNow, 'FailureRateChart');

type Scope = 'last' | 'all';

export function Dashboard() {
  // While training runs, the charts move on when an iteration closes (the episode distributions
  // with it); between iterations only the status line and headline change. Paused, stopped or
  // stepped runs show every episode at once.
  const snapshot = useRef<{ episodes: readonly EpisodeRecord[]; iterations: readonly IterationRecord[] } | null>(null);
  const { episodes, iterations } = useThrottledTraining((s) => {
    const live = s.state === 'running' || s.state === 'loading';
    const previous = snapshot.current;
    if (live && previous && previous.iterations === s.iterations) return previous;
    snapshot.current = { episodes: s.episodes, iterations: s.iterations };
    return snapshot.current;
  }, 1000);
  const ctx = useRunContext();
  const [scope, setScope] = useState<Scope>('all');
  const expertCount = ctx.expertNames.length;
  const summaries = useMemo(
    () => dashboardSummaries(episodes, { expertCount, tmax: ctx.reward.tmax, p0: ctx.reward.p0 }),
    [episodes, expertCount, ctx.reward.tmax, ctx.reward.p0],
  );
  const scoped = scope === 'all' ? summaries.all : summaries.last;
  const scopeLabel = scope === 'all' ? 'whole run' : summaries.lastIteration === null ? 'latest iteration' : `iteration ${summaries.lastIteration}`;
  return (
    <div className="dashboard">
      <RewardChart iterations={iterations} simulated={ctx.simulated} />
      <div className="scope-switch chart-card" role="group" aria-label="Scope of the ΔP and usage charts">
        <span>ΔP, transition and usage charts below show:</span>
        <label>
          <input type="radio" name="dash-scope" checked={scope === 'all'} onChange={() => setScope('all')} /> whole run
        </label>
        <label>
          <input type="radio" name="dash-scope" checked={scope === 'last'} onChange={() => setScope('last')} /> latest iteration
        </label>
        <span className="muted" data-testid="episodes-kept">
          {episodesKeptText(episodes)}
        </span>
      </div>
      <RouteLengthChart
        last={summaries.last.routeLengthHistogram}
        cumulative={summaries.all.routeLengthHistogram}
        lastIteration={summaries.lastIteration}
        simulated={ctx.simulated}
      />
      <DeltaByStepChart deltaByStep={scoped.deltaByStep} scopeLabel={scopeLabel} simulated={ctx.simulated} />
      <TransitionHeatmap
        names={ctx.expertNames}
        mean={scoped.transitionDelta}
        count={scoped.transitionCount}
        scopeLabel={scopeLabel}
        simulated={ctx.simulated}
      />
      <ExpertUsageChart names={ctx.expertNames} usage={scoped.expertUsageByStep} scopeLabel={scopeLabel} simulated={ctx.simulated} />
      <PpoDiagnostics updates={iterations} simulated={ctx.simulated} />
      <FailureRateChart iterations={iterations} simulated={ctx.simulated} />
    </div>
  );
}

/**
 * "N episodes recorded", or, once a long run samples its episodes (episode indices are run-wide, so
 * the newest one's index says how many were recorded), "N episodes kept of M".
 */
function episodesKeptText(episodes: readonly EpisodeRecord[]): string {
  const total = episodes.reduce((max, e) => Math.max(max, e.index + 1), 0);
  if (total <= episodes.length) return `${episodes.length} episodes recorded`;
  return `${episodes.length} episodes kept of ${total} (the latest iterations whole, a seeded sample of older ones: the reward curve and the per-iteration charts count every episode, the whole-run charts below the kept ones)`;
}
