// The Dashboard tab: live charts of the run on screen. Reads the store through a throttle so a
// burst of episode events costs one render, and only this tab's charts render while it is open.
import { useMemo, useState } from 'react';
import { useThrottledTraining } from '../hooks/useThrottledTraining';
import { useRunContext } from '../hooks/useRunContext';
import { dashboardSummaries } from './dashboardData';
import { RewardChart } from './RewardChart';
import { RouteLengthChart } from './RouteLengthChart';
import { DeltaByStepChart } from './DeltaByStepChart';
import { TransitionHeatmap } from './TransitionHeatmap';
import { ExpertUsageChart } from './ExpertUsageChart';
import { PpoDiagnostics } from './PpoDiagnostics';

type Scope = 'last' | 'all';

export function Dashboard() {
  const { episodes, iterations } = useThrottledTraining((s) => ({ episodes: s.episodes, iterations: s.iterations }), 500);
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
      <RouteLengthChart last={summaries.last.routeLengthHistogram} cumulative={summaries.all.routeLengthHistogram} lastIteration={summaries.lastIteration} simulated={ctx.simulated} />
      <div className="scope-switch chart-card" role="group" aria-label="Scope of the ΔP and usage charts">
        <span>ΔP and usage charts show:</span>
        <label>
          <input type="radio" name="dash-scope" checked={scope === 'all'} onChange={() => setScope('all')} /> whole run
        </label>
        <label>
          <input type="radio" name="dash-scope" checked={scope === 'last'} onChange={() => setScope('last')} /> latest iteration
        </label>
        <span className="muted">{episodes.length} episodes recorded</span>
      </div>
      <DeltaByStepChart deltaByStep={scoped.deltaByStep} scopeLabel={scopeLabel} simulated={ctx.simulated} />
      <TransitionHeatmap names={ctx.expertNames} mean={scoped.transitionDelta} count={scoped.transitionCount} scopeLabel={scopeLabel} simulated={ctx.simulated} />
      <ExpertUsageChart names={ctx.expertNames} usage={scoped.expertUsageByStep} scopeLabel={scopeLabel} simulated={ctx.simulated} />
      <PpoDiagnostics updates={iterations} simulated={ctx.simulated} />
    </div>
  );
}
