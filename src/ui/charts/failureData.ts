// The numbers of the failure-rate chart: per iteration, the share of expert calls and of collected
// episodes that failed (IterationRecord.failures; an iteration without it had no failure), and the
// run's failures per expert. Pure, so the chart stays a thin renderer and this is unit-tested.
import type { IterationRecord } from '../../der/runRecord';

export interface FailurePoint {
  iteration: number;
  value: number;
}

export interface FailureSeries {
  /** Failed expert calls / expert calls, per iteration (0..1). */
  callRate: FailurePoint[];
  /** Failed episodes / episodes collected, per iteration (0..1). */
  episodeRate: FailurePoint[];
  /** Whole-run totals per expert that ever failed, most failed calls first. */
  byExpert: { expert: string; calls: number; failedCalls: number; failedEpisodes: number }[];
  /** Whether anything failed in the run. */
  any: boolean;
}

export function failureSeries(iterations: readonly IterationRecord[]): FailureSeries {
  const callRate: FailurePoint[] = [];
  const episodeRate: FailurePoint[] = [];
  const totals = new Map<string, { calls: number; failedCalls: number; failedEpisodes: number }>();
  let any = false;
  for (const it of iterations) {
    const f = it.failures;
    callRate.push({ iteration: it.iteration, value: f && f.calls > 0 ? f.failedCalls / f.calls : 0 });
    episodeRate.push({ iteration: it.iteration, value: f && f.collected > 0 ? f.failedEpisodes / f.collected : 0 });
    if (!f) continue;
    any ||= f.failedCalls > 0 || f.failedEpisodes > 0;
    for (const [expert, c] of Object.entries(f.byExpert)) {
      const t = totals.get(expert) ?? { calls: 0, failedCalls: 0, failedEpisodes: 0 };
      t.calls += c.calls;
      t.failedCalls += c.failedCalls;
      t.failedEpisodes += c.failedEpisodes;
      totals.set(expert, t);
    }
  }
  const byExpert = [...totals.entries()].map(([expert, t]) => ({ expert, ...t })).sort((a, b) => b.failedCalls - a.failedCalls);
  return { callRate, episodeRate, byExpert, any };
}
