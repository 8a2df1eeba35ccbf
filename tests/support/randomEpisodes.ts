// Random DER-shaped episodes for agent tests: `n` episodes of 1–4 steps over D-dimensional normal
// states and A actions, where action 0 (STOP) is allowed only at the first step and never taken.
// Rewards are standard normal draws passed through `reward` (e.g. made huge to force an overflow).
// Also bundled into the e2e test page e2e/pages/ppoDevice.entry.ts.
import { createRng } from '../../src/der/rng';
import type { Trajectory } from '../../src/der/trajectory';

export function randomEpisodes(n: number, D: number, A: number, seed: number, reward = (r: number) => r): Trajectory[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const len = 1 + rng.int(4);
    return {
      states: Array.from({ length: len }, () => Float32Array.from({ length: D }, () => rng.normal())),
      allowed: Array.from({ length: len }, (_, t) => Array.from({ length: A }, (_, a) => a !== 0 || t === 0)),
      actions: Array.from({ length: len }, () => 1 + rng.int(A - 1)),
      logProbs: Array.from({ length: len }, () => Math.log(1 / A) + 0.3 * rng.normal()),
      values: Array.from({ length: len }, () => rng.normal() * 0.5),
      rewards: Array.from({ length: len }, () => reward(rng.normal())),
      terminal: true,
      bootstrapValue: 0,
    };
  });
}
