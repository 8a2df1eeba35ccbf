// The searchable, filterable list of recorded episodes (newest first, shown in pages so a long
// run stays cheap to render).
import { memo, useMemo, useState } from 'react';
import type { EpisodeRecord } from '../../der/runRecord';
import { filterEpisodes, isSuccess, questionText, type EpisodeFilter } from './episodeFilter';

const PAGE = 100;

export interface EpisodeListProps {
  episodes: readonly EpisodeRecord[];
  names: readonly string[];
  p0: number;
  tmax: number;
  selected: number | null;
  onSelect(index: number): void;
  filter: EpisodeFilter;
  onFilter(filter: EpisodeFilter): void;
}

export const EpisodeList = memo(function EpisodeList({ episodes, names, p0, tmax, selected, onSelect, filter, onFilter }: EpisodeListProps) {
  const [limit, setLimit] = useState(PAGE);
  const matches = useMemo(() => filterEpisodes(episodes, filter, p0).reverse(), [episodes, filter, p0]);
  const set = (patch: Partial<EpisodeFilter>) => {
    setLimit(PAGE);
    onFilter({ ...filter, ...patch });
  };
  return (
    <div className="episode-list">
      <div className="filters" role="search">
        <label>
          Search questions
          <input type="search" value={filter.query} placeholder="text or id" onChange={(e) => set({ query: e.target.value })} />
        </label>
        <label>
          Route length
          <select value={filter.routeLength ?? ''} onChange={(e) => set({ routeLength: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">any</option>
            {Array.from({ length: tmax }, (_, i) => (
              <option key={i} value={i + 1}>
                {i + 1} call{i ? 's' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Success
          <select value={filter.success} onChange={(e) => set({ success: e.target.value as EpisodeFilter['success'] })}>
            <option value="any">any</option>
            <option value="yes">reached p0</option>
            <option value="no">did not</option>
          </select>
        </label>
        <label>
          Expert used
          <select value={filter.expert ?? ''} onChange={(e) => set({ expert: e.target.value === '' ? null : e.target.value })}>
            <option value="">any</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted list-count" aria-live="polite">
        {matches.length} of {episodes.length} episodes
      </p>
      <ul className="episodes" aria-label="Episodes">
        {matches.slice(0, limit).map((e) => (
          <li key={e.index}>
            <button
              type="button"
              className={e.index === selected ? 'selected' : undefined}
              aria-pressed={e.index === selected}
              onClick={() => onSelect(e.index)}
              data-testid="episode-item"
            >
              <span className="ep-top">
                <b>#{e.index}</b> <span className="muted">it {e.iteration}</span>{' '}
                <span className={isSuccess(e, p0) ? 'ok' : 'bad'}>{e.failed ? 'failed' : isSuccess(e, p0) ? '✓ p0' : '✗'}</span>{' '}
                <span className="muted">
                  P {Number.isFinite(e.final_score) ? e.final_score.toFixed(3) : '—'} · R {e.return.toFixed(2)}
                </span>
              </span>
              <span className="ep-question">{questionText(e).slice(0, 90)}</span>
              <span className="ep-route">{e.steps.map((s) => s.expert).join(' → ')}</span>
            </button>
          </li>
        ))}
      </ul>
      {matches.length > limit && (
        <button type="button" onClick={() => setLimit((n) => n + PAGE)}>
          Show more ({matches.length - limit} left)
        </button>
      )}
    </div>
  );
});
