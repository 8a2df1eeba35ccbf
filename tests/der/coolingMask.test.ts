// Training routes around a cooling-down expert: with avoidCoolingExperts the episode runner leaves
// experts whose pool.health says they cool down out of the allowed actions, keeps them when no
// other action would remain, and leaves the mask alone without the option (baselines, evaluation).
import { describe, expect, it } from 'vitest';
import { runEpisodes } from '../../src/der/episodes';
import { presetConfig } from '../../src/der/presets';
import type { ExpertHealth, Policy, PolicyObservation } from '../../src/der/types';
import { fakeEncoder, fakePool, fakeScorer, question, EXPERTS } from '../der/fakes';

const base = presetConfig('tuned');
const OPTIONS = { reward: { ...base.reward, tmax: 2, p0: 0.8 }, stopRule: 'threshold' as const, ktp: base.ktp, iteration: 0 };

/** A policy that records the masks it saw and picks the first allowed action. */
function firstAllowed(): Policy & { masks: boolean[][] } {
  const masks: boolean[][] = [];
  return {
    name: 'first-allowed',
    masks,
    async act(observations: PolicyObservation[]) {
      return observations.map((o) => {
        masks.push([...o.allowed]);
        const action = o.allowed.findIndex(Boolean);
        return { action, probs: o.allowed.map((ok) => (ok ? 1 : 0)), logProb: 0, value: 0 };
      });
    },
  };
}

function poolWithHealth(cooling: number[]) {
  const pool = fakePool(() => 0.9);
  const health = (): ExpertHealth[] =>
    EXPERTS.map((e, i) => ({ name: e.name, coolingMs: cooling.includes(i) ? 1000 : 0, consecutiveFailures: cooling.includes(i) ? 5 : 0 }));
  return Object.assign(pool, { health });
}

describe('avoidCoolingExperts', () => {
  it('leaves a cooling expert out of the allowed actions', async () => {
    const policy = firstAllowed();
    const pool = poolWithHealth([0]);
    const { episodes } = await runEpisodes(
      [question('q1')],
      { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy },
      { ...OPTIONS, avoidCoolingExperts: true },
    );
    expect(policy.masks[0]).toEqual([false, true, true]);
    expect(episodes[0].steps[0].expert).toBe(EXPERTS[1].name);
    expect(pool.requests.every((r) => r.expert !== 0)).toBe(true);
  });

  it('keeps the mask when every expert cools down (the call then fails and the trainer decides)', async () => {
    const policy = firstAllowed();
    await runEpisodes(
      [question('q1')],
      { pool: poolWithHealth([0, 1, 2]), scorer: fakeScorer(), encoder: fakeEncoder(), policy },
      { ...OPTIONS, avoidCoolingExperts: true },
    );
    expect(policy.masks[0]).toEqual([true, true, true]);
  });

  it('does nothing without the option', async () => {
    const policy = firstAllowed();
    await runEpisodes([question('q1')], { pool: poolWithHealth([0]), scorer: fakeScorer(), encoder: fakeEncoder(), policy }, OPTIONS);
    expect(policy.masks[0]).toEqual([true, true, true]);
  });
});
