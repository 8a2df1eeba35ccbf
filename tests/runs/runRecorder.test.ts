import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../src/runs/runRecorder';
import type { RunWrite } from '../../src/runs/runsDb';
import { storageErrorMessage } from '../../src/runs/runsDb';
import { packWeights } from '../../src/runs/savedRun';
import { meta, report, smallRun, update } from './runFixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quotaError(): Error {
  const err = new Error('The quota has been exceeded.');
  err.name = 'QuotaExceededError';
  return err;
}

function recorder(write: (batch: RunWrite) => Promise<void>, errors: string[] = []) {
  return new RunRecorder(meta(), { write, describeError: storageErrorMessage, onError: (m) => errors.push(m), batchMs: 20 });
}

describe('RunRecorder', () => {
  it('writes a burst of episodes as one batch, and an iteration with its weights at once', async () => {
    const writes: RunWrite[] = [];
    const rec = recorder(async (b) => void writes.push(structuredClone(b)));
    const { episodes } = smallRun();
    episodes.slice(0, 2).forEach((e) => rec.episode(e));
    expect(writes).toHaveLength(0);
    await sleep(60);
    expect(writes).toHaveLength(1);
    expect(writes[0].episodes!.map((e) => e.seq)).toEqual([0, 1]);
    expect(writes[0].meta.episodeCount).toBe(2);
    await rec.iteration(report(0, 0.25, update(4, -0.01)), packWeights([{ name: 'w', shape: [1], data: [0.5] }]));
    expect(writes).toHaveLength(2);
    expect(writes[1].meta).toMatchObject({ iterationCount: 1, optimizerSteps: 4, lastMeanReturn: 0.25, hasWeights: true });
    expect(writes[1].weights?.iterations).toBe(1);
    rec.episode(episodes[2]);
    await rec.status('paused');
    expect(writes[2].episodes!.map((e) => e.seq)).toEqual([2]);
  });

  it('on a full disk reports once, keeps the saved prefix, and writes nothing after', async () => {
    const writes: RunWrite[] = [];
    const errors: string[] = [];
    let full = false;
    const rec = recorder(async (b) => {
      if (full && b.episodes?.length) throw quotaError();
      writes.push(structuredClone(b));
    }, errors);
    const { episodes } = smallRun();
    rec.episode(episodes[0]);
    await rec.flush();
    full = true;
    rec.episode(episodes[1]);
    await rec.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Storage full: delete old runs or export them/);
    // The note is written on the meta of what IS saved (one episode), not of what was attempted.
    expect(writes.at(-1)!.episodes).toBeUndefined();
    expect(writes.at(-1)!.meta).toMatchObject({ episodeCount: 1, storageError: errors[0] });
    const before = writes.length;
    full = false;
    rec.episode(episodes[2]);
    await rec.iteration(report(0, 0.25, null), null);
    await rec.status('finished');
    expect(writes).toHaveLength(before);
    expect(rec.error).toBe(errors[0]);
  });
});
