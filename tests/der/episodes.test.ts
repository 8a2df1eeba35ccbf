import { describe, expect, it } from 'vitest';
import type { KtpConfig, RewardConfig } from '../../src/der/config';
import { runEpisodes } from '../../src/der/episodes';
import { renderPrompt } from '../../src/der/prompts';
import type { EpisodeRecord } from '../../src/der/runRecord';
import { EXPERTS, fakeEncoder, fakePool, fakeScorer, question, scriptedPolicy } from './fakes';

const REWARD: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 4 };
const KTP: KtpConfig = { template: 'reference', custom: '' };
const BASE = { reward: REWARD, ktp: KTP, iteration: 3 };

/** Per-question score tables indexed by t (independent of the expert, for simplicity). */
const SCORES: Record<string, number[]> = {
  fast: [0.8],
  slow: [0.5, 0.6, 0.75],
  never: [0.4, 0.45, 0.5, 0.55],
  dip: [0.6, 0.5, 0.7, 0.74],
};
const scoreOf = (id: string, _expert: number, t: number) => SCORES[id][t];
const ROUTES: Record<string, number[]> = { fast: [2], slow: [0, 1, 2], never: [1, 1, 1, 1], dip: [0, 2, 1, 0] };

function paperReturn(e: EpisodeRecord): number {
  let sum = 0;
  e.steps.forEach((s, t) => {
    const prev = t > 0 ? e.steps[t - 1].score : 0;
    sum +=
      s.score -
      REWARD.alpha * s.cost +
      (t > 0 ? REWARD.beta * (s.score - prev) : 0) +
      (s.score >= REWARD.p0 ? REWARD.gamma : 0) -
      (t === REWARD.tmax - 1 && s.score < REWARD.p0 ? REWARD.gamma : 0);
  });
  return sum;
}

describe('runEpisodes, threshold rule', () => {
  it('ends at the threshold or at Tmax, with the paper reward, prompts and every step field', async () => {
    const qs = ['never', 'slow', 'fast', 'dip'].map((id) => question(id));
    const pool = fakePool(scoreOf);
    const finished: string[] = [];
    const { episodes, trajectories } = await runEpisodes(
      qs,
      { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(ROUTES, 3) },
      {
        ...BASE,
        stopRule: 'threshold',
        firstIndex: 10,
        onEpisode: (r) => finished.push(r.question_id),
      },
    );
    // Records come back in question order; onEpisode fires in the order episodes end.
    expect(episodes.map((e) => e.question_id)).toEqual(['never', 'slow', 'fast', 'dip']);
    expect(episodes.map((e) => e.index)).toEqual([10, 11, 12, 13]);
    expect(episodes.map((e) => e.done_reason)).toEqual(['tmax', 'threshold', 'threshold', 'threshold']);
    expect(episodes.map((e) => e.route_length)).toEqual([4, 3, 1, 4]);
    expect(finished).toEqual(['fast', 'slow', 'never', 'dip']);

    const slow = episodes[1];
    expect(slow.route_cost).toBe(EXPERTS[0].sizeB + EXPERTS[1].sizeB + EXPERTS[2].sizeB);
    expect(slow.final_score).toBe(0.75);
    expect(slow.iteration).toBe(3);
    expect(slow.policy).toBe('scripted');
    expect(slow.domain).toBe('test');
    expect(slow.steps[0].prompt).toBe(renderPrompt(qs[1], null, KTP));
    expect(slow.steps[1].prompt).toBe(renderPrompt(qs[1], slow.steps[0].answer, KTP));
    expect(slow.steps[2].prompt).toContain(slow.steps[1].answer);
    expect(slow.steps[1].delta).toBeCloseTo(0.1, 12);
    const s = slow.steps[2];
    expect(s).toMatchObject({ t: 2, action: 2, expert: 'big-13B', cost: 13, score: 0.75, done: true, done_reason: 'threshold', cached: false, latencyMs: 3 });
    expect(s.usage).toEqual({ promptTokens: 10, completionTokens: 5 });
    expect(s.probs).toHaveLength(3);
    expect(s.logProb).toBeCloseTo(Math.log(0.9), 12);
    expect(s.value).toBe(2.5);
    expect(slow.steps.slice(0, 2).every((x) => !x.done && x.done_reason === null)).toBe(true);
    expect(episodes[0].steps[3].terms.terminal).toBe(-2);

    for (const [i, e] of episodes.entries()) {
      expect(e.return).toBeCloseTo(paperReturn(e), 10);
      expect(trajectories[i].rewards).toEqual(e.steps.map((x) => x.reward));
      expect(trajectories[i].actions).toEqual(ROUTES[e.question_id].slice(0, e.steps.length));
      expect(trajectories[i].terminal).toBe(true);
      expect(trajectories[i].states).toHaveLength(e.steps.length);
    }
  });

  it('batches in lockstep: one encoder, policy and scorer call per step for all active episodes', async () => {
    const qs = ['fast', 'slow', 'never', 'dip'].map((id) => question(id));
    const encoder = fakeEncoder();
    const scorer = fakeScorer();
    const policy = scriptedPolicy(ROUTES, 3);
    await runEpisodes(qs, { pool: fakePool(scoreOf), scorer, encoder, policy }, { ...BASE, stopRule: 'threshold' });
    // Active episodes per step: 4 at t=0; fast ends → 3; slow ends at t=2 → 2 at t=3.
    expect(policy.batches).toEqual([4, 3, 3, 2]);
    expect(encoder.batches.map((b) => b.length)).toEqual([4, 3, 3, 2]);
    expect(scorer.calls.map((c) => c.candidates.length)).toEqual([4, 3, 3, 2]);
    expect(encoder.batches[0][0]).toBe('Question:Explain fast. Input for fast. Answer: ');
    expect(encoder.batches[1][0]).toMatch(/^Question:Explain slow\. Input for slow\. Answer:answer of small-7B/);
    expect(scorer.calls[0].references).toEqual(qs.map((q) => q.output));
  });

  it('a failed expert call ends only its own episode, recorded with the error', async () => {
    const qs = ['slow', 'never'].map((id) => question(id));
    const pool = fakePool(scoreOf, (id, t) => id === 'never' && t === 1);
    const { episodes, trajectories } = await runEpisodes(
      qs,
      { pool, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(ROUTES, 3) },
      { ...BASE, stopRule: 'threshold' },
    );
    const [ok, bad] = episodes;
    expect(ok.done_reason).toBe('threshold');
    expect(ok.failed).toBeUndefined();
    expect(bad.failed).toBe(true);
    expect(bad.done_reason).toBe('error');
    expect(bad.steps).toHaveLength(2);
    expect(bad.steps[1].error).toMatch(/mid-12B failed: HTTP 500/);
    expect(bad.steps[1].reward).toBe(0);
    expect(bad.route_length).toBe(1);
    expect(bad.final_score).toBe(0.4);
    expect(trajectories[1].actions).toEqual([1]);
    expect(trajectories[1].terminal).toBe(false);
    expect(trajectories[1].bootstrapValue).toBe(1.5);
  });

  it('refuses questions without a reference, naming the question', async () => {
    const qs = [question('slow'), question('nor', false)];
    await expect(
      runEpisodes(
        qs,
        { pool: fakePool(scoreOf), scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(ROUTES, 3) },
        { ...BASE, stopRule: 'threshold' },
      ),
    ).rejects.toThrow(/question nor has no reference/);
  });
});

