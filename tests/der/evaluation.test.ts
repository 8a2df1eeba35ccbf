// The evaluation core with fake adapters: every P_t is set by the test, so each metric, the
// best-single choice, the cascade order and the oracle bound can be checked exactly.
import { describe, expect, it } from 'vitest';
import type { KtpConfig, RewardConfig } from '../../src/der/config';
import { cascadeOrder, DEFAULT_RANDOM_SEEDS, DEFAULT_SAMPLED_DRAWS, evaluateMethods, pickBestExpert } from '../../src/der/evaluation';
import { bestRowsPerColumn, finalAnswer, paretoFrontier, seedStat } from '../../src/der/evaluationMetrics';
import { bestPerColumn, reportRows, resultColumns } from '../../src/der/evaluationRows';
import { greedyPolicy } from '../../src/der/greedyPolicy';
import type { ExpertInfo, ExpertPool, PolicyDecision, PolicyObservation } from '../../src/der/types';
import { EXPERTS, fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from './fakes';

const REWARD: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 3 };
const KTP: KtpConfig = { template: 'reference', custom: '' };

const idx = (id: string) => Number(id.replace(/\D/g, ''));
/**
 * Train questions (t*) favour expert 2; test questions (q*) favour expert 1, so a best single
 * chosen on the test split would differ from the one chosen on train. Later steps add 0.05.
 */
const scoreOf = (id: string, expert: number, t: number) => {
  const base = id.startsWith('t') ? [0.5, 0.55, 0.7][expert] : [0.5, 0.68, 0.6][expert];
  return Math.round((base + 0.01 * (idx(id) % 5) + 0.05 * t) * 1e6) / 1e6;
};
const TEST = Array.from({ length: 10 }, (_, i) => ({ ...question(`q${i}`), domain: i % 2 === 0 ? 'even' : 'odd' }));
const TRAIN = Array.from({ length: 8 }, (_, i) => question(`t${i}`));

async function evaluate(options: Partial<Parameters<typeof evaluateMethods>[1]> = {}, pool: ExpertPool = fakePool(scoreOf)) {
  const agent = scriptedPolicy(Object.fromEntries(TEST.map((q) => [q.id, [1, 2, 0]])), pool.experts.length);
  return evaluateMethods(
    { pool, scorer: fakeScorer(), encoder: fakeEncoder() },
    { test: TEST, train: TRAIN, agent, stopMode: 'threshold', reward: REWARD, ktp: KTP, randomSeed: 3, ...options },
  );
}

