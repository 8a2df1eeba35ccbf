// Turning one row of masked log-probabilities into a decision: sample with the seeded Rng, or argmax.
import { sampleIndex, type Rng } from '../der/rng';
import type { PolicyDecision } from '../der/types';

/** `rng === null` means greedy (argmax over allowed actions). */
export function decideFromLogProbs(logProbs: ArrayLike<number>, value: number, allowed: readonly boolean[], rng: Rng | null): PolicyDecision {
  const probs = Array.from(logProbs, (lp, a) => (allowed[a] ? Math.exp(lp) : 0));
  let action = -1;
  if (rng) {
    action = sampleIndex(probs, rng);
    // Rounding can land past the last allowed action only if probs sum below u; fall back to argmax.
    if (!allowed[action]) action = -1;
  }
  if (action < 0) {
    for (let a = 0; a < probs.length; a++) if (allowed[a] && (action < 0 || probs[a] > probs[action])) action = a;
  }
  return { action, probs, logProb: logProbs[action], value };
}
