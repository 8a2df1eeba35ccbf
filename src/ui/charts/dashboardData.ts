// The episode-derived summaries the dashboard draws: one for the latest iteration and one for
// the whole run, both from the core's summarizeEpisodes.
import { summarizeEpisodes, type EpisodeSummary, type SummaryOptions } from '../../der/metrics';
import type { EpisodeRecord } from '../../der/runRecord';

export interface DashboardSummaries {
  /** Iteration of the newest episode (it may still be collecting), null with no episodes. */
  lastIteration: number | null;
  last: EpisodeSummary;
  all: EpisodeSummary;
}

export function dashboardSummaries(episodes: readonly EpisodeRecord[], options: SummaryOptions): DashboardSummaries {
  const lastIteration = episodes.length > 0 ? episodes[episodes.length - 1].iteration : null;
  // Episodes arrive in order, so the latest iteration's episodes are a suffix of the list.
  let start = episodes.length;
  while (start > 0 && episodes[start - 1].iteration === lastIteration) start--;
  return {
    lastIteration,
    last: summarizeEpisodes(episodes.slice(start), options),
    all: summarizeEpisodes(episodes, options),
  };
}
