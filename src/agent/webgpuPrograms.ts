// Custom WebGPU programs for the PPO step on tfjs's webgpu backend (run through
// backend.runWebGPUProgram, the way tfjs-backend-webgpu writes its own kernels). Measured on an
// H200 (shared/notes/gpu.md): each tfjs dispatch costs ~200–300 µs and each scalar constant an
// upload of ~160 µs, so the op-by-op Adam (~12 kernels and ~4 scalar uploads per variable) and
// the per-step readback dominated a step whose GPU work is ~2.4 ms. Here:
// - SumSquares: Σg² over up to 6 gradients (one workgroup, shared-memory reduction);
// - StepControl: one thread; folds a step's loss statistics and gradient norms into a running
//   accumulator on the device, decides the clip factors and whether the step may be applied
//   (all finite, and no earlier step of this update was non-finite: the NaN guard without a read);
// - AdamMoments / AdamParams: Adam as two fused kernels per variable (moments packed [m | v]),
//   masked by the accumulator's apply flag. Constants travel as uniforms, never as tensors.
// This module does not import tfjs-backend-webgpu: the programs are plain objects, and the backend
// is the active one (only used when tf.getBackend() is 'webgpu').
import * as tf from '@tensorflow/tfjs';

interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: { type: string; data: number[] }[]): tf.TensorInfo;
}

/** The accumulator's slots (a float32 vector on the device, read once per update). */
export const ACC = {
  /** 0..5: sums of the LOSS_STATS of applied steps. */
  stats: 0,
  gradNormSum: 6,
  appliedSteps: 7,
  /** 1 once any step of this update was non-finite (then no later step is applied). */
  bad: 8,
  actorScale: 9,
  criticScale: 10,
  applyNow: 11,
  lastApproxKl: 12,
  /** Index (0..6) of the first non-finite figure (6 = gradient norm), −1 if none. */
  firstBad: 13,
  size: 16,
} as const;

const WORKGROUP = 64;

