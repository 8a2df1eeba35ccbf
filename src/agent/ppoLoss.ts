// The PPO objective for one minibatch, as CleanRL writes it: clipped surrogate, (optionally
// clipped) value loss, entropy bonus. Returns the scalar to differentiate and the debug statistics.
import * as tf from '@tensorflow/tfjs';
import type { PpoConfig } from '../der/config';
import { normalize } from './advantages';
import { transposeRows } from './denseOp';
import type { Mlp } from './mlp';
import { gather, gatherRows, type FlatTransitions } from './ppoBatch';

export interface MinibatchTensors {
  states: tf.Tensor2D;
  /** The states transposed ([stateDim, batch]); speeds up the first layer's gradient. */
  statesT: tf.Tensor2D;
  /** 0 where allowed, MASKED_LOGIT where not. */
  maskAdd: tf.Tensor2D;
  /** One-hot of the taken actions (cheaper as an input than a gather inside the tape). */
  actionOneHot: tf.Tensor2D;
  oldLogProbs: tf.Tensor1D;
  oldValues: tf.Tensor1D;
  advantages: tf.Tensor1D;
  returns: tf.Tensor1D;
}

/** The tensors of one minibatch (the transitions `indices` of `flat`); the caller disposes them. */
export function minibatchTensors(flat: FlatTransitions, indices: readonly number[], normalizeAdvantages: boolean): MinibatchTensors {
  const n = indices.length;
  const A = flat.numActions;
  const advantages = gather(flat.advantages, indices);
  const actionOneHot = new Float32Array(n * A);
  indices.forEach((row, k) => (actionOneHot[k * A + flat.actions[row]] = 1));
  const states = gatherRows(flat.states, flat.stateDim, indices);
  return {
    states: tf.tensor2d(states, [n, flat.stateDim]),
    statesT: tf.tensor2d(transposeRows(states, n, flat.stateDim), [flat.stateDim, n]),
    maskAdd: tf.tensor2d(gatherRows(flat.maskAdd, A, indices), [n, A]),
    actionOneHot: tf.tensor2d(actionOneHot, [n, A]),
    oldLogProbs: tf.tensor1d(gather(flat.oldLogProbs, indices)),
    oldValues: tf.tensor1d(gather(flat.oldValues, indices)),
    advantages: tf.tensor1d(normalizeAdvantages ? normalize(advantages) : advantages),
    returns: tf.tensor1d(gather(flat.returns, indices)),
  };
}

/** Order of the entries of `stats`. */
export const LOSS_STATS = ['policyLoss', 'valueLoss', 'entropy', 'approxKl', 'clipFraction', 'loss'] as const;

export interface PpoLossOutput {
  loss: tf.Scalar;
  /** [policyLoss, valueLoss, entropy, approxKl, clipFraction, loss]. */
  stats: tf.Tensor1D;
}

type LossConfig = Pick<PpoConfig, 'clipRange' | 'clipValueLoss' | 'entropyCoef' | 'valueCoef'>;

/** Masked log-softmax of the actor's logits (for the loss; see maskedLogProbsInference for acting). */
export function maskedLogProbs(actor: Mlp, states: tf.Tensor2D, maskAdd: tf.Tensor2D, statesT?: tf.Tensor2D): tf.Tensor2D {
  return tf.logSoftmax(tf.add(actor.forward(states, statesT), maskAdd)) as tf.Tensor2D;
}

/**
 * v_old + clip(v − v_old, −ε, ε), but exactly v where |v − v_old| ≤ ε. Computed naively, rounding
 * can make v_old + (v − v_old) ≠ v; when that rounding makes the clipped error the larger one,
 * max() picks it and the transition's critic gradient is lost (6 of 160 transitions at batch 256).
 */
export function clippedValues(v: tf.Tensor1D, oldV: tf.Tensor1D, eps: number): tf.Tensor1D {
  // v − relu(d − ε) + relu(−d − ε), d = v − v_old: exactly v inside, v_old ± ε outside (with
  // gradient 0 there); differentiable by the tape, unlike a where() on a comparison.
  const diff = tf.sub(v, oldV);
  return tf.add(tf.sub(v, tf.relu(tf.sub(diff, eps))), tf.relu(tf.sub(tf.neg(diff), eps))) as tf.Tensor1D;
}

export function maskedLogProbsInference(actor: Mlp, states: tf.Tensor2D, maskAdd: tf.Tensor2D): tf.Tensor2D {
  return tf.logSoftmax(tf.add(actor.predict(states), maskAdd)) as tf.Tensor2D;
}

export function ppoLoss(actor: Mlp, critic: Mlp, batch: MinibatchTensors, cfg: LossConfig): PpoLossOutput {
  const logp = maskedLogProbs(actor, batch.states, batch.maskAdd, batch.statesT);
  const newLogProb = tf.sum(tf.mul(logp, batch.actionOneHot), 1);
  // Masked entries: p = 0 and log p = −1e9, so p·log p = 0 (finite, no NaN).
  const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)));
  const logRatio = tf.sub(newLogProb, batch.oldLogProbs);
  const ratio = tf.exp(logRatio);
  const eps = cfg.clipRange;
  const surrogate = tf.mul(batch.advantages, ratio);
  const clippedSurrogate = tf.mul(batch.advantages, tf.clipByValue(ratio, 1 - eps, 1 + eps));
  const policyLoss = tf.neg(tf.mean(tf.minimum(surrogate, clippedSurrogate)));

  const value = tf.reshape(critic.forward(batch.states, batch.statesT), [-1]) as tf.Tensor1D;
  const unclippedSq = tf.square(tf.sub(value, batch.returns));
  let valueLoss: tf.Scalar;
  if (cfg.clipValueLoss) {
    const clippedValue = clippedValues(value, batch.oldValues, eps);
    valueLoss = tf.mean(tf.maximum(unclippedSq, tf.square(tf.sub(clippedValue, batch.returns))));
  } else {
    valueLoss = tf.mean(unclippedSq);
  }

  const loss = tf.addN([policyLoss, tf.mul(valueLoss, cfg.valueCoef), tf.mul(entropy, -cfg.entropyCoef)]) as tf.Scalar;

  // Diagnostics only; they carry no gradient that matters (the loss does not depend on them).
  const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
  const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), eps), 'float32'));
  const stats = tf.stack([policyLoss, valueLoss, entropy, approxKl, clipFraction, loss]) as tf.Tensor1D;
  return { loss, stats };
}
