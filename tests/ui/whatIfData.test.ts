import { describe, expect, it } from 'vitest';
import { rescoreEpisodes } from '../../src/der/rescore';
import { REFERENCE_REWARD } from '../../src/der/presets';
import { whatIfRows } from '../../src/ui/whatif/whatIfData';
import { dashboardSummaries } from '../../src/ui/charts/dashboardData';
import { makeEpisode } from './episodeFactory';

// Recorded under the threshold rule with p0 = 0.73: routes end at the first score ≥ 0.73 or at Tmax.
const recorded = [
  makeEpisode(0, 0, 'q0', [
    { expert: 'a', action: 0, score: 0.5 },
    { expert: 'b', action: 1, score: 0.75 },
  ]),
  makeEpisode(1, 0, 'q1', [{ expert: 'a', action: 0, score: 0.8 }]),
  makeEpisode(2, 1, 'q2', [
    { expert: 'b', action: 1, score: 0.6 },
    { expert: 'a', action: 0, score: 0.65 },
    { expert: 'c', action: 2, score: 0.74 },
  ]),
];

describe('what-if rows', () => {
  it('groups recorded and re-scored mean returns by iteration', () => {
    const same = rescoreEpisodes(recorded, REFERENCE_REWARD, 'threshold');
    const rows = whatIfRows(recorded, same.episodes);
    expect(rows.map((r) => r.iteration)).toEqual([0, 1]);
    expect(rows[0].recorded).toBeCloseTo((recorded[0].return + recorded[1].return) / 2, 12);
    expect(rows[1].recorded).toBeCloseTo(recorded[2].return, 12);
  });

  it('a larger α lowers every what-if return without changing stop points', () => {
    const base = whatIfRows(recorded, rescoreEpisodes(recorded, REFERENCE_REWARD, 'threshold').episodes);
    const costly = whatIfRows(recorded, rescoreEpisodes(recorded, { ...REFERENCE_REWARD, alpha: 0.02 }, 'threshold').episodes);
    costly.forEach((r, i) => {
      expect(r.whatIf).toBeLessThan(base[i].whatIf);
      expect(r.earlier + r.later).toBe(0);
    });
  });

  it('a lower p0 ends routes earlier; a higher one would go on past the recording', () => {
    const lower = whatIfRows(recorded, rescoreEpisodes(recorded, { ...REFERENCE_REWARD, p0: 0.55 }, 'threshold').episodes);
    // Episode 2 stops at its first answer (0.6 ≥ 0.55); episode 0's first answer 0.5 is still below.
    expect(lower.map((r) => r.earlier)).toEqual([0, 1]);
    const higher = whatIfRows(recorded, rescoreEpisodes(recorded, { ...REFERENCE_REWARD, p0: 0.9 }, 'threshold').episodes);
    expect(higher.map((r) => r.later)).toEqual([2, 1]);
  });

  it('refuses lists of different lengths', () => {
    expect(() => whatIfRows(recorded, [])).toThrow(/same list/);
  });
});

describe('dashboard summaries', () => {
  it('summarises the latest iteration (a suffix) and the whole run', () => {
    const s = dashboardSummaries(recorded, { expertCount: 3, tmax: 5, p0: 0.73 });
    expect(s.lastIteration).toBe(1);
    expect(s.last.episodes).toBe(1);
    expect(s.all.episodes).toBe(3);
    expect(s.last.routeLengthHistogram).toEqual([0, 0, 1, 0, 0]);
    expect(s.all.routeLengthHistogram).toEqual([1, 1, 1, 0, 0]);
    // Expert b then a (ΔP = 0.05), a then b (0.25), a then c (0.09).
    expect(s.all.transitionCount[0][1]).toBe(1);
    expect(s.all.transitionDelta[0][1]).toBeCloseTo(0.25, 12);
    expect(s.all.transitionDelta[1][0]).toBeCloseTo(0.05, 12);
  });
});
