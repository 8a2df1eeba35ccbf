// Case 1: one PPO update (actor + critic, Adam) on TF.js wasm in Node and in Chromium, against the
// same update in PyTorch on one CPU thread (OpenBLAS, and the reference BLAS when it can be loaded).
// Also: an op-level profile of one gradient step, achieved GFLOP/s against single-core sgemm peak,
// and one run on WebGPU in Chromium (SwiftShader, a software adapter, on machines without a GPU).
// A row is judged only when the peer really called an optimised BLAS (blas.ts); the GEMM-ceiling
// row (ppoGemm.ts) times the step's matrix products alone on both sides.
import { simdGemm } from '../../src/agent/gemmSimd';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { atMost, log, median, ratio, result, round, unavailable, type BenchResult } from './harness';
import { NUM_ACTIONS, ppoWorkloads, updateFlops, type PpoWorkload } from './ppoWorkloads';
import { referenceBlasDir, startLinePeer, torchAvailable, type LinePeer } from './python';
import { chromiumRuns } from './ppoChromium';
import { profileKernels } from './ppoKernels';
import { classifyPeerBlas, judgedAgainstPeer, mappedLibraries, type BlasProbe, type PeerBlas } from './blas';
import { runGemmCeiling } from './ppoGemm';
import type { PageRun } from './page/main';

const TORCH_SCRIPT = fileURLToPath(new URL('./ppo_update_torch.py', import.meta.url));
const GOAL = atMost(2, 'CPU-time ratio ≤ 2 (TF.js wasm in Node / PyTorch CPU 1 thread, OpenBLAS)');
/** Updates run before timing each agent (JIT warm-up). */
const WARM_UP_UPDATES = 5;
const KERNEL_GOAL = atMost(40, '≤ 40 kernels per gradient step (issue: dispatches per step)');

export interface PpoOptions {
  repeats: number;
  /** Skip Chromium (wasm and webgpu) runs. */
  noBrowser?: boolean;
}

/** Medians per workload name: wall-clock ms and CPU ms (both sides run on one thread). */
interface Timings {
  wall: Map<string, number>;
  cpu: Map<string, number>;
}

interface SideBySide {
  node: Timings;
  /** Per workload, node CPU ms / torch CPU ms of each repetition's two adjacent turns. */
  pairedCpuRatios: Map<string, number[]>;
  /** The headline workload on the tape path (tfjs autodiff + tfjs Adam): the step before the lean one. */
  nodeTape: Timings;
  torch: Timings | string;
  torchRef: Timings | string;
  peak: number | null;
  refPeak: number | null;
  torchInfo: unknown;
  /** Which BLAS each peer really called (blas.ts); null when the peer did not run. */
  blas: PeerBlas | null;
  refBlas: PeerBlas | null;
}

/** CPU milliseconds of this process (user + system) since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Opens a PyTorch peer process, or says why there is none. */
async function openPeer(workloads: PpoWorkload[], env: Record<string, string> = {}): Promise<LinePeer | string> {
  const config = {
    numActions: NUM_ACTIONS,
    hidden: [256, 256],
    workloads: workloads.map((w) => ({ name: w.name, stateDim: w.stateDim, loss: w.loss, batches: w.batches })),
  };
  const peer = startLinePeer(TORCH_SCRIPT, JSON.stringify(config), env);
  try {
    await peer.request('info');
    return peer;
  } catch (err) {
    await peer.close();
    return (err as Error).message;
  }
}

/**
 * Node and the peers take turns, update by update (the machine is shared and noisy: interleaving
 * exposes all sides to the same load); each side's median over the repetitions.
 */
