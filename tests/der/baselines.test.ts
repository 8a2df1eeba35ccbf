import { describe, expect, it } from 'vitest';
import { runBaseline, ORACLE_POLICY_NAME } from '../../src/der/baselines';
import type { KtpConfig, RewardConfig } from '../../src/der/config';
import { questionText } from '../../src/der/types';
import { EXPERTS, fakePool, fakeScorer, question } from './fakes';

const REWARD: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 4 };
const KTP: KtpConfig = { template: 'reference', custom: '' };
const OPTIONS = { reward: REWARD, ktp: KTP, iteration: 0 };
/** Expert k's score rises with k and t; question q7 never reaches p0. */
const scoreOf = (id: string, expert: number, t: number) => (id === 'q7' ? 0.3 : 0.5 + 0.05 * expert + 0.04 * t);
const QS = Array.from({ length: 12 }, (_, i) => question(`q${i}`));

describe('random baseline', () => {
  it('is reproducible for a seed, differs across seeds, and uses only experts', async () => {
    const run = (seed: number) =>
      runBaseline({ kind: 'random', seed }, QS, { pool: fakePool(scoreOf), scorer: fakeScorer() }, { ...OPTIONS, stopRule: 'learned' });
    const routes = (r: Awaited<ReturnType<typeof run>>) => r.episodes.map((e) => e.steps.map((s) => s.action));
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    expect(routes(a)).toEqual(routes(b));
    expect(routes(a)).not.toEqual(routes(c));
    // Under the learned rule it never picks STOP, so every route runs to Tmax.
    expect(a.episodes.every((e) => e.route_length === REWARD.tmax && e.done_reason === 'tmax')).toBe(true);
    expect(a.episodes.flatMap((e) => e.steps).every((s) => s.action < EXPERTS.length && s.probs[s.action] === 1 / EXPERTS.length)).toBe(true);
    expect(new Set(routes(a).flat()).size).toBe(EXPERTS.length);
  });

  it('with length 1 is the "random pick": one call per question', async () => {
    const { episodes } = await runBaseline(
      { kind: 'random', seed: 5, length: 1 },
      QS,
      { pool: fakePool(scoreOf), scorer: fakeScorer() },
      { ...OPTIONS, stopRule: 'threshold' },
    );
    expect(episodes.every((e) => e.route_length === 1)).toBe(true);
    expect(episodes.find((e) => e.question_id === 'q7')?.steps[0].terms.terminal).toBe(-2);
  });
});

describe('fixed-route baselines', () => {
  it('single expert: one call, then the route ends (threshold: call limit 1; learned: STOP)', async () => {
    const deps = () => ({ pool: fakePool(scoreOf), scorer: fakeScorer() });
    const th = await runBaseline({ kind: 'single', expert: 1 }, QS, deps(), { ...OPTIONS, stopRule: 'threshold' });
    expect(th.episodes.every((e) => e.route_length === 1 && e.steps.length === 1 && e.steps[0].expert === 'mid-12B')).toBe(true);
    expect(th.episodes[0].policy).toBe('single:mid-12B');
    expect(th.episodes[0].call_limit).toBe(1);
    const le = await runBaseline({ kind: 'single', expert: 1 }, QS, deps(), { ...OPTIONS, stopRule: 'learned' });
    expect(le.episodes.every((e) => e.route_length === 1 && e.steps.length === 2 && e.done_reason === 'stop')).toBe(true);
  });

  it('sequence: follows the list, the threshold can still end it earlier', async () => {
    const pool = fakePool(scoreOf);
    const { episodes } = await runBaseline(
      { kind: 'sequence', experts: [0, 2, 1] },
      [question('q1'), question('q7')],
      { pool, scorer: fakeScorer() },
      { ...OPTIONS, stopRule: 'threshold' },
    );
    // q1: 0.5 (t0, e0), 0.64 (t1, e2), 0.63 (t2, e1) → never ≥ 0.73 → three calls; q7 too.
    expect(episodes.map((e) => e.steps.map((s) => s.action))).toEqual([
      [0, 2, 1],
      [0, 2, 1],
    ]);
    expect(episodes[0].done_reason).toBe('tmax');
    const early = await runBaseline(
      { kind: 'sequence', experts: [2, 2, 0] },
      [question('q1')],
      { pool: fakePool((_i, e, t) => (e === 2 && t === 1 ? 0.9 : 0.5)), scorer: fakeScorer() },
      { ...OPTIONS, stopRule: 'threshold' },
    );
    expect(early.episodes[0].route_length).toBe(2);
    expect(early.episodes[0].done_reason).toBe('threshold');
  });

  it('refuses routes longer than Tmax and unknown experts', async () => {
    const deps = { pool: fakePool(scoreOf), scorer: fakeScorer() };
    await expect(runBaseline({ kind: 'sequence', experts: [0, 1, 2, 0, 1] }, QS, deps, { ...OPTIONS, stopRule: 'threshold' })).rejects.toThrow(/Tmax = 4/);
    await expect(runBaseline({ kind: 'single', expert: 3 }, QS, deps, { ...OPTIONS, stopRule: 'threshold' })).rejects.toThrow(/experts 0\.\.2/);
  });
});

describe('oracle baseline', () => {
  it('calls every expert once on the raw question, keeps the best, costs all of them', async () => {
    const pool = fakePool((id, e) => [0.6, 0.8, 0.7][e] - (id === 'q2' ? 0.1 : 0));
    const scorer = fakeScorer();
    const qs = [question('q1'), question('q2')];
    const { episodes, trajectories } = await runBaseline({ kind: 'oracle' }, qs, { pool, scorer }, { ...OPTIONS, stopRule: 'threshold' });
    expect(pool.requests).toHaveLength(qs.length * EXPERTS.length);
    expect(pool.requests.every((r) => r.request.prompt === questionText(r.request.question) && r.request.previous === null && r.request.t === 0)).toBe(true);
    expect(scorer.calls).toHaveLength(1);
    const [e1, e2] = episodes;
    expect(e1.policy).toBe(ORACLE_POLICY_NAME);
    expect(e1.final_score).toBe(0.8);
    expect(e2.final_score).toBeCloseTo(0.7, 12);
    expect(e1.route_length).toBe(3);
    expect(e1.route_cost).toBe(7 + 12 + 13);
    expect(e1.steps.map((s) => s.score)).toEqual([0.6, 0.8, 0.7]);
    expect(e1.steps[2].terms.terminal).toBe(2);
    expect(e2.steps[2].terms.terminal).toBe(-2);
    expect(e1.done_reason).toBe('tmax');
    expect(trajectories[0].actions).toEqual([0, 1, 2]);
  });

  it("shares requests with the agent's first call (so a response cache serves both)", async () => {
    const pool = fakePool(scoreOf);
    await runBaseline({ kind: 'single', expert: 2 }, [question('q1')], { pool, scorer: fakeScorer() }, { ...OPTIONS, stopRule: 'threshold' });
    await runBaseline({ kind: 'oracle' }, [question('q1')], { pool, scorer: fakeScorer() }, { ...OPTIONS, stopRule: 'threshold' });
    const forExpert2 = pool.requests.filter((r) => r.expert === 2).map((r) => ({ prompt: r.request.prompt, previous: r.request.previous, t: r.request.t }));
    expect(forExpert2).toHaveLength(2);
    expect(forExpert2[0]).toEqual(forExpert2[1]);
  });
});
