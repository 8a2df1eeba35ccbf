// Data for the what-if panel: recorded vs re-scored mean return per iteration (pure).
import type { RescoredEpisode } from '../../der/rescore';
import type { EpisodeRecord } from '../../der/runRecord';

export interface WhatIfRow {
  iteration: number;
  recorded: number;
  whatIf: number;
  /** Episodes of this iteration whose route would now end earlier / go on past the recording. */
  earlier: number;
  later: number;
}

/**
 * Mean return per iteration, recorded and re-scored. `rescored[i]` must be the re-scoring of
 * `episodes[i]` (rescoreEpisodes keeps the order). Failed episodes are left out of both means,
 * as in the core's summaries.
 */
export function whatIfRows(episodes: readonly EpisodeRecord[], rescored: readonly RescoredEpisode[]): WhatIfRow[] {
  if (episodes.length !== rescored.length)
    throw new Error(`whatIfRows: ${episodes.length} episodes but ${rescored.length} re-scored ones; pass the same list to rescoreEpisodes.`);
  const byIteration = new Map<number, { recorded: number; whatIf: number; nRecorded: number; nWhatIf: number; earlier: number; later: number }>();
  episodes.forEach((e, i) => {
    const r = rescored[i];
    const acc = byIteration.get(e.iteration) ?? { recorded: 0, whatIf: 0, nRecorded: 0, nWhatIf: 0, earlier: 0, later: 0 };
    if (!e.failed) {
      acc.recorded += e.return;
      acc.nRecorded += 1;
    }
    if (!r.failed) {
      acc.whatIf += r.return;
      acc.nWhatIf += 1;
    }
    if (r.change === 'earlier') acc.earlier += 1;
    if (r.change === 'later') acc.later += 1;
    byIteration.set(e.iteration, acc);
  });
  return [...byIteration.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([iteration, a]) => ({
      iteration,
      recorded: a.nRecorded ? a.recorded / a.nRecorded : Number.NaN,
      whatIf: a.nWhatIf ? a.whatIf / a.nWhatIf : Number.NaN,
      earlier: a.earlier,
      later: a.later,
    }));
}
