import { describe, expect, it } from 'vitest';
import { summarizeEpisodes } from '../../src/der/metrics';
import { flatIterationMetrics } from '../../src/der/runRecordIO';
import type { EpisodeRecord, StepRecord } from '../../src/der/runRecord';
import { EXPERTS } from './fakes';

/** A hand-built episode: expert actions with their scores, then optionally STOP or a failed call. */
function episode(actions: number[], scores: number[], end: 'done' | 'stop' | 'error', ret: number): EpisodeRecord {
  const steps: StepRecord[] = actions.map((a, t) => ({
    t,
    action: a,
    expert: EXPERTS[a].name,
    cost: EXPERTS[a].sizeB,
    prompt: '',
    answer: '',
    score: scores[t],
    delta: t > 0 ? scores[t] - scores[t - 1] : 0,
    reward: 0,
    terms: { score: 0, cost: 0, increment: 0, terminal: 0 },
    probs: [],
    logProb: 0,
    value: 0,
    done: false,
    done_reason: null,
  }));
  const t = steps.length;
  const base = {
    t,
    cost: 0,
    prompt: '',
    answer: '',
    delta: 0,
    reward: 0,
    terms: { score: 0, cost: 0, increment: 0, terminal: 0 },
    probs: [],
    logProb: 0,
    value: 0,
    done: true,
  };
  if (end === 'stop') steps.push({ ...base, action: EXPERTS.length, expert: 'STOP', score: scores[t - 1], done_reason: 'stop' });
  if (end === 'error') steps.push({ ...base, action: 0, expert: EXPERTS[0].name, score: Number.NaN, done_reason: 'error', error: 'boom' });
  return {
    type: 'episode',
    iteration: 0,
    index: 0,
    question_id: 'q',
    policy: 'test',
    steps,
    return: ret,
    final_score: scores[actions.length - 1],
    route_length: actions.length,
    route_cost: actions.reduce((s, a) => s + EXPERTS[a].sizeB, 0),
    done_reason: end === 'done' ? 'threshold' : end,
    ...(end === 'error' ? { failed: true } : {}),
  };
}

describe('summarizeEpisodes', () => {
  const episodes = [
    episode([0, 1], [0.5, 0.7], 'done', 1),
    episode([0, 1, 2], [0.4, 0.5, 0.8], 'done', 2),
    episode([2], [0.9], 'stop', 3),
    episode([1], [0.6], 'error', 100),
  ];
  const s = summarizeEpisodes(episodes, { expertCount: 3, tmax: 3, p0: 0.73 });

  it('means over the episodes that did not fail', () => {
    expect(s.episodes).toBe(4);
    expect(s.failed).toBe(1);
    expect(s.meanReturn).toBeCloseTo(2, 12);
    expect(s.meanFinalScore).toBeCloseTo(0.8, 12);
    expect(s.meanRouteLength).toBeCloseTo(2, 12);
    expect(s.meanRouteCost).toBeCloseTo((19 + 32 + 13) / 3, 12);
    expect(s.successRate).toBeCloseTo(2 / 3, 12);
    expect(s.routeLengthHistogram).toEqual([1, 1, 1]);
  });

  it('ΔP by step index (t ≥ 1) with mean, population std and count', () => {
    expect(s.deltaByStep.map((d) => d.t)).toEqual([1, 2]);
    expect(s.deltaByStep[0].mean).toBeCloseTo(0.15, 12);
    expect(s.deltaByStep[0].std).toBeCloseTo(0.05, 12);
    expect(s.deltaByStep[0].n).toBe(2);
    expect(s.deltaByStep[1]).toMatchObject({ n: 1, std: 0 });
    expect(s.deltaByStep[1].mean).toBeCloseTo(0.3, 12);
  });

  it('ΔP by expert transition and expert usage per step; STOP and failed calls are not calls', () => {
    expect(s.transitionCount).toEqual([
      [0, 2, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expect(s.transitionDelta[0][1]).toBeCloseTo(0.15, 12);
    expect(s.transitionDelta[1][2]).toBeCloseTo(0.3, 12);
    expect(Number.isNaN(s.transitionDelta[2][0])).toBe(true);
    expect(s.expertUsageByStep).toEqual([
      [2, 1, 1],
      [0, 2, 0],
      [0, 0, 1],
    ]);
  });

  it('flattens to iteration metrics and copes with no episodes', () => {
    const m = flatIterationMetrics({ iteration: 0, episodes: s.episodes, summary: s, update: null });
    expect(m.routeLength_2).toBe(1);
    expect(m.deltaP_t1).toBeCloseTo(0.15, 12);
    const empty = summarizeEpisodes([], { expertCount: 3, tmax: 3, p0: 0.73 });
    expect(Number.isNaN(empty.meanReturn)).toBe(true);
    expect(empty.routeLengthHistogram).toEqual([0, 0, 0]);
  });
});
