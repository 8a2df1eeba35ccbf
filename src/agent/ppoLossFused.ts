// The same PPO objective as ppoLoss.ts, with its gradient with respect to the logits and values
// written out by hand. tfjs's autodiff of the loss head costs ~200 small kernels per step, each
// with ~10–15 µs of overhead on wasm, which dominated small networks; this costs ~45 in the
// forward and 2 in the backward. ppoLoss.ts stays the reference the tests compare against.
//
// With N transitions, p = softmax(masked logits), H = entropy, r = ratio, A = advantage:
//   ∂pg/∂z    = −(1/N) · A·r·[A·r ≤ A·clip(r)] · (onehot − p)
//   ∂ent/∂z   = −(1/N) · p · (log p + H)
//   ∂vloss/∂v = (2/N) · (v − R) · [unclipped term ≥ clipped term]   (with value clipping; where the
//               clipped term is larger, clipping is active and its gradient is 0; where
//               |v − v_old| ≤ ε the clipped value IS v, so the gradient is always kept)
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { clippedValues, type MinibatchTensors, type PpoLossOutput } from './ppoLoss';

type LossConfig = Pick<PpoConfig, 'clipRange' | 'clipValueLoss' | 'entropyCoef' | 'valueCoef'>;
type Inputs = (tf.Tensor | tf.GradSaveFunc)[];

/** Loss from the actor's raw logits [N, A] and the critic's values [N, 1]; stats as in ppoLoss. */
export function ppoLossFused(logits: tf.Tensor2D, values: tf.Tensor2D, batch: MinibatchTensors, cfg: LossConfig): PpoLossOutput {
  let stats: tf.Tensor1D | undefined;
  const lossOp = tf.customGrad((...args: Inputs) => {
    const [z, v2, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const n = z.shape[0];
    const eps = cfg.clipRange;
    const logp = tf.logSoftmax(tf.add(z, batch.maskAdd));
    const p = tf.exp(logp);
    // Masked entries: p = 0 and log p = −1e9, so p·log p = 0 (finite, no NaN).
    const entropyPerRow = tf.neg(tf.sum(tf.mul(p, logp), 1, true)); // [N, 1]
    const entropy = tf.mean(entropyPerRow);
    const logRatio = tf.sub(tf.sum(tf.mul(logp, batch.actionOneHot), 1), batch.oldLogProbs);
    const ratio = tf.exp(logRatio);
    const surrogate = tf.mul(batch.advantages, ratio);
    const clippedSurrogate = tf.mul(batch.advantages, tf.clipByValue(ratio, 1 - eps, 1 + eps));
    const policyLoss = tf.neg(tf.mean(tf.minimum(surrogate, clippedSurrogate)));
    const pgCoef = tf.reshape(tf.mul(surrogate, tf.cast(tf.lessEqual(surrogate, clippedSurrogate), 'float32')), [n, 1]);
    const dz = tf.mul(tf.sub(tf.mul(pgCoef, tf.sub(batch.actionOneHot, p)), tf.mul(tf.mul(p, tf.add(logp, entropyPerRow)), cfg.entropyCoef)), -1 / n);

    const v = tf.reshape(v2, [n]) as tf.Tensor1D;
    const err = tf.sub(v, batch.returns);
    const sq = tf.square(err);
    let valueLoss: tf.Scalar;
    let dv: tf.Tensor;
    if (cfg.clipValueLoss) {
      const clippedValue = clippedValues(v, batch.oldValues, eps);
      const clippedSq = tf.square(tf.sub(clippedValue, batch.returns));
      valueLoss = tf.mean(tf.maximum(sq, clippedSq));
      dv = tf.mul(err, tf.cast(tf.greaterEqual(sq, clippedSq), 'float32'));
    } else {
      valueLoss = tf.mean(sq);
      dv = err;
    }
    dv = tf.reshape(tf.mul(dv, (2 * cfg.valueCoef) / n), [n, 1]);

    const loss = tf.addN([policyLoss, tf.mul(valueLoss, cfg.valueCoef), tf.mul(entropy, -cfg.entropyCoef)]) as tf.Scalar;
    const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
    const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), eps), 'float32'));
    stats = tf.keep(tf.stack([policyLoss, valueLoss, entropy, approxKl, clipFraction, loss]) as tf.Tensor1D);
    save([dz, dv]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(saved[0], dy), tf.mul(saved[1], dy)],
    };
  });
  const loss = lossOp(logits, values) as tf.Scalar;
  return { loss, stats: stats! };
}
