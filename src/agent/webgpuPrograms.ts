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
  const loops = names.map((g, k) => `for (var i = i32(localIndex); i < ${grads[k].size}; i = i + 256) { let x = ${g}[i]; s = s + x * x; }`).join('\n');
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
  return run(
    program,
    [stats, actorSq, criticSq, acc],
    [
      { type: 'float32', data: [maxGradNorm] },
      { type: 'float32', data: [perNetwork ? 1 : 0] },
    ],
  );
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
  return run(
    program,
    [g, mv, acc],
    [
      { type: 'int32', data: [n] },
      { type: 'float32', data: [beta1] },
      { type: 'float32', data: [beta2] },
      { type: 'int32', data: [scaleSlot] },
    ],
  );
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
  return run(
    program,
    [p, mv, acc],
    [
      { type: 'float32', data: [stepSize] },
      { type: 'float32', data: [epsHat] },
    ],
  );
}

/** Loss settings the loss programs take as uniforms. */
export interface LossUniforms {
  clipRange: number;
  clipValueLoss: boolean;
  entropyCoef: number;
  valueCoef: number;
}

/**
 * One minibatch row's loss terms in WGSL, shared by the three loss programs. Z: logits [n, A];
 * V: values [n]; B: per-row data [n, A + 5] = maskAdd (A numbers), old log-prob, old value,
 * advantage, return, action. Same formulas as ppoLossFused.ts (and the value-clip tie kept).
 */
const ROW_WGSL = `
  struct Row { lse : f32, entropy : f32, logRatio : f32, ratio : f32, pgCoef : f32, pgTerm : f32, vTerm : f32, dv : f32, action : i32 };
  fn rowTerms(i : i32) -> Row {
    let A = uniforms.numActions;
    let W = A + 5;
    var m = -3.0e38;
    for (var a = 0; a < A; a = a + 1) { m = max(m, Z[i * A + a] + B[i * W + a]); }
    var s = 0.0;
    for (var a = 0; a < A; a = a + 1) { s = s + exp(Z[i * A + a] + B[i * W + a] - m); }
    var r : Row;
    r.lse = m + log(s);
    var h = 0.0;
    for (var a = 0; a < A; a = a + 1) {
      let lp = Z[i * A + a] + B[i * W + a] - r.lse;
      h = h - exp(lp) * lp;
    }
    r.entropy = h;
    r.action = i32(B[i * W + A + 4]);
    r.logRatio = Z[i * A + r.action] + B[i * W + r.action] - r.lse - B[i * W + A];
    r.ratio = exp(r.logRatio);
    let adv = B[i * W + A + 2];
    let surr = adv * r.ratio;
    let clipped = adv * clamp(r.ratio, 1.0 - uniforms.clipRange, 1.0 + uniforms.clipRange);
    r.pgTerm = min(surr, clipped);
    r.pgCoef = select(0.0, surr, surr <= clipped);
    let v = V[i];
    let ret = B[i * W + A + 3];
    let err = v - ret;
    let sq = err * err;
    let n = f32(uniforms.rows);
    if (uniforms.clipValueLoss > 0.5) {
      let old = B[i * W + A + 1];
      let d = v - old;
      let cv = select(old + clamp(d, -uniforms.clipRange, uniforms.clipRange), v, abs(d) <= uniforms.clipRange);
      let csq = (cv - ret) * (cv - ret);
      r.vTerm = max(sq, csq);
      r.dv = select(0.0, 2.0 * uniforms.valueCoef / n * err, sq >= csq);
    } else {
      r.vTerm = sq;
      r.dv = 2.0 * uniforms.valueCoef / n * err;
    }
    return r;
  }`;

const LOSS_UNIFORMS = 'rows : i32, numActions : i32, clipRange : f32, clipValueLoss : f32, entropyCoef : f32, valueCoef : f32,';

function lossUniformData(n: number, A: number, cfg: LossUniforms): { type: string; data: number[] }[] {
  return [
    { type: 'int32', data: [n] },
    { type: 'int32', data: [A] },
    { type: 'float32', data: [cfg.clipRange] },
    { type: 'float32', data: [cfg.clipValueLoss ? 1 : 0] },
    { type: 'float32', data: [cfg.entropyCoef] },
    { type: 'float32', data: [cfg.valueCoef] },
  ];
}

