// The PPO conditioning options (issue "The agent learns", item 4), each checked against autodiff
// or a hand computation: the value-clip tie, per-network grad-norm clipping, value normalisation
// (PopArt-lite) and running state standardisation (saved with the weights).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent, clipScales } from '../../src/agent/ppo';
import { MASKED_LOGIT } from '../../src/agent/ppoBatch';
import type { MinibatchTensors } from '../../src/agent/ppoLoss';
import { ppoLossFused } from '../../src/agent/ppoLossFused';
import { RunningMeanStd, STATE_CLIP } from '../../src/agent/runningStats';
import { deserializeWeights, serializeWeights } from '../../src/agent/weightsIO';
import type { PpoConfig } from '../../src/der/config';
import { PpoConfigSchema } from '../../src/der/config';
import { REFERENCE_PPO, TUNED_PPO } from '../../src/der/presets';
import { createRng } from '../../src/der/rng';
import type { Trajectory } from '../../src/der/trajectory';
import type { PolicyObservation } from '../../src/der/types';

const D = 5;
const A = 3;
const BASE: PpoConfig = { ...TUNED_PPO, hiddenSizes: [16], gradClipPerNetwork: false, valueNormalization: false, normalizeStates: false };

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

function observations(n: number, seed: number, offset = 0, scale = 1): PolicyObservation[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    question: { id: `q${i}`, instruction: 'q', input: '' },
    state: Float32Array.from({ length: D }, (_, j) => offset + j + scale * rng.normal()),
    t: 0,
    lastScore: NaN,
    allowed: Array(A).fill(true),
  }));
}

/** One-step episodes: the return of each is its reward exactly. */
async function oneStepEpisodes(agent: PpoAgent, n: number, seed: number, reward: (i: number) => number, offset = 0, scale = 1): Promise<Trajectory[]> {
  const obs = observations(n, seed, offset, scale);
  const decisions = await agent.act(obs);
  return obs.map((o, i) => ({
    states: [o.state],
    allowed: [o.allowed.slice()],
    actions: [decisions[i].action],
    logProbs: [decisions[i].logProb],
    values: [decisions[i].value],
    rewards: [reward(i)],
    terminal: true,
    bootstrapValue: 0,
  }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));

describe('PpoConfig conditioning fields', () => {
  it('default to off for configs saved before they existed, and are on in tuned, off in reference', () => {
    const { gradClipPerNetwork: _a, valueNormalization: _b, normalizeStates: _c, ...old } = TUNED_PPO;
    const parsed = PpoConfigSchema.parse(old);
    expect([parsed.gradClipPerNetwork, parsed.valueNormalization, parsed.normalizeStates]).toEqual([false, false, false]);
    expect([TUNED_PPO.gradClipPerNetwork, TUNED_PPO.valueNormalization, TUNED_PPO.normalizeStates]).toEqual([true, true, true]);
    expect([REFERENCE_PPO.gradClipPerNetwork, REFERENCE_PPO.valueNormalization, REFERENCE_PPO.normalizeStates]).toEqual([false, false, false]);
  });
});

describe('value-clip tie', () => {
  it('keeps the critic gradient 2c/N·(v − R) wherever |v − v_old| ≤ ε, even when v_old + (v − v_old) ≠ v in float32', () => {
    const eps = 0.2;
    const f = Math.fround;
    // Transitions where naive clipping rounds: v_old + (v − v_old) ≠ v and the rounded clipped error
    // is the larger one, so max() would pick the branch without gradient.
    const rng = createRng(7);
    const rows: [number, number, number][] = [];
    while (rows.length < 12) {
      const v = f(rng.normal() * 0.01);
      const old = f(v + (rng.next() * 2 - 1) * eps * 0.99);
      const ret = f(rng.normal());
      const naive = f(old + f(v - old));
      if (naive !== v && f(f(naive - ret) ** 2) > f(f(v - ret) ** 2)) rows.push([v, old, ret]);
    }
    const N = rows.length;
    const batch: MinibatchTensors = {
      states: tf.zeros([N, 1]),
      statesT: tf.zeros([1, N]),
      maskAdd: tf.zeros([N, A]),
      actionOneHot: tf.oneHot(tf.zeros([N], 'int32'), A).toFloat() as tf.Tensor2D,
      oldLogProbs: tf.fill([N], Math.log(1 / A)) as tf.Tensor1D,
      oldValues: tf.tensor1d(rows.map((r) => r[1])),
      advantages: tf.ones([N]) as tf.Tensor1D,
      returns: tf.tensor1d(rows.map((r) => r[2])),
    };
    const cfg = { clipRange: eps, clipValueLoss: true, entropyCoef: 0, valueCoef: 0.5 };
    const values = tf.tensor2d(
      rows.map((r) => r[0]),
      [N, 1],
    );
    const dv = tf.grad((v: tf.Tensor) => ppoLossFused(tf.zeros([N, A]) as tf.Tensor2D, v as tf.Tensor2D, batch, cfg).loss)(values);
    const got = Array.from(dv.dataSync());
    rows.forEach(([v, , ret], i) => expect(got[i]).toBeCloseTo(((2 * cfg.valueCoef) / N) * (v - ret), 6));
    expect(got.every((g) => g !== 0)).toBe(true);
  });
});

describe('per-network gradient-norm clipping', () => {
  it('clip factors by hand: one shared norm, or each network to maxGradNorm', () => {
    const global = clipScales(3, 4, { maxGradNorm: 0.5, gradClipPerNetwork: false });
    expect(global[0]).toBeCloseTo(0.5 / (5 + 1e-6), 12);
    expect(global[1]).toBe(global[0]);
    const per = clipScales(3, 0.1, { maxGradNorm: 0.5, gradClipPerNetwork: true });
    expect(per[0]).toBeCloseTo(0.5 / (3 + 1e-6), 12);
    expect(per[1]).toBe(1);
    expect(clipScales(3, 4, { maxGradNorm: 0, gradClipPerNetwork: true })).toEqual([1, 1]);
  });

  it("the actor's step no longer depends on the critic's gradient size", async () => {
    // Separate networks: the actor's gradient does not depend on valueCoef, only the shared clip does.
    const actorAfter = async (valueCoef: number, gradClipPerNetwork: boolean) => {
      const ppo: PpoConfig = { ...BASE, valueCoef, gradClipPerNetwork, updateEpochs: 1, minibatches: 1 };
      const agent = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 3 });
      await agent.update(await oneStepEpisodes(agent, 16, 5, (i) => 100 * (i % 3)));
      const w = agent
        .getWeights()
        .filter((e) => e.name.startsWith('actor/'))
        .flatMap((e) => e.data);
      agent.dispose();
      return w;
    };
    const small = await actorAfter(0.01, true);
    const large = await actorAfter(1000, true);
    small.forEach((x, i) => expect(large[i]).toBeCloseTo(x, 6));
    const sharedLarge = await actorAfter(1000, false);
    expect(Math.max(...sharedLarge.map((x, i) => Math.abs(x - small[i])))).toBeGreaterThan(1e-5);
  });
});

