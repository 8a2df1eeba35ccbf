// The PPO step on a GPU server, in Node: the project's own PpoAgent (whatever src/agent holds when
// this is bundled) on tfjs webgpu (Dawn, through DAWN_NODE_PATH or the `webgpu` package) and wasm,
// at several batch sizes; plus the tfjs kernels and, on webgpu, the GPU dispatches, queue submits,
// buffer writes and readbacks of one step; plus agreement of both backends with cpu.
// Bundled into .gpu-carry/bench.mjs by scripts/gpu/build-carry.sh; run by run-on-device.sh.
// Usage: node bench.mjs --out DIR [--backends webgpu,wasm] [--batches 256,1024,4096,16384]
//        [--steps 7] [--allow-fallback] [--budget-s 300]
//        node bench.mjs --report DIR     (merge DIR/node-bench.json and DIR/torch-bench.json into DIR/results.md)
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PpoAgent } from '../../src/agent/ppo';
import { DEFAULT_PROBE_SHAPE, probeActiveBackend, probeEpisodes, type ProbeOutput } from '../../src/agent/backendProbe';
import { compareToReference } from '../../src/agent/backendTiming';
import { prepareNodeWebgpu, type NodeWebgpuInfo } from '../../src/agent/webgpuNode';
import { TUNED_PPO } from '../../src/der/presets';
import type { PpoConfig } from '../../src/der/config';
import { writeReport } from './report';
import { errorMessage } from '../../src/der/errorMessage';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    report: { type: 'string' },
    backends: { type: 'string', default: 'webgpu,wasm' },
    batches: { type: 'string', default: '256,1024,4096,16384' },
    steps: { type: 'string', default: '7' },
    'allow-fallback': { type: 'boolean', default: false },
    'budget-s': { type: 'string', default: '300' },
  },
});

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STATE_DIM = 384;
const ACTIONS = 11;
const ONE_STEP: PpoConfig = { ...TUNED_PPO, hiddenSizes: [256, 256], batching: 'minibatch-epochs', updateEpochs: 1, minibatches: 1 };

interface StepRow {
  backend: string;
  batch: number;
  steps: number;
  medianMs: number;
  minMs: number;
  meanMs: number;
  sdMs: number;
  firstMs: number;
}

interface CountRow {
  backend: string;
  batch: number;
  /** tfjs engine kernels in one gradient step (tf.profile). */
  kernels: number;
  /** WebGPU only: compute dispatches, queue submits, queue.writeBuffer calls, buffers created, mapAsync readbacks. */
  dispatches?: number;
  submits?: number;
  writes?: number;
  buffersCreated?: number;
  readbacks?: number;
}

/** Counters on Dawn's prototypes (WebGPU only): what one step asks of the GPU. */
const gpuCounts = { dispatches: 0, submits: 0, writes: 0, buffersCreated: 0, readbacks: 0 };
function instrumentWebgpu(): void {
  const g = globalThis as unknown as Record<string, { prototype: Record<string, (...a: unknown[]) => unknown> } | undefined>;
  const wrap = (cls: string, method: string, key: keyof typeof gpuCounts) => {
    const proto = g[cls]?.prototype;
    const original = proto?.[method];
    if (!proto || typeof original !== 'function') return;
    proto[method] = function (this: unknown, ...a: unknown[]) {
      gpuCounts[key] += 1;
      return original.apply(this, a);
    };
  };
  wrap('GPUComputePassEncoder', 'dispatchWorkgroups', 'dispatches');
  wrap('GPUQueue', 'submit', 'submits');
  wrap('GPUQueue', 'writeBuffer', 'writes');
  wrap('GPUDevice', 'createBuffer', 'buffersCreated');
  wrap('GPUBuffer', 'mapAsync', 'readbacks');
}

