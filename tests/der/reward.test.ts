import { describe, expect, it } from 'vitest';
import { allowedActions } from '../../src/der/actions';
import type { RewardConfig } from '../../src/der/config';
import { oracleStepTerms, stepRewardTerms } from '../../src/der/reward';

const R: RewardConfig = { alpha: 0.001, beta: 5, gamma: 2, p0: 0.73, tmax: 5 };

/** The paper's formula for the threshold rule, written out independently of the implementation. */
function paperReward(t: number, p: number, prev: number, c: number, r: RewardConfig): number {
  return p - r.alpha * c + (t > 0 ? r.beta * (p - prev) : 0) + (p >= r.p0 ? r.gamma : 0) - (t === r.tmax - 1 && p < r.p0 ? r.gamma : 0);
}

describe('stepRewardTerms, threshold rule', () => {
  it('first step: score minus cost, no increment, no bias', () => {
    const r = stepRewardTerms({ t: 0, kind: 'expert', score: 0.6, previousScore: Number.NaN, sizeB: 13 }, R, 'threshold');
    expect(r.terms.score).toBe(0.6);
    expect(r.terms.cost).toBeCloseTo(-0.013, 12);
    expect(r.terms.increment).toBe(0);
    expect(r.terms.terminal).toBe(0);
    expect(r.total).toBeCloseTo(0.587, 12);
    expect(r.done).toBe(false);
    expect(r.doneReason).toBeNull();
  });

  it('later step: β times the increment, negative when the answer got worse', () => {
    const up = stepRewardTerms({ t: 2, kind: 'expert', score: 0.65, previousScore: 0.6, sizeB: 7 }, R, 'threshold');
    expect(up.terms.increment).toBeCloseTo(5 * 0.05, 12);
    const down = stepRewardTerms({ t: 1, kind: 'expert', score: 0.5, previousScore: 0.6, sizeB: 7 }, R, 'threshold');
    expect(down.terms.increment).toBeCloseTo(-0.5, 12);
    expect(down.total).toBeCloseTo(0.5 - 0.007 - 0.5, 12);
  });

  it('success bonus +γ and the episode ends at P ≥ p0 (p0 itself counts)', () => {
    const r = stepRewardTerms({ t: 1, kind: 'expert', score: 0.73, previousScore: 0.7, sizeB: 12 }, R, 'threshold');
    expect(r.terms.terminal).toBe(2);
    expect(r.done).toBe(true);
    expect(r.doneReason).toBe('threshold');
  });

  it('Tmax penalty −γ on the last allowed call without success; success there gets +γ only', () => {
    const fail = stepRewardTerms({ t: 4, kind: 'expert', score: 0.7, previousScore: 0.69, sizeB: 7 }, R, 'threshold');
    expect(fail.terms.terminal).toBe(-2);
    expect(fail.doneReason).toBe('tmax');
    const win = stepRewardTerms({ t: 4, kind: 'expert', score: 0.8, previousScore: 0.69, sizeB: 7 }, R, 'threshold');
    expect(win.terms.terminal).toBe(2);
    expect(win.doneReason).toBe('threshold');
    const notYet = stepRewardTerms({ t: 3, kind: 'expert', score: 0.7, previousScore: 0.69, sizeB: 7 }, R, 'threshold');
    expect(notYet.terms.terminal).toBe(0);
    expect(notYet.done).toBe(false);
  });

  it('matches the paper formula over a grid of cases', () => {
    for (const t of [0, 1, 2, 3, 4]) {
      for (const p of [0.2, 0.72, 0.73, 0.9]) {
        for (const prev of [0.1, 0.75]) {
          for (const c of [6, 13]) {
            const r = stepRewardTerms({ t, kind: 'expert', score: p, previousScore: prev, sizeB: c }, R, 'threshold');
            expect(r.total).toBeCloseTo(paperReward(t, p, prev, c, R), 12);
            expect(r.total).toBeCloseTo(r.terms.score + r.terms.cost + r.terms.increment + r.terms.terminal, 12);
          }
        }
      }
    }
  });

  it('a shorter call limit (fixed-route baseline) moves the −γ to its last call', () => {
    const r = stepRewardTerms({ t: 0, kind: 'expert', score: 0.5, previousScore: Number.NaN, sizeB: 7 }, R, 'threshold', 1);
    expect(r.terms.terminal).toBe(-2);
    expect(r.doneReason).toBe('tmax');
  });
});

