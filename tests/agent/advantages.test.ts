import { describe, expect, it } from 'vitest';
import { batchTargets, episodeTargets, explainedVariance, normalize } from '../../src/agent/advantages';
import { flattenTrajectories, planGradientSteps } from '../../src/agent/ppoBatch';
import { REFERENCE_PPO, TUNED_PPO } from '../../src/der/presets';
import { createRng } from '../../src/der/rng';
import type { Trajectory } from '../../src/der/trajectory';

function episode(rewards: number[], values: number[], terminal = true, bootstrapValue = 0): Trajectory {
  const n = rewards.length;
  return {
    states: Array.from({ length: n }, (_, t) => Float32Array.from([t, 1])),
    allowed: Array.from({ length: n }, () => [true, true]),
    actions: Array(n).fill(0),
    logProbs: Array(n).fill(Math.log(0.5)),
    values,
    rewards,
    terminal,
    bootstrapValue,
  };
}

const A = episode([1, 2, 3], [0.5, 1, 1.5]);
const B = episode([1, 1], [2, 2], false, 10);

describe('per-episode returns and advantages', () => {
  it('Monte-Carlo: discounted return minus the old value, hand-computed', () => {
    const { returns, advantages } = episodeTargets(A, { discount: 0.9, method: 'mc', lambda: 1 });
    // G2 = 3, G1 = 2 + 0.9·3 = 4.7, G0 = 1 + 0.9·4.7 = 5.23
    expect(returns[0]).toBeCloseTo(5.23, 10);
    expect(returns[1]).toBeCloseTo(4.7, 10);
    expect(returns[2]).toBeCloseTo(3, 10);
    expect(advantages.map((a) => +a.toFixed(10))).toEqual([4.73, 3.7, 1.5]);
  });

  it('GAE(λ): hand-computed deltas and recursion', () => {
    const { returns, advantages } = episodeTargets(A, { discount: 0.9, method: 'gae', lambda: 0.5 });
    // δ2 = 3 − 1.5 = 1.5; δ1 = 2 + 0.9·1.5 − 1 = 2.35; δ0 = 1 + 0.9·1 − 0.5 = 1.4; γλ = 0.45
    expect(advantages[2]).toBeCloseTo(1.5, 10);
    expect(advantages[1]).toBeCloseTo(2.35 + 0.45 * 1.5, 10);
    expect(advantages[0]).toBeCloseTo(1.4 + 0.45 * (2.35 + 0.45 * 1.5), 10);
    expect(returns[0]).toBeCloseTo(advantages[0] + 0.5, 10);
  });

  it('GAE with λ = 1 equals the Monte-Carlo advantage', () => {
    const mc = episodeTargets(B, { discount: 0.9, method: 'mc', lambda: 1 });
    const gae = episodeTargets(B, { discount: 0.9, method: 'gae', lambda: 1 });
    gae.advantages.forEach((a, t) => expect(a).toBeCloseTo(mc.advantages[t], 10));
  });

  it('a cut-off episode bootstraps from bootstrapValue; a terminal one does not', () => {
    const cut = episodeTargets(B, { discount: 0.9, method: 'mc', lambda: 1 });
    expect(cut.returns).toEqual([1 + 0.9 * (1 + 0.9 * 10), 1 + 0.9 * 10]);
    const ended = episodeTargets({ ...B, terminal: true }, { discount: 0.9, method: 'mc', lambda: 1 });
    expect(ended.returns).toEqual([1.9, 1]);
  });

  it('nothing leaks across episode boundaries', () => {
    for (const method of ['mc', 'gae'] as const) {
      const options = { discount: 0.95, method, lambda: 0.9 };
      const [a, b] = batchTargets([A, B], options);
      expect(a).toEqual(episodeTargets(A, options));
      expect(b).toEqual(episodeTargets(B, options));
      // The last step of a terminal episode sees only its own reward.
      expect(a.returns[2]).toBe(3);
    }
    const flat = flattenTrajectories([A, B], 2, 2, TUNED_PPO);
    expect(flat.returns[2]).toBeCloseTo(episodeTargets(A, { discount: TUNED_PPO.discount, method: 'gae', lambda: TUNED_PPO.gaeLambda }).returns[2], 6);
    expect(flat.episodeIndices).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('normalize gives mean 0 and std 1; explained variance is 1 for perfect values', () => {
    const z = normalize(Float32Array.from([1, 2, 3, 4, 10]));
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const sd = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / (z.length - 1));
    expect(mean).toBeCloseTo(0, 6);
    expect(sd).toBeCloseTo(1, 5);
    expect(explainedVariance([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(explainedVariance([0, 0, 0], [1, 2, 3])).toBe(0);
  });
});

describe('gradient-step planning', () => {
  const episodes = Array.from({ length: 10 }, (_, e) => episode(Array(1 + (e % 4)).fill(1), Array(1 + (e % 4)).fill(0)));
  const flat = flattenTrajectories(episodes, 2, 2, REFERENCE_PPO);

  it('sampled-episodes: gradientSteps steps of episodesPerStep whole episodes', () => {
    const plan = planGradientSteps(flat, { ...REFERENCE_PPO, gradientSteps: 6, episodesPerStep: 3 }, createRng(1));
    expect(plan).toHaveLength(6);
    for (const step of plan) {
      const chosen = flat.episodeIndices.filter((idx) => idx.some((i) => step.indices.includes(i)));
      expect(chosen).toHaveLength(3);
      for (const idx of chosen) expect(idx.every((i) => step.indices.includes(i))).toBe(true);
      expect(new Set(step.indices).size).toBe(step.indices.length);
    }
  });

  it('minibatch-epochs: every epoch covers each transition exactly once', () => {
    const plan = planGradientSteps(flat, { ...TUNED_PPO, updateEpochs: 3, minibatches: 4 }, createRng(2));
    expect(plan).toHaveLength(12);
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen = plan
        .filter((s) => s.epoch === epoch)
        .flatMap((s) => s.indices)
        .sort((a, b) => a - b);
      expect(seen).toEqual(Array.from({ length: flat.count }, (_, i) => i));
    }
  });

  it('rejects a trajectory whose action was not allowed', () => {
    const bad = { ...episode([1], [0]), allowed: [[false, true]] };
    expect(() => flattenTrajectories([bad], 2, 2, TUNED_PPO)).toThrow(/not an allowed action/);
  });
});
