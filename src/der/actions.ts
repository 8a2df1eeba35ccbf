// The action space of a DER episode: actions 0..N−1 call experts; under the learned stop rule
// action N is STOP. STOP is never allowed at t = 0 (a route needs at least one answer).
import type { ExperimentConfig } from './config';

export type StopRule = ExperimentConfig['stopRule'];

/** Name recorded in StepRecord.expert for the STOP action. */
export const STOP_NAME = 'STOP';

/** Number of actions the policy chooses between: N experts, plus STOP under the learned rule. */
export function actionCount(expertCount: number, stopRule: StopRule): number {
  return stopRule === 'learned' ? expertCount + 1 : expertCount;
}

/** The index of the STOP action (only meaningful under the learned rule). */
export function stopAction(expertCount: number): number {
  return expertCount;
}

/** Allowed-action mask at step t (true = allowed). */
export function allowedActions(expertCount: number, stopRule: StopRule, t: number): boolean[] {
  const mask = new Array<boolean>(actionCount(expertCount, stopRule)).fill(true);
  if (stopRule === 'learned') mask[expertCount] = t > 0;
  return mask;
}
