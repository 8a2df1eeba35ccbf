// The GEMM ceiling of the PPO step (issue 10's ≤ 2× goal): the matrix products of one lean
// gradient step (src/agent/leanStep.ts) timed alone, as the step runs them (the WebAssembly SIMD
// kernel of gemmSimd.ts since 2026-12-05, copies in and out included), as tfjs wasm matMuls
// (XNNPACK, what the step used before) and as torch matmuls in the Python peer, turn by turn. The
// step cannot run faster than its products, so this ratio is a floor for the whole step's
// wasm/torch ratio; the lean step's CPU time beside the products' shows the non-GEMM overhead left.
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { simdGemm } from '../../src/agent/gemmSimd';
import { informational, log, median, ratio, result, round, unavailable, type BenchResult } from './harness';
import { classifyPeerBlas, judgedAgainstPeer, peerText, type BlasProbe } from './blas';
import { startLinePeer, torchAvailable } from './python';

const TORCH_SCRIPT = fileURLToPath(new URL('./ppo_update_torch.py', import.meta.url));
export const GEMM_ROW = 'PPO update: GEMM ceiling (wasm sgemm vs OpenBLAS sgemm)';
const GOAL = informational('information: floor for the ≤ 2× step goal (wasm GEMM CPU time / torch GEMM CPU time)');
/** Calls of each product per turn and side (the small products take ~0.1 ms: a few calls steady them). */
const INNER = 3;
/** Side of the square matMul that gives wasm's single-core sgemm peak (a cached b operand). */
const WASM_PEAK_N = 1024;

export interface Product {
  name: string;
  group: 'forward' | 'weightGrad' | 'inputGrad';
  /** [m, k] · [k, n]. */
  m: number;
  k: number;
  n: number;
}

/**
 * The matrix products of one lean gradient step on `batch` rows, actor then critic: per layer the
 * forward product x·W, the weight gradient hᵀ·d with a pre-transposed left operand (no transposeA,
 * as leanStep.ts builds it), and, for every layer but the first, the input gradient d·Wᵀ.
 */
export function stepProducts(stateDim: number, hidden: readonly number[], numActions: number, batch: number): Product[] {
  const out: Product[] = [];
  for (const [net, outDim] of [
    ['actor', numActions],
    ['critic', 1],
  ] as const) {
    const sizes = [stateDim, ...hidden, outDim];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [i, o] = [sizes[l], sizes[l + 1]];
      out.push({ name: `${net} L${l} forward`, group: 'forward', m: batch, k: i, n: o });
      out.push({ name: `${net} L${l} weight grad`, group: 'weightGrad', m: i, k: batch, n: o });
      if (l > 0) out.push({ name: `${net} L${l} input grad`, group: 'inputGrad', m: batch, k: o, n: i });
    }
  }
  return out;
}

export const productFlops = (p: Product) => 2 * p.m * p.k * p.n;

function randomArray(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/**
 * CPU ms per call of each product on the active tfjs backend: every call gets new operand tensors
 * (made before the clock starts: XNNPACK packs b again for each new tensor, as in the lean step,
 * where the weights are uploaded again after every Adam step) and reads its result (dataSync).
 */
function wasmTurn(products: readonly Product[], data: readonly { a: Float32Array; b: Float32Array }[]): number[] {
  return products.map((p, j) => {
    const pairs = Array.from({ length: INNER }, () => [tf.tensor2d(data[j].a, [p.m, p.k]), tf.tensor2d(data[j].b, [p.k, p.n])] as const);
    const c0 = process.cpuUsage();
    for (const [a, b] of pairs) {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }
    const ms = cpuMsSince(c0) / INNER;
    pairs.forEach(([a, b]) => (a.dispose(), b.dispose()));
    return ms;
  });
}

/** CPU ms per call of each product on the SIMD kernel the lean step uses (null where the engine lacks SIMD). */
function simdTurn(products: readonly Product[], data: readonly { a: Float32Array; b: Float32Array }[]): number[] | null {
  const gemm = simdGemm();
  if (!gemm) return null;
  return products.map((p, j) => {
    const out = new Float32Array(p.m * p.n);
    const c0 = process.cpuUsage();
    for (let i = 0; i < INNER; i++) gemm.multiply(data[j].a, p.m, p.k, data[j].b, p.n, out);
    return cpuMsSince(c0) / INNER;
  });
}

/** GFLOP/s of tf.matMul on a cached n×n b operand (the best case: packed once), by CPU time. */
function wasmPeak(n = WASM_PEAK_N, calls = 3): number {
  const a = tf.tensor2d(randomArray(n * n, 7), [n, n]);
  const b = tf.tensor2d(randomArray(n * n, 8), [n, n]);
  tf.matMul(a, b).dispose();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const c0 = process.cpuUsage();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(cpuMsSince(c0));
    c.dispose();
  }
  a.dispose();
  b.dispose();
  return (2 * n ** 3) / median(times) / 1e6;
}

