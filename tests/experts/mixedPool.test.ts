// @vitest-environment node
// A custom pool that mixes the three real expert kinds (a remote OpenAI-compatible expert on the
// loopback server, the in-page Transformers.js expert on tiny GPT-2, a recorded expert) runs
// episodes through the core's episode runner, scored by BERTScore on the tiny BERT.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import { createExpertPool } from '../../src/experts/pool';
import { MemoryCacheStore } from '../../src/experts/responseCache';
import { createBrowserExpertFactory } from '../../src/experts/browserExpert';
import { createSimulatedExpertFactory } from '../../src/experts/simulatedExpertFactory';
import { createBertScorer, type BertScorer } from '../../src/scoring/bertScore';
import { runEpisodes } from '../../src/der/episodes';
import { EMPTY_STATE_ENCODER, fixedRoutePolicy } from '../../src/der/baselines';
import { PRESETS } from '../../src/der/presets';
import type { ExpertSpec } from '../../src/der/config';
import type { Question } from '../../src/der/types';
import { deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';

const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

const QUESTIONS: Question[] = [
  {
    id: 'a',
    instruction: 'Name a primary colour.',
    input: '',
    output: 'Red is a primary colour.',
    candidates: [{ model: 'koala-7B', text: 'Blue is one of them.' }],
  },
  { id: 'b', instruction: 'What is two plus two?', input: '', output: 'Two plus two is four.', candidates: [{ model: 'koala-7B', text: 'It is four.' }] },
  { id: 'c', instruction: 'Say hello in French.', input: '', output: 'Bonjour.', candidates: [{ model: 'koala-7B', text: 'Bonjour!' }] },
];

describe('a mixed custom pool (openai + browser + recorded) through runEpisodes with BERTScore', () => {
  let server: OpenAITestServer;
  let scorer: BertScorer;
  const browserFactory = createBrowserExpertFactory();
  const cache = new MemoryCacheStore();

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = MODELS;
    server = await startOpenAITestServer({ apiKey: 'sk-test-mixed' });
    scorer = await createBertScorer({ model: 'tiny-bert', layer: 1, localModelPath: MODELS, allowRemote: false });
  });
  afterAll(async () => {
    await server?.close();
    await scorer?.dispose();
    await browserFactory.dispose();
  });

  const specs = (): ExpertSpec[] => [
    { name: 'remote', kind: 'openai', sizeB: 8, model: 'remote-8b', baseURL: server.url, temperature: 0, maxTokens: 32 },
    { name: 'in-page', kind: 'browser', sizeB: 0.001, model: 'tiny-gpt2', dtype: 'fp32', maxTokens: 6 },
    { name: 'recorded', kind: 'recorded', sizeB: 7, candidate: 'koala-7B' },
  ];
  const makePool = () =>
    createExpertPool(specs(), {
      apiKeys: { remote: 'sk-test-mixed' },
      cache,
      factories: { browser: browserFactory, simulated: createSimulatedExpertFactory(1) },
    });
  const reward = { ...PRESETS.reference.reward, p0: 1.01, tmax: 3 };
  const run = (pool: ReturnType<typeof makePool>) =>
    runEpisodes(
      QUESTIONS,
      { pool, scorer, encoder: EMPTY_STATE_ENCODER, policy: fixedRoutePolicy([0, 1, 2], 3, 'threshold') },
      {
        reward,
        stopRule: 'threshold',
        ktp: PRESETS.reference.ktp,
        iteration: 0,
      },
    );

  it('records real answers from every kind, scored, with the KTP passing answers along', async () => {
    const pool = makePool();
    expect(pool.knowledgeTransfer).toBe(false); // a recorded member ignores the previous answer
    const { episodes } = await run(pool);
    expect(episodes).toHaveLength(3);
    for (const [i, episode] of episodes.entries()) {
      expect(episode.failed).toBeFalsy();
      expect(episode.steps.map((s) => s.expert)).toEqual(['remote', 'in-page', 'recorded']);
      const [remote, inPage, recorded] = episode.steps;
      expect(remote.prompt).toBe(QUESTIONS[i].instruction);
      expect(remote.answer).toBe(deterministicAnswer('remote-8b', remote.prompt));
      expect(remote.usage!.completionTokens).toBeGreaterThan(0);
      // The in-page expert got the KTP with the remote expert's answer, and wrote text of its own.
      expect(inPage.prompt).toContain(remote.answer);
      expect(inPage.answer.length).toBeGreaterThan(0);
      expect(inPage.usage!.completionTokens).toBeLessThanOrEqual(6);
      expect(recorded.answer).toBe(QUESTIONS[i].candidates![0].text);
      for (const step of episode.steps) {
        expect(Number.isFinite(step.score)).toBe(true);
        expect(step.score).toBeLessThanOrEqual(1 + 1e-6);
      }
    }
    // BERTScore of a step is the scorer's F1 of that answer against the reference.
    const [f1] = await scorer.score([episodes[0].steps[2].answer], [QUESTIONS[0].output!]);
    expect(episodes[0].steps[2].score).toBeCloseTo(f1, 6);
    expect(server.stats.completions).toBe(3);
  });

  it('a second identical run makes zero HTTP requests (answers come from the cache)', async () => {
    server.resetStats();
    const { episodes } = await run(makePool());
    expect(server.stats.requests).toBe(0);
    for (const episode of episodes) {
      expect(episode.steps[0].cached).toBe(true);
      expect(episode.steps[0].costUSD).toBe(0);
    }
  });
});