describe('evaluateMethods', () => {
  it('runs the agent and every baseline on the same held-out questions', async () => {
    const ev = await evaluate();
    expect(ev.methods.map((m) => m.id)).toEqual([
      'agent',
      'agent-sampled',
      'random-pick',
      'random-route',
      ...EXPERTS.map((e) => `single:${e.name}`),
      'best-single',
      'cascade',
      'oracle',
    ]);
    // Stochastic methods keep every draw's episodes in draw order; each draw covers the same questions.
    for (const m of ev.methods) {
      const draws = m.draws?.length ?? 1;
      expect(m.episodes.map((e) => e.question_id)).toEqual(Array.from({ length: draws }, () => TEST.map((q) => q.id)).flat());
    }
    expect(ev.methods.find((m) => m.id === 'random-route')!.draws).toHaveLength(DEFAULT_RANDOM_SEEDS);
    expect(ev.methods.find((m) => m.id === 'agent-sampled')!.draws).toHaveLength(DEFAULT_SAMPLED_DRAWS);
    expect(ev.methods.find((m) => m.id === 'agent')!.draws).toBeUndefined();
    expect(ev.questions).toBe(TEST.length);
  });

  it('the oracle scores at least as well as every single expert, question by question', async () => {
    const ev = await evaluate();
    const oracle = ev.methods.find((m) => m.id === 'oracle')!;
    const singles = ev.methods.filter((m) => m.kind === 'single');
    expect(singles).toHaveLength(EXPERTS.length);
    for (const s of singles) {
      expect(oracle.metrics.meanScore).toBeGreaterThanOrEqual(s.metrics.meanScore);
      s.episodes.forEach((e, i) => expect(oracle.episodes[i].final_score).toBeGreaterThanOrEqual(e.final_score));
    }
    // It pays for every expert on every question.
    expect(oracle.metrics.meanParamsB).toBe(EXPERTS.reduce((s, e) => s + e.sizeB, 0));
    expect(oracle.metrics.meanCalls).toBe(EXPERTS.length);
  });

  it('chooses the best single expert on the training split, not on the test split', async () => {
    const ev = await evaluate();
    expect(ev.bestSingle?.expert).toBe(2);
    expect(ev.bestSingle?.criterion).toBe('mean final score on the training split');
    const best = ev.methods.find((m) => m.id === 'best-single')!;
    const single2 = ev.methods.find((m) => m.id === `single:${EXPERTS[2].name}`)!;
    expect(best.metrics).toEqual(single2.metrics);
    // On the test split expert 1 is better: the report must not quietly pick it.
    expect(ev.methods.find((m) => m.id === `single:${EXPERTS[1].name}`)!.metrics.meanScore).toBeGreaterThan(best.metrics.meanScore);
    const none = await evaluate({ train: [] });
    expect(none.bestSingle).toBeNull();
    expect(none.methods.some((m) => m.id === 'best-single')).toBe(false);
  });

  it('metrics: score, success, route length, parameters, calls, tokens from the recorded steps', async () => {
    const ev = await evaluate();
    const agent = ev.methods.find((m) => m.id === 'agent')!;
    // The scripted route is [1, 2, 0], cut where P first reaches p0 (or at Tmax).
    const expected = TEST.map((q) => {
      const scores = [scoreOf(q.id, 1, 0), scoreOf(q.id, 2, 1), scoreOf(q.id, 0, 2)];
      const stopAt = scores.findIndex((s) => s >= REWARD.p0);
      const length = stopAt >= 0 ? stopAt + 1 : 3;
      return { length, score: scores[length - 1], cost: [12, 13, 7].slice(0, length).reduce((a, b) => a + b, 0) };
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(agent.metrics.meanRouteLength).toBeCloseTo(mean(expected.map((e) => e.length)), 12);
    expect(agent.metrics.meanScore).toBeCloseTo(mean(expected.map((e) => e.score)), 12);
    expect(agent.metrics.meanParamsB).toBeCloseTo(mean(expected.map((e) => e.cost)), 12);
    expect(agent.metrics.successRate).toBeCloseTo(mean(expected.map((e) => (e.score >= REWARD.p0 ? 1 : 0))), 12);
    expect(agent.metrics.meanCalls).toBeCloseTo(agent.metrics.meanRouteLength, 12);
    // The fake pool reports 15 tokens per call and no price.
    expect(agent.metrics.meanTokens).toBeCloseTo(15 * agent.metrics.meanRouteLength, 12);
    expect(agent.metrics.meanCostUSD).toBeNull();
    expect(agent.metrics.accuracy).toBeNull();
    // Of the passing routes (P ≥ p0), the share that ended before Tmax: none of this agent's routes passes.
    expect(expected.some((e) => e.score >= REWARD.p0)).toBe(false);
    expect(agent.metrics.stopsBeforeTmaxWhenPassing).toBeNull();
    // The cascade passes on its second call (mid-12B at t = 1 scores 0.73 or more): every passing route ended before Tmax.
    expect(ev.methods.find((m) => m.id === 'cascade')!.metrics.stopsBeforeTmaxWhenPassing).toBe(1);
    // A route that passes only on its third call (Tmax): passing, but not before Tmax.
    const late = await evaluate({ agent: scriptedPolicy(Object.fromEntries(TEST.map((q) => [q.id, [0, 0, 1]])), 3) });
    const lateAgent = late.methods.find((m) => m.id === 'agent')!;
    expect(lateAgent.metrics.successRate).toBe(1);
    expect(lateAgent.metrics.stopsBeforeTmaxWhenPassing).toBe(0);
    expect(ev.methods.find((m) => m.id === 'single:mid-12B')!.metrics.stopsBeforeTmaxWhenPassing).toBeNull();
  });

  it('route-length counts sum to the number of questions for every method', async () => {
    const ev = await evaluate();
    for (const m of ev.methods) {
      const { routeLengthCounts, overTmax, failed } = m.metrics;
      expect(routeLengthCounts).toHaveLength(REWARD.tmax);
      expect(routeLengthCounts.reduce((a, b) => a + b, 0) + overTmax + failed).toBeCloseTo(TEST.length, 9); // stochastic rows: mean counts per draw
    }
    expect(ev.methods.find((m) => m.id === 'single:small-7B')!.metrics.routeLengthCounts).toEqual([TEST.length, 0, 0]);
    // Three experts fit in Tmax = 3, so the oracle's routes sit in the last bin; with Tmax = 2 they are "over Tmax".
    const short = await evaluate({ reward: { ...REWARD, tmax: 2 }, agent: undefined });
    expect(short.methods.find((m) => m.id === 'oracle')!.metrics.overTmax).toBe(TEST.length);
  });

  it('breaks results down per domain', async () => {
    const ev = await evaluate();
    const agent = ev.methods.find((m) => m.id === 'agent')!;
    expect(Object.keys(agent.byDomain)).toEqual(['even', 'odd']);
    expect(agent.byDomain.even.questions + agent.byDomain.odd.questions).toBe(TEST.length);
    const even = agent.episodes.filter((e) => e.domain === 'even');
    expect(agent.byDomain.even.meanScore).toBeCloseTo(even.reduce((s, e) => s + e.final_score, 0) / even.length, 12);
  });

  it('computes accuracy on the final answer (the oracle keeps its best-scoring answer)', async () => {
    // "Accuracy" here: the final answer names the right expert for the question (q even → mid-12B).
    const accuracy = (answer: string, reference: string) => (answer.includes(idx(reference) % 2 === 0 ? 'mid-12B' : 'big-13B') ? 1 : 0);
    const ev = await evaluate({ accuracy });
    const single = (k: number) => ev.methods.find((m) => m.id === `single:${EXPERTS[k].name}`)!.metrics.accuracy;
    expect(single(1)).toBe(0.5);
    expect(single(2)).toBe(0.5);
    expect(single(0)).toBe(0);
    // The oracle's kept answer is the best-scoring one: mid-12B on every test question.
    const oracle = ev.methods.find((m) => m.id === 'oracle')!;
    expect(oracle.episodes.every((e) => finalAnswer(e).includes('mid-12B'))).toBe(true);
    expect(oracle.metrics.accuracy).toBe(0.5);
  });

  it('refuses held-out questions without a reference', async () => {
    await expect(evaluate({ test: [question('q1'), question('q2', false)] })).rejects.toThrow(/q2 has no reference/);
  });
});

describe('cascade', () => {
  const sized = (sizes: number[]): ExpertInfo[] => sizes.map((sizeB, i) => ({ name: `e${i}-${sizeB}B`, sizeB, kind: 'fake' }));

  it('orders the experts cheapest first (pool order breaks ties) and keeps at most Tmax', () => {
    expect(cascadeOrder(sized([13, 7, 12, 7, 6]), 5)).toEqual([4, 1, 3, 2, 0]);
    expect(cascadeOrder(sized([13, 7, 12, 7, 6]), 3)).toEqual([4, 1, 3]);
  });

  it('calls the experts in that order, each after the previous answer, until p0', async () => {
    const experts = sized([13, 7, 12]);
    const calls: { expert: number; t: number; previous: string | null }[] = [];
    const pool: ExpertPool = {
      experts,
      knowledgeTransfer: true,
      simulated: true,
      async call(expert, request) {
        calls.push({ expert, t: request.t, previous: request.previous });
        const p = request.question.id === 'q0' && expert === 2 ? 0.9 : 0.5;
        return { answer: `answer ${expert} score=${p}` };
      },
    };
    const ev = await evaluateMethods(
      { pool, scorer: fakeScorer(), encoder: fakeEncoder() },
      { test: [question('q0'), question('q1')], stopMode: 'threshold', reward: REWARD, ktp: KTP, randomSeed: 1 },
    );
    const cascade = ev.methods.find((m) => m.id === 'cascade')!;
    expect(ev.cascadeOrder).toEqual([1, 2, 0]);
    expect(cascade.episodes.map((e) => e.steps.map((s) => s.action))).toEqual([
      [1, 2],
      [1, 2, 0],
    ]);
    expect(cascade.episodes[0].done_reason).toBe('threshold');
    expect(cascade.usesReferences).toBe(true);
    // Knowledge transfer: the second expert's prompt carries the first expert's answer.
    expect(cascade.episodes[0].steps[1].prompt).toContain('answer 1 score=0.5');
    expect(calls.some((c) => c.t === 1 && c.expert === 2 && c.previous === 'answer 1 score=0.5')).toBe(true);
  });
});

describe('greedy agent wrapper', () => {
  const observation = (t: number, allowed: boolean[]): PolicyObservation => ({
    question: question('q'),
    state: new Float32Array(1),
    t,
    lastScore: 0.5,
    allowed,
  });
  const fakeAgent = (numActions: number, seen: boolean[][]) => ({
    numActions,
    async actGreedy(obs: readonly PolicyObservation[]): Promise<PolicyDecision[]> {
      return obs.map((o) => {
        seen.push([...o.allowed]);
        const probs = o.allowed.map((ok) => (ok ? 1 / o.allowed.filter(Boolean).length : 0));
        return { action: o.allowed.indexOf(true), probs, logProb: Math.log(probs[o.allowed.indexOf(true)]), value: 0 };
      });
    },
  });

  it('masks the STOP of a learned-stop agent under the threshold rule', async () => {
    const seen: boolean[][] = [];
    const policy = greedyPolicy(fakeAgent(4, seen), 3);
    const [d] = await policy.act([observation(1, [true, true, true])]);
    expect(seen[0]).toEqual([true, true, true, false]);
    expect(d.probs).toHaveLength(3);
  });

  it('refuses the learned stop for an agent without STOP, and an agent for another pool', async () => {
    const policy = greedyPolicy(fakeAgent(3, []), 3);
    await expect(policy.act([observation(1, [true, true, true, true])])).rejects.toThrow(/trained without a STOP action/);
    expect(() => greedyPolicy(fakeAgent(7, []), 3)).toThrow(/trained for another pool/);
  });

  it('drives a learned-stop evaluation: the agent STOPs without seeing references', async () => {
    const seen: boolean[][] = [];
    const agent = {
      numActions: 4,
      actGreedy: async (obs: readonly PolicyObservation[]) =>
        obs.map((o): PolicyDecision => {
          seen.push([...o.allowed]);
          const action = o.t === 0 ? 1 : 3;
          return { action, probs: [0, 1, 0, 0], logProb: 0, value: 0 };
        }),
    };
    const ev = await evaluate({ agent: greedyPolicy(agent, 3), stopMode: 'learned' });
    const row = ev.methods.find((m) => m.id === 'agent')!;
    expect(row.stopRule).toBe('learned');
    expect(row.usesReferences).toBe(false);
    expect(row.episodes.every((e) => e.done_reason === 'stop' && e.route_length === 1)).toBe(true);
    expect(row.metrics.routeLengthCounts).toEqual([TEST.length, 0, 0]);
    expect(seen[0]).toEqual([true, true, true, false]);
  });
});

describe('tables, seeds and the Pareto frontier', () => {
  it('finds the Pareto frontier of a hand example', () => {
    const pts = [
      { id: 'a', cost: 6, score: 0.69 },
      { id: 'b', cost: 12, score: 0.735 },
      { id: 'c', cost: 13, score: 0.71 }, // dominated by b
      { id: 'd', cost: 28, score: 0.7 }, // dominated by b
      { id: 'e', cost: 117, score: 0.79 },
      { id: 'f', cost: 6, score: 0.6 }, // same cost as a, lower score
      { id: 'g', cost: 40, score: 0.79 }, // same score as e, cheaper: e is dominated
      { id: 'h', cost: Number.NaN, score: 0.99 }, // no cost: not on the plane
    ];
    expect(paretoFrontier(pts).map((p) => p.id)).toEqual(['a', 'b', 'g']);
  });

  it('marks the best row of each column in its direction, ties included, nulls never', () => {
    const rows = [
      [0.7, 10, null],
      [0.8, 12, 3],
      [0.8, 9, 5],
    ];
    expect(bestRowsPerColumn(rows, ['higher', 'lower', 'lower'])).toEqual([[1, 2], [2], [1]]);
    expect(bestRowsPerColumn([[null], [Number.NaN]], ['higher'])).toEqual([[]]);
  });

  it('mean ± sample std with N over seeds, and report rows per method', async () => {
    expect(seedStat([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(seedStat([5])).toEqual({ mean: 5, std: 0, n: 1 });
    const a = await evaluate({ randomSeed: 1, randomSeeds: 3 });
    const b = await evaluate({ randomSeed: 2, randomSeeds: 3 });
    const rows = reportRows([a, b]);
    expect(rows.map((r) => r.id)).toEqual(a.methods.map((m) => m.id));
    // A deterministic row: one value per seed.
    const agent = rows.find((r) => r.id === 'agent')!;
    expect(agent.metrics.meanScore.n).toBe(2);
    // A stochastic row: one value per draw of every seed (3 draws × 2 seeds), mean and sample sd over all six.
    const pick = rows.find((r) => r.id === 'random-pick')!;
    const scores = [a, b].flatMap((e) => e.methods.find((m) => m.id === 'random-pick')!.draws!.map((d) => d.metrics.meanScore));
    expect(pick.metrics.meanScore.n).toBe(6);
    expect(pick.metrics.meanScore).toEqual(seedStat(scores));
    expect(pick.metrics.meanScore.std).toBeGreaterThan(0);
    const columns = resultColumns({ accuracy: false, tokens: true, money: false });
    const best = bestPerColumn(rows, columns);
    const scoreCol = columns.findIndex((c) => c.key === 'meanScore');
    // Later steps score higher in this fake, so the best mean score is whichever row's is largest.
    const top = Math.max(...rows.map((r) => r.metrics.meanScore.mean));
    expect(best[scoreCol].map((i) => rows[i].id)).toEqual(rows.filter((r) => r.metrics.meanScore.mean === top).map((r) => r.id));
    expect(best[scoreCol]).toHaveLength(1);
    const paramsCol = columns.findIndex((c) => c.key === 'meanParamsB');
    expect(best[paramsCol].map((i) => rows[i].id)).toEqual(['single:small-7B']);
  });

  it('picks the best expert by mean score, the smaller one on a tie', () => {
    const experts: ExpertInfo[] = EXPERTS.map((e) => ({ ...e }));
    expect(pickBestExpert([0.6, 0.7, 0.7], experts)).toBe(1);
    expect(pickBestExpert([Number.NaN, 0.5, 0.4], experts)).toBe(1);
    expect(() => pickBestExpert([Number.NaN], experts)).toThrow(/best single expert cannot be chosen/);
  });
});
