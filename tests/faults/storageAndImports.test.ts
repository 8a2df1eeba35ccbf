// Faults of storage: a full disk while a run is being saved (QuotaExceededError), and corrupt files
// offered for import (run JSONL, cache JSONL, weights JSON). A full disk gives one clear message and
// keeps what was saved; a corrupt file is rejected with the place named and nothing overwritten.
import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../src/runs/runRecorder';
import { storageErrorMessage, type RunWrite } from '../../src/runs/runsDb';
import { crashCounter, failingAfter, faultParamFromUrl, parseFaults } from '../../src/worker/faultInjection';
import { importRunFile, importWeightsFile, runToJsonl, weightsToJson } from '../../src/runs/runFiles';
import { packWeights, type StoredEpisode } from '../../src/runs/savedRun';
import { deserializeWeights, serializeWeights } from '../../src/agent/weightsIO';
import { loadWeightsFile } from '../../src/agent/weightsFile';
import { meta, report, smallRun, update } from '../runs/runFixtures';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../src/der/errorMessage';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An in-memory stand-in for runsDb.writeRun with IndexedDB's all-or-nothing transactions. */
function memoryDb() {
  const episodes = new Map<number, StoredEpisode>();
  let savedMeta: RunWrite['meta'] | null = null;
  const write = async (batch: RunWrite) => {
    savedMeta = structuredClone(batch.meta);
    for (const e of batch.episodes ?? []) episodes.set(e.seq, structuredClone(e));
  };
  return { write, episodes, meta: () => savedMeta };
}

describe('the ?fault= debug switch', () => {
  it('parses known entries only, and nothing without the parameter', () => {
    expect(parseFaults(faultParamFromUrl('?backend=wasm'))).toEqual({});
    expect(parseFaults(faultParamFromUrl('?fault=worker-crash-after=3,quota-after=2'))).toEqual({ crashAfterEpisodes: 3, quotaAfterWrites: 2 });
    expect(parseFaults('rm -rf=1,quota-after=x,worker-crash-after=-1')).toEqual({});
  });

  it('worker-crash-after=N reports an error and closes the worker at the N-th episode, once', () => {
    const calls: string[] = [];
    const scope = { close: () => calls.push('close'), reportError: (e: unknown) => calls.push(`error: ${errorMessage(e)}`) };
    const onEpisode = crashCounter({ crashAfterEpisodes: 2 }, scope);
    onEpisode();
    expect(calls).toEqual([]);
    onEpisode();
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^error: Injected fault .*crashed on purpose after 2 episodes/);
    expect(calls[1]).toBe('close');
    onEpisode();
    expect(calls).toHaveLength(2);
    // Without the fault nothing ever happens.
    const quiet = crashCounter({}, scope);
    for (let i = 0; i < 10; i++) quiet();
    expect(calls).toHaveLength(2);
  });
});

