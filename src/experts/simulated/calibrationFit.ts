// Fitting each simulated expert's overall quality ("fidelity") so that its mean first-answer score
// matches a target. Pure: the scorer is passed in, so the calibration script (Node, real GloVe
// scorer) and the unit test share exactly this code.
import type { Question } from '../../der/types';
import type { SimulatedExpertProfile } from './profiles';
import { simulateAnswer } from './simulatedPool';

/** Synchronous scoring of candidate/reference pairs (e.g. the GloVe scorer's scoreSync). */
export type ScorePairs = (candidates: readonly string[], references: readonly string[]) => number[];

/** Mean score of the expert's first answers (t = 0, no previous answer) over questions and seeds. */
export function meanFirstAnswerScore(
  profile: SimulatedExpertProfile,
  fidelity: number,
  seeds: readonly (number | string)[],
  questions: readonly Question[],
  scorePairs: ScorePairs,
): number {
  const candidates: string[] = [];
  const references: string[] = [];
  for (const seed of seeds) {
    for (const question of questions) {
      if (!question.output) continue;
      candidates.push(simulateAnswer(profile, fidelity, seed, { question, previous: null, t: 0 }));
      references.push(question.output);
    }
  }
  if (!candidates.length) throw new Error('meanFirstAnswerScore: no question has a reference answer (output)');
  const scores = scorePairs(candidates, references);
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

export interface FidelityFit {
  fidelity: number;
  mean: number;
  /** False when the target lies outside what the fidelity range can reach (the nearest end is returned). */
  reachable: boolean;
}

/**
 * Bisection on fidelity ∈ [low, high]: the mean first-answer score rises (almost) monotonically
 * with fidelity because every random draw is fixed and only the thresholds move.
 */
export function fitFidelity(
  meanAt: (fidelity: number) => number,
  target: number,
  { low = 0, high = 2.5, tolerance = 0.001, maxIterations = 30 } = {},
): FidelityFit {
  const lowMean = meanAt(low);
  const highMean = meanAt(high);
  if (target <= lowMean) return { fidelity: low, mean: lowMean, reachable: Math.abs(target - lowMean) <= tolerance };
  if (target >= highMean) return { fidelity: high, mean: highMean, reachable: Math.abs(target - highMean) <= tolerance };
  let best: FidelityFit = { fidelity: low, mean: lowMean, reachable: false };
  for (let i = 0; i < maxIterations; i++) {
    const mid = (low + high) / 2;
    const mean = meanAt(mid);
    if (Math.abs(mean - target) < Math.abs(best.mean - target)) best = { fidelity: mid, mean, reachable: true };
    if (Math.abs(mean - target) <= tolerance) break;
    if (mean < target) low = mid;
    else high = mid;
  }
  return best;
}
