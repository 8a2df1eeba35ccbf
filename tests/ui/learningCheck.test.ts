import { describe, expect, it } from 'vitest';
import { chanceOf, learningCheck, type IterationLike } from '../../src/ui/charts/chartData';

const chance = { policy: 'uniform random', meanReturn: -1, sd: 0.1, seeds: 10, questions: 154, meanRouteLength: 4.2 };
const it_ = (i: number, ret: number, entropy: number, withChance = true): IterationLike => ({
  iteration: i,
  summary: { meanReturn: ret, meanFinalScore: 0.7, meanRouteCost: 20, successRate: 0.5 },
  update: { entropy },
  ...(withChance ? { chance } : {}),
});

describe('learningCheck (the reward chart’s random line and verdict)', () => {
  it('is null until there is a chance level and two windows of iterations', () => {
    expect(learningCheck([it_(0, 0, 2.4), it_(1, 0, 2.3)], 2)).toBeNull();
    expect(
      learningCheck(
        [0, 1, 2, 3].map((i) => it_(i, 0, 2.4, false)),
        2,
      ),
    ).toBeNull();
    expect(chanceOf([it_(0, 0, 2.4, false)])).toBeNull();
  });

  it('compares the last window with the random line (2 sd margin) and the entropy with the first window', () => {
    const learned = [2.45, 2.44, 2.2, 2.0, 1.8, 1.7].map((h, i) => it_(i, -1 + 0.3 * i, h));
    const check = learningCheck(learned, 2)!;
    expect(check.recentReturn).toBeCloseTo((0.2 + 0.5) / 2, 12);
    expect(check.chanceReturn).toBe(-1);
    expect(check.above).toBe(true);
    expect(check.firstEntropy).toBeCloseTo(2.445, 12);
    expect(check.recentEntropy).toBeCloseTo(1.75, 12);
    expect(check.entropyFalling).toBe(true);
    // Within 2 sd of the line is not "above"; entropy that does not fall is said so.
    const flat = [0, 1, 2, 3].map((i) => it_(i, -0.85, 2.4));
    const c2 = learningCheck(flat, 2)!;
    expect(c2.above).toBe(false);
    expect(c2.entropyFalling).toBe(false);
  });
});