describe('IndexedDB quota exceeded while saving a run', () => {
  it('one clear message; the saved episodes and counts stay intact; training-side calls never throw', async () => {
    const db = memoryDb();
    const errors: string[] = [];
    const rec = new RunRecorder(meta(), { write: failingAfter(db.write, 2), describeError: storageErrorMessage, onError: (m) => errors.push(m), batchMs: 10 });
    const { episodes } = smallRun();
    rec.episode(episodes[0]);
    rec.episode(episodes[1]);
    await rec.flush(); // write 1
    await rec.iteration(report(0, 0.3, update(4, -0.01)), packWeights([{ name: 'w', shape: [1], data: [0.5] }])); // write 2
    const savedBefore = structuredClone(db.meta());
    rec.episode(episodes[2]); // write 3 fails: the disk is full
    rec.episode(episodes[3]);
    await sleep(30);
    await rec.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Storage full: delete old runs or export them \(Runs tab\)\. The run keeps training; what was saved before stays intact/);
    expect(rec.error).toBe(errors[0]);
    // What was saved is untouched: two episodes, one iteration; the run's meta notes why saving stopped.
    expect([...db.episodes.keys()]).toEqual([0, 1]);
    expect(db.meta()).toEqual({ ...savedBefore, storageError: errors[0] });
    expect(db.meta()).toMatchObject({ episodeCount: 2, iterationCount: 1, hasWeights: true });
    // Later calls are accepted quietly (training goes on) and write nothing.
    rec.episode(episodes[4]);
    await rec.iteration(report(1, 0.4, null), null);
    await rec.status('paused');
    expect(errors).toHaveLength(1);
    expect([...db.episodes.keys()]).toEqual([0, 1]);
  });

  it('the injected error is the DOMException a browser throws', async () => {
    const write = failingAfter(async () => {}, 0);
    expect(await write({ meta: meta() })).toBeUndefined(); // a meta-only write still fits
    const { episodes } = smallRun();
    const error = await write({ meta: meta(), episodes: [{ runId: 'run-1', seq: 0, record: episodes[0] }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('QuotaExceededError');
    expect(storageErrorMessage(error)).toMatch(/^Storage full/);
  });
});

describe('corrupt import files are rejected, nothing overwritten', () => {
  it('a run file cut off mid-line names the file and the line; a valid one becomes a NEW run', () => {
    const { episodes, iterations } = smallRun();
    const text = runToJsonl(meta({ episodeCount: 5, iterationCount: 2 }), episodes, iterations.slice(0, 2));
    const lines = text.trim().split('\n');
    const truncated = lines.slice(0, 4).join('\n') + '\n' + lines[4].slice(0, lines[4].length / 2);
    expect(() => importRunFile(truncated, 'cut.jsonl')).toThrow(/Import rejected \(nothing was saved\): cut\.jsonl, run file line 5: not valid JSON/);
    const mangled = lines.map((l, i) => (i === 2 ? l.replace('"steps":', '"stepz":') : l)).join('\n');
    expect(() => importRunFile(mangled, 'mangled.jsonl')).toThrow(/mangled\.jsonl, run file line 3/);
    expect(() => importRunFile('', 'empty.jsonl')).toThrow(/empty\.jsonl/);
    const imported = importRunFile(text, 'ok.jsonl');
    expect(imported.meta.id).not.toBe('run-1');
    expect(imported.episodes.every((e) => e.runId === imported.meta.id)).toBe(true);
  });

  // The cache file (cache JSONL) case is tests/experts/responseCache.test.ts › 'a corrupt import is rejected with line numbers and nothing is overwritten'.

  it('a weights file with NaN/Infinity (JSON null), strings or a bad shape is refused before it reaches an agent', async () => {
    const good = [{ name: 'actor/dense0/kernel', shape: [2, 2], data: [0.5, -0.25, 1, 2] }];
    expect(deserializeWeights(serializeWeights(good)).weights[0].data).toEqual(good[0].data);
    const nanFile = serializeWeights([{ ...good[0], data: [0.5, NaN, 1, 2] }]); // NaN is written as null
    expect(nanFile).toContain('null');
    expect(() => deserializeWeights(nanFile)).toThrow(/"actor\/dense0\/kernel" has a value that is not a finite number at index 1 \(null\)/);
    expect(() => deserializeWeights(serializeWeights([{ ...good[0], data: [0.5, '1', 1, 2] as unknown as number[] }]))).toThrow(/index 1 \("1"\)/);
    expect(() => deserializeWeights(serializeWeights([{ ...good[0], shape: [-2, -2] }]))).toThrow(/malformed/);
    expect(() => deserializeWeights('{"format":"der-workbench-weights","version":1,"weights":[')).toThrow(/not valid JSON/);

    // Through the Runs tab's import: rejected with "nothing was changed".
    const m = meta({ hasWeights: true, iterationCount: 1 });
    const stored = { runId: m.id, savedAt: 'x', iterations: 1, optimizerSteps: 4, meta: {}, entries: packWeights(good) };
    const text = weightsToJson(stored, m).replace('0.5', 'null');
    expect(() => importWeightsFile(text, 'w.json', m)).toThrow(/Import rejected \(nothing was changed\): w\.json: .*not a finite number/);

    // Through the CLI's weights loader: the agent is never touched.
    const dir = await mkdtemp(path.join(tmpdir(), 'der-faults-'));
    try {
      const file = path.join(dir, 'w.json');
      await writeFile(file, nanFile);
      let touched = false;
      const agent = { getWeights: () => good, setWeights: () => void (touched = true) };
      await expect(loadWeightsFile(file, agent)).rejects.toThrow(/not a finite number/);
      expect(touched).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
