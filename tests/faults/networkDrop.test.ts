// Fault: the network drops mid-run. Several episodes have expert calls in flight when the server
// goes away; those episodes are recorded as failed (done_reason "error") and learned from up to
// the failure (their first answer, bootstrapped from the critic), the others teach the agent
// whole, calls made while the server is down fail fast as network errors, and once the server is
// back the same trainer carries on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { presetConfig } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';
import type { EpisodeRecord } from '../../src/der/runRecord';
import type { Scorer } from '../../src/der/types';
import { createExpertPool } from '../../src/experts/pool';
import { Trainer } from '../../src/session/trainer';
import { fakeEncoder, question } from '../der/fakes';
import { startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';

const QUESTIONS = Array.from({ length: 8 }, (_, i) => question(`q${i}`));
/** Questions that end after one call (score ≥ p0); the others need a second call. */
const EASY = new Set(['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'].filter((_, i) => i % 2 === 0));

let server: OpenAITestServer;
let port: number;
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  server = await startOpenAITestServer({ latencyMs: 150 });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const base = presetConfig('tuned');
  // Threshold rule: the easy/hard split below is what ends a route.
  const cfg: ExperimentConfig = {
    ...base,
    stopRule: 'threshold',
    iterations: 3,
    reward: { ...base.reward, tmax: 3, p0: 0.8 },
    ppo: { ...base.ppo, episodesPerIteration: 8, hiddenSizes: [16] },
  };
  const pool = createExpertPool(
    [
      { name: 'small', kind: 'openai', sizeB: 1, model: 'test-small', baseURL: server.url },
      { name: 'large', kind: 'openai', sizeB: 7, model: 'test-large', baseURL: server.url },
    ],
    // One quick retry, and a short cooldown so that the breaker does not outlast the outage in a test.
    { limits: { maxRetries: 1, baseDelayMs: 20, maxDelayMs: 40, timeoutMs: 5_000, cooldownMs: 100, maxConcurrentPerEndpoint: 16 } },
  );
  // Easy questions score 0.9 at once (done), the others 0.5 (they go on to a second call).
  const scorer: Scorer = { name: 'by-question', score: async (_c, refs) => refs.map((r) => (EASY.has(r.replace('reference for ', '')) ? 0.9 : 0.5)) };
  const encoder = fakeEncoder();
  const agent = new PpoAgent({ stateDim: encoder.dim, numActions: 2, ppo: cfg.ppo, seed: 3 });
  const episodes: EpisodeRecord[] = [];
  const trainer = new Trainer(cfg, QUESTIONS, { pool, scorer, encoder, agent }, { onEpisode: (e) => episodes.push(e) });
  return { trainer, agent, episodes, pool };
}

describe('the network drops mid-run', () => {
  it('in-flight episodes fail and are learned from up to the failure, and the run continues when the network is back', async () => {
    const { trainer, agent, episodes } = setup();
    server.resetStats();

    // Iteration 0: all 8 episodes make a first call; the 4 hard ones make a second, and the server
    // dies while those are in flight.
    const collecting = trainer.collect(8);
    const deadline = Date.now() + 10_000;
    while (server.stats.completions < 12 && Date.now() < deadline) await sleep(5);
    expect(server.stats.inFlight).toBeGreaterThanOrEqual(1);
    await server.close();
    const batch = await collecting;

    expect(batch).toHaveLength(8);
    const failed = batch.filter((e) => e.failed);
    const finished = batch.filter((e) => !e.failed);
    expect(failed.map((e) => e.question_id).sort()).toEqual(
      QUESTIONS.map((q) => q.id)
        .filter((id) => !EASY.has(id))
        .sort(),
    );
    for (const e of failed) {
      expect(e.done_reason).toBe('error');
      // The first call's answer is kept; the failed step says what happened.
      expect(e.steps[0].answer.length).toBeGreaterThan(0);
      expect(e.steps.at(-1)!.error).toMatch(/network|connection|server|reach/i);
    }
    expect(finished.every((e) => e.done_reason === 'threshold')).toBe(true);

    const report0 = await trainer.update();
    // The failed episodes' prefixes (one answered call each) are learned from too.
    expect(report0.episodes).toBe(8);
    expect(report0.update?.skipped).toBe(false);
    expect(report0.update?.episodes).toBe(8);
    expect(report0.update?.transitions).toBe(finished.reduce((n, e) => n + e.steps.length, 0) + failed.length);
    expect(report0.failures).toMatchObject({ collected: 8, failedEpisodes: failed.length, unlearnableEpisodes: 0 });
    expect(report0.summary.failed).toBe(failed.length);

    // While the server is down: calls fail fast as network errors (no hang), every episode fails, nothing is learned.
    const downStarted = performance.now();
    const down = await trainer.collect(4);
    expect(performance.now() - downStarted).toBeLessThan(5_000);
    expect(down.every((e) => e.failed && e.done_reason === 'error')).toBe(true);
    expect(down[0].steps[0].error).toMatch(/network|connect|reach|server/i);
    const weightsBefore = agent.getWeights().flatMap((w) => Array.from(w.data));
    const emptyReport = await trainer.update();
    expect(emptyReport.update).toBeNull();
    expect(agent.getWeights().flatMap((w) => Array.from(w.data))).toEqual(weightsBefore);

    // The network comes back on the same address; after the expert cooldown the run goes on.
    server = await startOpenAITestServer({ latencyMs: 5, port });
    await sleep(150);
    const report2 = await trainer.runIteration();
    expect(report2.iteration).toBe(2);
    expect(report2.episodes).toBe(8);
    expect(report2.update?.skipped).toBe(false);
    expect(trainer.finished).toBe(true);
    // Everything is in the record, in order, with unique indices.
    expect(episodes.map((e) => e.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(episodes.slice(12).every((e) => !e.failed)).toBe(true);
  });
});
