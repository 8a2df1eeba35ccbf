// Fault: a NaN/Inf reaches training (here: a scorer that returns NaN for one question). The
// episode stays in the record, PPO learns from the rest, the iteration says what happened, and
// the weights never become NaN over several iterations.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { presetConfig } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';
import type { EpisodeRecord } from '../../src/der/runRecord';
import type { Scorer } from '../../src/der/types';
import { Trainer, unlearnableReason } from '../../src/session/trainer';
import type { IterationRecord } from '../../src/der/runRecord';
import { EXPERTS, fakeEncoder, fakePool, fakeScorer, question } from '../der/fakes';

const QUESTIONS = Array.from({ length: 8 }, (_, i) => question(`q${i}`));

function config(): ExperimentConfig {
  const base = presetConfig('tuned');
  // The threshold rule and the text-only state: the agent below has one action per expert and the encoder's dim.
  return {
    ...base,
    iterations: 3,
    stopRule: 'threshold',
    state: { routeContext: false },
    reward: { ...base.reward, tmax: 3 },
    ppo: { ...base.ppo, episodesPerIteration: 8, hiddenSizes: [16, 16] },
  };
}

/** Scores: 0.5 everywhere except `poisoned` questions, whose answers score `bad` (NaN or Infinity). */
function setup(poisoned: Set<string>, bad: number) {
  const cfg = config();
  const pool = fakePool((_id, expert, t) => 0.4 + 0.05 * expert + 0.01 * t);
  // The scorer misbehaves for the poisoned questions (recognised by their reference text).
  const scorer: Scorer = {
    name: 'flaky',
    score: async (candidates, references) => {
      const fine = await fakeScorer().score(candidates, references);
      return references.map((r, i) => (poisoned.has(r.replace('reference for ', '')) ? bad : fine[i]));
    },
  };
  const encoder = fakeEncoder();
  const agent = new PpoAgent({ stateDim: encoder.dim, numActions: EXPERTS.length, ppo: cfg.ppo, seed: 7 });
  const episodes: EpisodeRecord[] = [];
  const reports: IterationRecord[] = [];
  const trainer = new Trainer(
    cfg,
    QUESTIONS,
    { pool, scorer, encoder, agent },
    {
      onEpisode: (e) => episodes.push(e),
      onIteration: (r) => reports.push(r),
    },
  );
  return { trainer, agent, episodes, reports };
}

const allFinite = (agent: PpoAgent) => agent.getWeights().every((w) => w.data.every((v) => Number.isFinite(v)));
const flatWeights = (agent: PpoAgent) => agent.getWeights().flatMap((w) => Array.from(w.data));

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe('NaN / Inf in training', () => {
  it('unlearnableReason names the first non-finite number, and accepts a clean trajectory', () => {
    const clean = {
      states: [Float32Array.of(1)],
      allowed: [[true]],
      actions: [0],
      logProbs: [-0.1],
      values: [0.2],
      rewards: [1],
      terminal: true,
      bootstrapValue: 0,
    };
    expect(unlearnableReason(clean)).toBeNull();
    expect(unlearnableReason({ ...clean, rewards: [NaN] })).toMatch(/reward at step 0 is NaN/);
    expect(unlearnableReason({ ...clean, values: [Infinity] })).toMatch(/value at step 0 is Infinity/);
    expect(unlearnableReason({ ...clean, terminal: false, bootstrapValue: NaN })).toMatch(/bootstrap value is NaN/);
  });

  for (const bad of [NaN, Infinity]) {
    it(`a scorer returning ${bad} for one question: that episode is kept but left out, the update still learns, and it is reported`, async () => {
      const { trainer, agent, episodes, reports } = setup(new Set(['q3']), bad);
      const before = flatWeights(agent);
      const report = await trainer.runIteration();

      // Every episode is in the record, the poisoned one with its non-finite score.
      expect(episodes).toHaveLength(8);
      const poisoned = episodes.find((e) => e.question_id === 'q3')!;
      expect(Number.isFinite(poisoned.steps[0].score)).toBe(false);
      // The update ran on the other seven, and changed the weights.
      expect(report.episodes).toBe(7);
      expect(report.excludedEpisodes).toBe(1);
      expect(report.update?.skipped).toBe(false);
      expect(report.update?.gradSteps).toBeGreaterThan(0);
      expect(flatWeights(agent)).not.toEqual(before);
      expect(allFinite(agent)).toBe(true);
      // Reported in words, naming the episode and what was wrong.
      expect(report.warning).toMatch(/Iteration 0: 1 episode\(s\) left out/);
      expect(report.warning).toContain('question q3');
      expect(report.warning).toMatch(Number.isNaN(bad) ? /reward at step 0 is NaN/ : /reward at step 0 is Infinity/);
      expect(reports[0]).toBe(report);
      expect(report.summary.meanReturn).toSatisfy(Number.isFinite);
    });
  }

  it('over several iterations with a poisoned question each time, the weights stay finite and clean iterations carry no warning', async () => {
    const { trainer, agent, reports } = setup(new Set(['q5']), NaN);
    while (!trainer.finished) await trainer.runIteration();
    expect(reports).toHaveLength(3);
    for (const r of reports) {
      expect(r.update?.skipped).toBe(false);
      expect(r.excludedEpisodes).toBe(1);
    }
    expect(allFinite(agent)).toBe(true);
    // The same trainer without poison: no warning field at all.
    const clean = setup(new Set(), NaN);
    const report = await clean.trainer.runIteration();
    expect(report.warning).toBeUndefined();
    expect(report.excludedEpisodes).toBeUndefined();
  });

  it('when every episode is poisoned nothing is learned, the weights are unchanged, and the iteration says so', async () => {
    const { trainer, agent } = setup(new Set(QUESTIONS.map((q) => q.id)), NaN);
    const before = flatWeights(agent);
    const report = await trainer.runIteration();
    expect(report.update).toBeNull();
    expect(report.episodes).toBe(0);
    expect(report.excludedEpisodes).toBe(8);
    expect(report.warning).toMatch(/8 episode\(s\) left out/);
    expect(flatWeights(agent)).toEqual(before);
  });

  it('a non-finite advantage that still reaches PPO skips the update with the reason, weights unchanged', async () => {
    const { agent } = setup(new Set(), NaN);
    const before = flatWeights(agent);
    const traj = {
      states: [Float32Array.of(3), Float32Array.of(5)],
      allowed: [
        [true, true, true],
        [true, true, true],
      ],
      actions: [0, 1],
      logProbs: [-1, -1],
      values: [0.1, Infinity],
      rewards: [0.5, 0.6],
      terminal: true,
      bootstrapValue: 0,
    };
    const metrics = await agent.update([traj, { ...traj, values: [0.1, 0.2] }]);
    expect(metrics.skipped).toBe(true);
    expect(metrics.skipReason).toMatch(/Infinity|NaN/);
    expect(flatWeights(agent)).toEqual(before);
  });
});
