// "Step through": replay the episode's question under the CURRENT policy (greedy, through the
// pool's cache) and reveal the new route one step at a time, marking where it departs from the
// recording. The replay is not learned from.
import { useEffect, useMemo, useState } from 'react';
import type { EpisodeRecord } from '../../der/runRecord';
import { useTrainingStore } from '../../store/trainingStore';
import { StepCard } from './StepCard';
import { previousAnswers } from './EpisodeTimeline';
import { doneReasonText } from './episodeFilter';
import { comparisonNote, compareRoutes } from './stepDiff';
import { errorMessage } from '../../der/errorMessage';

export interface StepThroughProps {
  recorded: EpisodeRecord;
  names: readonly string[];
  p0: number;
  tmax: number;
}

export function StepThrough({ recorded, names, p0, tmax }: StepThroughProps) {
  const replay = useTrainingStore((s) => s.replay);
  const [replayed, setReplayed] = useState<EpisodeRecord | null>(null);
  const [shown, setShown] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // A different episode starts a fresh step-through.
  useEffect(() => {
    setReplayed(null);
    setShown(0);
    setError(null);
  }, [recorded]);

  const comparisons = useMemo(() => (replayed ? compareRoutes(recorded, replayed) : []), [recorded, replayed]);
  const previous = useMemo(() => (replayed ? previousAnswers(replayed) : []), [replayed]);

  const start = async () => {
    setLoading(true);
    setError(null);
    try {
      const episode = await replay(recorded.question_id, true);
      setReplayed(episode);
      setShown(1);
    } catch (err) {
      setError(`Replay failed: ${errorMessage(err)}`);
    } finally {
      setLoading(false);
    }
  };

  const total = replayed?.steps.length ?? 0;
  const differs = comparisons.some((c) => !c.sameExpert) || (replayed !== null && replayed.steps.length !== recorded.steps.length);
  return (
    <section className="step-through" aria-label="Step through under the current policy" data-testid="step-through">
      <div className="step-through-bar">
        <button type="button" onClick={() => void start()} disabled={loading}>
          {replayed ? 'Replay again' : 'Step through'}
        </button>
        <span className="muted">Replays this question under the current policy (greedy), then shows its steps one by one next to the recording.</span>
      </div>
      {loading && <p role="status">Replaying…</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {replayed && (
        <>
          <div className="step-through-nav">
            <button type="button" onClick={() => setShown((n) => Math.max(1, n - 1))} disabled={shown <= 1}>
              Previous
            </button>
            <span data-testid="step-through-position" aria-live="polite">
              step {shown} of {total}
            </span>
            <button type="button" onClick={() => setShown((n) => Math.min(total, n + 1))} disabled={shown >= total}>
              Next
            </button>
          </div>
          <p className="route-compare" data-testid="route-compare">
            Now:{' '}
            {replayed.steps
              .slice(0, shown)
              .map((s) => s.expert)
              .join(' → ')}
            {shown < total ? ' → …' : ` (return ${replayed.return.toFixed(3)})`} · recorded: {recorded.steps.map((s) => s.expert).join(' → ')} (return{' '}
            {recorded.return.toFixed(3)})
            {shown >= total && (
              <>
                {' · '}
                <b>{differs ? 'the current policy takes a different route' : 'the current policy takes the same route'}</b>
              </>
            )}
          </p>
          {replayed.steps.slice(0, shown).map((s, i) => (
            <StepCard key={i} step={s} previousAnswer={previous[i]} names={names} p0={p0} tmax={tmax} note={comparisonNote(comparisons[i])} />
          ))}
          {shown >= total && <p className="done-reason">Replay ended: {doneReasonText(replayed.done_reason, p0, tmax)}</p>}
        </>
      )}
    </section>
  );
}