describe('RunningMeanStd', () => {
  it('merging batches gives the mean and (population) variance of their concatenation', () => {
    const rng = createRng(1);
    const data = Float32Array.from({ length: 37 * 4 }, () => 3 + 2 * rng.normal());
    const stats = new RunningMeanStd(4);
    stats.update(data.subarray(0, 10 * 4), 10);
    stats.update(data.subarray(10 * 4), 27);
    expect(stats.count).toBe(37);
    for (let j = 0; j < 4; j++) {
      const col = Array.from({ length: 37 }, (_, r) => data[r * 4 + j]);
      expect(stats.mean[j]).toBeCloseTo(mean(col), 5);
      expect(stats.var[j]).toBeCloseTo(variance(col), 4);
    }
    const z = stats.standardize(Float32Array.from([1e6, -1e6, stats.mean[2], 0]));
    expect([z[0], z[1], z[2]]).toEqual([STATE_CLIP, -STATE_CLIP, 0]);
  });
});

describe('value normalisation (PopArt-lite)', () => {
  it('tracks the returns, keeps V(s) through the head rescale, and survives a save/load', async () => {
    const ppo: PpoConfig = { ...BASE, valueNormalization: true, actorLr: 1e-9, criticLr: 1e-9, updateEpochs: 1, minibatches: 1 };
    const agent = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 4 });
    const rewards = Array.from({ length: 24 }, (_, i) => 50 + 10 * Math.sin(i));
    const probe = observations(6, 99).map((o) => o.state);
    const before = await agent.values(probe);
    const episodes = await oneStepEpisodes(agent, 24, 6, (i) => rewards[i]);
    const metrics = await agent.update(episodes);
    expect(metrics.skipped).toBe(false);
    expect(agent.returnStats!.mean[0]).toBeCloseTo(mean(rewards), 4);
    expect(agent.returnStats!.var[0]).toBeCloseTo(variance(rewards), 3);
    // A learning rate of 1e-9 moves nothing measurable: what changed is only the rescale.
    const after = await agent.values(probe);
    after.forEach((v, i) => expect(v).toBeCloseTo(before[i], 3));
    // The critic's loss is in standardised units: mean(((V_old − μ)/σ − (R − μ)/σ)²) = mean((V_old − R)²)/σ².
    const sd = Math.sqrt(variance(rewards));
    expect(metrics.valueLoss).toBeCloseTo(mean(episodes.map((e) => (e.values[0] - e.rewards[0]) ** 2)) / sd ** 2, 3);

    const copy = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 5 });
    copy.setWeights(deserializeWeights(serializeWeights(agent.getWeights())).weights);
    expect(await copy.values(probe)).toEqual(after);
    [agent, copy].forEach((a) => a.dispose());
  });
});

