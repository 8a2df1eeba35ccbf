// The lean step reuses its JS arrays from step to step on wasm (scratchBuffers.ts). Reuse must not
// change a single bit: two agents with the same seed, one reusing and one allocating fresh arrays,
// end with identical weights after updates of many minibatch steps (a buffer overwritten while a
// step still needs it would show here).
import { describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { TUNED_PPO } from '../../src/der/presets';
import { randomEpisodes } from '../support/randomEpisodes';

const reuse = vi.hoisted(() => ({ allowed: true }));
vi.mock('../../src/agent/scratchBuffers', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/agent/scratchBuffers')>();
  return { ...original, reusableOn: (backend: string) => reuse.allowed && original.reusableOn(backend) };
});

describe('scratch-array reuse in the lean step (wasm)', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: reusing arrays gives bit-identical weights to fresh arrays`, async () => {
      expect(await initBackend('wasm')).toBe('wasm');
      // Equal hidden sizes: two layers sharing a scratch key would then share one array.
      const ppo = { ...TUNED_PPO, hiddenSizes: [16, 16], activation };
      const run = async (allowed: boolean) => {
        reuse.allowed = allowed;
        const agent = new PpoAgent({ stateDim: 9, numActions: 5, ppo, seed: 4 });
        expect(agent.gradientPath).toBe('lean');
        let steps = 0;
        for (let u = 0; u < 3; u++) steps += (await agent.update(randomEpisodes(24, 9, 5, 50 + u))).gradSteps;
        const weights = agent.getWeights();
        agent.dispose();
        return { steps, weights };
      };
      const fresh = await run(false);
      const reused = await run(true);
      expect(fresh.steps).toBeGreaterThan(20); // many steps per update: buffers are refilled many times
      expect(reused.steps).toBe(fresh.steps);
      reused.weights.forEach((e, k) => expect(e.data).toEqual(fresh.weights[k].data));
      const init = new PpoAgent({ stateDim: 9, numActions: 5, ppo, seed: 4 });
      expect(init.getWeights()[0].data).not.toEqual(fresh.weights[0].data); // the updates moved the weights
      init.dispose();
    });
  }
});
