import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { loadWeightsFile, saveWeightsFile } from '../../src/agent/weightsFile';
import { deserializeWeights, serializeWeights } from '../../src/agent/weightsIO';
import type { PpoConfig } from '../../src/der/config';
import { REFERENCE_PPO, TUNED_PPO } from '../../src/der/presets';
import { createRng } from '../../src/der/rng';
import type { Trajectory } from '../../src/der/trajectory';
import type { PolicyObservation } from '../../src/der/types';

const STATE_DIM = 6;
const ACTIONS = 4;
const SMALL: PpoConfig = { ...TUNED_PPO, hiddenSizes: [32, 32] };

function observations(n: number, seed: number, allowed?: (i: number) => boolean[]): PolicyObservation[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    question: { id: `q${i}`, instruction: 'q', input: '' },
    state: Float32Array.from({ length: STATE_DIM }, () => rng.normal()),
    t: 0,
    lastScore: NaN,
    allowed: allowed ? allowed(i) : Array(ACTIONS).fill(true),
  }));
}

/** Episodes of length 1–3 collected with the agent itself, rewarded by a fixed rule. */
async function collect(agent: PpoAgent, episodes: number, seed: number, reward: (action: number) => number = (a) => (a === 2 ? 1 : 0)): Promise<Trajectory[]> {
  const rng = createRng(seed);
  const out: Trajectory[] = [];
  for (let e = 0; e < episodes; e++) {
    const len = 1 + rng.int(3);
    const obs = observations(len, seed * 100 + e);
    const decisions = await agent.act(obs);
    out.push({
      states: obs.map((o) => o.state),
      allowed: obs.map((o) => o.allowed.slice()),
      actions: decisions.map((d) => d.action),
      logProbs: decisions.map((d) => d.logProb),
      values: decisions.map((d) => d.value),
      rewards: decisions.map((d) => reward(d.action)),
      terminal: true,
      bootstrapValue: 0,
    });
  }
  return out;
}

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe('PpoAgent', () => {
  it('is deterministic per seed: same actions, same weights after an update; another seed differs', async () => {
    const run = async (seed: number) => {
      const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: SMALL, seed });
      const trajectories = await collect(agent, 12, 5);
      const metrics = await agent.update(trajectories);
      const actions = trajectories.flatMap((t) => t.actions);
      const weights = agent.getWeights();
      agent.dispose();
      return { actions, weights, metrics };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a.metrics.skipped).toBe(false);
    expect(a.metrics.gradSteps).toBe(SMALL.updateEpochs * SMALL.minibatches);
    expect(b.actions).toEqual(a.actions);
    expect(b.weights).toEqual(a.weights);
    expect(c.weights[0].data).not.toEqual(a.weights[0].data);
  });

  it('never samples a masked action and gives it probability 0', async () => {
    const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: SMALL, seed: 3 });
    const maskFor = (i: number) => Array.from({ length: ACTIONS }, (_, a) => a === i % ACTIONS || (a + i) % 3 === 0);
    const counts = Array(ACTIONS).fill(0);
    for (let round = 0; round < 10; round++) {
      const obs = observations(100, round, maskFor);
      const decisions = await agent.act(obs);
      decisions.forEach((d, i) => {
        const allowed = obs[i].allowed;
        expect(allowed[d.action]).toBe(true);
        allowed.forEach((ok, a) => ok || expect(d.probs[a]).toBe(0));
        expect(d.probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
        expect(d.logProb).toBeCloseTo(Math.log(d.probs[d.action]), 4);
        counts[d.action]++;
      });
      const greedy = await agent.actGreedy(obs);
      greedy.forEach((d, i) => expect(obs[i].allowed[d.action]).toBe(true));
    }
    // Sampling, not a constant choice: every action was allowed somewhere and gets picked.
    expect(counts.every((c) => c > 0)).toBe(true);
    agent.dispose();
  });

  it('learns: the probability of the rewarded action rises', async () => {
    const ppo: PpoConfig = { ...SMALL, actorLr: 3e-3, criticLr: 3e-3 };
    const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo, seed: 11 });
    const probeObs = observations(50, 999);
    const pRewarded = async () => (await agent.act(probeObs)).reduce((s, d) => s + d.probs[2], 0) / probeObs.length;
    const before = await pRewarded();
    for (let it = 0; it < 8; it++) await agent.update(await collect(agent, 16, 20 + it));
    const after = await pRewarded();
    expect(before).toBeLessThan(0.4);
    expect(after).toBeGreaterThan(0.7);
    agent.dispose();
  });

  it('skips an update with a NaN reward and leaves the weights unchanged', async () => {
    const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: SMALL, seed: 4 });
    const trajectories = await collect(agent, 6, 9);
    trajectories[2].rewards[0] = NaN;
    const before = agent.getWeights();
    const metrics = await agent.update(trajectories);
    expect(metrics.skipped).toBe(true);
    expect(metrics.skipReason).toMatch(/NaN/);
    expect(metrics.gradSteps).toBe(0);
    expect(agent.getWeights()).toEqual(before);
    agent.dispose();
  });

  it('does not leak tensors across act and update calls', async () => {
    const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: { ...SMALL, clipValueLoss: true, maxGradNorm: 0.5 }, seed: 5 });
    const trajectories = await collect(agent, 10, 1);
    await agent.update(trajectories); // creates the Adam moment variables
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      await agent.update(await collect(agent, 10, 2 + i));
      await agent.values(trajectories[0].states);
    }
    const nan = await collect(agent, 3, 30);
    nan[0].rewards[0] = Infinity;
    await agent.update(nan);
    expect(tf.memory().numTensors).toBe(baseline);
    agent.dispose();
  });

  it('reference batching runs gradientSteps steps; targetKl stops after the first epoch', async () => {
    const ref = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: { ...REFERENCE_PPO, hiddenSizes: [16] }, seed: 6 });
    const m1 = await ref.update(await collect(ref, 32, 3));
    expect(m1.gradSteps).toBe(REFERENCE_PPO.gradientSteps);
    ref.dispose();
    const kl = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: { ...SMALL, actorLr: 1e-2, targetKl: 1e-9 }, seed: 6 });
    const m2 = await kl.update(await collect(kl, 16, 3));
    expect(m2.stoppedEarly).toBe(true);
    expect(m2.gradSteps).toBe(SMALL.minibatches);
    kl.dispose();
  });

  it('anneals the learning rates linearly with progress', async () => {
    const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: { ...SMALL, annealLr: true }, seed: 2 });
    const m = await agent.update(await collect(agent, 4, 1), { iteration: 3, totalIterations: 4 });
    expect(m.actorLr).toBeCloseTo(SMALL.actorLr / 4, 12);
    expect(m.criticLr).toBeCloseTo(SMALL.criticLr / 4, 12);
    agent.dispose();
  });

  it('weights survive a JSON and a file round trip; mismatched shapes are refused', async () => {
    const a = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: SMALL, seed: 1 });
    await a.update(await collect(a, 8, 1));
    const b = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: SMALL, seed: 2 });
    expect(b.getWeights()).not.toEqual(a.getWeights());
    b.setWeights(deserializeWeights(serializeWeights(a.getWeights(), { stateDim: STATE_DIM })).weights);
    expect(b.getWeights()).toEqual(a.getWeights());
    const obs = observations(20, 4);
    expect((await b.actGreedy(obs)).map((d) => d.action)).toEqual((await a.actGreedy(obs)).map((d) => d.action));

    const dir = await mkdtemp(path.join(tmpdir(), 'der-weights-'));
    try {
      const file = path.join(dir, 'agent.json');
      await saveWeightsFile(file, a, { note: 'test' });
      const c = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: SMALL, seed: 3 });
      const saved = await loadWeightsFile(file, c);
      expect(saved.meta).toEqual({ note: 'test' });
      expect(c.getWeights()).toEqual(a.getWeights());
      c.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const wider = new PpoAgent({ stateDim: STATE_DIM + 1, numActions: ACTIONS, ppo: SMALL, seed: 1 });
    const widerBefore = wider.getWeights();
    expect(() => wider.setWeights(a.getWeights())).toThrow(/shape/);
    expect(wider.getWeights()).toEqual(widerBefore);
    expect(() => deserializeWeights('{"format":"other"}')).toThrow(/Not a DER Workbench weights file/);
    [a, b, wider].forEach((x) => x.dispose());
  });
});
