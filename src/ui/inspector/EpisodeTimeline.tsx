// One episode as a timeline of step cards, with its question, route and why it ended.
import { STOP_NAME } from '../../der/actions';
import type { EpisodeRecord } from '../../der/runRecord';
import { StepCard } from './StepCard';
import { describeRouteContext } from '../../der/routeContext';
import { doneReasonText, questionText } from './episodeFilter';

export interface EpisodeTimelineProps {
  episode: EpisodeRecord;
  names: readonly string[];
  p0: number;
  tmax: number;
  /** The agent's state carried the route context: show, on each step, what it said. */
  routeContext?: boolean;
}

/** The route so far before each step (expert calls that answered), as the route context saw it. */
export function routesBefore(episode: EpisodeRecord): { t: number; calls: number[] }[] {
  const calls: number[] = [];
  return episode.steps.map((s) => {
    const before = { t: s.t, calls: calls.slice() };
    if (s.expert !== STOP_NAME && !s.error) calls.push(s.action);
    return before;
  });
}

/** The answer each step's answer is compared with: the last successful answer before it. */
export function previousAnswers(episode: EpisodeRecord): (string | null)[] {
  let previous: string | null = null;
  return episode.steps.map((s) => {
    const before = previous;
    if (s.expert !== STOP_NAME && !s.error) previous = s.answer;
    return before;
  });
}

export function EpisodeTimeline({ episode, names, p0, tmax, routeContext }: EpisodeTimelineProps) {
  const previous = previousAnswers(episode);
  const routes = routeContext ? routesBefore(episode).map((r) => describeRouteContext(r, { expertCount: names.length, tmax }, names)) : null;
  return (
    <div className="timeline" data-testid="episode-timeline">
      <EpisodeHeader episode={episode} p0={p0} tmax={tmax} />
      {episode.steps.map((s, i) => (
        <StepCard key={i} step={s} previousAnswer={previous[i]} names={names} p0={p0} tmax={tmax} route={routes?.[i]} />
      ))}
    </div>
  );
}

export function EpisodeHeader({ episode, p0, tmax }: { episode: EpisodeRecord; p0: number; tmax: number }) {
  return (
    <header className="episode-head">
      <h3>
        Episode #{episode.index}{' '}
        <span className="muted">
          iteration {episode.iteration} · question {episode.question_id}
          {episode.domain ? ` · ${episode.domain}` : ''}
        </span>
      </h3>
      <p className="question-text">{questionText(episode)}</p>
      <p className="route-line">
        Route: {episode.steps.map((s) => s.expert).join(' → ')} · return <b>{episode.return.toFixed(3)}</b> · final P{' '}
        <b>{Number.isFinite(episode.final_score) ? episode.final_score.toFixed(3) : '—'}</b> · cost {episode.route_cost}B
      </p>
      <p className="done-reason">{doneReasonText(episode.done_reason, p0, tmax)}</p>
    </header>
  );
}
