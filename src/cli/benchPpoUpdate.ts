// Times PPO updates for the DER-sized networks (actor stateDim→256→256→11, critic stateDim→256→256→1)
// on the chosen tfjs backend: one gradient step at a given batch, and a full update with each preset.
// Usage: tsx src/cli/benchPpoUpdate.ts [--backend wasm] [--batch 256] [--state-dim 384] [--repeats 10]
import { parseArgs } from 'node:util';
import { REFERENCE_PPO, TUNED_PPO } from '../der/presets';
import type { PpoConfig } from '../der/config';
import { createRng } from '../der/rng';
import type { Trajectory } from '../der/trajectory';
import { selectNodeBackend } from '../agent/backendNode';
import { isBackendChoice } from '../agent/backend';
import { PpoAgent } from '../agent/ppo';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    batch: { type: 'string', default: '256' },
    'state-dim': { type: 'string', default: '384' },
    actions: { type: 'string', default: '11' },
    repeats: { type: 'string', default: '10' },
  },
});

/** Random episodes of length 1..5 (DER's Tmax), `transitions` steps in all. */
function randomEpisodes(transitions: number, stateDim: number, numActions: number, seed: number): Trajectory[] {
  const rng = createRng(seed);
  const episodes: Trajectory[] = [];
  let left = transitions;
  while (left > 0) {
    const len = Math.min(left, 1 + rng.int(5));
    left -= len;
    const step = () => Float32Array.from({ length: stateDim }, () => rng.normal() * 0.1);
    episodes.push({
      states: Array.from({ length: len }, step),
      allowed: Array.from({ length: len }, () => Array(numActions).fill(true)),
      actions: Array.from({ length: len }, () => rng.int(numActions)),
      logProbs: Array.from({ length: len }, () => Math.log(1 / numActions)),
      values: Array.from({ length: len }, () => rng.normal() * 0.1),
      rewards: Array.from({ length: len }, () => rng.normal()),
      terminal: true,
      bootstrapValue: 0,
    });
  }
  return episodes;
}

async function timeUpdates(label: string, ppo: PpoConfig, transitions: number, stateDim: number, numActions: number, repeats: number) {
  const agent = new PpoAgent({ stateDim, numActions, ppo, seed: 1 });
  const episodes = randomEpisodes(transitions, stateDim, numActions, 2);
  await agent.update(episodes); // warm-up: kernel setup, Adam slots
  const times: number[] = [];
  let steps = 0;
  for (let r = 0; r < repeats; r++) {
    const m = await agent.update(episodes);
    times.push(m.ms);
    steps = m.gradSteps;
  }
  agent.dispose();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(44)} transitions=${String(transitions).padStart(5)} gradSteps=${String(steps).padStart(3)} median=${median.toFixed(1)}ms per-step=${(median / steps).toFixed(1)}ms`);
  return median;
}

async function main() {
  if (!isBackendChoice(args.backend)) throw new Error(`--backend must be auto, webgpu, webgl, wasm or cpu (got ${args.backend}).`);
  const selection = await selectNodeBackend(args.backend);
  for (const a of selection.attempts) if (!a.ok) console.warn(`backend ${a.name} unavailable: ${a.error}`);
  const backend = selection.active;
  const batch = Number(args.batch);
  const stateDim = Number(args['state-dim']);
  const numActions = Number(args.actions);
  const repeats = Number(args.repeats);
  console.log(`backend=${backend} actor ${stateDim}→256→256→${numActions}, critic ${stateDim}→256→256→1`);
  const oneStep: PpoConfig = { ...TUNED_PPO, batching: 'minibatch-epochs', updateEpochs: 1, minibatches: 1 };
  const stepMs = await timeUpdates(`one gradient step (tuned losses), batch ${batch}`, oneStep, batch, stateDim, numActions, repeats);
  await timeUpdates(`tuned update (4 epochs × 4 minibatches)`, TUNED_PPO, batch, stateDim, numActions, Math.max(3, repeats >> 2));
  await timeUpdates(`reference update (16 steps × 8 episodes)`, REFERENCE_PPO, 96, stateDim, numActions, Math.max(3, repeats >> 2));
  console.log(`ppo_step backend=${backend} batch=${batch} ms=${stepMs.toFixed(1)}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