describe('running state standardisation', () => {
  it('is applied identically when acting and learning, updated after each update, saved and restored with the weights', async () => {
    const ppo: PpoConfig = { ...BASE, normalizeStates: true };
    const agent = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 8 });
    const plain = new PpoAgent({ stateDim: D, numActions: A, ppo: BASE, seed: 8 });
    // Before any update the statistics are the identity: both agents act alike.
    const probe = observations(10, 3, 20, 5);
    expect(await agent.actGreedy(probe)).toEqual(await plain.actGreedy(probe));

    const episodes = await oneStepEpisodes(agent, 40, 9, (i) => i % 2, 20, 5);
    const metrics = await agent.update(episodes);
    expect(metrics.skipped).toBe(false);
    // Statistics of the raw states, by hand.
    for (let j = 0; j < D; j++) {
      const col = episodes.map((e) => e.states[0][j]);
      expect(agent.stateStats!.mean[j]).toBeCloseTo(mean(col), 4);
      expect(agent.stateStats!.var[j]).toBeCloseTo(variance(col), 3);
    }
    // Acting standardises: same decisions as the unnormalised twin (given the same network) fed
    // hand-standardised states.
    plain.setWeights(agent.getWeights().filter((e) => !e.name.startsWith('stateNorm/')));
    const standardised = probe.map((o) => ({
      ...o,
      state: Float32Array.from(o.state, (x, j) =>
        Math.max(-STATE_CLIP, Math.min(STATE_CLIP, (x - agent.stateStats!.mean[j]) / Math.sqrt(agent.stateStats!.var[j] + 1e-8))),
      ),
    }));
    const a = await agent.actGreedy(probe);
    const b = await plain.actGreedy(standardised);
    a.forEach((d, i) => {
      expect(d.action).toBe(b[i].action);
      expect(d.logProb).toBeCloseTo(b[i].logProb, 5);
      expect(d.value).toBeCloseTo(b[i].value, 5);
    });

    // Saved with the weights; an old file without statistics loads and resets them.
    const restored = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 1 });
    restored.setWeights(deserializeWeights(serializeWeights(agent.getWeights())).weights);
    expect(await restored.actGreedy(probe)).toEqual(a);
    expect(Array.from(restored.stateStats!.mean)).toEqual(Array.from(agent.stateStats!.mean));
    restored.setWeights(agent.getWeights().filter((e) => !e.name.startsWith('stateNorm/')));
    expect(restored.stateStats!.count).toBe(0);
    expect(() => restored.setWeights(agent.getWeights().map((e) => (e.name === 'stateNorm/mean' ? { ...e, shape: [2], data: [0, 0] } : e)))).toThrow(
      /stateNorm.*stateDim/,
    );
    [agent, plain, restored].forEach((x) => x.dispose());
  });

  it('masked logits stay finite after standardisation (no NaN from the clip)', async () => {
    const agent = new PpoAgent({ stateDim: D, numActions: A, ppo: { ...BASE, normalizeStates: true }, seed: 2 });
    await agent.update(await oneStepEpisodes(agent, 8, 2, () => 1));
    const obs = observations(4, 1).map((o) => ({ ...o, allowed: [true, false, true] }));
    const decisions = await agent.act(obs);
    decisions.forEach((d) => {
      expect(d.action).not.toBe(1);
      expect(Number.isFinite(d.logProb)).toBe(true);
    });
    expect(MASKED_LOGIT).toBeLessThan(-1e6);
    agent.dispose();
  });
});
