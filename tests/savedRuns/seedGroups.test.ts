import { describe, expect, it } from 'vitest';
import { configKeyWithoutSeed, groupBySeed, meanStdCurve, type CurveRun } from '../../src/ui/savedRuns/seedGroups';
import { DEFAULT_CONFIG, presetConfig } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';

const run = (id: string, config: ExperimentConfig, values: number[]): CurveRun => ({ id, name: id, config, points: values.map((v, i) => [i, v] as const) });
const withSeed = (seed: number, config = DEFAULT_CONFIG): ExperimentConfig => ({ ...structuredClone(config), seed });

/** The same config with every object's keys in reverse order (JSON key order must not matter). */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    ) as T;
  return value;
}

describe('seed grouping', () => {
  it('groups runs whose configs differ only by seed, and nothing else', () => {
    const alpha = withSeed(3);
    alpha.reward = { ...alpha.reward, alpha: 0.01 };
    const split = withSeed(4);
    split.dataset = { ...split.dataset, splitSeed: 7 };
    const groups = groupBySeed([
      run('s1', withSeed(1), [0]),
      run('alpha', alpha, [0]),
      run('s2', reversedKeys(withSeed(2)), [0]),
      run('split', split, [0]),
      run('ref', withSeed(1, presetConfig('reference')), [0]),
    ]);
    expect(groups.map((g) => g.runs.map((r) => r.id))).toEqual([['s1', 's2'], ['alpha'], ['split'], ['ref']]);
    expect(groups[0].seeds).toEqual([1, 2]);
    expect(groups[0].label).toMatch(/N=2 \(seeds 1, 2\)/);
    // Two tuned groups with different knobs get told apart in their labels.
    expect(new Set(groups.map((g) => g.label)).size).toBe(4);
    expect(configKeyWithoutSeed(withSeed(1))).toBe(configKeyWithoutSeed(withSeed(99)));
    expect(configKeyWithoutSeed(withSeed(1))).not.toBe(configKeyWithoutSeed(alpha));
  });

  it('computes mean and sample std per iteration, with N counting the runs that reached it', () => {
    const curve = meanStdCurve([run('a', withSeed(1), [1, 2, 4]), run('b', withSeed(2), [3, 6]), run('c', withSeed(3), [2, Number.NaN])]);
    expect(curve.map((p) => p.n)).toEqual([3, 2, 1]);
    expect(curve[0].mean).toBeCloseTo(2);
    expect(curve[0].std).toBeCloseTo(1); // values 1, 3, 2: sample variance 1
    expect(curve[1].mean).toBeCloseTo(4);
    expect(curve[1].std).toBeCloseTo(Math.SQRT2 * 2); // values 2, 6: variance 8
    expect(curve[2]).toEqual({ iteration: 2, mean: 4, std: 0, n: 1 });
  });
});