describe('stepRewardTerms, learned-stop rule', () => {
  it('an expert step has no success bonus and does not end at P ≥ p0', () => {
    const r = stepRewardTerms({ t: 1, kind: 'expert', score: 0.9, previousScore: 0.6, sizeB: 13 }, R, 'learned');
    expect(r.terms.terminal).toBe(0);
    expect(r.done).toBe(false);
    expect(r.total).toBeCloseTo(0.9 - 0.013 + 5 * 0.3, 12);
  });

  it('the Tmax-th call ends the episode with ±γ by the final score', () => {
    const good = stepRewardTerms({ t: 4, kind: 'expert', score: 0.8, previousScore: 0.6, sizeB: 7 }, R, 'learned');
    expect([good.terms.terminal, good.doneReason]).toEqual([2, 'tmax']);
    const bad = stepRewardTerms({ t: 4, kind: 'expert', score: 0.5, previousScore: 0.6, sizeB: 7 }, R, 'learned');
    expect([bad.terms.terminal, bad.doneReason]).toEqual([-2, 'tmax']);
  });

  it('STOP: no cost, no increment; keeps the previous score for every call left, and ±γ', () => {
    // After 2 of Tmax = 5 calls, 3 calls are left: the kept answer earns 3 × 0.8.
    const good = stepRewardTerms({ t: 2, kind: 'stop', score: 0.8, previousScore: 0.8, sizeB: 0 }, R, 'learned');
    expect(good.terms.score).toBeCloseTo(2.4, 12);
    expect([good.terms.cost, good.terms.increment, good.terms.terminal]).toEqual([0, 0, 2]);
    expect(good.total).toBeCloseTo(4.4, 12);
    expect(good.doneReason).toBe('stop');
    const bad = stepRewardTerms({ t: 1, kind: 'stop', score: 0.5, previousScore: 0.5, sizeB: 13 }, R, 'learned');
    expect(bad.terms).toEqual({ score: 2, cost: 0, increment: 0, terminal: -2 });
  });

  it('STOP makes "keep this answer" worth as much as calls that change nothing', () => {
    // Stopping after 1 call vs calling an expert that returns the same answer 4 more times (α = 0):
    // the undiscounted returns are equal, so only a real improvement (β·ΔP) can make calling pay.
    const free = { ...R, alpha: 0 };
    const stop = stepRewardTerms({ t: 1, kind: 'stop', score: 0.74, previousScore: 0.74, sizeB: 0 }, free, 'learned').total;
    let callOn = 0;
    for (let t = 1; t < 5; t++) callOn += stepRewardTerms({ t, kind: 'expert', score: 0.74, previousScore: 0.74, sizeB: 7 }, free, 'learned').total;
    expect(stop).toBeCloseTo(callOn, 12);
  });

  it('STOP is refused at t = 0 and under the threshold rule', () => {
    expect(() => stepRewardTerms({ t: 0, kind: 'stop', score: Number.NaN, previousScore: Number.NaN, sizeB: 0 }, R, 'learned')).toThrow(/t = 0/);
    expect(() => stepRewardTerms({ t: 1, kind: 'stop', score: 0.5, previousScore: 0.5, sizeB: 0 }, R, 'threshold')).toThrow(/learned/);
  });

  it('allowed-action mask: STOP only from t = 1 and only under the learned rule', () => {
    expect(allowedActions(3, 'learned', 0)).toEqual([true, true, true, false]);
    expect(allowedActions(3, 'learned', 1)).toEqual([true, true, true, true]);
    expect(allowedActions(3, 'threshold', 0)).toEqual([true, true, true]);
  });
});

describe('oracleStepTerms', () => {
  it('scores the best-so-far answer and puts the bias on the last call', () => {
    const out = oracleStepTerms([0.6, 0.5, 0.8], [7, 12, 13], R);
    expect(out.map((o) => o.best)).toEqual([0.6, 0.6, 0.8]);
    expect(out[1].delta).toBe(0);
    expect(out[2].delta).toBeCloseTo(0.2, 12);
    expect(out[2].terms.terminal).toBe(2);
    expect(out[0].terms.terminal).toBe(0);
    expect(out[2].total).toBeCloseTo(0.8 - 0.013 + 1 + 2, 12);
  });
});