function flatProgram(key: string, names: string[], size: number, uniforms: string, body: string): object {
  return {
    variableNames: names,
    outputShape: [size],
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    ...(uniforms ? { uniforms } : {}),
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

function backend(): WebGpuBackendLike {
  if (tf.getBackend() !== 'webgpu') throw new Error(`webgpuPrograms need the webgpu backend (active: ${tf.getBackend()})`);
  return tf.backend() as unknown as WebGpuBackendLike;
}

function run(program: object, inputs: tf.Tensor[], uniforms?: { type: string; data: number[] }[]): tf.Tensor {
  const info = backend().runWebGPUProgram(program, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** prev[0] + Σ over `grads` (1..6 tensors) of g², as a [1] tensor. */
export function sumSquares(prev: tf.Tensor, grads: readonly tf.Tensor[]): tf.Tensor {
  if (grads.length < 1 || grads.length > 6) throw new Error('sumSquares takes 1 to 6 gradients');
  const names = grads.map((_, k) => `G${k}`);
  const loops = names
    .map((g, k) => `for (var i = i32(localIndex); i < ${grads[k].size}; i = i + 256) { let x = ${g}[i]; s = s + x * x; }`)
    .join('\n');
  const program = {
    variableNames: ['P', ...names],
    outputShape: [1],
    shaderKey: `der_sumsq_${grads.map((g) => g.size).join('_')}`,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [256, 1, 1],
    getUserCode: () => `
      var<workgroup> partial : array<f32, 256>;
      fn main(index : i32) {
        // A (uniform) use of the uniforms: WebGPU drops unused bindings from the pipeline's layout,
        // and tfjs always binds its uniform buffer.
        if (uniforms.outShape < 1) { return; }
        var s = 0.0;
        ${loops}
        partial[localIndex] = s;
        workgroupBarrier();
        for (var stride = 128u; stride > 0u; stride = stride / 2u) {
          if (localIndex < stride) { partial[localIndex] = partial[localIndex] + partial[localIndex + stride]; }
          workgroupBarrier();
        }
        if (localIndex == 0u) { result[0] = P[0] + partial[0]; }
      }`,
  };
  return run(program, [prev, ...grads]);
}

/**
 * The accumulator after one step: stats [6] (LOSS_STATS order), the two networks' Σg² ([1] each),
 * the accumulator before. Clip: maxGradNorm (0 = off), per network or global.
 */
export function stepControl(stats: tf.Tensor, actorSq: tf.Tensor, criticSq: tf.Tensor, acc: tf.Tensor, maxGradNorm: number, perNetwork: boolean): tf.Tensor {
  const program = {
    variableNames: ['S', 'NA', 'NC', 'ACC'],
    outputShape: [ACC.size],
    shaderKey: 'der_step_control',
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [1, 1, 1],
    uniforms: 'maxNorm : f32, perNetwork : f32,',
    getUserCode: () => `
      fn finite(x : f32) -> bool { return !(isnan(x) || isinf(x)); }
      fn clipScale(norm : f32) -> f32 {
        if (uniforms.maxNorm <= 0.0) { return 1.0; }
        return min(1.0, uniforms.maxNorm / (norm + 1e-6));
      }
      fn main(index : i32) {
        for (var i = 0; i < ${ACC.size}; i = i + 1) { result[i] = ACC[i]; }
        let na = sqrt(NA[0]);
        let nc = sqrt(NC[0]);
        let norm = sqrt(NA[0] + NC[0]);
        var firstBad = -1;
        for (var k = 5; k >= 0; k = k - 1) { if (!finite(S[k])) { firstBad = k; } }
        if (firstBad < 0 && !finite(norm)) { firstBad = 6; }
        let ok = ACC[${ACC.bad}] == 0.0 && firstBad < 0;
        if (ok) {
          for (var k = 0; k < 6; k = k + 1) { result[${ACC.stats} + k] = ACC[${ACC.stats} + k] + S[k]; }
          result[${ACC.gradNormSum}] = ACC[${ACC.gradNormSum}] + norm;
          result[${ACC.appliedSteps}] = ACC[${ACC.appliedSteps}] + 1.0;
          result[${ACC.lastApproxKl}] = S[3];
          if (uniforms.perNetwork > 0.5) {
            result[${ACC.actorScale}] = clipScale(na);
            result[${ACC.criticScale}] = clipScale(nc);
          } else {
            result[${ACC.actorScale}] = clipScale(norm);
            result[${ACC.criticScale}] = clipScale(norm);
          }
          result[${ACC.applyNow}] = 1.0;
        } else {
          result[${ACC.applyNow}] = 0.0;
          if (ACC[${ACC.bad}] == 0.0) {
            result[${ACC.bad}] = 1.0;
            result[${ACC.firstBad}] = f32(firstBad);
          }
        }
      }`,
  };
  return run(program, [stats, actorSq, criticSq, acc], [
    { type: 'float32', data: [maxGradNorm] },
    { type: 'float32', data: [perNetwork ? 1 : 0] },
  ]);
}

/** [m | v] after one masked Adam moment update with gradient g (size n) scaled by ACC[scaleSlot]. */
export function adamMoments(g: tf.Tensor, mv: tf.Tensor, acc: tf.Tensor, beta1: number, beta2: number, scaleSlot: number): tf.Tensor {
  const n = g.size;
  const program = flatProgram(
    'der_adam_mv',
    ['G', 'MV', 'ACC'],
    2 * n,
    'n : i32, beta1 : f32, beta2 : f32, scaleSlot : i32,',
    `
          let doStep = ACC[${ACC.applyNow}] > 0.5;
          var out = MV[index];
          if (doStep) {
            if (index < uniforms.n) {
              let gs = G[index] * ACC[uniforms.scaleSlot];
              out = uniforms.beta1 * out + (1.0 - uniforms.beta1) * gs;
            } else {
              let gs = G[index - uniforms.n] * ACC[uniforms.scaleSlot];
              out = uniforms.beta2 * out + (1.0 - uniforms.beta2) * gs * gs;
            }
          }
          setOutputAtIndex(index, out);`,
  );
  return run(program, [g, mv, acc], [
    { type: 'int32', data: [n] },
    { type: 'float32', data: [beta1] },
    { type: 'float32', data: [beta2] },
    { type: 'int32', data: [scaleSlot] },
  ]);
}

/** p − stepSize·m/(√v + epsHat) where the accumulator allows the step, else p. */
export function adamParams(p: tf.Tensor, mv: tf.Tensor, acc: tf.Tensor, stepSize: number, epsHat: number): tf.Tensor {
  const n = p.size;
  const program = flatProgram(
    'der_adam_p',
    ['P', 'MV', 'ACC'],
    n,
    'stepSize : f32, epsHat : f32,',
    `
          var out = P[index];
          if (ACC[${ACC.applyNow}] > 0.5) {
            out = out - uniforms.stepSize * MV[index] / (sqrt(MV[index + uniforms.size]) + uniforms.epsHat);
          }
          setOutputAtIndex(index, out);`,
  );
  return run(program, [p, mv, acc], [
    { type: 'float32', data: [stepSize] },
    { type: 'float32', data: [epsHat] },
  ]);
}
