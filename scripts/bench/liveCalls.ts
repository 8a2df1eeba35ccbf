// Case 4: live expert calls. OpenAI-compatible experts at the loopback test server with 200 ms of
// latency per completion; 64 episodes through the real runner (glove scorer, glove-mean encoder, a
// fresh PPO policy) at concurrency 1 against 16 (the pool's per-endpoint limit). Then the same
// run with a call budget below what it needs: the server must see no more calls than the budget.
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { loadSampleQuestions } from '../../src/data/sampleNode';
import type { ExpertSpec } from '../../src/der/config';
import { runEpisodes } from '../../src/der/episodes';
import { PRESETS } from '../../src/der/presets';
import type { Question, Scorer, StateEncoder } from '../../src/der/types';
import { createGloveMeanEncoder } from '../../src/encoders/gloveMeanEncoder';
import { createExpertPool } from '../../src/experts/pool';
import { loadGloveFromFiles } from '../../src/scoring/gloveNode';
import { createGloveScorer } from '../../src/scoring/gloveScorer';
import { startOpenAITestServer, type OpenAITestServer } from '../../tests/support/openaiTestServer';
import { atLeast, log, ratio, result, round, type BenchResult } from './harness';

const LATENCY_MS = 200;
const EPISODES = 64;
/** Expert calls per route: 2 keeps the concurrency-1 run near 26 s (routes would otherwise run to Tmax: the server's answers never reach p0). */
const CALLS_PER_ROUTE = 2;
const GOAL = atLeast(12, 'speed-up ≥ 12× (80% of ideal 16×); calls ≤ budget');

function specs(baseURL: string): ExpertSpec[] {
  return [
    { name: 'small', kind: 'openai', sizeB: 1, model: 'bench-small', baseURL, maxTokens: 64 },
    { name: 'medium', kind: 'openai', sizeB: 7, model: 'bench-medium', baseURL, maxTokens: 64 },
    { name: 'large', kind: 'openai', sizeB: 70, model: 'bench-large', baseURL, maxTokens: 64 },
  ];
}

async function timedRun(server: OpenAITestServer, questions: Question[], scorer: Scorer, encoder: StateEncoder, concurrency: number, maxCalls?: number) {
  server.resetStats();
  const pool = createExpertPool(specs(server.url), {
    budget: maxCalls === undefined ? {} : { maxCalls },
    limits: { maxConcurrentPerEndpoint: concurrency, maxRetries: 0 },
  });
  const config = PRESETS.tuned;
  const policy = new PpoAgent({ stateDim: encoder.dim, numActions: pool.experts.length, ppo: config.ppo, seed: 1 });
  const t0 = performance.now();
  const { episodes } = await runEpisodes(
    questions,
    { pool, scorer, encoder, policy },
    {
      reward: config.reward,
      stopRule: config.stopRule,
      ktp: config.ktp,
      iteration: 0,
      maxCalls: CALLS_PER_ROUTE,
    },
  );
  const ms = performance.now() - t0;
  policy.dispose();
  const calls = episodes.reduce((n, e) => n + e.steps.length, 0);
  const failed = episodes.filter((e) => e.failed).length;
  return { ms, calls, failed, serverCompletions: server.stats.completions, maxInFlight: server.stats.maxInFlight, budgetSpent: pool.budget.spent.calls };
}

export async function runLiveCalls(): Promise<BenchResult[]> {
  await initBackend('wasm');
  const glove = await loadGloveFromFiles();
  const scorer = createGloveScorer(glove);
  const encoder = createGloveMeanEncoder(glove);
  const questions = loadSampleQuestions().slice(0, EPISODES);
  const server = await startOpenAITestServer({ latencyMs: LATENCY_MS });
  try {
    await timedRun(server, questions.slice(0, 4), scorer, encoder, 4); // warm-up: sockets, kernels
    log(`live: ${EPISODES} episodes × ${CALLS_PER_ROUTE} calls, ${LATENCY_MS} ms each, concurrency 16`);
    const c16 = await timedRun(server, questions, scorer, encoder, 16);
    log(`  ${(c16.ms / 1000).toFixed(1)} s, ${c16.serverCompletions} completions, max in flight ${c16.maxInFlight}`);
    log('live: concurrency 1');
    const c1 = await timedRun(server, questions, scorer, encoder, 1);
    log(`  ${(c1.ms / 1000).toFixed(1)} s, ${c1.serverCompletions} completions`);
    const budget = Math.floor(EPISODES * CALLS_PER_ROUTE * 0.7);
    log(`live: budget of ${budget} calls for a run that needs ${EPISODES * CALLS_PER_ROUTE}, concurrency 16`);
    const capped = await timedRun(server, questions, scorer, encoder, 16, budget);
    log(`  server saw ${capped.serverCompletions} completions, ${capped.failed} episodes ended by the budget`);

    const speedup = ratio(c1.ms, c16.ms);
    const overshoot = capped.serverCompletions > budget;
    // Ideal: every lockstep step's calls in waves of 16, at the latency each.
    const ideal = ratio(c1.serverCompletions * LATENCY_MS, c16.ms);
    const row = result({
      name: 'Live expert calls: 64 episodes, 200 ms latency, concurrency 16 vs 1',
      peer: 'the same run at concurrency 1',
      goal: GOAL,
      measured:
        `${(c16.ms / 1000).toFixed(2)} s vs ${(c1.ms / 1000).toFixed(2)} s for ${c16.serverCompletions} calls (max ${c16.maxInFlight} in flight); ` +
        `budget ${budget}: server saw ${capped.serverCompletions} calls (${overshoot ? 'OVERSHOOT' : 'no overshoot'})`,
      value: speedup,
      details: { concurrency16: c16, concurrency1: c1, budgetRun: { budget, ...capped }, speedupOverLatencyBound: round(ideal, 2) },
    });
    // The goal has two parts: the speed-up and no overshoot.
    if (overshoot) row.met = false;
    return [row];
  } finally {
    await server.close();
  }
}
