// How a replayed route differs from the recorded one, step by step (pure).
import type { EpisodeRecord } from '../../der/runRecord';

export interface StepComparison {
  t: number;
  replayed: string;
  /** The recorded expert at this step, or null when the recording had already ended. */
  recorded: string | null;
  sameExpert: boolean;
  /** Replayed P − recorded P (NaN when either is missing). */
  scoreChange: number;
}

export function compareRoutes(recorded: EpisodeRecord, replayed: EpisodeRecord): StepComparison[] {
  return replayed.steps.map((s, t) => {
    const r = recorded.steps[t];
    return {
      t,
      replayed: s.expert,
      recorded: r ? r.expert : null,
      sameExpert: r !== undefined && r.expert === s.expert,
      scoreChange: r ? s.score - r.score : Number.NaN,
    };
  });
}

/** A short label for a step card: identical to the recording, or what the recording did instead. */
export function comparisonNote(c: StepComparison): string {
  if (c.recorded === null) return 'recording had ended here';
  if (c.sameExpert)
    return Number.isFinite(c.scoreChange) && Math.abs(c.scoreChange) > 1e-9
      ? `same expert, P ${c.scoreChange > 0 ? '+' : '−'}${Math.abs(c.scoreChange).toFixed(3)}`
      : 'same as recording';
  return `differs: recording chose ${c.recorded}`;
}
