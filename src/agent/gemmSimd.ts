// Matrix products for the lean step on WebAssembly SIMD (gemmSimd.wat): the operands are copied
// into the module's memory (zero-padded to the kernel's 4 × 8 blocks), multiplied, and the
// product copied out; a bias row and the activation (tanh, relu) can follow in the same call.
// Measured in Node on the step's shapes (256 × 384 · 384 × 256 and the like,
// copies included): 41–46 GFLOP/s against 18–27 for tf.matMul on tfjs-wasm (bench/README.md).
// Where the engine lacks WebAssembly SIMD, `simdGemm()` is null and the lean step keeps tfjs.
import { compileSimdModule } from '../wasm/simdModule';
import { GEMM_SIMD_WASM } from './gemmSimdModule';

/** What follows the product in the same pass: a bias row added, then an activation. */
export interface Epilogue {
  bias: Float32Array;
  /** tanh as the tape path computes it (2·sigmoid(2u) − 1, e^x by a degree-6 polynomial), or relu. */
  activation: 'linear' | 'tanh' | 'relu';
}

const ACTIVATION_CODE = { linear: 0, tanh: 1, relu: 2 } as const;

export interface SimdGemm {
  /** out [m, n] = a [m, k] · b [k, n] (then + bias, activation), all row-major float32. */
  multiply(a: Float32Array, m: number, k: number, b: Float32Array, n: number, out: Float32Array, after?: Epilogue): void;
}

let cached: SimdGemm | null | undefined;

/** The SIMD kernel, or null where the engine lacks WebAssembly SIMD (instantiated once per thread). */
export function simdGemm(): SimdGemm | null {
  if (cached === undefined) {
    const module = compileSimdModule(GEMM_SIMD_WASM);
    cached = module ? instantiate(module) : null;
  }
  return cached;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

type GemmExport = (a: number, b: number, c: number, m: number, n: number, k: number) => void;
type EpilogueExport = (c: number, bias: number, rows: number, np: number, activation: number) => void;

function instantiate(module: WebAssembly.Module): SimdGemm {
  const instance = new WebAssembly.Instance(module);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const gemm = instance.exports.gemm as GemmExport;
  const epilogue = instance.exports.epilogue as EpilogueExport;
  let f32 = new Float32Array(memory.buffer);
  return {
    multiply(a, m, k, b, n, out, after) {
      if (a.length < m * k || b.length < k * n || out.length < m * n || (after && after.bias.length < n))
        throw new Error(`gemm: arrays too short for [${m}, ${k}] · [${k}, ${n}]`);
      if (m === 0 || n === 0) return;
      const mp = (m + 3) & ~3;
      const np = (n + 7) & ~7;
      const oB = align16(4 * mp * k);
      const oC = align16(oB + 4 * k * np);
      const oBias = oC + 4 * mp * np;
      const end = oBias + 4 * np;
      if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
      if (f32.buffer !== memory.buffer) f32 = new Float32Array(memory.buffer);
      f32.set(a.subarray(0, m * k), 0);
      f32.fill(0, m * k, mp * k);
      const b0 = oB >> 2;
      if (np === n) f32.set(b.subarray(0, k * n), b0);
      else
        for (let r = 0; r < k; r++) {
          f32.set(b.subarray(r * n, r * n + n), b0 + r * np);
          f32.fill(0, b0 + r * np + n, b0 + (r + 1) * np);
        }
      const c0 = oC >> 2;
      if (k > 0) gemm(0, oB, oC, mp, np, k);
      else f32.fill(0, c0, c0 + mp * np);
      if (after) {
        f32.set(after.bias.subarray(0, n), oBias >> 2);
        f32.fill(0, (oBias >> 2) + n, (oBias >> 2) + np);
        epilogue(oC, oBias, m, np, ACTIVATION_CODE[after.activation]);
      }
      if (np === n) out.set(f32.subarray(c0, c0 + m * n));
      else for (let r = 0; r < m; r++) out.set(f32.subarray(c0 + r * np, c0 + r * np + n), r * n);
    },
  };
}
