// Re-scoring handles both reward forms: a run recorded under either form is reproduced by its
// own knobs, and switching the form recomputes the returns from the recorded scores.
import { describe, expect, it } from 'vitest';
import type { RewardConfig } from '../../src/der/config';
import { runEpisodes } from '../../src/der/episodes';
import { rescoreEpisodes } from '../../src/der/rescore';
import { fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from './fakes';

const KTP = { template: 'reference' as const, custom: '' };
const SCORES: Record<string, number[]> = { a: [0.6, 0.75, 0.7], b: [0.8], c: [0.5, 0.55, 0.6, 0.62] };
// Learned rule: action 3 is STOP.
const ROUTES: Record<string, number[]> = { a: [0, 1, 2, 3], b: [2, 3], c: [1, 1, 0, 2] };

async function record(reward: RewardConfig) {
  const pool = fakePool((id, _e, t) => SCORES[id][t]);
  return (
    await runEpisodes(
      ['a', 'b', 'c'].map((id) => question(id)),
      { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(ROUTES, 4) },
      {
        reward,
        stopRule: 'learned',
        ktp: KTP,
        iteration: 0,
      },
    )
  ).episodes;
}

describe('rescore under both reward forms', () => {
  for (const form of ['paper', 'final'] as const) {
    it(`a ${form}-form recording re-scored with its own knobs gives the recorded returns`, async () => {
      const reward: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 4, form };
      const episodes = await record(reward);
      const again = rescoreEpisodes(episodes, reward, 'learned');
      again.episodes.forEach((e, i) => expect(e.return).toBeCloseTo(episodes[i].return, 12));
    });
  }

  it('switching a paper recording to the final form gives β·(P_T − p0) ± γ − α·ΣC per route', async () => {
    const paper: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 4, form: 'paper' };
    const episodes = await record(paper);
    const final = rescoreEpisodes(episodes, { ...paper, form: 'final' }, 'learned');
    final.episodes.forEach((e, i) => {
      const rec = episodes[i];
      const expected = 5 * (rec.final_score - 0.73) + (rec.final_score >= 0.73 ? 2 : -2) - 0.001 * rec.route_cost;
      expect(e.return).toBeCloseTo(expected, 12);
      expect(e.return).not.toBeCloseTo(rec.return, 3);
    });
  });
});
