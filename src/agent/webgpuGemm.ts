// One tiled matrix-product WebGPU program with the few operand layouts and epilogues the PPO step
// needs, so that each layer's forward pass, input gradient and weight-plus-bias gradient is a
// single dispatch reading the network's parameters straight out of its flat state buffer
// ([W0, b0, W1, b1, … | m | v], webgpuFlatNet.ts): no per-layer tensors, no Transpose, no separate
// bias, activation or column-sum kernels.
//
//   C[M, N] = epilogue( Σ_k A(m, k) · B(k, n) )
//
// A layouts: 'rows'     A(m, k) = A_[m·aStride + aOff + k]        (a row-major block, e.g. x or ∂loss/∂z)
//            'colsOnes' A(m, k) = m < M−1 ? A_[k·aStride + aOff + m] : 1
//                       (the layer input transposed, with a row of ones appended: the product with
//                        ∂loss/∂z then gives ∂W and, as its last row, ∂b = Σ rows — laid out exactly
//                        as the layer's [W; b] slice of the flat state)
// B layouts: 'rows'     B(k, n) = B_[k·bStride + bOff + n]        (W inside the state, or ∂loss/∂z)
//            'rowsT'    B(k, n) = B_[n·bStride + bOff + k]        (Wᵀ inside the state)
// Epilogues: 'none'; 'bias-linear' | 'bias-tanh' | 'bias-relu' (+ B_[biasOff + n], then the
//            activation); 'dtanh' | 'drelu' (× the activation's derivative at H[m, n], given the
//            activation's output H).
import * as tf from '@tensorflow/tfjs';
import { runProgram } from './webgpuRun';

export type GemmA = 'rows' | 'colsOnes';
export type GemmB = 'rows' | 'rowsT';
export type GemmEpilogue = 'none' | 'bias-linear' | 'bias-tanh' | 'bias-relu' | 'dtanh' | 'drelu';

export interface GemmSpec {
  M: number;
  N: number;
  K: number;
  a: { mode: GemmA; stride: number; offset?: number };
  b: { mode: GemmB; stride: number; offset?: number };
  epilogue: GemmEpilogue;
  /** Offset of the bias inside the B input, for the bias epilogues. */
  biasOffset?: number;
}

const TILE = 16;

const READ_A: Record<GemmA, string> = {
  rows: 'A[m * uniforms.aStride + uniforms.aOff + k]',
  colsOnes: 'select(A[k * uniforms.aStride + uniforms.aOff + m], 1.0, m == uniforms.M - 1)',
};

const READ_B: Record<GemmB, string> = {
  rows: 'B[k * uniforms.bStride + uniforms.bOff + n]',
  rowsT: 'B[n * uniforms.bStride + uniforms.bOff + k]',
};

// tanh written as tfjs-webgpu writes it: WGSL's tanh may return NaN for large |x| on some drivers.
const EPILOGUE: Record<GemmEpilogue, string> = {
  none: 'return s;',
  'bias-linear': 'return s + B[uniforms.biasOff + n];',
  'bias-tanh': 'let x = s + B[uniforms.biasOff + n]; let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e);',
  'bias-relu': 'return max(s + B[uniforms.biasOff + n], 0.0);',
  dtanh: 'let h = H[m * uniforms.N + n]; return s * (1.0 - h * h);',
  drelu: 'return select(0.0, s, H[m * uniforms.N + n] > 0.0);',
};

function program(spec: GemmSpec, names: string[]): object {
  return {
    variableNames: names,
    outputShape: [spec.M, spec.N],
    shaderKey: `der_gemm_${spec.a.mode}_${spec.b.mode}_${spec.epilogue}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(spec.N / TILE), Math.ceil(spec.M / TILE), 1],
    workgroupSize: [TILE, TILE, 1],
    uniforms: 'M : i32, N : i32, K : i32, aStride : i32, aOff : i32, bStride : i32, bOff : i32, biasOff : i32,',
    getUserCode: () => `
      var<workgroup> As : array<array<f32, ${TILE}>, ${TILE}>;
      var<workgroup> Bs : array<array<f32, ${TILE}>, ${TILE}>;
      fn readA(m : i32, k : i32) -> f32 {
        if (m >= uniforms.M || k >= uniforms.K) { return 0.0; }
        return ${READ_A[spec.a.mode]};
      }
      fn readB(k : i32, n : i32) -> f32 {
        if (k >= uniforms.K || n >= uniforms.N) { return 0.0; }
        return ${READ_B[spec.b.mode]};
      }
      fn epilogue(s : f32, m : i32, n : i32) -> f32 { ${EPILOGUE[spec.epilogue]} }
      fn main(index : i32) {
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let n = i32(workgroupId.x) * ${TILE} + lx;
        let m = i32(workgroupId.y) * ${TILE} + ly;
        var s = 0.0;
        for (var k0 = 0; k0 < uniforms.K; k0 = k0 + ${TILE}) {
          As[ly][lx] = readA(m, k0 + lx);
          Bs[ly][lx] = readB(k0 + ly, n);
          workgroupBarrier();
          for (var k = 0; k < ${TILE}; k = k + 1) { s = s + As[ly][k] * Bs[k][lx]; }
          workgroupBarrier();
        }
        if (m < uniforms.M && n < uniforms.N) { result[m * uniforms.N + n] = epilogue(s, m, n); }
      }`,
  };
}

/** Runs the product; `h` is required by the derivative epilogues (the activation's output, [M, N]). */
export function gemm(spec: GemmSpec, a: tf.Tensor, b: tf.Tensor, h?: tf.Tensor): tf.Tensor2D {
  const needsH = spec.epilogue === 'dtanh' || spec.epilogue === 'drelu';
  if (needsH !== Boolean(h)) throw new Error(`gemm: epilogue ${spec.epilogue} ${needsH ? 'needs' : 'takes no'} H`);
  const inputs = h ? [a, b, h] : [a, b];
  const names = h ? ['A', 'B', 'H'] : ['A', 'B'];
  const ints = [spec.M, spec.N, spec.K, spec.a.stride, spec.a.offset ?? 0, spec.b.stride, spec.b.offset ?? 0, spec.biasOffset ?? 0];
  return runProgram(
    program(spec, names),
    inputs,
    ints.map((v) => ({ type: 'int32', data: [v] })),
  ) as tf.Tensor2D;
}
