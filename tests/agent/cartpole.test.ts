import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { CARTPOLE_FAST_PPO, trainCartpole } from '../../src/agent/trainCartpole';
import { CARTPOLE, CartPole } from '../../src/envs/cartpole';

describe('CartPole-v1 dynamics', () => {
  it('one push right from rest matches the hand-computed Euler step', () => {
    const env = new CartPole(1);
    env.resetTo([0, 0, 0, 0]);
    const { observation, reward, terminated, truncated } = env.step(1);
    // temp = F/(mc+mp) = 10/1.1; θ̈ = −temp / (l·(4/3 − mp/(mc+mp))); ẍ = temp − mp·l·θ̈/(mc+mp)
    const temp = 10 / 1.1;
    const thetaAcc = -temp / (0.5 * (4 / 3 - 0.1 / 1.1));
    const xAcc = temp - (0.05 * thetaAcc) / 1.1;
    expect(observation[0]).toBe(0);
    expect(observation[1]).toBeCloseTo(0.02 * xAcc, 6);
    expect(observation[2]).toBe(0);
    expect(observation[3]).toBeCloseTo(0.02 * thetaAcc, 6);
    expect(observation[1]).toBeCloseTo(0.19512, 4); // the well-known first-step value
    expect([reward, terminated, truncated]).toEqual([1, false, false]);
  });

  it('terminates past |x| > 2.4 or |θ| > 12°, truncates at the step limit, resets within ±0.05', () => {
    const env = new CartPole(2);
    env.resetTo([2.39, 1, 0, 0]);
    expect(env.step(1).terminated).toBe(true);
    expect(() => env.step(0)).toThrow(/reset/);
    env.resetTo([0, 0, CARTPOLE.thetaThresholdRadians - 1e-4, 1]);
    expect(env.step(1).terminated).toBe(true);

    const short = new CartPole(3, { maxEpisodeSteps: 6 });
    short.reset();
    const steps = Array.from({ length: 6 }, (_, t) => short.step(t % 2));
    expect(steps.slice(0, 5).every((s) => !s.truncated && !s.terminated)).toBe(true);
    expect(steps[5]).toMatchObject({ truncated: true, terminated: false });
    expect(CARTPOLE.maxEpisodeSteps).toBe(500);

    const a = new CartPole(9).reset();
    const b = new CartPole(9).reset();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).every((v) => Math.abs(v) <= 0.05)).toBe(true);
    expect(Array.from(new CartPole(10).reset())).not.toEqual(Array.from(a));
  });
});

describe('PPO on CartPole', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  // Budget: 40k env steps (~20 s on 2 quiet cores with wasm, ~50 s when the machine is heavily loaded). A random policy
  // averages ~22; at 40k steps seeds 1–3 reached 250–500 over several revisions of the code, so 150
  // leaves a wide margin for numeric changes (the run is chaotic, though deterministic on wasm).
  it('learns to balance: mean return of the last 20 episodes > 150 after 40k steps', async () => {
    const result = await trainCartpole({ seed: 1, totalSteps: 40_000, ppo: CARTPOLE_FAST_PPO, numEnvs: 8, rolloutSteps: 32 });
    const first = result.episodeReturns.slice(0, 20);
    const firstMean = first.reduce((a, b) => a + b, 0) / first.length;
    expect(firstMean).toBeLessThan(50);
    expect(result.finalMeanReturn).toBeGreaterThan(150);
    expect(result.reports.every((r) => !r.update.skipped)).toBe(true);
    result.agent.dispose();
  });
});
