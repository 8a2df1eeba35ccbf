// The failure policy in process, against the real loopback server and the real expert pool: a
// cooling-down expert is routed around, an outage is waited out while it is young and pauses the
// run when it is not (without spinning through episodes), the failed-episode cap holds, and the
// same trainer resumes once the endpoint is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { presetConfig } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';
import type { EpisodeRecord, IterationRecord } from '../../src/der/runRecord';
import type { Scorer } from '../../src/der/types';
import { createExpertPool } from '../../src/experts/pool';
import type { CallLimits } from '../../src/experts/callPolicy';
import { Trainer } from '../../src/session/trainer';
import { RunPausedError, type FailurePolicySettings } from '../../src/session/failurePolicy';
import { fakeEncoder, question } from '../der/fakes';
import { startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';
import { errorMessage } from '../../src/der/errorMessage';

const QUESTIONS = Array.from({ length: 8 }, (_, i) => question(`q${i}`));
let server: OpenAITestServer;

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});

function setup(options: { models?: [string, string]; limits?: Partial<CallLimits>; policy?: Partial<FailurePolicySettings> } = {}) {
  const base = presetConfig('tuned');
  const cfg: ExperimentConfig = {
    ...base,
    stopRule: 'threshold',
    iterations: 3,
    reward: { ...base.reward, tmax: 2, p0: 0.8 },
    ppo: { ...base.ppo, episodesPerIteration: 8, hiddenSizes: [16] },
  };
  const [a, b] = options.models ?? ['ok-a', 'ok-b'];
  const pool = createExpertPool(
    [
      { name: 'small', kind: 'openai', sizeB: 1, model: a, baseURL: server.url },
      { name: 'large', kind: 'openai', sizeB: 7, model: b, baseURL: server.url },
    ],
    { limits: { maxRetries: 0, timeoutMs: 5_000, failuresBeforeCooldown: 2, cooldownMs: 400, maxConcurrentPerEndpoint: 8, ...options.limits } },
  );
  // Every answer scores 0.9: one call ends a route, so routes are one call long.
  const scorer: Scorer = { name: 'fixed', score: async (c) => c.map(() => 0.9) };
  const encoder = fakeEncoder();
  const agent = new PpoAgent({ stateDim: encoder.dim, numActions: 2, ppo: cfg.ppo, seed: 5 });
  const episodes: EpisodeRecord[] = [];
  const reports: IterationRecord[] = [];
  const trainer = new Trainer(
    cfg,
    QUESTIONS,
    { pool, scorer, encoder, agent },
    { onEpisode: (e) => episodes.push(e), onIteration: (r) => reports.push(r) },
    { failurePolicy: options.policy },
  );
  return { trainer, episodes, reports, pool };
}

describe('failure policy', () => {
  it('routes around an expert that cools down: the run finishes on the other, and the failures are counted per expert', async () => {
    server.injectFault({ model: 'dead-a', status: 500 });
    const { trainer, episodes, reports } = setup({ models: ['dead-a', 'live-b'] });
    while (!trainer.finished) await trainer.runIteration();
    expect(reports).toHaveLength(3);
    const failedSmall = episodes.filter((e) => e.failed);
    expect(failedSmall.every((e) => e.steps[0].expert === 'small')).toBe(true);
    // Once "small" cools down it is left out of the allowed actions: its failures stop piling up.
    expect(failedSmall.length).toBeLessThan(episodes.length / 2);
    const counted = reports.reduce((n, r) => n + (r.failures?.byExpert.small?.failedEpisodes ?? 0), 0);
    expect(counted).toBe(failedSmall.length);
    expect(reports.every((r) => r.failures?.byExpert.large === undefined)).toBe(true);
    server.clearFaults();
  });

  it('an outage longer than the wait pauses the run after a bounded number of episodes; the same trainer resumes when the endpoint is back', async () => {
    const { trainer, episodes, reports } = setup({ policy: { maxOutageWaitMs: 1_000 } });
    await trainer.runIteration();
    await server.refuseConnections(true);
    const started = Date.now();
    let paused: unknown = null;
    try {
      while (!trainer.finished) await trainer.collect(4);
    } catch (error) {
      paused = error;
    }
    expect(paused).toBeInstanceOf(RunPausedError);
    expect(errorMessage(paused)).toMatch(/^Run paused: /);
    expect(errorMessage(paused)).toContain(`"small" at ${server.url}`);
    expect(errorMessage(paused)).toContain(`"large" at ${server.url}`);
    expect(errorMessage(paused)).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(10_000);
    // No spinning: at most K (8) failed episodes plus one batch before the pause.
    const failed = episodes.filter((e) => e.failed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThanOrEqual(8 + 4);

    await server.refuseConnections(false);
    trainer.failures.resume();
    while (!trainer.finished) await trainer.runIteration();
    expect(reports).toHaveLength(3);
    expect(reports[2].episodes).toBe(8);
    expect(episodes.map((e) => e.index)).toEqual(episodes.map((_, i) => i));
  });

  it('waits for a cooldown when every expert cools down, instead of spinning', async () => {
    // A cooldown long enough that a slow machine still finds both experts cooling after the loop below.
    const { trainer, episodes, pool } = setup({
      limits: { cooldownMs: 2_000 },
      policy: { maxOutageWaitMs: 10_000, pauseAfterFailedEpisodes: 100, maxFailedEpisodesPerIteration: 100 },
    });
    await server.refuseConnections(true);
    // Until both experts have failed twice (the policy picks them at random).
    for (let i = 0; i < 10 && !pool.health!().every((h) => h.coolingMs > 0); i++) await trainer.collect(4);
    expect(pool.health!().every((h) => h.coolingMs > 0)).toBe(true);
    const before = episodes.length;
    const waitStarted = Date.now();
    // Comes back while the trainer waits for the cooldown.
    setTimeout(() => void server.refuseConnections(false), 150);
    const batch = await trainer.collect(4);
    expect(Date.now() - waitStarted).toBeGreaterThanOrEqual(300);
    expect(episodes.length - before).toBe(4);
    expect(batch.every((e) => !e.failed)).toBe(true);
  });

  it('caps the failed episodes of an iteration that cannot be learned from', async () => {
    server.injectFault({ model: 'cap-a', status: 404 });
    server.injectFault({ model: 'cap-b', status: 404 });
    const { trainer, episodes } = setup({
      models: ['cap-a', 'cap-b'],
      policy: { pauseAfterFailedEpisodes: 1_000, maxFailedEpisodesPerIteration: 6, maxOutageWaitMs: 60_000 },
    });
    await expect(async () => {
      for (;;) await trainer.collect(4);
    }).rejects.toThrow(/failed at their first call, more than the 6 allowed per iteration/);
    expect(episodes.length).toBeLessThanOrEqual(8);
    // Resumed by the user while the expert still fails: another iteration's worth at most, then a pause again.
    trainer.failures.resume();
    const before = episodes.length;
    await expect(async () => {
      for (;;) await trainer.collect(4);
    }).rejects.toThrow(/more than the 6 allowed/);
    expect(episodes.length - before).toBeLessThanOrEqual(8);
    server.clearFaults();
  });
});
