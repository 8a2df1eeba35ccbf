// The NaN guard and gradient clipping of the webgpu PPO step, on the device (custom WebGPU
// programs, webgpuRun.ts). Measured on an H200 (shared/notes/gpu.md): each tfjs dispatch costs
// ~200–300 µs and a readback stalls the queue, so nothing here is read back inside an update:
// - sumSquares: Σg² of both networks' gradients (one workgroup, shared-memory reduction);
// - stepControl: one thread; folds a step's loss statistics and gradient norms into a running
//   accumulator, decides the clip factors and whether the step may be applied (all finite, and no
//   earlier step of this update was non-finite). The accumulator is read once per update.
import type * as tf from '@tensorflow/tfjs';
import { runProgram as run } from './webgpuRun';

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

/**
 * [Σg² over `actor`, Σg² over `critic`] in one workgroup; at most 7 gradients in all (WebGPU's
 * default of 8 storage buffers per stage, one of them the output).
 */
export function sumSquares(actor: readonly tf.Tensor[], critic: readonly tf.Tensor[]): tf.Tensor {
  const grads = [...actor, ...critic];
  if (grads.length < 2 || grads.length > 7) throw new Error('sumSquares takes 2 to 7 gradients');
  const names = grads.map((_, k) => `G${k}`);
  const loop = (k: number, into: string) =>
    `for (var i = i32(localIndex); i < ${grads[k].size}; i = i + 256) { let x = ${names[k]}[i]; ${into} = ${into} + x * x; }`;
  const loops = grads.map((_, k) => loop(k, k < actor.length ? 'sa' : 'sc')).join('\n');
  const program = {
    variableNames: names,
    outputShape: [2],
    shaderKey: `der_sumsq_${actor.map((g) => g.size).join('_')}_${critic.map((g) => g.size).join('_')}`,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [256, 1, 1],
    getUserCode: () => `
      var<workgroup> partial : array<vec2<f32>, 256>;
      fn main(index : i32) {
        // A (uniform) use of the uniforms: WebGPU drops unused bindings from the pipeline's layout,
        // and tfjs always binds its uniform buffer.
        if (uniforms.outShape < 1) { return; }
        var sa = 0.0;
        var sc = 0.0;
        ${loops}
        partial[localIndex] = vec2<f32>(sa, sc);
        workgroupBarrier();
        for (var stride = 128u; stride > 0u; stride = stride / 2u) {
          if (localIndex < stride) { partial[localIndex] = partial[localIndex] + partial[localIndex + stride]; }
          workgroupBarrier();
        }
        if (localIndex == 0u) { result[0] = partial[0].x; result[1] = partial[0].y; }
      }`,
  };
  return run(program, grads);
}

/**
 * The accumulator after one step: stats [6] (LOSS_STATS order), the two networks' Σg² ([2], sumSquares),
 * the accumulator before. Clip: maxGradNorm (0 = off), per network or global.
 */
export function stepControl(stats: tf.Tensor, squares: tf.Tensor, acc: tf.Tensor, maxGradNorm: number, perNetwork: boolean): tf.Tensor {
  const program = {
    variableNames: ['S', 'SQ', 'ACC'],
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
        let na = sqrt(SQ[0]);
        let nc = sqrt(SQ[1]);
        let norm = sqrt(SQ[0] + SQ[1]);
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
  return run(
    program,
    [stats, squares, acc],
    [
      { type: 'float32', data: [maxGradNorm] },
      { type: 'float32', data: [perNetwork ? 1 : 0] },
    ],
  );
}
