// Case "longrun": a long run stays bounded. The CLI's loop (src/cli/train.ts: a Node session, the
// Trainer, the run-file writer with episode retention) runs 5,000 iterations on the simulated pool
// (8 episodes per iteration and a 32-wide network, so that it ends in minutes; the storage path is
// the same as with the presets). Every 100 iterations it samples the JS heap (after a forced GC),
// the process RSS and the run file's size. Goals: the heap slope over the second half is flat
// (≤ 1 KB per iteration), the file keeps at most the cap of episodes and every iteration's metrics.
import { statSync, readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { presetConfig } from '../../src/der/presets';
import { parseConfig } from '../../src/der/config';
import { createNodeSession } from '../../src/cli/nodeSession';
import { Trainer } from '../../src/session/trainer';
import { RunFileWriter } from '../../src/cli/runFileWriter';
import { buildRunHeader } from '../../src/session/runHeader';
import { DEFAULT_LATEST_ITERATIONS, DEFAULT_MAX_EPISODES } from '../../src/runs/episodeRetention';
import { parseRunFile } from '../../src/der/runRecordIO';
import { atMost, log, result, round, type BenchResult } from './harness';
import { slope } from './memory';
import v8 from 'node:v8';
import vm from 'node:vm';

const OUT = fileURLToPath(new URL('../../bench/tmp/longrun/', import.meta.url));
const GOAL = atMost(1, 'memory flat (JS heap slope ≤ 1 KB/iteration over the second half); episodes ≤ cap; metrics whole');

function forcedGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

export async function runLongRun(opts: { iterations?: number } = {}): Promise<BenchResult[]> {
  const iterations = opts.iterations ?? Number(process.env.LONGRUN_ITERATIONS ?? 5000);
  mkdirSync(OUT, { recursive: true });
  const base = presetConfig('tuned');
  const config = parseConfig({ ...base, iterations, encoder: 'glove-mean', ppo: { ...base.ppo, episodesPerIteration: 8, hiddenSizes: [32, 32] } });
  const session = await createNodeSession(config, { backend: 'wasm' });
  const path = `${OUT}run.jsonl`;
  const writer = new RunFileWriter(path, buildRunHeader(config, session.pool, session.versions), {
    retention: { maxEpisodes: DEFAULT_MAX_EPISODES, latestIterations: DEFAULT_LATEST_ITERATIONS, seed: config.seed, episodesPerIteration: 8 },
  });
  const trainer = new Trainer(config, session.train, session, { onEpisode: (e) => writer.episode(e), onIteration: (r) => writer.iteration(r) });
  const gc = forcedGc();
  const heap: number[] = [];
  const rss: number[] = [];
  // The state-encoder cache (an LRU of 50,000 texts) fills for thousands of iterations: its size is
  // sampled with the heap so that its growth can be told apart from a leak.
  const cacheSizes: number[] = [];
  const cacheSize = (): number => {
    for (let e: unknown = session.encoder; e; e = (e as { inner?: unknown }).inner) {
      const stats = (e as { stats?: () => { size: number } }).stats;
      if (stats) return stats().size;
    }
    return Number.NaN;
  };
  const fileBytes: number[] = [];
  let maxFileBytes = 0;
  const t0 = performance.now();
  log(`longrun: ${iterations} iterations × 8 episodes on the simulated pool, cap ${DEFAULT_MAX_EPISODES} episodes${gc ? '' : ' (no forced GC)'}`);
  for (let it = 0; it < iterations; it++) {
    await trainer.runIteration();
    const size = statSync(path).size;
    maxFileBytes = Math.max(maxFileBytes, size);
    if ((it + 1) % 100 === 0) {
      gc?.();
      heap.push(process.memoryUsage().heapUsed);
      rss.push(process.memoryUsage().rss);
      cacheSizes.push(cacheSize());
      fileBytes.push(size);
      if ((it + 1) % 1000 === 0)
        log(
          `  iteration ${it + 1}: heap ${(heap.at(-1)! / 2 ** 20).toFixed(1)} MB, encoder cache ${cacheSizes.at(-1)} texts, rss ${(rss.at(-1)! / 2 ** 20).toFixed(0)} MB, file ${(size / 2 ** 20).toFixed(1)} MB, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
    }
  }
  writer.close();
  await session.close();
  const seconds = (performance.now() - t0) / 1000;
  const run = parseRunFile(readFileSync(path, 'utf8'));
  const half = Math.floor(heap.length / 2);
  // Heap samples are 100 iterations apart: KB per iteration.
  const heapSlopeKb = slope(heap.slice(half)) / 1024 / 100;
  const rssSlopeKb = slope(rss.slice(half)) / 1024 / 100;
  const finalBytes = statSync(path).size;
  const within = run.episodes.length <= DEFAULT_MAX_EPISODES && run.iterations.length === iterations;
  return [
    result({
      name: `Long run: ${iterations} iterations (CLI loop, simulated pool)`,
      peer: 'none',
      goal: GOAL,
      measured:
        `JS heap slope ${heapSlopeKb.toFixed(2)} KB/iteration (second half; ${(heap[0] / 2 ** 20).toFixed(1)} → ${(heap.at(-1)! / 2 ** 20).toFixed(1)} MB), RSS slope ${rssSlopeKb.toFixed(1)} KB/iteration; ` +
        `run file ${(finalBytes / 2 ** 20).toFixed(1)} MB at the end (largest ${(maxFileBytes / 2 ** 20).toFixed(1)} MB), ${run.episodes.length} episodes kept of ${run.header.retention?.total ?? run.episodes.length}, ` +
        `${run.iterations.length}/${iterations} iteration lines; ${seconds.toFixed(0)} s`,
      value: within ? heapSlopeKb : Number.POSITIVE_INFINITY,
      details: {
        iterations,
        episodesPerIteration: 8,
        cap: DEFAULT_MAX_EPISODES,
        keptEpisodes: run.episodes.length,
        totalEpisodes: run.header.retention?.total,
        iterationLines: run.iterations.length,
        finalFileMB: round(finalBytes / 2 ** 20, 2),
        largestFileMB: round(maxFileBytes / 2 ** 20, 2),
        compactions: writer.compactions,
        rewrittenMB: round(writer.rewrittenBytes / 2 ** 20, 1),
        heapMbEvery100: heap.map((h) => round(h / 2 ** 20, 1)),
        rssMbEvery100: rss.map((r) => round(r / 2 ** 20, 0)),
        fileMbEvery100: fileBytes.map((b) => round(b / 2 ** 20, 2)),
        encoderCacheEvery100: cacheSizes,
        heapSlopeKbPerIteration: round(heapSlopeKb, 3),
        rssSlopeKbPerIteration: round(rssSlopeKb, 2),
        forcedGc: Boolean(gc),
        seconds: round(seconds, 0),
      },
    }),
  ];
}
