// Case 6: memory over 100 PPO updates (the tuned preset, 512-d states, an iteration of 32
// episodes): the TF.js tensor count and bytes, and the JS heap, sampled after every update. Flat =
// no leak: the tensor count must not grow at all; the heap slope (least squares over the second
// half, after warm-up and GC) is reported per update.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { atMost, exposeGc, log, result, round, type BenchResult } from './harness';
import { NUM_ACTIONS, ppoWorkloads } from './ppoWorkloads';

const UPDATES = 100;
const GOAL = atMost(0, 'flat: tensor growth 0 per update (no leak)');

/** Least-squares slope of ys against 0..n-1. */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

export async function runMemory(): Promise<BenchResult[]> {
  await initBackend('wasm');
  const gc = exposeGc();
  const w = ppoWorkloads()[1];
  const agent = new PpoAgent({ stateDim: w.stateDim, numActions: NUM_ACTIONS, ppo: w.ppo, seed: 1 });
  const tensors: number[] = [];
  const bytes: number[] = [];
  const heap: number[] = [];
  log(`memory: ${UPDATES} updates (${w.name})${gc ? '' : ' (no GC could be forced: the heap slope is noisy)'}`);
  const t0 = performance.now();
  for (let u = 0; u < UPDATES; u++) {
    await agent.update(w.trajectories);
    gc?.();
    const m = tf.memory();
    tensors.push(m.numTensors);
    bytes.push(m.numBytes);
    heap.push(process.memoryUsage().heapUsed);
  }
  const ms = performance.now() - t0;
  agent.dispose();
  const half = Math.floor(UPDATES / 2);
  const tensorGrowth = tensors[UPDATES - 1] - tensors[1];
  const heapSlopeKb = slope(heap.slice(half)) / 1024;
  const bytesSlope = slope(bytes.slice(half));
  log(`  tensors ${tensors[0]} → ${tensors[UPDATES - 1]}, heap slope ${heapSlopeKb.toFixed(1)} KB/update`);
  return [
    result({
      name: 'Memory: 100 PPO updates (tuned, 512-d)',
      peer: 'none',
      goal: GOAL,
      measured:
        `tensors ${tensors[0]} → ${tensors[UPDATES - 1]} (${(tensorGrowth / (UPDATES - 2)).toFixed(2)}/update), tensor bytes slope ${bytesSlope.toFixed(0)} B/update, ` +
        `JS heap slope ${heapSlopeKb.toFixed(1)} KB/update over the last ${UPDATES - half} (${(heap[UPDATES - 1] / 2 ** 20).toFixed(0)} MB)${gc ? ', GC before each sample' : ', no forced GC'}`,
      value: tensorGrowth / (UPDATES - 2),
      details: {
        tensorsFirst: tensors[0],
        tensorsLast: tensors[UPDATES - 1],
        tensorBytesSlopePerUpdate: round(bytesSlope, 1),
        heapSlopeKbPerUpdate: round(heapSlopeKb, 2),
        heapMbFirst: round(heap[0] / 2 ** 20, 1),
        heapMbLast: round(heap[UPDATES - 1] / 2 ** 20, 1),
        forcedGc: Boolean(gc),
        totalSeconds: round(ms / 1000, 1),
        tensorsEvery10: tensors.filter((_, i) => i % 10 === 0),
      },
    }),
  ];
}
