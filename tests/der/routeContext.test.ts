import { describe, expect, it } from 'vitest';
import { describeRouteContext, routeContextDim, routeContextFeatures, withRouteContext } from '../../src/der/routeContext';
import type { StateEncoder } from '../../src/der/types';

const shape = { expertCount: 3, tmax: 4 };

describe('route context', () => {
  it('codes the step (one-hot), the last expert (one-hot, "none" slot) and the experts called (multi-hot)', () => {
    expect(routeContextDim(shape)).toBe(4 + 4 + 3);
    expect(Array.from(routeContextFeatures({ t: 0, calls: [] }, shape))).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(routeContextFeatures({ t: 2, calls: [2, 0] }, shape))).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1]);
    expect(Array.from(routeContextFeatures({ t: 3, calls: [1, 1, 1] }, shape))).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('refuses an expert index outside the pool', () => {
    expect(() => routeContextFeatures({ t: 1, calls: [5] }, shape)).toThrow(/outside the pool of 3/);
  });

  it('describes the route in words for the inspector', () => {
    expect(describeRouteContext({ t: 2, calls: [2, 0] }, shape, ['a', 'b', 'c'])).toEqual({ step: 'step 3 of 4', last: 'a', called: 'a, c' });
    expect(describeRouteContext({ t: 0, calls: [] }, shape, ['a', 'b', 'c'])).toEqual({ step: 'step 1 of 4', last: 'none yet', called: 'none yet' });
  });

  it('the wrapped encoder appends the code after the text vector and needs the routes', async () => {
    const inner: StateEncoder = { name: 'len', dim: 2, encode: async (texts) => texts.map((t) => Float32Array.from([t.length, 1])) };
    const enc = withRouteContext(inner, shape);
    expect(enc.dim).toBe(2 + 11);
    const [v] = await enc.encode(['abc'], [{ t: 1, calls: [1] }]);
    expect(Array.from(v)).toEqual([3, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
    await expect(enc.encode(['abc'])).rejects.toThrow(/route context/);
  });
});

describe('route context in the episode runner', () => {
  it('each state carries the step, the last expert and the experts called so far', async () => {
    const { runEpisodes } = await import('../../src/der/episodes');
    const { fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } = await import('./fakes');
    const scores = [0.5, 0.6, 0.65, 0.7];
    const pool = fakePool((_id, _e, t) => scores[t]);
    const enc = withRouteContext(fakeEncoder(), { expertCount: pool.experts.length, tmax: 4 });
    const { trajectories } = await runEpisodes(
      [question('q')],
      { pool, scorer: fakeScorer(), encoder: enc, policy: scriptedPolicy({ q: [2, 0, 2, 1] }, 3) },
      {
        reward: { alpha: 0.001, beta: 5, gamma: 2, p0: 0.99, tmax: 4 },
        stopRule: 'threshold',
        ktp: { template: 'reference', custom: '' },
        iteration: 0,
      },
    );
    const n = pool.experts.length;
    const tails = trajectories[0].states.map((s) => Array.from(s.slice(s.length - routeContextDim({ expertCount: n, tmax: 4 }))));
    const expected = [
      routeContextFeatures({ t: 0, calls: [] }, { expertCount: n, tmax: 4 }),
      routeContextFeatures({ t: 1, calls: [2] }, { expertCount: n, tmax: 4 }),
      routeContextFeatures({ t: 2, calls: [2, 0] }, { expertCount: n, tmax: 4 }),
      routeContextFeatures({ t: 3, calls: [2, 0, 2] }, { expertCount: n, tmax: 4 }),
    ].map((f) => Array.from(f));
    expect(tails).toEqual(expected);
  });
});
