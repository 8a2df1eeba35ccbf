// The evaluation on real data from ../shared/data (skipped with a message when it is absent):
// GSM8K test questions with the simulated pool and the exact-match scorer, and the Self-Instruct
// user-oriented set's 8 stored model outputs as a RECORDED pool (no knowledge transfer). The agent
// is an untrained PpoAgent behind the greedy wrapper: these tests check the wiring on real data,
// not how good a trained agent is.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { TUNED_PPO, REFERENCE_REWARD } from '../../src/der/presets';
import { evaluateMethods, type Evaluation } from '../../src/der/evaluation';
import { finalAnswer } from '../../src/der/evaluationMetrics';
import { greedyPolicy } from '../../src/der/greedyPolicy';
import { hashString } from '../../src/der/rng';
import type { ExpertSpec, KtpConfig } from '../../src/der/config';
import type { Question, StateEncoder } from '../../src/der/types';
import { parseDataset } from '../../src/data/loadDataset';
import { splitDataset } from '../../src/data/split';
import { createExpertPool } from '../../src/experts/pool';
import { createSimulatedPool } from '../../src/experts/simulated/simulatedPool';
import { createExactMatchScorer, exactMatchScore } from '../../src/scoring/exactMatch';
import { loadGloveFromFiles } from '../../src/scoring/gloveNode';
import { createGloveScorer } from '../../src/scoring/gloveScorer';

const DATA = join(process.cwd(), '..', 'shared', 'data');
const HAS_DATA = existsSync(DATA);
const KTP: KtpConfig = { template: 'reference', custom: '' };

/** A cheap deterministic state encoder: hashed word counts (the agent only needs fixed-size vectors). */
const hashEncoder: StateEncoder = {
  name: 'hashed words',
  dim: 16,
  encode: async (texts) =>
    texts.map((text) => {
      const v = new Float32Array(16);
      for (const w of text.toLowerCase().split(/\W+/).filter(Boolean)) v[hashString(w) % 16] += 1;
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    }),
};

function load(file: string): Question[] {
  return parseDataset(new Uint8Array(readFileSync(join(DATA, file))), { name: file }).questions;
}

function untrainedAgent(experts: number) {
  return greedyPolicy(new PpoAgent({ stateDim: hashEncoder.dim, numActions: experts, ppo: TUNED_PPO, seed: 1 }), experts);
}

function method(ev: Evaluation, id: string) {
  const found = ev.methods.find((m) => m.id === id);
  if (!found) throw new Error(`no method ${id}`);
  return found;
}

