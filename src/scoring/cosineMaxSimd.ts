// The cosine maxima of cosineMaxKernel.ts on WebAssembly SIMD (cosineMaxSimd.wat): the candidate
// rows and the transposed reference rows are copied into the module's memory, and one call fills
// both maxima, four reference tokens per instruction, in float32 as bert_score's torch bmm.
// Where the engine lacks WebAssembly SIMD, `simdCosineMaxima()` is null and the JS kernel runs.
import type { fillCosineMaxima } from './cosineMaxKernel';
import { compileSimdModule } from '../wasm/simdModule';
import { COSINE_MAX_SIMD_WASM } from './cosineMaxSimdModule';

/** Same contract as fillCosineMaxima (cosineMaxKernel.ts); the maxima come out rounded to float32. */
export type CosineMaxima = typeof fillCosineMaxima;

type CosMaxExport = (c: number, rt: number, invC: number, invR: number, bias: number, bestC: number, bestR: number, n: number, mp: number, dim: number) => void;

let kernel: CosineMaxima | null | undefined;

/** The SIMD kernel, or null where the engine lacks WebAssembly SIMD (instantiated once per thread). */
export function simdCosineMaxima(): CosineMaxima | null {
  if (kernel === undefined) {
    const module = compileSimdModule(COSINE_MAX_SIMD_WASM);
    kernel = module ? instantiate(module) : null;
  }
  return kernel;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

function instantiate(module: WebAssembly.Module): CosineMaxima {
  const instance = new WebAssembly.Instance(module);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const cosmax = instance.exports.cosmax as CosMaxExport;
  let f32 = new Float32Array(memory.buffer);

  return (c, invC, n, r, invR, m, dim, bestC, bestR) => {
    const mp = (m + 7) & ~7;
    // Byte offsets of the regions (see cosineMaxSimd.wat).
    const oC = 0;
    const oRt = align16(oC + 4 * n * dim);
    const oInvC = align16(oRt + 4 * dim * mp);
    const oInvR = align16(oInvC + 4 * n);
    const oBias = oInvR + 4 * mp;
    const oBestC = oBias + 4 * mp;
    const oBestR = align16(oBestC + 4 * n);
    const end = oBestR + 4 * mp;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    if (f32.buffer !== memory.buffer) f32 = new Float32Array(memory.buffer);

    f32.set(c.subarray(0, n * dim), oC >> 2);
    // Transposed reference rows: rt[k·mp + j] = r[j·dim + k], pad columns zero.
    const rt = oRt >> 2;
    for (let k = 0; k < dim; k++) {
      const row = rt + k * mp;
      for (let j = 0; j < m; j++) f32[row + j] = r[j * dim + k];
      for (let j = m; j < mp; j++) f32[row + j] = 0;
    }
    const ic = oInvC >> 2;
    for (let i = 0; i < n; i++) f32[ic + i] = invC[i];
    const ir = oInvR >> 2;
    const bias = oBias >> 2;
    for (let j = 0; j < mp; j++) {
      const real = j < m;
      f32[ir + j] = real ? invR[j] : 0;
      f32[bias + j] = real ? 0 : -Infinity;
    }
    cosmax(oC, oRt, oInvC, oInvR, oBias, oBestC, oBestR, n, mp, dim);
    const bc = oBestC >> 2;
    for (let i = 0; i < n; i++) bestC[i] = f32[bc + i];
    const br = oBestR >> 2;
    for (let j = 0; j < m; j++) bestR[j] = f32[br + j];
  };
}