describe('runEpisodes, learned-stop rule', () => {
  const STOP = EXPERTS.length;
  const routes = { a: [0, 1, STOP], b: [2, 2, 2, 2], c: [1, STOP] };
  const scores: Record<string, number[]> = { a: [0.8, 0.7], b: [0.5, 0.6, 0.7, 0.75], c: [0.6] };
  const pool = () => fakePool((id, _e, t) => scores[id][t]);

  it('ends at STOP (a step without a call) or after Tmax calls; no early stop at P ≥ p0', async () => {
    const qs = ['a', 'b', 'c'].map((id) => question(id));
    const p = pool();
    const { episodes, trajectories } = await runEpisodes(
      qs,
      { pool: p, scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy(routes, 4) },
      { ...BASE, stopRule: 'learned' },
    );
    const [a, b, c] = episodes;
    expect(a.steps.map((s) => s.expert)).toEqual(['small-7B', 'mid-12B', 'STOP']);
    expect(a.done_reason).toBe('stop');
    expect(a.route_length).toBe(2);
    expect(a.route_cost).toBe(19);
    const stop = a.steps[2];
    expect(stop).toMatchObject({ t: 2, action: STOP, cost: 0, prompt: '', answer: a.steps[1].answer, score: 0.7, delta: 0, done: true, done_reason: 'stop' });
    // Tmax = 4 and 2 calls made: the kept answer earns its score for each of the 2 calls left.
    expect(stop.terms).toEqual({ score: 1.4, cost: 0, increment: 0, terminal: -2 });
    expect(a.steps[0].terms.terminal).toBe(0); // 0.8 ≥ p0 but no bonus, no end
    expect(b.done_reason).toBe('tmax');
    expect(b.steps.at(-1)?.terms.terminal).toBe(2);
    expect(c.final_score).toBe(0.6);
    expect(p.requests).toHaveLength(2 + 4 + 1);
    expect(trajectories[0].allowed[0]).toEqual([true, true, true, false]);
    expect(trajectories[0].allowed[1]).toEqual([true, true, true, true]);
    expect(trajectories[0].actions).toEqual([0, 1, STOP]);
  });

  it('a question without a reference runs with NaN scores and is not sent to the scorer', async () => {
    const scorer = fakeScorer();
    const { episodes } = await runEpisodes(
      [question('c', false)],
      { pool: pool(), scorer, encoder: fakeEncoder(), policy: scriptedPolicy(routes, 4) },
      { ...BASE, stopRule: 'learned' },
    );
    expect(scorer.calls).toHaveLength(0);
    expect(Number.isNaN(episodes[0].final_score)).toBe(true);
    expect(episodes[0].done_reason).toBe('stop');
  });

  it('throws when the policy picks STOP at t = 0', async () => {
    await expect(
      runEpisodes(
        [question('a')],
        { pool: pool(), scorer: fakeScorer(), encoder: fakeEncoder(), policy: scriptedPolicy({ a: [STOP] }, 4) },
        { ...BASE, stopRule: 'learned' },
      ),
    ).rejects.toThrow(/not allowed/);
  });
});