async function sideBySide(workloads: PpoWorkload[], repeats: number): Promise<SideBySide> {
  const torchCheck = await torchAvailable();
  const torch = torchCheck.ok ? await openPeer(workloads) : `peer unavailable: ${torchCheck.why}`;
  const refDir = referenceBlasDir();
  const torchRef = !torchCheck.ok
    ? 'no torch'
    : refDir
      ? await openPeer(workloads, { LD_LIBRARY_PATH: refDir })
      : 'reference BLAS not installed (apt-get install libblas3, or BENCH_REFERENCE_BLAS_DIR=<dir with libblas.so.3>)';
  // No forced GC between turns: tried, a full GC before each timed turn made the lean step 2×
  // slower (81 vs 44 ms wall, 147 vs 71 ms CPU, one run each): V8 then pays for growing its heap
  // again inside the timed update. Node's CPU time also counts V8's helper threads (GC), so CPU can
  // exceed wall here; wall times are kept beside it.
  type Samples = { wall: Map<string, number[]>; cpu: Map<string, number[]> };
  const samples = (): Samples => ({ wall: new Map(), cpu: new Map() });
  const times = { node: samples(), tape: samples(), torch: samples(), ref: samples() };
  const push = (side: Samples, name: string, wall: number, cpu: number) => {
    side.wall.set(name, [...(side.wall.get(name) ?? []), wall]);
    side.cpu.set(name, [...(side.cpu.get(name) ?? []), cpu]);
  };
  const medians = (side: Samples): Timings => ({
    wall: new Map([...side.wall].map(([k, v]) => [k, median(v)])),
    cpu: new Map([...side.cpu].map(([k, v]) => [k, median(v)])),
  });
  try {
    for (const w of workloads) {
      const agent = new PpoAgent({ stateDim: w.stateDim, numActions: NUM_ACTIONS, ppo: w.ppo, seed: 1 });
      // Warm-up: V8 needs ~3 updates to optimise the step's JS loops (the first three take 70-125 ms,
      // then ~25 ms, measured update by update in Node).
      for (let k = 0; k < WARM_UP_UPDATES; k++) await agent.update(w.trajectories);
      // The reference BLAS is ~10-20× slower: fewer of its repetitions keep the run short.
      const refRepeats = Math.min(repeats, 3);
      for (let r = 0; r < repeats; r++) {
        const c0 = process.cpuUsage();
        const wall = (await agent.update(w.trajectories)).ms;
        push(times.node, w.name, wall, cpuMs(c0));
        if (typeof torch !== 'string') {
          const t = await torch.request<{ ms: number; cpuMs: number }>(`run ${w.name}`);
          push(times.torch, w.name, t.ms, t.cpuMs);
        }
        if (typeof torchRef !== 'string' && r < refRepeats) {
          const t = await torchRef.request<{ ms: number; cpuMs: number }>(`run ${w.name}`);
          push(times.ref, w.name, t.ms, t.cpuMs);
        }
      }
      agent.dispose();
      // The tape path (the step before the lean one) in its own block afterwards: interleaved, its
      // garbage was collected inside the lean turns and counted there.
      if (w === workloads[0]) {
        const tapeAgent = new PpoAgent({ stateDim: w.stateDim, numActions: NUM_ACTIONS, ppo: w.ppo, seed: 1, gradientPath: 'tape' });
        for (let k = 0; k < WARM_UP_UPDATES; k++) await tapeAgent.update(w.trajectories);
        for (let r = 0; r < repeats; r++) {
          const c1 = process.cpuUsage();
          const tapeWall = (await tapeAgent.update(w.trajectories)).ms;
          push(times.tape, w.name, tapeWall, cpuMs(c1));
        }
        tapeAgent.dispose();
      }
      const m = (side: Samples, kind: 'wall' | 'cpu') => median(side[kind].get(w.name) ?? []).toFixed(1);
      log(
        `  ${w.name}: node wasm ${m(times.node, 'wall')} ms (cpu ${m(times.node, 'cpu')}), torch ${m(times.torch, 'wall')} ms (cpu ${m(times.torch, 'cpu')}), torch ref-BLAS ${m(times.ref, 'wall')} ms`,
      );
    }
    const peak = typeof torch === 'string' ? null : round((await torch.request<{ gflops: number }>('peak')).gflops, 1);
    const refPeak = typeof torchRef === 'string' ? null : round((await torchRef.request<{ gflops: number }>('peak')).gflops, 1);
    const torchInfo = typeof torch === 'string' ? null : await torch.request<{ blas: BlasProbe }>('info');
    const refInfo = typeof torchRef === 'string' ? null : await torchRef.request<{ blas: BlasProbe }>('info');
    const blas = torchInfo ? classifyPeerBlas(torchInfo.blas) : null;
    const refBlas = refInfo ? classifyPeerBlas(refInfo.blas) : null;
    if (blas) log(`ppo: the PyTorch peer calls ${blas.label} (${blas.evidence})`);
    if (refBlas) log(`ppo: the reference-BLAS peer calls ${refBlas.label} (${refBlas.evidence})`);
    const pairedCpuRatios = new Map(
      [...times.node.cpu].map(([name, nodeCpu]) => {
        const torchCpu = times.torch.cpu.get(name) ?? [];
        return [name, nodeCpu.slice(0, torchCpu.length).map((c, r) => c / torchCpu[r])];
      }),
    );
    return {
      node: medians(times.node),
      pairedCpuRatios,
      nodeTape: medians(times.tape),
      torch: typeof torch === 'string' ? torch : medians(times.torch),
      torchRef: typeof torchRef === 'string' ? torchRef : medians(times.ref),
      peak,
      refPeak,
      torchInfo: torchInfo && blas ? { ...torchInfo, blas: { ...blas, blasInfo: torchInfo.blas.blasInfo, mapped: mappedLibraries(torchInfo.blas) } } : null,
      blas,
      refBlas,
    };
  } finally {
    if (typeof torch !== 'string') await torch.close();
    if (typeof torchRef !== 'string') await torchRef.close();
  }
}

