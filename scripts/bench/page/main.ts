// The Chromium side of the PPO-update case: the same agent and workloads as in Node, on a tfjs
// backend chosen by the benchmark (wasm, or webgpu on SwiftShader). Not part of the product build.
import * as tf from '@tensorflow/tfjs';
import { selectBrowserBackend } from '../../../src/agent/backendBrowser';
import type { BackendName } from '../../../src/agent/backend';
import { PpoAgent } from '../../../src/agent/ppo';
import { NUM_ACTIONS, ppoWorkloads } from '../ppoWorkloads';

export interface PageRun {
  backend: string;
  adapter: string | null;
  results: { name: string; timesMs: number[]; steps: number }[];
}

async function adapterInfo(): Promise<string | null> {
  const gpu = (
    navigator as unknown as {
      gpu?: { requestAdapter(): Promise<{ info?: Record<string, string>; requestAdapterInfo?: () => Promise<Record<string, string>> } | null> };
    }
  ).gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return 'no adapter';
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
}

async function runPpoBench(backend: BackendName, repeats: number, only?: string[]): Promise<PageRun> {
  const selection = await selectBrowserBackend(backend);
  if (selection.active !== backend)
    throw new Error(`backend ${backend} unavailable: ${selection.attempts.map((a) => `${a.name}: ${a.error ?? 'ok'}`).join('; ')}`);
  const results: PageRun['results'] = [];
  for (const w of ppoWorkloads()) {
    if (only && !only.includes(w.name)) continue;
    const agent = new PpoAgent({ stateDim: w.stateDim, numActions: NUM_ACTIONS, ppo: w.ppo, seed: 1 });
    await agent.update(w.trajectories); // warm-up: kernel compilation, Adam slots
    const timesMs: number[] = [];
    let steps = 0;
    for (let r = 0; r < repeats; r++) {
      const m = await agent.update(w.trajectories);
      timesMs.push(m.ms);
      steps = m.gradSteps;
    }
    agent.dispose();
    results.push({ name: w.name, timesMs, steps });
  }
  return { backend: tf.getBackend(), adapter: backend === 'webgpu' ? await adapterInfo() : null, results };
}

(window as unknown as { __ppoBench: typeof runPpoBench }).__ppoBench = runPpoBench;
document.getElementById('status')!.textContent = 'ready';
