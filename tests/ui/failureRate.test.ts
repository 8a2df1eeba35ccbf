// The failure-rate chart's numbers: shares per iteration (0 where nothing failed) and per-expert totals.
import { describe, expect, it } from 'vitest';
import { failureSeries } from '../../src/ui/charts/failureData';
import { report } from '../runs/runFixtures';

describe('failureSeries', () => {
  it('gives the failed share of calls and episodes per iteration, and totals per expert', () => {
    const clean = report(0, 0.1, null);
    const flaky = {
      ...report(1, 0.2, null),
      failures: {
        collected: 40,
        failedEpisodes: 8,
        unlearnableEpisodes: 3,
        calls: 100,
        failedCalls: 10,
        byExpert: { small: { calls: 60, failedCalls: 10, failedEpisodes: 8 } },
      },
    };
    const worse = {
      ...report(2, 0.3, null),
      failures: {
        collected: 32,
        failedEpisodes: 16,
        unlearnableEpisodes: 16,
        calls: 50,
        failedCalls: 25,
        byExpert: { small: { calls: 30, failedCalls: 20, failedEpisodes: 12 }, large: { calls: 20, failedCalls: 5, failedEpisodes: 4 } },
      },
    };
    const s = failureSeries([clean, flaky, worse]);
    expect(s.any).toBe(true);
    expect(s.callRate).toEqual([
      { iteration: 0, value: 0 },
      { iteration: 1, value: 0.1 },
      { iteration: 2, value: 0.5 },
    ]);
    expect(s.episodeRate).toEqual([
      { iteration: 0, value: 0 },
      { iteration: 1, value: 0.2 },
      { iteration: 2, value: 0.5 },
    ]);
    expect(s.byExpert).toEqual([
      { expert: 'small', calls: 90, failedCalls: 30, failedEpisodes: 20 },
      { expert: 'large', calls: 20, failedCalls: 5, failedEpisodes: 4 },
    ]);
  });

  it('says nothing failed for a clean run', () => {
    expect(failureSeries([report(0, 0.1, null)]).any).toBe(false);
  });
});
