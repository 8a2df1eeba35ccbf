// The DER step reward, split into its terms so that the UI can show where a reward came from
// and the what-if knobs can recompute it from recorded scores.
import type { StopRule } from './actions';
import type { RewardConfig } from './config';
import type { DoneReason, RewardTerms } from './runRecord';

/**
 * # The reward, its two forms, and the two stop rules
 *
 * Steps count from t = 0; P_t is the score of the answer after step t, C_t the called expert's
 * size in billions of parameters. γ here is the paper's reward bias, not the PPO discount.
 *
 * ## Paper form (`reward.form: 'paper'`, the paper's and the authors' code)
 *
 * **Threshold rule** (`stopRule: 'threshold'`, the paper's): every step calls an expert and gets
 *
 *     r_t = P_t − α·C_t + β·(P_t − P_{t−1})·[t > 0] + γ·[P_t ≥ p0] − γ·[t = Tmax−1 ∧ P_t < p0]
 *
 * The episode ends with success as soon as P_t ≥ p0 (done_reason "threshold"), or after Tmax
 * calls (done_reason "tmax"). This rule needs a reference answer for every question.
 *
 * **Learned-stop rule** (`stopRule: 'learned'`): actions 0..N−1 call experts, action N is STOP
 * (not allowed at t = 0). An expert step earns P_t − α·C_t + β·ΔP_t with no success bonus, and
 * reaching p0 does not end the episode. The episode ends when the agent picks STOP (done_reason
 * "stop") or after Tmax expert calls ("tmax"). The terminal bias goes on the step that ends the
 * episode: +γ if the final answer's P ≥ p0, else −γ. The STOP step calls no expert: its cost is 0,
 * its ΔP is 0, its answer is the previous answer and its prompt is empty. STOP *keeps* the current
 * answer for the calls that are left: its score term is P_{t−1} once for every remaining call,
 * (Tmax − k)·P_{t−1} after k calls, so STOP earns (Tmax − k)·P_{t−1} ± γ.
 *
 * The trade-off this gives (undiscounted): after k calls at score P, stopping earns
 * (Tmax − k)·P ± γ; one more call that moves the score by ΔP, then STOP, earns
 * (P + ΔP) − α·C + β·ΔP + (Tmax − k − 1)·(P + ΔP) ± γ'. So the marginal value of one more call is
 *
 *     (Tmax − k + β)·ΔP − α·C   (+ the change of the terminal bias when the call crosses p0)
 *
 * — not β·ΔP − α·C: every future step also pays the improved P. Under the PPO discount d < 1 a
 * call that adds nothing (ΔP = 0) can still pay, because it postpones a −γ (and the STOP
 * payment) by one step: the return of a route grows with its length below p0.
 *
 * ## Final-quality form (`reward.form: 'final'`, a departure from the paper)
 *
 * The route's return is its final answer's quality minus its cost. It is paid as a potential
 * difference: with the potential Φ(P) = β·P + γ·σ(P), σ(P) = +1 if P ≥ p0 else −1, and the
 * stated baseline Φ_start = β·p0 (σ = 0 before the first answer),
 *
 *     r_t = Φ(P_t) − Φ(P_{t−1}) − α·C_t      (Φ(P_{−1}) = Φ_start),   STOP earns 0,
 *
 * so the undiscounted return of any route with final score P_T is
 *
 *     G = β·(P_T − p0) + γ·σ(P_T) − α·Σ_t C_t.
 *
 * Terms: `increment` = β·(P_t − P_{t−1}) (P_{−1} = p0), `terminal` = γ·(σ_t − σ_{t−1}) (the change
 * of the pass bias), `cost` = −α·C_t, `score` = 0. The marginal value of one more call is
 * β·ΔP + γ·Δσ − α·C, and a call that adds nothing earns exactly −α·C ≤ 0 now and leaves the
 * future unchanged, so it never pays, whatever the PPO discount (under the learned rule the
 * value of going on is ≥ 0, since STOP earns 0). Both stop rules end routes as above.
 */
export interface RewardStepInput {
  /** Step index t, from 0. Under the learned rule, STOP's t is the number of expert calls made. */
  t: number;
  /** "expert": an expert was called; "stop": the learned STOP action. */
  kind: 'expert' | 'stop';
  /** P_t. For STOP: the previous answer's score. */
  score: number;
  /** P_{t−1}; ignored at t = 0 and for STOP. */
  previousScore: number;
  /** C_t: the called expert's size in billions (ignored for STOP). */
  sizeB: number;
}

export interface StepReward {
  terms: RewardTerms;
  /** The step reward: the sum of the terms. */
  total: number;
  /** Whether this step ends the episode. */
  done: boolean;
  doneReason: DoneReason | null;
}

/** Sum of the reward terms (the step reward). */
export function sumRewardTerms(terms: RewardTerms): number {
  return terms.score + terms.cost + terms.increment + terms.terminal;
}

