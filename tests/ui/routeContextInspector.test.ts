import { describe, expect, it } from 'vitest';
import { routesBefore } from '../../src/ui/inspector/EpisodeTimeline';
import { describeRouteContext } from '../../src/der/routeContext';
import { makeEpisode } from './episodeFactory';

describe('route inspector: the route context of each step', () => {
  it('lists, before each step, the experts that answered so far (a failed call is not one)', () => {
    const episode = makeEpisode(0, 0, 'q', [
      { expert: 'b', action: 1, score: 0.5 },
      { expert: 'a', action: 0, score: 0.6, error: 'HTTP 500' },
      { expert: 'c', action: 2, score: 0.7 },
      { expert: 'b', action: 1, score: 0.72 },
    ]);
    expect(routesBefore(episode)).toEqual([
      { t: 0, calls: [] },
      { t: 1, calls: [1] },
      { t: 2, calls: [1] },
      { t: 3, calls: [1, 2] },
    ]);
    const names = ['a', 'b', 'c'];
    expect(describeRouteContext(routesBefore(episode)[3], { expertCount: 3, tmax: 5 }, names)).toEqual({ step: 'step 4 of 5', last: 'c', called: 'b, c' });
  });
});
