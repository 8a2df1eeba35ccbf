// The browser's side of bounded runs: the run recorder samples episodes beyond the cap and deletes
// the dropped ones in the same write (storage stays under the cap while iterations are all kept),
// a resume cuts a sampled record at the unfinished iteration and carries the sampling on, and a
// sampled run exported and imported says how many episodes it kept of how many.
import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../src/runs/runRecorder';
import type { RunWrite } from '../../src/runs/runsDb';
import { storageErrorMessage } from '../../src/runs/runsDb';
import { EpisodeRetention, type RetentionSettings } from '../../src/runs/episodeRetention';
import { keptOfTotal, resumeCut, type SavedRunMeta, type StoredEpisode } from '../../src/runs/savedRun';
import { importRunFile, runToJsonl } from '../../src/runs/runFiles';
import { meta, report, smallRun } from './runFixtures';

const SETTINGS: RetentionSettings = { maxEpisodes: 60, latestIterations: 2, seed: 3, episodesPerIteration: 8 };

/** An in-memory stand-in for the IndexedDB stores that applies each RunWrite as runsDb.writeRun does. */
function fakeDb() {
  const episodes = new Map<number, StoredEpisode>();
  const iterations = new Map<number, unknown>();
  let saved: SavedRunMeta | null = null;
  return {
    episodes,
    iterations,
    meta: () => saved,
    write: async (batch: RunWrite) => {
      saved = structuredClone(batch.meta);
      for (const e of batch.episodes ?? []) episodes.set(e.seq, structuredClone(e));
      for (const it of batch.iterations ?? []) iterations.set(it.iteration, it);
      for (const seq of batch.deleteEpisodes ?? []) episodes.delete(seq);
    },
  };
}

function train(rec: RunRecorder, from: number, to: number, perIteration = 8): number[] {
  const template = smallRun().episodes[0];
  const dropped: number[] = [];
  for (let it = from; it < to; it++) {
    for (let k = 0; k < perIteration; k++) dropped.push(...rec.episode({ ...template, iteration: it, index: it * perIteration + k }));
    void rec.iteration(report(it, 0, null), null);
  }
  return dropped;
}

const sampledMeta = (): SavedRunMeta => meta({ episodesKept: 0, retention: { settings: SETTINGS, state: { olderSeen: 0, total: 0, newestIteration: -1 } } });

describe('a sampled run in storage', () => {
  it('keeps at most the cap, deletes the dropped episodes in the same write, and keeps every iteration', async () => {
    const db = fakeDb();
    const rec = new RunRecorder(sampledMeta(), { write: db.write, describeError: storageErrorMessage, onError: () => {}, retention: new EpisodeRetention(SETTINGS), batchMs: 1 });
    const dropped = train(rec, 0, 50);
    await rec.flush();
    // Reservoir 60 − 2·2·8 = 28, plus the latest two iterations (16).
    expect(db.episodes.size).toBe(44);
    expect(db.iterations.size).toBe(50);
    expect(db.meta()).toMatchObject({ episodeCount: 400, episodesKept: 44, iterationCount: 50 });
    expect(keptOfTotal(db.meta()!)).toBe('44 episodes kept of 400');
    expect(dropped.length).toBe(400 - 44);
    for (const seq of dropped) expect(db.episodes.has(seq)).toBe(false);
    for (let seq = 384; seq < 400; seq++) expect(db.episodes.has(seq)).toBe(true);
  });

  it('a resume cuts at the unfinished iteration and samples on as if never interrupted', async () => {
    const whole = fakeDb();
    const recWhole = new RunRecorder(sampledMeta(), { write: whole.write, describeError: storageErrorMessage, onError: () => {}, retention: new EpisodeRetention(SETTINGS), batchMs: 1 });
    train(recWhole, 0, 40);
    await recWhole.flush();

    const db = fakeDb();
    const rec = new RunRecorder(sampledMeta(), { write: db.write, describeError: storageErrorMessage, onError: () => {}, retention: new EpisodeRetention(SETTINGS), batchMs: 1 });
    train(rec, 0, 20);
    // Three episodes of iteration 20, then the page goes away (its iteration never closed).
    const template = smallRun().episodes[0];
    for (let k = 0; k < 3; k++) rec.episode({ ...template, iteration: 20, index: 160 + k });
    await rec.flush();
    const saved = db.meta()!;
    const cut = resumeCut([...db.episodes.values()], saved.iterationCount, saved.episodeCount);
    expect(cut.fromSeq).toBe(160);
    for (let seq = 160; seq < 163; seq++) db.episodes.delete(seq);
    const state = { ...saved.retention!.state, total: cut.fromSeq };
    const resumed = new RunRecorder({ ...saved, episodeCount: cut.fromSeq, episodesKept: cut.kept.length, retention: { settings: SETTINGS, state } }, {
      write: db.write, describeError: storageErrorMessage, onError: () => {}, batchMs: 1,
      retention: new EpisodeRetention(SETTINGS, { state, kept: cut.kept.map((e) => ({ index: e.seq, iteration: e.record.iteration })) }),
    }, true);
    train(resumed, 20, 40);
    await resumed.flush();
    expect([...db.episodes.keys()].sort((a, b) => a - b)).toEqual([...whole.episodes.keys()].sort((a, b) => a - b));
    expect(db.meta()).toMatchObject({ episodeCount: 320, episodesKept: whole.episodes.size });
  });

  it('exported, the header says how many are kept of how many; imported, the counts come back', () => {
    const { episodes, iterations } = smallRun();
    const m = { ...sampledMeta(), episodeCount: 50, episodesKept: episodes.length, iterationCount: 2 };
    const text = runToJsonl(m, episodes, iterations);
    expect(JSON.parse(text.split('\n')[0]).retention).toEqual({ maxEpisodes: 60, latestIterations: 2, seed: 3, kept: 5, total: 50 });
    const imported = importRunFile(text, 'sampled.jsonl');
    expect(imported.meta.episodeCount).toBe(50);
    expect(imported.meta.episodesKept).toBe(5);
    expect(imported.episodes.map((e) => e.seq)).toEqual(episodes.map((e) => e.index));
  });
});
