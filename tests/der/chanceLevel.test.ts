// The chance level drawn as the reward chart's random line: a uniform random policy over the
// agent's allowed actions, on the training questions, averaged over seeds.
import { describe, expect, it } from 'vitest';
import { chanceLevel, uniformRandomPolicy } from '../../src/der/chanceLevel';
import type { RewardConfig } from '../../src/der/config';
import { EXPERTS, fakePool, fakeScorer, question } from './fakes';

const KTP = { template: 'reference' as const, custom: '' };
const REWARD: RewardConfig = { alpha: 0.01, beta: 5, gamma: 2, p0: 0.73, tmax: 4, form: 'final' };
const QUESTIONS = Array.from({ length: 6 }, (_, i) => question(`q${i}`));

describe('uniformRandomPolicy', () => {
  it('picks only allowed actions, each allowed one with probability 1/|allowed|', async () => {
    const policy = uniformRandomPolicy(3);
    const obs = { question: QUESTIONS[0], state: new Float32Array(0), t: 0, lastScore: Number.NaN, allowed: [true, false, true, false] };
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) {
      const [d] = await policy.act([obs]);
      counts[d.action]++;
      expect(d.probs).toEqual([0.5, 0, 0.5, 0]);
      expect(d.logProb).toBeCloseTo(Math.log(0.5), 12);
    }
    expect(counts[1] + counts[3]).toBe(0);
    expect(counts[0]).toBeGreaterThan(150);
    expect(counts[2]).toBeGreaterThan(150);
  });
});

describe('chanceLevel', () => {
  it('with a constant score the return depends only on the route cost and length: its mean lies between the extremes', async () => {
    // Every answer scores 0.8 (passes p0): the final-form return is β·(0.8 − p0) + γ − α·ΣC.
    const pool = fakePool(() => 0.8);
    const level = await chanceLevel(QUESTIONS, { pool, scorer: fakeScorer() }, { reward: REWARD, stopRule: 'learned', ktp: KTP, seeds: 4 });
    expect(level.seeds).toBe(4);
    expect(level.questions).toBe(6);
    const best = 5 * (0.8 - 0.73) + 2 - 0.01 * 7;
    const worst = 5 * (0.8 - 0.73) + 2 - 0.01 * 13 * 4;
    expect(level.meanReturn).toBeLessThan(best);
    expect(level.meanReturn).toBeGreaterThan(worst);
    // STOP is allowed from t = 1 with probability 1/4: routes are between 1 and Tmax calls, on average well below Tmax.
    expect(level.meanRouteLength).toBeGreaterThan(1);
    expect(level.meanRouteLength).toBeLessThan(4);
    expect(level.sd).toBeGreaterThanOrEqual(0);
  });

  it('under the threshold rule a random route ends at p0: with scores rising by step, it ends at the step that passes', async () => {
    const pool = fakePool((_q, _e, t) => 0.6 + 0.05 * t); // passes 0.73 at t = 3
    const level = await chanceLevel(
      QUESTIONS,
      { pool, scorer: fakeScorer() },
      { reward: { ...REWARD, form: 'paper' }, stopRule: 'threshold', ktp: KTP, seeds: 2 },
    );
    expect(level.meanRouteLength).toBe(4);
    expect(pool.requests.length).toBe(2 * 6 * 4);
    expect(pool.requests.every((r) => r.expert >= 0 && r.expert < EXPERTS.length)).toBe(true);
  });

  it('refuses a seed count below 1', async () => {
    await expect(
      chanceLevel(QUESTIONS, { pool: fakePool(() => 0.5), scorer: fakeScorer() }, { reward: REWARD, stopRule: 'learned', ktp: KTP, seeds: 0 }),
    ).rejects.toThrow(/seeds/);
  });
});
