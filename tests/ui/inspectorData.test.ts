import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, doneReasonText, filterEpisodes, questionText } from '../../src/ui/inspector/episodeFilter';
import { compareRoutes, comparisonNote } from '../../src/ui/inspector/stepDiff';
import { previousAnswers } from '../../src/ui/inspector/EpisodeTimeline';
import { runTotals } from '../../src/ui/controls/runTotals';
import { makeEpisode } from './episodeFactory';

const episodes = [
  makeEpisode(0, 0, 'What is the capital of France?', [{ expert: 'koala-7B', action: 0, score: 0.8 }]),
  makeEpisode(1, 0, 'Explain photosynthesis', [
    { expert: 'koala-7B', action: 0, score: 0.5 },
    { expert: 'Vicuna-13B', action: 1, score: 0.6 },
  ]),
  makeEpisode(2, 1, 'Capital of Spain?', [
    { expert: 'alpaca-13B', action: 2, score: 0.4 },
    { expert: 'STOP', action: 3, score: 0.4, cost: 0 },
  ]),
];

describe('episode filter', () => {
  it('searches question text and id, case-insensitively', () => {
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, query: 'capital' }, 0.73).map((e) => e.index)).toEqual([0, 2]);
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, query: 'Q1' }, 0.73).map((e) => e.index)).toEqual([1]);
    expect(questionText(episodes[1])).toBe('Explain photosynthesis');
  });

  it('filters by route length, success and expert used (STOP is not an expert)', () => {
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, routeLength: 1 }, 0.73).map((e) => e.index)).toEqual([0, 2]);
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, success: 'yes' }, 0.73).map((e) => e.index)).toEqual([0]);
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, success: 'no' }, 0.73).map((e) => e.index)).toEqual([1, 2]);
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, expert: 'Vicuna-13B' }, 0.73).map((e) => e.index)).toEqual([1]);
    expect(filterEpisodes(episodes, { ...EMPTY_FILTER, expert: 'STOP' }, 0.73)).toEqual([]);
  });

  it('explains every done reason in words', () => {
    expect(doneReasonText('threshold', 0.73, 5)).toContain('p0 = 0.73');
    expect(doneReasonText('tmax', 0.73, 5)).toContain('Tmax = 5');
    expect(doneReasonText('stop', 0.73, 5)).toContain('STOP');
    expect(doneReasonText('error', 0.73, 5)).toContain('failed');
  });
});

describe('timeline helpers', () => {
  it('diffs each answer against the last successful answer before it', () => {
    const e = makeEpisode(5, 0, 'q', [
      { expert: 'a', action: 0, score: 0.5, answer: 'A' },
      { expert: 'b', action: 1, score: Number.NaN, answer: '', error: 'HTTP 500' },
      { expert: 'c', action: 2, score: 0.6, answer: 'C' },
    ]);
    expect(previousAnswers(e)).toEqual([null, 'A', 'A']);
  });

  it('compares a replayed route with the recording step by step', () => {
    const replayed = makeEpisode(-1, 2, 'Explain photosynthesis', [
      { expert: 'koala-7B', action: 0, score: 0.5 },
      { expert: 'alpaca-13B', action: 2, score: 0.7 },
      { expert: 'Vicuna-13B', action: 1, score: 0.75 },
    ]);
    const c = compareRoutes(episodes[1], replayed);
    expect(c.map((s) => s.sameExpert)).toEqual([true, false, false]);
    expect(comparisonNote(c[0])).toBe('same as recording');
    expect(comparisonNote(c[1])).toBe('differs: recording chose Vicuna-13B');
    expect(comparisonNote(c[2])).toBe('recording had ended here');
  });
});

describe('run totals for the status line', () => {
  it('counts calls (not STOP), cache hits, tokens and money from the steps', () => {
    const e = [
      makeEpisode(0, 0, 'q', [
        { expert: 'a', action: 0, score: 0.5, cached: false, tokens: [10, 20], costUSD: 0.001 },
        { expert: 'b', action: 1, score: 0.6, cached: true, tokens: [30, 5], costUSD: 0 },
        { expert: 'STOP', action: 3, score: 0.6, cost: 0 },
      ]),
      makeEpisode(1, 0, 'q', [{ expert: 'a', action: 0, score: 0.5, cost: 13, cached: true }]),
    ];
    const t = runTotals(e);
    expect(t).toMatchObject({ calls: 3, cacheHits: 2, tokens: 65, paramsB: 7 + 7 + 13 });
    expect(t.costUSD).toBeCloseTo(0.001, 12);
    // Memoised per episode: the same objects give the same totals, a new episode adds to them.
    expect(runTotals([...e, makeEpisode(2, 1, 'q', [{ expert: 'a', action: 0, score: 0.1 }])]).calls).toBe(4);
  });
});