describe.skipIf(!HAS_DATA)('evaluation on real data (needs ../shared/data)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('GSM8K test questions, simulated pool, exact-match scorer: accuracy per method', async () => {
    const all = load('gsm8k/test.jsonl');
    const test = all.slice(0, 36);
    const train = all.slice(36, 60);
    const pool = createSimulatedPool({ seed: 1 });
    const ev = await evaluateMethods(
      { pool, scorer: createExactMatchScorer(), encoder: hashEncoder },
      {
        test,
        train,
        agent: untrainedAgent(pool.experts.length),
        stopMode: 'threshold',
        reward: { ...REFERENCE_REWARD, p0: 1 },
        ktp: KTP,
        randomSeed: 1,
        accuracy: exactMatchScore,
      },
    );
    expect(ev.simulated).toBe(true);
    for (const m of ev.methods) {
      expect(m.metrics.accuracy, m.id).not.toBeNull();
      expect(m.metrics.routeLengthCounts.reduce((a, b) => a + b, 0) + m.metrics.overTmax + m.metrics.failed).toBeCloseTo(test.length, 9); // means over draws for random rows
      // With exact match as the scorer, the final score of a route is its final answer's accuracy.
      expect(m.metrics.accuracy, m.id).toBeCloseTo(m.metrics.meanScore, 12);
    }
    const oracle = method(ev, 'oracle');
    const singles = ev.methods.filter((m) => m.kind === 'single');
    for (const s of singles) expect(oracle.metrics.accuracy!).toBeGreaterThanOrEqual(s.metrics.accuracy!);
    // The simulated experts write from the reference, so the best of eleven gets some final numbers right.
    expect(oracle.metrics.accuracy!).toBeGreaterThan(0);
    // Under p0 = 1 the cascade stops exactly at the first right answer, or runs to Tmax.
    for (const e of method(ev, 'cascade').episodes) {
      const right = e.steps.map((s) => s.score === 1);
      expect(e.route_length).toBe(right.includes(true) ? right.indexOf(true) + 1 : REFERENCE_REWARD.tmax);
    }
  }, 60_000);

  it('Self-Instruct user-oriented set as a recorded pool of its 8 stored model outputs (invented sizes)', async () => {
    const questions = load('self-instruct-user-oriented/user_oriented_multi_model.jsonl').slice(0, 48);
    const { train, test } = splitDataset(questions, 0.5, 7);
    const models = questions[0].candidates!.map((c) => c.model);
    expect(models).toHaveLength(8);
    // Sizes are INVENTED for the test (the real models are GPT-3-family, mostly 175B): distinct
    // values so that the cascade order and the cost axis mean something.
    const inventedSizes = [6, 7, 7, 12, 13, 30, 65, 175];
    const specs: ExpertSpec[] = models.map((model, k) => ({ name: model, kind: 'recorded', sizeB: inventedSizes[k], candidate: model }));
    const pool = createExpertPool(specs);
    expect(pool.knowledgeTransfer).toBe(false);
    const scorer = createGloveScorer(await loadGloveFromFiles());
    const ev = await evaluateMethods(
      { pool, scorer, encoder: hashEncoder },
      { test, train, agent: untrainedAgent(models.length), stopMode: 'threshold', reward: REFERENCE_REWARD, ktp: KTP, randomSeed: 1 },
    );
    expect(ev.knowledgeTransfer).toBe(false);
    const stored = (q: string, model: string) => questions.find((x) => x.id === q)!.candidates!.find((c) => c.model === model)!.text;

    // No knowledge transfer: every step's answer is that expert's stored candidate, whatever came before.
    for (const m of ev.methods.filter((x) => x.kind !== 'oracle')) {
      for (const e of m.episodes) for (const s of e.steps) expect(s.answer).toBe(stored(e.question_id, s.expert));
    }
    expect(ev.cascadeOrder).toEqual([0, 1, 2, 3, 4]);
    const oracle = method(ev, 'oracle');
    for (const s of ev.methods.filter((m) => m.kind === 'single')) {
      s.episodes.forEach((e, i) => expect(oracle.episodes[i].final_score).toBeGreaterThanOrEqual(e.final_score));
    }
    expect(oracle.episodes.every((e) => oracle.episodes.length === test.length && e.route_cost === inventedSizes.reduce((a, b) => a + b, 0))).toBe(true);
    expect(finalAnswer(oracle.episodes[0])).toBe(
      stored(oracle.episodes[0].question_id, oracle.episodes[0].steps.reduce((b, s) => (s.score > b.score ? s : b)).expert),
    );

    // The best single expert: the highest mean score of the stored answers on the TRAINING questions, scored directly.
    const direct = await Promise.all(
      models.map(async (model) => {
        const scores = await scorer.score(
          train.map((q) => stored(q.id, model)),
          train.map((q) => q.output!),
        );
        return scores.reduce((a, b) => a + b, 0) / scores.length;
      }),
    );
    ev.bestSingle!.trainMeanScores.forEach((s, k) => expect(s).toBeCloseTo(direct[k], 9));
    expect(ev.bestSingle!.expert).toBe(direct.indexOf(Math.max(...direct)));
  }, 60_000);
});

if (!HAS_DATA) {
  describe('evaluation on real data', () => {
    it.skip('skipped: ../shared/data is absent (GSM8K and the Self-Instruct multi-model set are read from there, never copied into the repo)', () => {});
  });
}