const gflops = (flops: number, ms: number) => (Number.isFinite(ms) && ms > 0 ? round(flops / ms / 1e6, 1) : null);

export async function runPpoUpdate(options: PpoOptions): Promise<BenchResult[]> {
  await initBackend('wasm');
  const workloads = ppoWorkloads();
  const headline = workloads[0];
  log('ppo: TF.js wasm in Node and PyTorch (one thread), update by update');
  const sbs = await sideBySide(workloads, options.repeats);
  const profile = await profileKernels(headline);
  const tapeProfile = await profileKernels(headline, 'tape');
  const tunedProfile = await profileKernels(workloads[1]);

  let browser = new Map<string, PageRun | string>();
  if (!options.noBrowser) {
    log('ppo: Chromium (wasm, then webgpu once)');
    browser = await chromiumRuns(['wasm', 'webgpu'], options.repeats, [headline.name]);
  }

  const results: BenchResult[] = [];
  const { torch, torchRef, peak } = sbs;
  // One gradient step (the headline workload is one step): kernels of the lean path against the tape path.
  const tapeCpu = sbs.nodeTape.cpu.get(headline.name) ?? Number.NaN;
  const leanCpu = sbs.node.cpu.get(headline.name) ?? Number.NaN;
  results.push(
    result({
      name: 'PPO update: kernels per gradient step (wasm)',
      peer: 'the tape path (tfjs autodiff + tfjs Adam) of the same build',
      goal: KERNEL_GOAL,
      measured:
        `${profile.computeKernels} kernels (+${profile.kernels - profile.computeKernels} shape-only) on the ${profile.gradientPath} path vs ${tapeProfile.computeKernels} (+${tapeProfile.kernels - tapeProfile.computeKernels}) on the tape path; ` +
        (profile.gradientPath === 'lean' && simdGemm()
          ? `the lean step's products run on the WebAssembly SIMD kernel, outside tfjs (left: ${profile.top.map((t) => `${t.op} ×${t.count}`).join(', ')}); `
          : '') +
        `CPU ms per step ${leanCpu.toFixed(1)} vs ${tapeCpu.toFixed(1)}`,
      value: profile.computeKernels,
      details: {
        batch: headline.batches[0],
        lean: profile,
        tape: tapeProfile,
        cpuMsPerStep: { lean: round(leanCpu, 1), tape: round(tapeCpu, 1) },
        wallMsPerStep: { lean: round(sbs.node.wall.get(headline.name) ?? NaN, 1), tape: round(sbs.nodeTape.wall.get(headline.name) ?? NaN, 1) },
      },
    }),
  );
  const get = (run: Timings | string, kind: 'wall' | 'cpu', name: string) => (typeof run === 'string' ? Number.NaN : (run[kind].get(name) ?? Number.NaN));
  const wasmPage = browser.get('wasm');
  const webgpuPage = browser.get('webgpu');
  const pageMs = (run: PageRun | string | undefined, name: string) =>
    run && typeof run !== 'string' ? median(run.results.find((r) => r.name === name)?.timesMs ?? []) : Number.NaN;
  const ms1 = (x: number) => (Number.isFinite(x) ? round(x, 1) : null);

  for (const w of workloads) {
    const flops = updateFlops(w);
    // The goal's ratio uses CPU time: both sides are single-threaded, and on a shared machine CPU
    // time moves far less with the load than wall time (both are kept).
    const nodeCpu = get(sbs.node, 'cpu', w.name);
    const peerCpu = get(torch, 'cpu', w.name);
    const refCpu = get(torchRef, 'cpu', w.name);
    const nodeWall = get(sbs.node, 'wall', w.name);
    const peerWall = get(torch, 'wall', w.name);
    const chromeMs = pageMs(wasmPage, w.name);
    const details: Record<string, unknown> = {
      gradSteps: w.batches.length,
      batches: w.batches,
      flopsPerUpdate: flops,
      cpuMs: { nodeWasm: ms1(nodeCpu), torch: ms1(peerCpu), torchReferenceBlas: ms1(refCpu) },
      wallMs: {
        nodeWasm: ms1(nodeWall),
        torch: ms1(peerWall),
        torchReferenceBlas: ms1(get(torchRef, 'wall', w.name)),
        chromiumWasm: Number.isFinite(chromeMs) ? round(chromeMs, 1) : wasmPage === undefined ? 'skipped' : typeof wasmPage === 'string' ? wasmPage : null,
      },
      wallRatioNodeVsTorch: ms1(ratio(nodeWall, peerWall)),
      wallRatioChromiumVsTorch: ms1(ratio(chromeMs, peerWall)),
      cpuRatioNodeVsTorchReferenceBlas: ms1(ratio(nodeCpu, refCpu)),
      gflopsByCpuTime: {
        nodeWasm: gflops(flops, nodeCpu),
        torch: gflops(flops, peerCpu),
        torchReferenceBlas: gflops(flops, refCpu),
        sgemmPeakOneCore: peak,
      },
      peerBlas: sbs.blas?.label ?? null,
      torchReferenceBlasNote:
        typeof torchRef === 'string'
          ? torchRef
          : sbs.refBlas?.kind !== 'reference'
            ? `the reference-BLAS peer called ${sbs.refBlas?.label} (${sbs.refBlas?.evidence})`
            : undefined,
    };
    if (w === headline) {
      details.kernelProfile = profile;
      details.referenceBlasSgemmPeak = sbs.refPeak;
      details.torch = sbs.torchInfo;
      if (webgpuPage) {
        details.webgpu =
          typeof webgpuPage === 'string'
            ? webgpuPage
            : {
                ms: round(pageMs(webgpuPage, w.name), 1),
                adapter: webgpuPage.adapter,
                note: 'headless Chromium without a GPU: WebGPU runs on SwiftShader, a software adapter',
              };
      }
    }
    if (w === workloads[1]) details.kernelProfile = tunedProfile;
    const name = `PPO update: ${w.name}`;
    if (typeof torch === 'string') {
      results.push({ ...unavailable(name, 'PyTorch CPU 1 thread', GOAL, torch), measured: `node wasm ${nodeCpu.toFixed(1)} ms CPU`, details });
      continue;
    }
    // The judged ratio pairs each repetition's node turn with the torch turn right after it (the
    // machine's speed drifts between runs: a ratio of turns taken together moves less than one
    // of medians) and takes their median; the range shows the spread.
    const paired = sbs.pairedCpuRatios.get(w.name) ?? [];
    const pairedMedian = paired.length > 0 ? median(paired) : ratio(nodeCpu, peerCpu);
    details.pairedCpuRatios = paired.map((x) => round(x, 2));
    const measured =
      `CPU ratio per paired turn: median ${pairedMedian.toFixed(2)} (${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}, N = ${paired.length}); ` +
      `CPU ms: node wasm ${nodeCpu.toFixed(1)} vs torch ${peerCpu.toFixed(1)} (ref BLAS ${Number.isFinite(refCpu) ? refCpu.toFixed(1) : 'n/a'}); ` +
      `wall ms: node ${nodeWall.toFixed(1)}, chromium wasm ${Number.isFinite(chromeMs) ? chromeMs.toFixed(1) : 'n/a'}, torch ${peerWall.toFixed(1)}; ` +
      `${gflops(flops, nodeCpu)} vs ${gflops(flops, peerCpu)} GFLOP/s, 1-core sgemm peak ${peak}`;
    results.push(judgedAgainstPeer(result({ name, peer: '', goal: GOAL, measured, value: pairedMedian, details }), sbs.blas));
  }
  results.push(
    await runGemmCeiling({
      repeats: options.repeats,
      stateDim: headline.stateDim,
      hidden: headline.ppo.hiddenSizes,
      numActions: NUM_ACTIONS,
      batch: headline.batches[0],
      stepCpuMs: { wasm: leanCpu, torch: get(torch, 'cpu', headline.name) },
    }),
  );
  return results;
}
