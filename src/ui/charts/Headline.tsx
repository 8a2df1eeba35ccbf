// The headline numbers of the latest finished iteration, above the tabs: what a newcomer reads
// first (is the return going up, are answers good, how long and costly are routes).
import { useTrainingStore } from '../../store/trainingStore';
import { formatNumber } from './chartData';
import { SimulatedBadge } from './SimulatedBadge';
import type { EpisodeSummary } from '../../der/runRecord';

export function Headline() {
  const last = useTrainingStore((s) => s.iterations.at(-1));
  const previous = useTrainingStore((s) => s.iterations.at(-2));
  const summary = last?.summary;
  const simulated = useTrainingStore((s) => s.info?.simulated ?? false);
  const trend = (pick: (s: EpisodeSummary) => number) => {
    const now = summary ? pick(summary) : Number.NaN;
    const before = previous ? pick(previous.summary) : Number.NaN;
    if (!Number.isFinite(now) || !Number.isFinite(before) || now === before) return '';
    return now > before ? ' ▲' : ' ▼';
  };
  return (
    <dl className="headline" aria-label={last ? `Latest iteration ${last.iteration}` : 'Latest iteration'}>
      <div>
        <dt>Mean return</dt>
        <dd>
          <output data-testid="mean-return">{summary ? formatNumber(summary.meanReturn) : '—'}</output>
          {trend((s) => s.meanReturn)}
        </dd>
      </div>
      <div>
        <dt>Mean final score P</dt>
        <dd>
          <output data-testid="mean-score">{summary ? formatNumber(summary.meanFinalScore) : '—'}</output>
          {trend((s) => s.meanFinalScore)}
        </dd>
      </div>
      <div>
        <dt>Success rate (P ≥ p0)</dt>
        <dd>
          <output>{summary ? `${formatNumber(summary.successRate * 100, 0)}%` : '—'}</output>
          {trend((s) => s.successRate)}
        </dd>
      </div>
      <div>
        <dt>Experts per route</dt>
        <dd>
          <output>{summary ? formatNumber(summary.meanRouteLength, 2) : '—'}</output>
          {trend((s) => s.meanRouteLength)}
        </dd>
      </div>
      <div>
        <dt>Params per route</dt>
        <dd>
          <output>{summary ? `${formatNumber(summary.meanRouteCost, 1)}B` : '—'}</output>
          {trend((s) => s.meanRouteCost)}
        </dd>
      </div>
      {simulated && summary && (
        <div className="headline-note">
          <dt>Source</dt>
          <dd>
            <SimulatedBadge simulated />
          </dd>
        </div>
      )}
    </dl>
  );
}