export interface GemmOptions {
  repeats: number;
  stateDim: number;
  hidden: readonly number[];
  numActions: number;
  batch: number;
  /** CPU ms of one lean gradient step (wasm) and of the peer's step, measured by the caller in the same run. */
  stepCpuMs: { wasm: number; torch: number };
}

/** The GEMM-ceiling row: wasm products vs torch products, turn by turn, CPU time. */
export async function runGemmCeiling(o: GemmOptions): Promise<BenchResult> {
  const products = stepProducts(o.stateDim, o.hidden, o.numActions, o.batch);
  const flops = products.reduce((s, p) => s + productFlops(p), 0);
  const torchCheck = await torchAvailable();
  if (!torchCheck.ok) return unavailable(GEMM_ROW, peerText(null), GOAL, `peer unavailable: ${torchCheck.why}`);
  const peer = startLinePeer(TORCH_SCRIPT, JSON.stringify({ numActions: o.numActions, hidden: o.hidden, workloads: [] }));
  try {
    const info = await peer.request<{ blas: BlasProbe }>('info');
    const blas = classifyPeerBlas(info.blas);
    const data = products.map((p, j) => ({ a: randomArray(p.m * p.k, 2 * j + 1), b: randomArray(p.k * p.n, 2 * j + 2) }));
    const shapes = JSON.stringify({ shapes: products.map((p) => [p.m, p.k, p.n]), inner: INNER });
    wasmTurn(products, data); // warm-up (kernel set-up, wasm heap growth)
    simdTurn(products, data);
    await peer.request(`gemm ${shapes}`);
    const tfjs: number[][] = [];
    const simd: number[][] = [];
    const torch: number[][] = [];
    const turns = Math.max(5, o.repeats);
    for (let r = 0; r < turns; r++) {
      tfjs.push(wasmTurn(products, data));
      const s = simdTurn(products, data);
      if (s) simd.push(s);
      torch.push((await peer.request<{ cpuMs: number[] }>(`gemm ${shapes}`)).cpuMs);
    }
    const total = (side: number[][]) => median(side.map((t) => t.reduce((s, x) => s + x, 0)));
    // The wasm side is what the lean step runs: the SIMD kernel where there is one, else tfjs.
    const wasm = simd.length > 0 ? simd : tfjs;
    const wasmKernel = simd.length > 0 ? 'wasm SIMD kernel (gemmSimd.ts)' : 'tfjs wasm (XNNPACK)';
    const [wasmMs, tfjsMs, torchMs] = [total(wasm), total(tfjs), total(torch)];
    const wasmPeakGflops = round(wasmPeak(), 1);
    const torchPeakGflops = round((await peer.request<{ gflops: number }>('peak')).gflops, 1);
    const gf = (f: number, ms: number) => (Number.isFinite(ms) && ms > 0 ? round(f / ms / 1e6, 1) : null);
    const perProduct = products.map((p, j) => {
      const w = median(wasm.map((t) => t[j]));
      const tj = median(tfjs.map((t) => t[j]));
      const t = median(torch.map((x) => x[j]));
      return {
        ...p,
        wasmCpuMs: round(w, 3),
        tfjsCpuMs: round(tj, 3),
        torchCpuMs: round(t, 3),
        wasmGflops: gf(productFlops(p), w),
        torchGflops: gf(productFlops(p), t),
      };
    });
    const byGroup = Object.fromEntries(
      (['forward', 'weightGrad', 'inputGrad'] as const).map((g) => {
        const rows = perProduct.filter((p) => p.group === g);
        const f = rows.reduce((s, p) => s + productFlops(p), 0);
        const [w, t] = [rows.reduce((s, p) => s + p.wasmCpuMs, 0), rows.reduce((s, p) => s + p.torchCpuMs, 0)];
        return [g, { products: rows.length, wasmCpuMs: round(w, 2), torchCpuMs: round(t, 2), wasmGflops: gf(f, w), torchGflops: gf(f, t) }];
      }),
    );
    const share = (step: number, gemm: number) => ({
      stepCpuMs: round(step, 2),
      gemmCpuMs: round(gemm, 2),
      gemmShareOfStep: Number.isFinite(step) && step > 0 ? round(gemm / step, 2) : null,
      nonGemmCpuMs: round(step - gemm, 2),
    });
    const ws = share(o.stepCpuMs.wasm, wasmMs);
    const ts = share(o.stepCpuMs.torch, torchMs);
    log(
      `  GEMM ceiling: ${wasmKernel} ${wasmMs.toFixed(2)} ms CPU (tfjs ${tfjsMs.toFixed(2)}) vs torch ${torchMs.toFixed(2)} ms (peaks ${wasmPeakGflops} / ${torchPeakGflops} GFLOP/s)`,
    );
    const row = result({
      name: GEMM_ROW,
      peer: '',
      goal: GOAL,
      measured:
        `GEMM CPU ms per step (${products.length} products, batch ${o.batch}): ${wasmKernel} ${wasmMs.toFixed(2)} vs torch ${torchMs.toFixed(2)} ` +
        `(tfjs wasm matMul ${tfjsMs.toFixed(2)}); ${gf(flops, wasmMs)} vs ${gf(flops, torchMs)} GFLOP/s (tfjs ${gf(flops, tfjsMs)}; 1-core sgemm peaks: tfjs wasm ${wasmPeakGflops}, torch ${torchPeakGflops}); ` +
        `lean step ${o.stepCpuMs.wasm.toFixed(1)} ms CPU, ${ws.gemmShareOfStep === null ? 'n/a' : Math.round(100 * ws.gemmShareOfStep)}% of it in these products`,
      value: ratio(wasmMs, torchMs),
      note: "a floor for the step's wasm/torch CPU ratio: the step cannot be faster than its products",
      details: {
        turns,
        callsPerProductPerTurn: INNER,
        flopsPerStep: flops,
        wasmKernel,
        gemmCpuMs: { wasm: round(wasmMs, 2), tfjsWasm: round(tfjsMs, 2), torch: round(torchMs, 2) },
        gflopsByCpuTime: { wasm: gf(flops, wasmMs), tfjsWasm: gf(flops, tfjsMs), torch: gf(flops, torchMs) },
        sgemmPeakOneCore: { wasm: wasmPeakGflops, wasmPeakShape: `${WASM_PEAK_N}², cached b`, torch: torchPeakGflops, torchPeakShape: '2048²' },
        stepShare: { wasmLeanStep: ws, torch: ts },
        byGroup,
        perProduct,
        peerBlas: { ...blas, blasInfo: info.blas.blasInfo },
        method:
          'SIMD kernel: gemmSimd.ts multiply on JS arrays, copies into and out of its memory included, as in the lean step; tfjs: tf.matMul + dataSync, new operand tensors each call (made before the clock: XNNPACK repacks b per new tensor); torch: a @ b on contiguous operands; CPU time, medians over turns',
      },
    });
    return judgedAgainstPeer(row, blas, ': the same products (torch matmul)');
  } finally {
    await peer.close();
  }
}
