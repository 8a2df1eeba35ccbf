import { describe, expect, it } from 'vitest';
import { runBaseline } from '../../src/der/baselines';
import type { KtpConfig, RewardConfig } from '../../src/der/config';
import { runEpisodes } from '../../src/der/episodes';
import { rescoreEpisodes } from '../../src/der/rescore';
import type { EpisodeRecord } from '../../src/der/runRecord';
import type { StopRule } from '../../src/der/actions';
import { EXPERTS, fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from './fakes';

const RECORDED: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 4 };
const KTP: KtpConfig = { template: 'reference', custom: '' };
const SCORES: Record<string, number[]> = {
  slow: [0.5, 0.6, 0.75],
  never: [0.4, 0.45, 0.5, 0.55],
  dip: [0.62, 0.5, 0.7, 0.74],
  fast: [0.8],
};
const ROUTES: Record<string, number[]> = { slow: [0, 1, 2, 0], never: [1, 1, 1, 1], dip: [0, 2, 1, 0], fast: [2, 0, 0, 0] };
const QS = Object.keys(SCORES).map((id) => question(id));

async function record(reward: RewardConfig, stopRule: StopRule = 'threshold', routes = ROUTES): Promise<EpisodeRecord[]> {
  const pool = fakePool((id, _e, t) => SCORES[id][t] ?? 0.55);
  const deps = { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(routes, EXPERTS.length + (stopRule === 'learned' ? 1 : 0)) };
  return (await runEpisodes(QS, deps, { reward, stopRule, ktp: KTP, iteration: 0 })).episodes;
}