/** ∂loss/∂logits [n, A] (one thread per entry). */
export function lossGradLogits(z: tf.Tensor, v: tf.Tensor, b: tf.Tensor, cfg: LossUniforms): tf.Tensor {
  const [n, A] = z.shape;
  const program = {
    ...flatProgram(
      'der_loss_dz',
      ['Z', 'V', 'B'],
      n * A,
      LOSS_UNIFORMS,
      `
          let i = index / uniforms.numActions;
          let a = index - i * uniforms.numActions;
          let r = rowTerms(i);
          let lp = Z[index] + B[i * (uniforms.numActions + 5) + a] - r.lse;
          let p = exp(lp);
          let onehot = select(0.0, 1.0, a == r.action);
          setOutputAtIndex(index, -(r.pgCoef * (onehot - p) - uniforms.entropyCoef * p * (lp + r.entropy)) / f32(uniforms.rows));`,
    ),
    outputShape: [n, A],
    dispatchLayout: { x: [0, 1] },
  } as Record<string, unknown>;
  const body = (program.getUserCode as () => string)();
  program.getUserCode = () => ROW_WGSL + body;
  return run(program, [z, v, b], lossUniformData(n, A, cfg));
}

/** ∂loss/∂values [n, 1] (one thread per row). */
export function lossGradValues(z: tf.Tensor, v: tf.Tensor, b: tf.Tensor, cfg: LossUniforms): tf.Tensor {
  const [n, A] = z.shape;
  const program = {
    ...flatProgram(
      'der_loss_dv',
      ['Z', 'V', 'B'],
      n,
      LOSS_UNIFORMS,
      `
          setOutputAtIndex(index, rowTerms(index).dv);`,
    ),
    outputShape: [n, 1],
    dispatchLayout: { x: [0, 1] },
  } as Record<string, unknown>;
  const body = (program.getUserCode as () => string)();
  program.getUserCode = () => ROW_WGSL + body;
  return run(program, [z, v, b], lossUniformData(n, A, cfg));
}

/** [policyLoss, valueLoss, entropy, approxKl, clipFraction, loss] (one workgroup). */
export function lossStats(z: tf.Tensor, v: tf.Tensor, b: tf.Tensor, cfg: LossUniforms): tf.Tensor {
  const [n, A] = z.shape;
  const program = {
    variableNames: ['Z', 'V', 'B'],
    outputShape: [6],
    shaderKey: 'der_loss_stats',
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [256, 1, 1],
    uniforms: LOSS_UNIFORMS,
    getUserCode: () => `${ROW_WGSL}
      var<workgroup> acc : array<array<f32, 5>, 256>;
      fn main(index : i32) {
        var s = array<f32, 5>(0.0, 0.0, 0.0, 0.0, 0.0);
        for (var i = i32(localIndex); i < uniforms.rows; i = i + 256) {
          let r = rowTerms(i);
          s[0] = s[0] + r.pgTerm;
          s[1] = s[1] + r.vTerm;
          s[2] = s[2] + r.entropy;
          s[3] = s[3] + (r.ratio - 1.0 - r.logRatio);
          s[4] = s[4] + select(0.0, 1.0, abs(r.ratio - 1.0) > uniforms.clipRange);
        }
        acc[localIndex] = s;
        workgroupBarrier();
        for (var stride = 128u; stride > 0u; stride = stride / 2u) {
          if (localIndex < stride) {
            for (var k = 0; k < 5; k = k + 1) { acc[localIndex][k] = acc[localIndex][k] + acc[localIndex + stride][k]; }
          }
          workgroupBarrier();
        }
        if (localIndex == 0u) {
          let n = f32(uniforms.rows);
          let pl = -acc[0][0] / n;
          let vl = acc[0][1] / n;
          let ent = acc[0][2] / n;
          result[0] = pl;
          result[1] = vl;
          result[2] = ent;
          result[3] = acc[0][3] / n;
          result[4] = acc[0][4] / n;
          result[5] = pl + uniforms.valueCoef * vl - uniforms.entropyCoef * ent;
        }
      }`,
  };
  return run(program, [z, v, b], lossUniformData(n, A, cfg));
}

/** dh·(1 − h²) (tanh) or dh·[h > 0] (relu), element-wise: the activation's backward pass in one kernel. */
export function activationGrad(dh: tf.Tensor, h: tf.Tensor, activation: 'tanh' | 'relu'): tf.Tensor {
  const body =
    activation === 'tanh'
      ? 'let y = H[index]; setOutputAtIndex(index, D[index] * (1.0 - y * y));'
      : 'setOutputAtIndex(index, select(0.0, D[index], H[index] > 0.0));';
  const program = {
    ...flatProgram(`der_act_grad_${activation}`, ['D', 'H'], dh.size, '', body),
    outputShape: dh.shape,
    dispatchLayout: { x: dh.shape.map((_, i) => i) },
  };
  return run(program, [dh, h]);
}
