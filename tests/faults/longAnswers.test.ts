// Fault: an expert answers with a very long text (a runaway generation). The step record keeps the
// answer in full; the scorer only reads its first tokens (GloVe: 512 tokens, as bert_score cuts at
// 512), so scoring stays fast and the score does not depend on the tail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEpisodes } from '../../src/der/episodes';
import { presetConfig } from '../../src/der/presets';
import { createExpertPool } from '../../src/experts/pool';
import { loadGloveFromFiles } from '../../src/scoring/gloveNode';
import { createGloveScorer, GLOVE_MAX_TOKENS, type GloveScorer } from '../../src/scoring/gloveScorer';
import { tokenizeForGlove } from '../../src/scoring/gloveTokenizer';
import { fakeEncoder, question, scriptedPolicy } from '../der/fakes';
import { deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';

const LONG = 400_000; // characters: ~70,000 GloVe tokens

let server: OpenAITestServer;
let scorer: GloveScorer;
beforeAll(async () => {
  server = await startOpenAITestServer();
  scorer = createGloveScorer(await loadGloveFromFiles());
});
afterAll(async () => {
  await server.close();
});

describe('very long expert answers', () => {
  it('are kept whole in the step record, scored on their first 512 tokens, and the route goes on', async () => {
    const cfg = presetConfig('tuned');
    const pool = createExpertPool([{ name: 'chatty', kind: 'openai', sizeB: 7, model: 'test-small', baseURL: server.url }], { limits: { maxRetries: 0 } });
    server.injectFault({ longAnswerChars: LONG, times: 1 });
    const questions = [question('long')];
    const started = performance.now();
    const { episodes } = await runEpisodes(
      questions,
      { pool, scorer, encoder: fakeEncoder(), policy: scriptedPolicy({ long: [0, 0] }, 1) },
      {
        reward: { ...cfg.reward, tmax: 2, p0: 1.01 }, // p0 out of reach: both steps run
        stopRule: 'threshold',
        ktp: cfg.ktp,
        iteration: 0,
      },
    );
    const elapsed = performance.now() - started;
    const [episode] = episodes;
    expect(episode.failed).toBeUndefined();
    expect(episode.steps).toHaveLength(2);
    const first = episode.steps[0];
    // Kept in full: exactly what the server sent.
    expect(first.answer).toHaveLength(LONG);
    expect(first.answer.startsWith(deterministicAnswer('test-small', server.log[0].prompt).slice(0, 20))).toBe(true);
    expect(tokenizeForGlove(first.answer).length).toBeGreaterThan(20 * GLOVE_MAX_TOKENS);
    // Scored on the first 512 tokens: the same score as the answer cut there, and a tail changes nothing.
    const reference = questions[0].output!;
    const cut = tokenizeForGlove(first.answer).slice(0, GLOVE_MAX_TOKENS).join(' ');
    const [ofCut] = scorer.scoreSync([cut], [reference]);
    expect(first.score).toBeCloseTo(ofCut, 12);
    const [withOtherTail] = scorer.scoreSync([first.answer + ' completely different words about volcanoes'.repeat(100)], [reference]);
    expect(withOtherTail).toBe(first.score);
    expect(Number.isFinite(first.score)).toBe(true);
    // The next expert got the long answer as the previous answer (knowledge transfer), and answered.
    expect(server.log[1].prompt.length).toBeGreaterThan(LONG);
    expect(episode.steps[1].answer.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('without the cut the score would depend on the tail (what the limit protects against)', () => {
    const unlimited = createGloveScorer(scorer.vectors, { maxTokens: 1_000_000 });
    const head = 'the capital of france is paris . '.repeat(200); // 1,400 tokens
    const tail = ' volcano lava eruption magma crater'.repeat(200);
    const reference = 'paris is the capital of france .';
    expect(unlimited.scoreSync([head + tail], [reference])[0]).not.toBe(unlimited.scoreSync([head], [reference])[0]);
    expect(scorer.scoreSync([head + tail], [reference])[0]).toBe(scorer.scoreSync([head], [reference])[0]);
    expect(() => createGloveScorer(scorer.vectors, { maxTokens: 0 })).toThrow(/maxTokens/);
  });
});
