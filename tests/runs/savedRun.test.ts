import { describe, expect, it } from 'vitest';
import { effectiveStatus, isResumable, iterationRecordToReport, iterationReportToRecord, learnedEpisodeCount, packWeights, unpackWeights } from '../../src/runs/savedRun';
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

  it('turns iteration reports into run file lines and back', () => {
    const r = report(3, 0.5, update(7, -0.03));
    const back = iterationRecordToReport(iterationReportToRecord(r), 2);
    expect(back.summary).toEqual(r.summary);
    const { skipReason: _dropped, ...numeric } = r.update!;
    expect(back.update).toEqual(numeric); // the skip reason is text and the run file keeps numbers only
    expect(iterationRecordToReport(iterationReportToRecord(report(0, 1, null)), 0).update).toBeNull();
  });

  it('packs weights as float32 and unpacks them', () => {
    const packed = packWeights([{ name: 'w', shape: [3], data: [0.1, 2, -3] }]);
    expect(packed[0].data).toBeInstanceOf(Float32Array);
    expect(unpackWeights(packed)[0].data).toEqual([Math.fround(0.1), 2, -3]);
  });
});
