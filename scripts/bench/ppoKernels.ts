// The op-level profile of the PPO-update case (ppoUpdate.ts): tfjs kernels launched per update and
// their kernel time by op name (tf.profile), the evidence behind the "kernels per gradient step" row.
import * as tf from '@tensorflow/tfjs';
import { PpoAgent } from '../../src/agent/ppo';
import { round } from './harness';
import { NUM_ACTIONS, type PpoWorkload } from './ppoWorkloads';

/** Kernels that only relabel a tensor's shape: no data moves on any backend, no GPU dispatch. */
const SHAPE_ONLY_KERNELS = new Set(['Reshape']);

export interface KernelProfile {
  gradientPath: string;
  kernels: number;
  /** Kernels that move data (all but shape-only Reshape): what a GPU backend dispatches. */
  computeKernels: number;
  kernelMs: number;
  wallMs: number;
  top: { op: string; count: number; ms: number }[];
}

/** Kernel time and launch count per op name over one update (tf.profile). */
export async function profileKernels(w: PpoWorkload, gradientPath: 'lean' | 'tape' | 'auto' = 'auto'): Promise<KernelProfile> {
  const agent = new PpoAgent({ stateDim: w.stateDim, numActions: NUM_ACTIONS, ppo: w.ppo, seed: 1, gradientPath });
  await agent.update(w.trajectories);
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await agent.update(w.trajectories);
  });
  const wallMs = performance.now() - t0;
  agent.dispose();
  const byOp = new Map<string, { count: number; ms: number }>();
  // tf.profile also lists wrappers (customGrad "forward", "…__op") around the real kernels: keep only
  // names the active backend implements, so that no time is counted twice.
  const kernels = info.kernels.filter((k) => tf.getKernel(k.name, tf.getBackend()) !== undefined);
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = byOp.get(k.name) ?? { count: 0, ms: 0 };
    e.count += 1;
    e.ms += ms;
    byOp.set(k.name, e);
  }
  const top = [...byOp].map(([op, e]) => ({ op, count: e.count, ms: round(e.ms, 2) })).sort((a, b) => b.ms - a.ms);
  const kernelMs = top.reduce((s, e) => s + e.ms, 0);
  const computeKernels = kernels.filter((k) => !SHAPE_ONLY_KERNELS.has(k.name)).length;
  return {
    gradientPath: agent.gradientPath,
    kernels: kernels.length,
    computeKernels,
    kernelMs: round(kernelMs, 1),
    wallMs: round(wallMs, 1),
    top: top.slice(0, 12),
  };
}
