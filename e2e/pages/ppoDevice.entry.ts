// A test page (bundled by e2e/ppo-webgpu.spec.ts, never shipped): trains PpoAgent on the webgpu
// backend through the device path (fused WebGPU Adam, statistics and NaN guard on the device) and
// the same agent on cpu (lean path), and reports how far their weights are apart, with the number
// of WebGPU dispatches, queue submits and buffer reads per gradient step (and those of webgpu's
// tape path, for comparison).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { PpoAgent } from '../../src/agent/ppo';
import type { PpoConfig } from '../../src/der/config';
import { TUNED_PPO } from '../../src/der/presets';
import type { Trajectory } from '../../src/der/trajectory';
import { randomEpisodes } from '../../tests/support/randomEpisodes';

const D = 7;
const A = 5;

const episodes = (n: number, seed: number, reward?: (r: number) => number): Trajectory[] => randomEpisodes(n, D, A, seed, reward);

interface Counters {
  dispatches: number;
  submits: number;
  reads: number;
}

/** Count what the webgpu backend sends to the GPU (wrapping its methods; call once). */
function instrument(): Counters {
  const counters = { dispatches: 0, submits: 0, reads: 0 };
  const backend = tf.backend() as unknown as Record<string, (...args: unknown[]) => unknown> & {
    device: { queue: Record<string, (...args: unknown[]) => unknown> };
  };
  const wrap = (obj: Record<string, (...args: unknown[]) => unknown>, name: string, key: keyof Counters) => {
    const original = obj[name].bind(obj);
    obj[name] = (...args: unknown[]) => {
      counters[key] += 1;
      return original(...args);
    };
  };
  wrap(backend, 'runWebGPUProgram', 'dispatches');
  wrap(backend.device.queue, 'submit', 'submits');
  wrap(backend, 'getBufferData', 'reads');
  return counters;
}

async function train(ppo: PpoConfig, updates: Trajectory[][], counters?: Counters, gradientPath?: 'tape') {
  const agent = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 9, gradientPath });
  const metrics = [];
  const before = counters ? { ...counters } : null;
  for (const batch of updates) metrics.push(await agent.update(batch));
  const during =
    counters && before
      ? { dispatches: counters.dispatches - before.dispatches, submits: counters.submits - before.submits, reads: counters.reads - before.reads }
      : null;
  // Read asynchronously: webgpu's readSync (dataSync) goes through a canvas and is not what is tested here.
  const vars = [...agent.actor.variables, ...agent.critic.variables];
  const names = [...agent.actor.variableNames, ...agent.critic.variableNames];
  const weights = await Promise.all(vars.map(async (v, k) => ({ name: names[k], data: Array.from(await v.data()) })));
  const syncMismatches = agent.getWeights().filter((e, k) => k < vars.length && e.data.some((x, i) => x !== weights[k].data[i])).length;
  const path = agent.gradientPath;
  agent.dispose();
  return { weights, metrics, path, syncMismatches, during };
}

const api = {
  async compare(config: 'tuned' | 'overflow') {
    const ppo: PpoConfig =
      config === 'tuned'
        ? { ...TUNED_PPO, hiddenSizes: [24, 16] }
        : { ...TUNED_PPO, hiddenSizes: [24, 16], valueNormalization: false, normalizeAdvantages: false };
    // "overflow": the second update's returns are ~1e30, so its value loss is Infinity: the NaN guard must skip it.
    const updates = [episodes(12, 100), episodes(12, 101, config === 'overflow' ? (r) => 1e30 * (1 + Math.abs(r)) : (r) => r), episodes(12, 102)];
    await tf.setBackend('cpu');
    const cpu = await train(ppo, updates);
    if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend in this browser');
    const counters = instrument();
    const gpu = await train(ppo, updates, counters);
    // The same on webgpu's tape path (op-by-op Adam, one read per step), for the dispatch counts.
    const tape = await train(ppo, updates, counters, 'tape');
    let deviation = 0;
    let worst = '';
    gpu.weights.forEach((e, k) =>
      e.data.forEach((x, i) => {
        const d = Math.abs(x - cpu.weights[k].data[i]);
        if (d > deviation) [deviation, worst] = [d, `${e.name}[${i}]: ${x} vs ${cpu.weights[k].data[i]}`];
      }),
    );
    const steps = gpu.metrics.reduce((n, m) => n + m.gradSteps, 0);
    const adapter = await (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu.requestAdapter();
    return {
      paths: [cpu.path, gpu.path],
      deviation,
      worst,
      syncMismatches: gpu.syncMismatches,
      cpu: cpu.metrics.map((m) => ({ skipped: m.skipped, reason: m.skipReason ?? null, steps: m.gradSteps, valueLoss: m.valueLoss, gradNorm: m.gradNorm })),
      gpu: gpu.metrics.map((m) => ({ skipped: m.skipped, reason: m.skipReason ?? null, steps: m.gradSteps, valueLoss: m.valueLoss, gradNorm: m.gradNorm })),
      perStep: { dispatches: gpu.during!.dispatches / steps, submits: gpu.during!.submits / steps, reads: gpu.during!.reads / steps, steps },
      readsInUpdates: gpu.during!.reads,
      tapePerStep: { dispatches: tape.during!.dispatches / steps, submits: tape.during!.submits / steps, reads: tape.during!.reads / steps },
      adapter: Object.values(adapter?.info ?? {})
        .filter((v) => typeof v === 'string' && v)
        .join(' / '),
    };
  },
};

/**
 * Resume on the device path: an agent trained one update, copied into a fresh agent with
 * setWeights + setTrainingState (Adam moments and steps restored into the flat state), and both
 * trained one more update, must end with the same weights bit for bit. A control agent that gets
 * the weights but not the training state (fresh moments) must differ: the check can fail.
 */
async function resume() {
  const ppo: PpoConfig = { ...TUNED_PPO, hiddenSizes: [24, 16] };
  const [first, second] = [episodes(12, 200), episodes(12, 201)];
  if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend in this browser');
  const original = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 9 });
  await original.update(first);
  const weights = original.getWeights();
  const training = JSON.parse(JSON.stringify(original.getTrainingState())) as unknown;
  const restored = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 5 });
  restored.setWeights(weights);
  restored.setTrainingState(training);
  const control = new PpoAgent({ stateDim: D, numActions: A, ppo, seed: 5 });
  control.setWeights(weights);
  const read = async (agent: PpoAgent) =>
    (await Promise.all([...agent.actor.variables, ...agent.critic.variables].map((v) => v.data()))).map((d) => Array.from(d));
  const diff = (a: number[][], b: number[][]) => a.reduce((m, row, k) => row.reduce((mm, x, i) => Math.max(mm, Math.abs(x - b[k][i])), m), 0);
  for (const agent of [original, restored, control]) await agent.update(second);
  const [o, r, c] = await Promise.all([original, restored, control].map(read));
  [original, restored, control].forEach((a) => a.dispose());
  return { path: restored.gradientPath, restoredDiff: diff(o, r), controlDiff: diff(o, c) };
}

(window as unknown as { ppoDevice: typeof api & { resume: typeof resume } }).ppoDevice = { ...api, resume };
document.title = 'ppo device ready';
