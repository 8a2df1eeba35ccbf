import { describe, expect, it } from 'vitest';
import { effectiveStatus, isResumable, learnedEpisodeCount, packWeights, unpackWeights } from '../../src/runs/savedRun';
import { flatIterationMetrics, iterationFromFlatMetrics, upgradeIteration } from '../../src/der/runRecordIO';
import { meta, report, smallRun, update } from './runFixtures';

describe('saved run rules', () => {
  it('keeps on resume only the episodes of finished iterations', () => {
    const { episodes } = smallRun();
    expect(learnedEpisodeCount(episodes, 2)).toBe(4);
    expect(learnedEpisodeCount(episodes, 0)).toBe(0);
    expect(learnedEpisodeCount(episodes, 3)).toBe(5);
  });

  it('calls a run interrupted when it says running but no worker trains it', () => {
    const m = meta({ status: 'running' });
    expect(effectiveStatus(m, null)).toBe('interrupted');
    expect(effectiveStatus(m, 'run-1')).toBe('running');
    expect(effectiveStatus(meta({ status: 'paused' }), null)).toBe('paused');
  });

  it('resumes only unfinished runs that have weights for what they learned', () => {
    expect(isResumable(meta({ status: 'interrupted', iterationCount: 2, hasWeights: true }))).toBe(true);
    expect(isResumable(meta({ status: 'interrupted', iterationCount: 2, hasWeights: false }))).toBe(false);
    expect(isResumable(meta({ status: 'paused', iterationCount: 0 }))).toBe(true);
    expect(isResumable(meta({ status: 'finished', iterationCount: 2, hasWeights: true }))).toBe(false);
    expect(isResumable(meta({ status: 'paused', iterationCount: 30, hasWeights: true }))).toBe(false);
  });

  it('reads the flat iteration metrics of older run files and saved runs as an IterationRecord', () => {
    const r = report(3, 0.5, update(7, -0.03));
    r.summary.routeLengthHistogram = [1, 0, 1];
    r.summary.deltaByStep = [{ t: 1, mean: 0.2, std: 0.1, n: 2 }];
    const back = iterationFromFlatMetrics(3, flatIterationMetrics(r));
    expect(back.summary.meanReturn).toBe(0.5);
    expect(back.summary.routeLengthHistogram).toEqual([1, 0, 1]);
    expect(back.summary.deltaByStep).toEqual([{ t: 1, mean: 0.2, std: NaN, n: NaN }]); // the flat form kept only the mean
    const { skipReason: _dropped, ...numeric } = r.update!;
    expect(back.update).toEqual(numeric); // the skip reason is text and the flat form keeps numbers only
    expect(iterationFromFlatMetrics(0, flatIterationMetrics(report(0, 1, null))).update).toBeNull();
    // A report saved in IndexedDB by an older version (flat summary) is upgraded; a current one is kept as is.
    const old = { iteration: 1, episodes: 2, summary: { episodes: 2, meanReturn: 0.25, routeLength_1: 2 }, update: null };
    expect(upgradeIteration(old).summary).toMatchObject({ meanReturn: 0.25, routeLengthHistogram: [2] });
    expect(upgradeIteration(r)).toBe(r);
  });

  it('packs weights as float32 and unpacks them', () => {
    const packed = packWeights([{ name: 'w', shape: [3], data: [0.1, 2, -3] }]);
    expect(packed[0].data).toBeInstanceOf(Float32Array);
    expect(unpackWeights(packed)[0].data).toEqual([Math.fround(0.1), 2, -3]);
  });
});
