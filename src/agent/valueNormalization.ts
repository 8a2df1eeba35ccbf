// Value normalisation (PopArt-lite) for one PPO update: the critic learns standardised returns,
// and its output head is rescaled whenever the running statistics move, so that V(s) in return
// units does not jump (van Hasselt et al.'s "preserving outputs precisely", without the adaptive
// step). Undone when the update applies no step.
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from './mlp';
import type { FlatTransitions } from './ppoBatch';
import { valueScale, type RunningMeanStd } from './runningStats';

/**
 * Value normalisation (PopArt-lite): merge this update's returns into the running statistics,
 * rescale the critic's head so that V(s) in return units is unchanged, and turn the returns and
 * old values in `flat` into standardised units (the critic's). Returns a function to call when
 * the update ends: with `kept` false (no step applied) it undoes all of this. Advantages stay in
 * return units (computed before).
 */
export function normalizeValueTargets(stats: RunningMeanStd, critic: Mlp, flat: FlatTransitions): (kept: boolean) => void {
  const before = { count: stats.count, mean: stats.mean[0], var: stats.var[0] };
  const [mu0, sd0] = [stats.mean[0], valueScale(stats)];
  stats.update(flat.returns, flat.count);
  const [mu1, sd1] = [stats.mean[0], valueScale(stats)];
  const head = critic.layers[critic.layers.length - 1];
  const saved = [tf.clone(head.kernel), tf.clone(head.bias)];
  // w·sd0/sd1 and (b·sd0 + mu0 − mu1)/sd1 give (V − mu1)/sd1 for the same V.
  tf.tidy(() => {
    head.kernel.assign(tf.mul(head.kernel, sd0 / sd1));
    head.bias.assign(tf.div(tf.add(tf.mul(head.bias, sd0), mu0 - mu1), sd1));
  });
  for (let i = 0; i < flat.count; i++) {
    flat.returns[i] = (flat.returns[i] - mu1) / sd1;
    flat.oldValues[i] = (flat.oldValues[i] - mu1) / sd1;
  }
  return (kept: boolean) => {
    if (!kept) {
      head.kernel.assign(saved[0] as tf.Tensor2D);
      head.bias.assign(saved[1] as tf.Tensor1D);
      stats.count = before.count;
      stats.mean[0] = before.mean;
      stats.var[0] = before.var;
    }
    saved.forEach((t) => t.dispose());
  };
}
