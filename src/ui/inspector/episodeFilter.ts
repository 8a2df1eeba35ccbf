// Filtering of the recorded episodes for the route inspector's list (pure, unit-tested).
import { STOP_NAME } from '../../der/actions';
import type { DoneReason, EpisodeRecord } from '../../der/runRecord';

export interface EpisodeFilter {
  /** Matches the question id or the question text (case-insensitive). */
  query: string;
  /** Exact number of expert calls, or null for any. */
  routeLength: number | null;
  success: 'any' | 'yes' | 'no';
  /** Only routes that called this expert, or null for any. */
  expert: string | null;
}

export const EMPTY_FILTER: EpisodeFilter = { query: '', routeLength: null, success: 'any', expert: null };

/** The question as sent to the first expert (the raw question; step 0 never gets the KTP). */
export function questionText(episode: EpisodeRecord): string {
  return episode.steps[0]?.prompt ?? '';
}

/** Expert names along the route, STOP included when the agent chose it. */
export function routeNames(episode: EpisodeRecord): string[] {
  return episode.steps.map((s) => s.expert);
}

export function isSuccess(episode: EpisodeRecord, p0: number): boolean {
  return !episode.failed && episode.final_score >= p0;
}

export function filterEpisodes(episodes: readonly EpisodeRecord[], filter: EpisodeFilter, p0: number): EpisodeRecord[] {
  const q = filter.query.trim().toLowerCase();
  return episodes.filter((e) => {
    if (filter.routeLength !== null && e.route_length !== filter.routeLength) return false;
    if (filter.success !== 'any' && isSuccess(e, p0) !== (filter.success === 'yes')) return false;
    if (filter.expert !== null && !e.steps.some((s) => s.expert === filter.expert && s.expert !== STOP_NAME)) return false;
    if (q && !e.question_id.toLowerCase().includes(q) && !questionText(e).toLowerCase().includes(q)) return false;
    return true;
  });
}

/** Why an episode ended, in words for people. */
export function doneReasonText(reason: DoneReason | null, p0: number, tmax: number): string {
  switch (reason) {
    case 'threshold':
      return `Success: the answer's score reached the threshold p0 = ${p0}.`;
    case 'tmax':
      return `Step limit: Tmax = ${tmax} expert calls were made without reaching p0 = ${p0}.`;
    case 'stop':
      return 'The agent chose STOP (the learned, reference-free stop rule).';
    case 'error':
      return 'An expert call failed, so the episode ended early and is not learned from.';
    default:
      return 'Not ended.';
  }
}