async function useBackend(name: string, allowFallback: boolean): Promise<NodeWebgpuInfo | null> {
  if (name === 'wasm') {
    // Beside the bundle on the GPU machine; from node_modules when run with tsx (npm run gpu:bench).
    const dir = existsSync(path.join(HERE, 'tfjs-backend-wasm.wasm'))
      ? HERE
      : path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(dir + path.sep);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  let info: NodeWebgpuInfo | null = null;
  if (name === 'webgpu') {
    info = await prepareNodeWebgpu();
    console.log(`webgpu adapter: ${info.summary}`);
    if (info.isFallbackAdapter && !allowFallback)
      throw new Error(`refusing the fallback adapter (${info.summary}): no real GPU reached through Vulkan; pass --allow-fallback to measure it anyway`);
    instrumentWebgpu();
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  return info;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { median: s[Math.floor(s.length / 2)], min: s[0], mean, sd };
}

async function timeBatch(backend: string, batch: number, steps: number): Promise<{ row: StepRow; counts: CountRow }> {
  const agent = new PpoAgent({ stateDim: STATE_DIM, numActions: ACTIONS, ppo: { ...ONE_STEP, episodesPerIteration: batch }, seed: 1 });
  const episodes = probeEpisodes({ ...DEFAULT_PROBE_SHAPE, stateDim: STATE_DIM, numActions: ACTIONS, batch });
  const t0 = performance.now();
  await agent.update(episodes);
  const firstMs = performance.now() - t0;
  await agent.update(episodes);
  const profile = await tf.profile(async () => {
    await agent.update(episodes);
  });
  // GPU work counted on a step without the profiler (its per-kernel timers add submits and reads).
  Object.keys(gpuCounts).forEach((k) => (gpuCounts[k as keyof typeof gpuCounts] = 0));
  await agent.update(episodes);
  const counts: CountRow = { backend, batch, kernels: profile.kernels.length, ...(backend === 'webgpu' ? { ...gpuCounts } : {}) };
  const times: number[] = [];
  for (let k = 0; k < steps; k++) times.push((await agent.update(episodes)).ms);
  agent.dispose();
  const s = stats(times);
  return { row: { backend, batch, steps, medianMs: s.median, minMs: s.min, meanMs: s.mean, sdMs: s.sd, firstMs }, counts };
}

async function bench(out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const budgetMs = Number(args['budget-s']) * 1000;
  const batches = args.batches!.split(',').map(Number);
  const steps = Number(args.steps);
  const result = {
    machine: { host: os.hostname(), cpus: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, tfjs: tf.version.tfjs },
    adapter: null as NodeWebgpuInfo | null,
    network: `actor ${STATE_DIM}→256→256→${ACTIONS}, critic ${STATE_DIM}→256→256→1, tanh, Adam, tuned losses (value clip, entropy, per-network grad clip); one gradient step = PpoAgent.update with 1 epoch × 1 minibatch`,
    steps: [] as StepRow[],
    counts: [] as CountRow[],
    agreement: [] as { backend: string; deviation: number; reason?: string }[],
    errors: [] as string[],
    skipped: [] as string[],
  };
  const save = () => writeFileSync(path.join(out, 'node-bench.json'), JSON.stringify(result, null, 2));
  // The cpu reference for the agreement check (one step at the probe's odd batch).
  await useBackend('cpu', true);
  const ref: ProbeOutput = await probeActiveBackend(DEFAULT_PROBE_SHAPE, { timedSteps: 1 });
  for (const backend of args.backends!.split(',')) {
    try {
      const info = await useBackend(backend, args['allow-fallback']!);
      if (info) result.adapter = info;
      const probe = await probeActiveBackend(DEFAULT_PROBE_SHAPE, { timedSteps: 1 });
      result.agreement.push({ backend, ...compareToReference(probe, ref) });
      for (const batch of batches) {
        if (Date.now() - started > budgetMs) {
          result.skipped.push(`${backend} batch ${batch}: over the ${budgetMs / 1000} s budget`);
          continue;
        }
        const { row, counts } = await timeBatch(backend, batch, steps);
        result.steps.push(row);
        result.counts.push(counts);
        console.log(
          `${backend} batch ${batch}: median ${row.medianMs.toFixed(1)} ms (min ${row.minMs.toFixed(1)}, mean ${row.meanMs.toFixed(1)} ± ${row.sdMs.toFixed(1)}, N=${steps}); kernels ${counts.kernels}${counts.dispatches !== undefined ? `, dispatches ${counts.dispatches}, submits ${counts.submits}, writes ${counts.writes}, buffers ${counts.buffersCreated}, readbacks ${counts.readbacks}` : ''}`,
        );
        save();
      }
    } catch (err) {
      const message = `${backend}: ${errorMessage(err).split('\n')[0]}`;
      console.error(message);
      result.errors.push(message);
    }
    save();
  }
  save();
}

async function main() {
  if (args.report) return writeReport(args.report);
  if (!args.out) throw new Error('--out DIR is required (or --report DIR)');
  await bench(args.out);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