/**
 * The reward of one step and whether it ends the episode.
 * `callLimit` is the number of expert calls after which the route ends; it defaults to Tmax
 * (baselines with a shorter fixed route pass their route length).
 */
export function stepRewardTerms(step: RewardStepInput, reward: RewardConfig, stopRule: StopRule, callLimit: number = reward.tmax): StepReward {
  const { alpha, beta, gamma, p0 } = reward;
  const success = step.score >= p0;
  if (step.kind === 'stop') {
    if (stopRule !== 'learned') throw new Error('STOP is an action only under the learned stop rule; the threshold rule has no STOP action');
    if (step.t === 0) throw new Error('STOP is not allowed at t = 0: a route needs at least one expert answer');
    if (reward.form === 'final') {
      const terms: RewardTerms = { score: 0, cost: 0, increment: 0, terminal: 0 };
      return { terms, total: 0, done: true, doneReason: 'stop' };
    }
    const callsLeft = Math.max(1, callLimit - step.t);
    const terms: RewardTerms = { score: step.score * callsLeft, cost: 0, increment: 0, terminal: success ? gamma : -gamma };
    return { terms, total: sumRewardTerms(terms), done: true, doneReason: 'stop' };
  }
  const atLimit = step.t >= callLimit - 1;
  if (reward.form === 'final') return finalFormStep(step, reward, stopRule, atLimit);
  const base = {
    score: step.score,
    cost: -alpha * step.sizeB,
    increment: step.t > 0 ? beta * (step.score - step.previousScore) : 0,
  };
  let terminal = 0;
  let doneReason: DoneReason | null = null;
  if (stopRule === 'threshold') {
    if (success) {
      terminal = gamma;
      doneReason = 'threshold';
    } else if (atLimit) {
      terminal = -gamma;
      doneReason = 'tmax';
    }
  } else if (atLimit) {
    terminal = success ? gamma : -gamma;
    doneReason = 'tmax';
  }
  const terms: RewardTerms = { ...base, terminal };
  return { terms, total: sumRewardTerms(terms), done: doneReason !== null, doneReason };
}

/** σ(P): the pass bias sign of the final-quality form (+1 at or above p0, −1 below). */
function passSign(score: number, p0: number): number {
  return score >= p0 ? 1 : -1;
}

/** An expert step under the final-quality form: Φ(P_t) − Φ(P_{t−1}) − α·C_t (see the header). */
function finalFormStep(step: RewardStepInput, reward: RewardConfig, stopRule: StopRule, atLimit: boolean): StepReward {
  const { alpha, beta, gamma, p0 } = reward;
  const first = step.t === 0;
  const previous = first ? p0 : step.previousScore;
  const previousSign = first ? 0 : passSign(step.previousScore, p0);
  const terms: RewardTerms = {
    score: 0,
    cost: -alpha * step.sizeB,
    increment: beta * (step.score - previous),
    terminal: gamma * (passSign(step.score, p0) - previousSign),
  };
  let doneReason: DoneReason | null = null;
  if (stopRule === 'threshold' && step.score >= p0) doneReason = 'threshold';
  else if (atLimit) doneReason = 'tmax';
  return { terms, total: sumRewardTerms(terms), done: doneReason !== null, doneReason };
}

/**
 * The oracle baseline's rewards: it calls every expert once on the raw question and keeps the
 * best answer so far. Step t is scored as the kept (best-so-far) answer: score = max P_0..P_t,
 * increment = β·(improvement of the kept answer), the usual −α·C_t, and the terminal bias on the
 * last call (+γ if the best P ≥ p0, else −γ). Under the final-quality form the kept answer's
 * potential difference is paid instead. Returns one entry per call, plus the kept scores.
 */
export function oracleStepTerms(
  scores: readonly number[],
  sizesB: readonly number[],
  reward: RewardConfig,
): { terms: RewardTerms; total: number; best: number; delta: number }[] {
  let best = Number.NEGATIVE_INFINITY;
  return scores.map((p, t) => {
    const before = best;
    best = Math.max(best, p);
    const delta = t === 0 ? 0 : best - before;
    const last = t === scores.length - 1;
    if (reward.form === 'final') {
      // The kept answer's potential difference, as finalFormStep: Φ(best_t) − Φ(best_{t−1}) − α·C_t.
      const terms: RewardTerms = {
        score: 0,
        cost: -reward.alpha * sizesB[t],
        increment: reward.beta * (best - (t === 0 ? reward.p0 : before)),
        terminal: reward.gamma * (passSign(best, reward.p0) - (t === 0 ? 0 : passSign(before, reward.p0))),
      };
      return { terms, total: sumRewardTerms(terms), best, delta };
    }
    const terms: RewardTerms = {
      score: best,
      cost: -reward.alpha * sizesB[t],
      increment: reward.beta * delta,
      terminal: last ? (best >= reward.p0 ? reward.gamma : -reward.gamma) : 0,
    };
    return { terms, total: sumRewardTerms(terms), best, delta };
  });
}
