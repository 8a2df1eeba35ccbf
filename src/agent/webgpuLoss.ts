// The PPO loss of one minibatch as custom WebGPU programs (webgpuRun.ts): its statistics (one
// workgroup) and its gradient with respect to the logits and the value, in one [n, A + 1] tensor
// (one thread per entry). Same formulas as ppoLossFused.ts, the value-clip tie included.
import type * as tf from '@tensorflow/tfjs';
import { runProgram as run } from './webgpuRun';

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

/**
 * [∂loss/∂logits | ∂loss/∂value] as one [n, A + 1] tensor: columns 0..A−1 feed the actor's
 * backward pass, column A the critic's (one thread per entry).
 */
export function lossGradients(z: tf.Tensor, v: tf.Tensor, b: tf.Tensor, cfg: LossUniforms): tf.Tensor2D {
  const [n, A] = z.shape;
  const program = {
    variableNames: ['Z', 'V', 'B'],
    outputShape: [n, A + 1],
    shaderKey: 'der_loss_grads',
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((n * (A + 1)) / 64), 1, 1],
    workgroupSize: [64, 1, 1],
    size: true,
    uniforms: LOSS_UNIFORMS,
    getUserCode: () => `${ROW_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let i = index / (uniforms.numActions + 1);
          let a = index - i * (uniforms.numActions + 1);
          let r = rowTerms(i);
          if (a == uniforms.numActions) {
            setOutputAtIndex(index, r.dv);
          } else {
            let lp = Z[i * uniforms.numActions + a] + B[i * (uniforms.numActions + 5) + a] - r.lse;
            let p = exp(lp);
            let onehot = select(0.0, 1.0, a == r.action);
            setOutputAtIndex(index, -(r.pgCoef * (onehot - p) - uniforms.entropyCoef * p * (lp + r.entropy)) / f32(uniforms.rows));
          }
        }
      }`,
  };
  return run(program, [z, v, b], lossUniformData(n, A, cfg)) as tf.Tensor2D;
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
