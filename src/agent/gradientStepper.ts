// What PpoAgent asks of a gradient path (lean, tape, device): run one update's planned gradient
// steps on the actor and critic, and hold the two optimizers' state. The agent owns everything
// around it (value normalisation, state statistics, metrics); a stepper owns only how gradients
// are computed and applied. Lean and tape run their steps one by one through runSteps (the NaN
// guard and CleanRL's once-per-epoch KL check); the device path folds both into the GPU.
import type { PpoConfig } from '../der/config';
import type { AdamState } from './flatAdam';
import type { FlatTransitions, GradientStepPlan } from './ppoBatch';
import { LOSS_STATS } from './ppoLoss';

export interface StepperResult {
  /** Mean of LOSS_STATS, then the mean gradient norm, over the applied steps (NaN when none). */
  means: number[];
  applied: number;
  stoppedEarly: boolean;
  /** Set when a step was non-finite: that step and every later one were not applied. */
  skipReason?: string;
}

export interface GradientStepper {
  run(flat: FlatTransitions, plan: readonly GradientStepPlan[], ppo: PpoConfig): Promise<StepperResult>;
  setLearningRates(actor: number, critic: number): void;
  /** [actor, critic] optimizer moments and step counts (null before the first step). */
  getStates(): [AdamState | null, AdamState | null];
  setStates(actor: AdamState | null, critic: AdamState | null): void;
  dispose(): void;
}

/** One step's outcome: LOSS_STATS and the gradient norm, or why it was not applied. */
export type StepOutcome = { applied: true; stats: number[] } | { applied: false; reason: string };

/** Run planned steps one by one: stop at the first non-finite step, and between epochs when the last KL passed targetKl. */
export async function runSteps(
  plan: readonly GradientStepPlan[],
  ppo: Pick<PpoConfig, 'targetKl'>,
  step: (indices: number[]) => StepOutcome | Promise<StepOutcome>,
): Promise<StepperResult> {
  const sums = new Float64Array(LOSS_STATS.length + 1);
  const result: StepperResult = { means: [], applied: 0, stoppedEarly: false };
  let lastEpoch = -1;
  let epochKl = 0;
  for (const planned of plan) {
    if (planned.epoch !== lastEpoch) {
      // CleanRL checks the KL of the latest minibatch once per epoch.
      if (lastEpoch >= 0 && ppo.targetKl > 0 && epochKl > ppo.targetKl) {
        result.stoppedEarly = true;
        break;
      }
      lastEpoch = planned.epoch;
    }
    const outcome = await step(planned.indices);
    if (!outcome.applied) {
      result.skipReason = outcome.reason;
      break;
    }
    outcome.stats.forEach((v, k) => (sums[k] += v));
    epochKl = outcome.stats[LOSS_STATS.indexOf('approxKl')];
    result.applied += 1;
  }
  result.means = Array.from(sums, (s) => (result.applied > 0 ? s / result.applied : NaN));
  return result;
}

/** Grad-norm clip factors [actor, critic]: from one global norm, or per network (ppo.gradClipPerNetwork). */
export function clipScales(actorNorm: number, criticNorm: number, ppo: Pick<PpoConfig, 'maxGradNorm' | 'gradClipPerNetwork'>): [number, number] {
  const max = ppo.maxGradNorm;
  if (!(max > 0)) return [1, 1];
  const scale = (norm: number) => Math.min(1, max / (norm + 1e-6));
  if (ppo.gradClipPerNetwork) return [scale(actorNorm), scale(criticNorm)];
  const global = scale(Math.sqrt(actorNorm * actorNorm + criticNorm * criticNorm));
  return [global, global];
}

/** The reason a step is not applied, from its LOSS_STATS and gradient norm, or null when all are finite. */
export function nonFiniteReason(values: readonly number[]): string | null {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad < 0) return null;
  const what = bad < LOSS_STATS.length ? LOSS_STATS[bad] : 'gradient norm';
  return `${what} is ${values[bad]}; gradients not applied`;
}
