// The Routes tab: pick a recorded episode, read its route step by step, and step through the
// same question under the current policy.
import { useState } from 'react';
import { useThrottledTraining } from '../hooks/useThrottledTraining';
import { useRunContext } from '../hooks/useRunContext';
import { SimulatedBadge } from '../charts/SimulatedBadge';
import { EpisodeList } from './EpisodeList';
import { EpisodeTimeline } from './EpisodeTimeline';
import { StepThrough } from './StepThrough';
import { EMPTY_FILTER, type EpisodeFilter } from './episodeFilter';

export function RouteInspector() {
  const { episodes } = useThrottledTraining((s) => ({ episodes: s.episodes }), 1000);
  const ctx = useRunContext();
  const [selected, setSelected] = useState<number | null>(null);
  const [filter, setFilter] = useState<EpisodeFilter>(EMPTY_FILTER);
  const episode = selected === null ? undefined : episodes.find((e) => e.index === selected);
  const { p0, tmax } = ctx.reward;
  return (
    <div className="inspector">
      <aside className="inspector-list" aria-label="Recorded episodes">
        <h2>
          Routes <SimulatedBadge simulated={ctx.simulated} />
        </h2>
        {episodes.length === 0 ? (
          <p className="muted">No episode recorded yet: press Start training or Step one episode.</p>
        ) : (
          <EpisodeList
            episodes={episodes}
            names={ctx.expertNames}
            p0={p0}
            tmax={tmax}
            selected={selected}
            onSelect={setSelected}
            filter={filter}
            onFilter={setFilter}
          />
        )}
      </aside>
      <div className="inspector-detail">
        {episode ? (
          <>
            <StepThrough recorded={episode} names={ctx.expertNames} p0={p0} tmax={tmax} />
            <h3 className="section-title">Recorded route</h3>
            <EpisodeTimeline episode={episode} names={ctx.expertNames} p0={p0} tmax={tmax} routeContext={ctx.routeContext} />
          </>
        ) : (
          <p className="muted placeholder">
            Select an episode on the left to see its route: each expert's prompt, answer (with a word diff), score, reward terms and the policy's choice.
          </p>
        )}
      </div>
    </div>
  );
}
