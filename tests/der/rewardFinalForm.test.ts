// The final-quality reward form (reward.form = 'final'): its return is β·(P_T − p0) ± γ − α·ΣC
// for every route, and a call that adds nothing earns exactly −α·C.
import { describe, expect, it } from 'vitest';
import type { RewardConfig } from '../../src/der/config';
import { oracleStepTerms, stepRewardTerms } from '../../src/der/reward';
import type { StopRule } from '../../src/der/actions';

const R: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 5, form: 'final' };

/** Rewards of a route of expert calls with the given scores and sizes, then STOP (learned rule) when `stop`. */
function routeRewards(scores: number[], sizes: number[], r: RewardConfig, stopRule: StopRule, stop: boolean): { total: number; done: boolean }[] {
  const out = scores.map((p, t) =>
    stepRewardTerms({ t, kind: 'expert', score: p, previousScore: t > 0 ? scores[t - 1] : Number.NaN, sizeB: sizes[t] }, r, stopRule),
  );
  if (stop)
    out.push(
      stepRewardTerms({ t: scores.length, kind: 'stop', score: scores[scores.length - 1], previousScore: scores[scores.length - 1], sizeB: 0 }, r, stopRule),
    );
  return out;
}

/** The closed form, written independently: quality above p0, the pass bias, minus the cost. */
const closedForm = (final: number, sizes: number[], r: RewardConfig) =>
  r.beta * (final - r.p0) + (final >= r.p0 ? r.gamma : -r.gamma) - r.alpha * sizes.reduce((a, b) => a + b, 0);

describe('reward form "final"', () => {
  it('the return of any learned-stop route is β·(P_T − p0) ± γ − α·ΣC', () => {
    const cases: [number[], number[]][] = [
      [[0.6], [13]],
      [
        [0.6, 0.75],
        [7, 12],
      ],
      [
        [0.8, 0.7, 0.74, 0.74],
        [16, 6, 7, 13],
      ],
      [
        [0.5, 0.55, 0.6, 0.65, 0.7],
        [7, 7, 7, 7, 7],
      ],
    ];
    for (const [scores, sizes] of cases) {
      const stop = scores.length < R.tmax;
      const rewards = routeRewards(scores, sizes, R, 'learned', stop);
      const sum = rewards.reduce((s, x) => s + x.total, 0);
      expect(sum).toBeCloseTo(closedForm(scores[scores.length - 1], sizes, R), 12);
      expect(rewards[rewards.length - 1].done).toBe(true);
      expect(rewards.slice(0, -1).every((x) => !x.done)).toBe(true);
    }
  });

  it('a call that does not change the score earns exactly −α·C, above or below p0', () => {
    for (const p of [0.6, 0.8]) {
      const r = stepRewardTerms({ t: 2, kind: 'expert', score: p, previousScore: p, sizeB: 13 }, R, 'learned');
      expect(r.total).toBeCloseTo(-0.013, 12);
      expect(r.terms.increment).toBe(0);
      expect(r.terms.terminal).toBe(0);
    }
  });

  it('STOP earns 0 (the answer is already paid for), and crossing p0 moves the pass bias by 2γ', () => {
    const stop = stepRewardTerms({ t: 2, kind: 'stop', score: 0.8, previousScore: 0.8, sizeB: 0 }, R, 'learned');
    expect(stop.total).toBe(0);
    expect(stop.doneReason).toBe('stop');
    const cross = stepRewardTerms({ t: 1, kind: 'expert', score: 0.74, previousScore: 0.72, sizeB: 12 }, R, 'learned');
    expect(cross.terms.terminal).toBe(4);
    expect(cross.terms.increment).toBeCloseTo(5 * 0.02, 12);
    const first = stepRewardTerms({ t: 0, kind: 'expert', score: 0.7, previousScore: Number.NaN, sizeB: 7 }, R, 'learned');
    expect(first.terms.increment).toBeCloseTo(5 * (0.7 - 0.73), 12);
    expect(first.terms.terminal).toBe(-2);
  });

  it('under the threshold rule the route still ends at p0 or Tmax, with the same closed-form return', () => {
    const pass = routeRewards([0.6, 0.7, 0.75], [7, 7, 12], R, 'threshold', false);
    expect(pass[2].done).toBe(true);
    expect(pass.reduce((s, x) => s + x.total, 0)).toBeCloseTo(closedForm(0.75, [7, 7, 12], R), 12);
    const fail = routeRewards([0.6, 0.6, 0.6, 0.6, 0.6], [7, 7, 7, 7, 7], R, 'threshold', false);
    expect(fail[4].done).toBe(true);
    expect(fail.reduce((s, x) => s + x.total, 0)).toBeCloseTo(closedForm(0.6, [7, 7, 7, 7, 7], R), 12);
  });

  it('a longer route with the same final answer earns less (unlike the paper form)', () => {
    const short = routeRewards([0.76], [13], R, 'learned', true).reduce((s, x) => s + x.total, 0);
    const long = routeRewards([0.7, 0.72, 0.76], [7, 7, 13], R, 'learned', true).reduce((s, x) => s + x.total, 0);
    expect(long).toBeLessThan(short);
    const paper = { ...R, form: 'paper' as const };
    const shortP = routeRewards([0.76], [13], paper, 'learned', true).reduce((s, x) => s + x.total, 0);
    const longP = routeRewards([0.7, 0.72, 0.76], [7, 7, 13], paper, 'learned', true).reduce((s, x) => s + x.total, 0);
    expect(longP).toBeGreaterThan(shortP);
  });

  it('the oracle keeps the best answer: its return is the closed form at the best score', () => {
    const scores = [0.6, 0.78, 0.7];
    const sizes = [7, 13, 12];
    const terms = oracleStepTerms(scores, sizes, R);
    expect(terms.reduce((s, x) => s + x.total, 0)).toBeCloseTo(closedForm(0.78, sizes, R), 12);
  });
});

describe('reward form "paper" (default)', () => {
  it('a config without `form` pays the paper reward', () => {
    const { form: _form, ...paper } = R;
    const r = stepRewardTerms({ t: 0, kind: 'expert', score: 0.6, previousScore: Number.NaN, sizeB: 13 }, paper, 'threshold');
    expect(r.total).toBeCloseTo(0.6 - 0.013, 12);
  });

  it('the marginal value of one more call before STOP is (Tmax − k + β)·ΔP − α·C (undiscounted, no bias change)', () => {
    const paper: RewardConfig = { ...R, form: 'paper' };
    const k = 2;
    const before = [0.75, 0.76];
    const stopNow = routeRewards(before, [7, 7], paper, 'learned', true).reduce((s, x) => s + x.total, 0);
    const dp = 0.01;
    const oneMore = routeRewards([...before, 0.76 + dp], [7, 7, 12], paper, 'learned', true).reduce((s, x) => s + x.total, 0);
    expect(oneMore - stopNow).toBeCloseTo((paper.tmax - k + paper.beta) * dp - paper.alpha * 12, 12);
  });
});
