// Episode retention beyond a cap: the latest iterations whole, a seeded uniform reservoir of older
// episodes, the cap held, reproducible from the seed and resumable from its saved state; and the
// CLI's run file that applies it (metrics whole, episodes ≤ cap, the header says N kept of M).
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EpisodeRetention, type RetentionSettings } from '../../src/runs/episodeRetention';
import { RunFileWriter } from '../../src/cli/runFileWriter';
import { parseRunFile } from '../../src/der/runRecordIO';
import { header, smallRun, report } from './runFixtures';

/** Feed `iterations` × `perIteration` episodes; returns the kept indices. */
function feed(retention: EpisodeRetention, iterations: number, perIteration: number, from = 0): Set<number> {
  const kept = new Set<number>();
  for (let i = 0; i < from * perIteration; i++) kept.add(i);
  for (let it = from; it < iterations; it++) {
    for (let k = 0; k < perIteration; k++) {
      const index = it * perIteration + k;
      kept.add(index);
      for (const dropped of retention.add(index, it)) kept.delete(dropped);
    }
  }
  return kept;
}

// Reservoir 300 − 2·5·10 = 200, window 50: 250 kept beyond the cap.
const SETTINGS: RetentionSettings = { maxEpisodes: 300, latestIterations: 5, seed: 7, episodesPerIteration: 10 };

describe('EpisodeRetention', () => {
  it('keeps every episode while under the cap', () => {
    const r = new EpisodeRetention(SETTINGS);
    const kept = feed(r, 20, 10);
    expect(kept.size).toBe(200);
    expect(r.kept).toBe(200);
    expect(r.total).toBe(200);
  });

  it('beyond the cap: at most the cap, all of the latest iterations, and a uniform sample of the older ones', () => {
    const r = new EpisodeRetention(SETTINGS);
    const kept = feed(r, 400, 10);
    expect(kept.size).toBe(250);
    expect(r.kept).toBe(250);
    expect(r.total).toBe(4000);
    for (let index = 3950; index < 4000; index++) expect(kept.has(index)).toBe(true);
    // 200 reservoir episodes out of 3950 older ones: each quarter of the older stream holds ~50
    // (binomial sd ≈ 6; the seed is fixed, so this is one deterministic draw).
    const older = [...kept].filter((i) => i < 3950);
    expect(older).toHaveLength(200);
    for (let q = 0; q < 4; q++) {
      const inQuarter = older.filter((i) => i >= (q * 3950) / 4 && i < ((q + 1) * 3950) / 4).length;
      expect(inQuarter).toBeGreaterThan(30);
      expect(inQuarter).toBeLessThan(70);
    }
  });

  it('is reproducible from the seed, and another seed keeps other episodes', () => {
    const a = feed(new EpisodeRetention(SETTINGS), 100, 10);
    const b = feed(new EpisodeRetention(SETTINGS), 100, 10);
    const c = feed(new EpisodeRetention({ ...SETTINGS, seed: 8 }), 100, 10);
    expect([...a].sort((x, y) => x - y)).toEqual([...b].sort((x, y) => x - y));
    expect([...a].sort((x, y) => x - y)).not.toEqual([...c].sort((x, y) => x - y));
  });

  it('carries on after a resume exactly as an uninterrupted run', () => {
    const whole = feed(new EpisodeRetention(SETTINGS), 120, 10);
    const first = new EpisodeRetention(SETTINGS);
    const keptFirst = feed(first, 60, 10);
    const resumed = new EpisodeRetention(SETTINGS, { state: first.state, kept: [...keptFirst].map((index) => ({ index, iteration: Math.floor(index / 10) })) });
    const keptAfter = new Set(keptFirst);
    for (let it = 60; it < 120; it++) {
      for (let k = 0; k < 10; k++) {
        keptAfter.add(it * 10 + k);
        for (const d of resumed.add(it * 10 + k, it)) keptAfter.delete(d);
      }
    }
    expect([...keptAfter].sort((x, y) => x - y)).toEqual([...whole].sort((x, y) => x - y));
  });

  it('holds the cap when iterations outgrow the room kept for them', () => {
    const r = new EpisodeRetention(SETTINGS);
    const kept = feed(r, 100, 40);
    expect(kept.size).toBeLessThanOrEqual(300);
    expect(r.kept).toBe(kept.size);
  });

  it('refuses a cap below one', () => {
    expect(() => new EpisodeRetention({ ...SETTINGS, maxEpisodes: 0 })).toThrow(/maxEpisodes/);
  });
});

describe('RunFileWriter', () => {
  it('keeps every iteration line and at most the cap of episodes; the header says how many are kept of how many', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'der-retention-')), 'run.jsonl');
    const template = smallRun().episodes[0];
    const writer = new RunFileWriter(path, header(), { retention: { maxEpisodes: 100, latestIterations: 3, seed: 1, episodesPerIteration: 8 }, compactAfter: 50 });
    let largest = 0;
    for (let it = 0; it < 200; it++) {
      for (let k = 0; k < 8; k++) writer.episode({ ...template, iteration: it, index: it * 8 + k });
      writer.iteration(report(it, it / 200, null));
      largest = Math.max(largest, statSync(path).size);
    }
    writer.close();
    const run = parseRunFile(readFileSync(path, 'utf8'));
    expect(run.iterations.map((r) => r.iteration)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // Reservoir 100 − 2·3·8 = 52, plus the latest 3 iterations (24).
    expect(run.episodes.length).toBe(76);
    expect(run.header.retention).toEqual({ maxEpisodes: 100, latestIterations: 3, seed: 1, kept: 76, total: 1600 });
    // The latest 3 iterations whole, in order.
    expect(run.episodes.slice(-24).map((e) => e.index)).toEqual(Array.from({ length: 24 }, (_, i) => 1576 + i));
    const indices = run.episodes.map((e) => e.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    // Bounded on disk the whole time: cap + the dropped episodes awaiting compaction (+ metrics lines).
    const episodeBytes = JSON.stringify(template).length + 1;
    expect(largest).toBeLessThan((100 + 50 + 8) * episodeBytes + readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('{"type":"iteration"')).join('\n').length + 4096);
    expect(writer.compactions).toBeGreaterThan(0);
  });

  it('without retention keeps every episode and writes no retention field', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'der-retention-')), 'run.jsonl');
    const { episodes, iterations } = smallRun();
    const writer = new RunFileWriter(path, header(), { retention: null });
    for (const e of episodes) writer.episode(e);
    for (const it of iterations) writer.iteration(it);
    writer.close();
    const run = parseRunFile(readFileSync(path, 'utf8'));
    expect(run.episodes).toHaveLength(episodes.length);
    expect(run.header.retention).toBeUndefined();
  });
});
