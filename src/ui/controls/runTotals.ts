// Totals for the status line, derived from the recorded steps: expert calls, tokens, money spent
// and cache hits. Per-episode totals are memoised by episode object, so a growing run costs one
// pass over the new episodes plus a sum, not a pass over every step on every render.
import { STOP_NAME } from '../../der/actions';
import type { EpisodeRecord } from '../../der/runRecord';

export interface RunTotals {
  /** Expert calls made (STOP is not a call); cached answers count as calls. */
  calls: number;
  /** Calls answered from the response cache (no new request). */
  cacheHits: number;
  /** Prompt + completion tokens reported by the experts. */
  tokens: number;
  /** Money spent in USD, where the experts report a price. */
  costUSD: number;
  /** Billions of parameters called (the paper's C summed over routes). */
  paramsB: number;
}

const ZERO: RunTotals = { calls: 0, cacheHits: 0, tokens: 0, costUSD: 0, paramsB: 0 };
const perEpisode = new WeakMap<EpisodeRecord, RunTotals>();

export function episodeTotals(episode: EpisodeRecord): RunTotals {
  const known = perEpisode.get(episode);
  if (known) return known;
  const totals = { ...ZERO };
  for (const step of episode.steps) {
    if (step.expert === STOP_NAME) continue;
    totals.calls += 1;
    if (step.cached) totals.cacheHits += 1;
    if (step.usage) totals.tokens += step.usage.promptTokens + step.usage.completionTokens;
    if (step.costUSD !== undefined && Number.isFinite(step.costUSD)) totals.costUSD += step.costUSD;
    if (step.error === undefined) totals.paramsB += step.cost;
  }
  perEpisode.set(episode, totals);
  return totals;
}

export function runTotals(episodes: readonly EpisodeRecord[]): RunTotals {
  const sum = { ...ZERO };
  for (const e of episodes) {
    const t = episodeTotals(e);
    sum.calls += t.calls;
    sum.cacheHits += t.cacheHits;
    sum.tokens += t.tokens;
    sum.costUSD += t.costUSD;
    sum.paramsB += t.paramsB;
  }
  return sum;
}

/** "1.2k", "3.4M": short counts for a status line. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
