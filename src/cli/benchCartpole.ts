// CartPole-v1 PPO benchmark: trains on several seeds and prints mean return against env steps.
// The last line is machine-readable: `cartpole mean_return=<x> steps=<n>`.
// Usage: tsx src/cli/benchCartpole.ts [--steps 100000] [--seeds 1,2,3] [--preset fast|cleanrl] [--backend wasm]
import { parseCli } from './args';
import { isBackendChoice } from '../agent/backend';
import { selectNodeBackend } from '../agent/backendNode';
import { CARTPOLE_CLEANRL_PPO, CARTPOLE_FAST_PPO, trainCartpole, type CartpoleTrainResult } from '../agent/trainCartpole';

const USAGE = `Usage: npm run bench:cartpole -- [options]
Trains PPO on CartPole-v1 on several seeds and prints mean return against environment steps.
  --steps N (100000)   environment steps per seed
  --seeds 1,2,3        seeds
  --preset fast|cleanrl   rollout shape (fast: 8 envs x 32 steps; cleanrl: 4 x 128)
  --backend wasm|cpu|webgl|webgpu|auto (wasm)
  --every N (10000)    table row every N steps
  --help               this help`;

const { values: args, positionals } = parseCli(
  {
    steps: { type: 'string', default: '100000' },
    seeds: { type: 'string', default: '1,2,3' },
    preset: { type: 'string', default: 'fast' },
    backend: { type: 'string', default: 'wasm' },
    every: { type: 'string', default: '10000' },
    help: { type: 'boolean', default: false },
  },
  { usage: USAGE },
);
if (positionals.length > 0) throw new Error(`unexpected argument(s): ${positionals.join(' ')} (see --help)`);

/** Rollout shape per preset: rl-zoo style (8 envs × 32 steps) for fast, CleanRL's 4 × 128 otherwise. */
const PRESETS = {
  fast: { ppo: CARTPOLE_FAST_PPO, numEnvs: 8, rolloutSteps: 32 },
  cleanrl: { ppo: CARTPOLE_CLEANRL_PPO, numEnvs: 4, rolloutSteps: 128 },
} as const;

function meanReturnAt(result: CartpoleTrainResult, steps: number): number {
  let value = NaN;
  for (const r of result.reports) if (r.envSteps <= steps) value = r.meanReturn;
  return value;
}

async function main() {
  if (!isBackendChoice(args.backend)) throw new Error(`--backend must be auto, webgpu, webgl, wasm or cpu (got ${args.backend}).`);
  if (args.preset !== 'fast' && args.preset !== 'cleanrl') throw new Error(`--preset must be fast or cleanrl (got ${args.preset}).`);
  const totalSteps = Number(args.steps);
  const every = Number(args.every);
  const seeds = args.seeds.split(',').map(Number);
  if (!(totalSteps > 0) || !(every > 0) || seeds.some((s) => !Number.isInteger(s))) {
    throw new Error('--steps and --every must be positive numbers and --seeds a comma-separated list of integers.');
  }
  const selection = await selectNodeBackend(args.backend);
  for (const a of selection.attempts) if (!a.ok) console.warn(`backend ${a.name} unavailable: ${a.error}`);
  const backend = selection.active;
  const preset = PRESETS[args.preset];
  console.log(
    `CartPole-v1 PPO: preset=${args.preset} backend=${backend} envs=${preset.numEnvs}×${preset.rolloutSteps} steps=${totalSteps} seeds=${seeds.join(',')}`,
  );
  const results: CartpoleTrainResult[] = [];
  for (const seed of seeds) {
    const started = performance.now();
    const result = await trainCartpole({ seed, totalSteps, ...preset });
    result.agent.dispose();
    results.push(result);
    const updateMs = result.reports.reduce((a, r) => a + r.update.ms, 0) / result.reports.length;
    console.log(
      `seed ${seed}: final mean return ${result.finalMeanReturn.toFixed(1)} after ${result.envSteps} steps, ${result.episodeReturns.length} episodes, ${((performance.now() - started) / 1000).toFixed(1)} s (mean update ${updateMs.toFixed(1)} ms)`,
    );
  }
  const envSteps = Math.min(...results.map((r) => r.envSteps));
  const header = ['steps', ...seeds.map((s) => `seed ${s}`), 'mean'];
  console.log(header.map((h) => h.padStart(9)).join(' '));
  const checkpoints: number[] = [];
  for (let s = every; s < envSteps; s += every) checkpoints.push(s);
  checkpoints.push(envSteps);
  for (const steps of checkpoints) {
    const perSeed = results.map((r) => meanReturnAt(r, steps));
    const mean = perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
    console.log([String(steps), ...perSeed.map((v) => v.toFixed(1)), mean.toFixed(1)].map((c) => c.padStart(9)).join(' '));
  }
  const finalMean = results.reduce((a, r) => a + r.finalMeanReturn, 0) / results.length;
  console.log(`cartpole mean_return=${finalMean.toFixed(1)} steps=${envSteps}`);
}

// A failure reaches the CLI error handler (args.ts): one line on stderr, exit code 1.
await main();