describe('rescoreEpisodes', () => {
  it('with the recorded knobs changes nothing', async () => {
    const recorded = await record(RECORDED);
    const { episodes, summary } = rescoreEpisodes(recorded, RECORDED, 'threshold');
    episodes.forEach((e, i) => {
      expect(e.return).toBeCloseTo(recorded[i].return, 12);
      expect(e.route_length).toBe(recorded[i].route_length);
      expect(e.done_reason).toBe(recorded[i].done_reason);
      expect(e.steps.map((s) => s.reward)).toEqual(recorded[i].steps.map((s) => s.reward));
    });
    expect(summary).toMatchObject({ episodes: 4, unchanged: 4, endedEarlier: 0, endedLater: 0, failed: 0 });
    expect(summary.meanReturn).toBeCloseTo(recorded.reduce((s, e) => s + e.return, 0) / 4, 12);
  });

  it('equals a fresh run for knobs that end routes no later (lower p0 / Tmax, other α β γ)', async () => {
    const recorded = await record(RECORDED);
    const variants: RewardConfig[] = [
      { ...RECORDED, p0: 0.6 },
      { ...RECORDED, p0: 0.5, gamma: 1 },
      { ...RECORDED, tmax: 2 },
      { ...RECORDED, tmax: 1, alpha: 0.01 },
      { ...RECORDED, beta: 0, gamma: 0.5, p0: 0.7, tmax: 3 },
    ];
    for (const knobs of variants) {
      const fresh = await record(knobs);
      const { episodes, summary } = rescoreEpisodes(recorded, knobs, 'threshold');
      episodes.forEach((e, i) => {
        expect(e.return).toBeCloseTo(fresh[i].return, 12);
        expect(e.final_score).toBe(fresh[i].final_score);
        expect(e.route_length).toBe(fresh[i].route_length);
        expect(e.route_cost).toBe(fresh[i].route_cost);
        expect(e.done_reason).toBe(fresh[i].done_reason);
        expect(e.truncatedByRecording).toBe(false);
      });
      const earlier = fresh.filter((f, i) => f.route_length < recorded[i].route_length).length;
      expect(earlier).toBeGreaterThan(0);
      expect(summary.endedEarlier).toBe(earlier);
      expect(summary.unchanged).toBe(4 - earlier);
    }
  });

  it('lower p0 ends an episode earlier and cuts its steps', async () => {
    const recorded = await record(RECORDED);
    const { episodes } = rescoreEpisodes(recorded, { ...RECORDED, p0: 0.6 }, 'threshold');
    const slow = episodes.find((e) => e.question_id === 'slow');
    expect(slow?.steps).toHaveLength(2);
    expect(slow?.change).toBe('earlier');
    expect(slow?.done_reason).toBe('threshold');
    expect(slow?.final_score).toBe(0.6);
  });

  it('higher Tmax or p0 cannot extend a recording: flagged truncatedByRecording and counted', async () => {
    const recorded = await record(RECORDED);
    const longer = rescoreEpisodes(recorded, { ...RECORDED, tmax: 6 }, 'threshold');
    const never = longer.episodes.find((e) => e.question_id === 'never');
    expect(never).toMatchObject({ truncatedByRecording: true, change: 'later', done_reason: null, route_length: 4 });
    expect(never?.steps.every((s) => s.terms.terminal === 0)).toBe(true);
    expect(longer.summary.endedLater).toBe(1);
    const stricter = rescoreEpisodes(recorded, { ...RECORDED, p0: 0.9 }, 'threshold');
    // slow ended at 0.75 after 3 of 4 calls and fast after 1: both would go on; never and dip hit Tmax.
    expect(
      stricter.episodes
        .filter((e) => e.truncatedByRecording)
        .map((e) => e.question_id)
        .sort(),
    ).toEqual(['fast', 'slow']);
    expect(stricter.summary).toMatchObject({ endedLater: 2, unchanged: 2, endedEarlier: 0 });
  });

  it("learned-stop recordings keep the agent's STOP and recompute its ±γ", async () => {
    const STOP = EXPERTS.length;
    const routes = { slow: [0, 1, STOP], never: [1, 1, 1, 1], dip: [0, STOP], fast: [2, STOP] };
    const recorded = await record(RECORDED, 'learned', routes);
    const knobs = { ...RECORDED, gamma: 0.5, p0: 0.6 };
    const fresh = await record(knobs, 'learned', routes);
    const { episodes } = rescoreEpisodes(recorded, knobs, 'learned');
    episodes.forEach((e, i) => {
      expect(e.return).toBeCloseTo(fresh[i].return, 12);
      expect(e.done_reason).toBe(fresh[i].done_reason);
      expect(e.steps).toHaveLength(fresh[i].steps.length);
    });
    expect(episodes[0].steps.at(-1)?.terms.terminal).toBe(0.5);
  });

  it('fixed-route baselines keep their call limit; failed episodes stay failed unless cut before the failure', async () => {
    const pool = fakePool(
      (id, _e, t) => SCORES[id][t] ?? 0.55,
      (id, t) => id === 'never' && t === 2,
    );
    const single = await runBaseline(
      { kind: 'single', expert: 0 },
      QS,
      { pool, scorer: fakeScorer() },
      { reward: RECORDED, ktp: KTP, iteration: 0, stopRule: 'threshold' },
    );
    expect(rescoreEpisodes(single.episodes, RECORDED, 'threshold').summary.unchanged).toBe(4);
    const agent = await runEpisodes(
      QS,
      { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(ROUTES, 3) },
      { reward: RECORDED, ktp: KTP, iteration: 0, stopRule: 'threshold' },
    );
    const still = rescoreEpisodes(agent.episodes, RECORDED, 'threshold').episodes.find((e) => e.question_id === 'never');
    expect(still).toMatchObject({ failed: true, done_reason: 'error', route_length: 2 });
    const cut = rescoreEpisodes(agent.episodes, { ...RECORDED, tmax: 2 }, 'threshold').episodes.find((e) => e.question_id === 'never');
    expect(cut).toMatchObject({ failed: false, done_reason: 'tmax', route_length: 2 });
  });
});
