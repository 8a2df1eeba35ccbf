// Case "longrun-browser": a long run in the browser stays bounded. The production build in headless
// Chromium trains LONGRUN_BROWSER_ITERATIONS (default 500) iterations of 32 episodes on the simulated
// pool (a 32-wide network, so that it ends in minutes), i.e. 16,000 episodes against the 5,000-episode
// cap of a saved run. Every 25 iterations it samples the page's JS heap after a forced GC (the store
// holding the episodes on screen), the episodes saved in IndexedDB and the origin's storage usage.
// Goals: episodes saved ≤ cap; the page heap flat over the second half.
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { DEFAULT_CONFIG } from '../../src/der/presets';
import { parseConfig } from '../../src/der/config';
import { encodeHash } from '../../src/der/urlState';
import { DEFAULT_MAX_EPISODES } from '../../src/runs/episodeRetention';
import { atMost, log, result, round, unavailable, type BenchResult } from './harness';
import { chromiumMissing, launchChromium, serveProductionBuild } from './chromium';
import { slope } from './memory';

const OUT_DIR = fileURLToPath(new URL('../../bench/tmp/longrun-dist/', import.meta.url));
const GOAL = atMost(10, 'page heap flat (slope ≤ 10 KB/iteration over the second half); saved episodes ≤ cap');

/** Episodes saved in IndexedDB (all runs: the page holds one) and the origin's storage usage. */
const STORAGE = `(async () => {
  const db = await new Promise((res, rej) => { const o = indexedDB.open('der-workbench-runs'); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error); });
  const episodes = await new Promise((res, rej) => { const r = db.transaction('episodes').objectStore('episodes').count(); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  db.close();
  const estimate = await navigator.storage.estimate();
  return { episodes, usage: estimate.usage ?? 0 };
})()`;

async function iterationsDone(page: Page): Promise<number> {
  return Number(await page.getByTestId('status-iteration').textContent());
}

export async function runLongRunBrowser(opts: { noBrowser: boolean }): Promise<BenchResult[]> {
  const iterations = Number(process.env.LONGRUN_BROWSER_ITERATIONS ?? 500);
  const name = `Long run in the browser: ${iterations} iterations × 32 episodes (simulated pool)`;
  const missing = chromiumMissing();
  if (opts.noBrowser || missing) return [unavailable(name, 'none', GOAL, opts.noBrowser ? 'skipped (--no-browser)' : missing!)];
  log('longrun-browser: vite build (production) into bench/tmp/longrun-dist');
  const server = await serveProductionBuild(OUT_DIR);
  const url = server.url;
  const config = parseConfig({
    ...DEFAULT_CONFIG,
    preset: 'custom',
    iterations,
    encoder: 'glove-mean',
    ppo: { ...DEFAULT_CONFIG.ppo, episodesPerIteration: 32, hiddenSizes: [32, 32] },
  });
  const browser = await launchChromium();
  const t0 = performance.now();
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${url}?backend=wasm#${encodeHash(config)}`);
    await page.getByRole('button', { name: 'Start training' }).click();
    const heap: number[] = [];
    const saved: number[] = [];
    const usage: number[] = [];
    let next = 25;
    for (;;) {
      const done = await iterationsDone(page).catch(() => 0);
      const state = (await page.getByTestId('status').textContent()) ?? '';
      if (done >= next || /finished|paused|error/.test(state)) {
        await cdp.send('HeapProfiler.collectGarbage');
        const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
        const storage = (await page.evaluate(STORAGE)) as { episodes: number; usage: number };
        heap.push(usedSize);
        saved.push(storage.episodes);
        usage.push(storage.usage);
        log(
          `  iteration ${done}: page heap ${(usedSize / 2 ** 20).toFixed(1)} MB, ${storage.episodes} episodes saved, storage ${(storage.usage / 2 ** 20).toFixed(1)} MB, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
        next = done + 25;
        if (/finished|paused|error/.test(state)) break;
      }
      await page.waitForTimeout(2000);
    }
    const finished = await iterationsDone(page);
    const kept =
      (await page
        .getByTestId('episodes-kept')
        .textContent()
        .catch(() => null)) ?? '';
    const half = Math.floor(heap.length / 2);
    const heapSlopeKb = slope(heap.slice(half)) / 1024 / 25;
    const maxSaved = Math.max(...saved);
    return [
      result({
        name,
        peer: 'none',
        goal: GOAL,
        measured:
          `${finished}/${iterations} iterations; page heap slope ${heapSlopeKb.toFixed(1)} KB/iteration (second half; ${(heap[0] / 2 ** 20).toFixed(1)} → ${(heap.at(-1)! / 2 ** 20).toFixed(1)} MB); ` +
          `episodes saved at most ${maxSaved} (cap ${DEFAULT_MAX_EPISODES}); storage ${(usage.at(-1)! / 2 ** 20).toFixed(1)} MB at the end; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        value: maxSaved <= DEFAULT_MAX_EPISODES ? heapSlopeKb : Number.POSITIVE_INFINITY,
        details: {
          iterations: finished,
          episodesPerIteration: 32,
          cap: DEFAULT_MAX_EPISODES,
          keptText: kept,
          heapMbEvery25: heap.map((h) => round(h / 2 ** 20, 1)),
          savedEpisodesEvery25: saved,
          storageMbEvery25: usage.map((u) => round(u / 2 ** 20, 1)),
        },
        note: 'the training worker has its own heap, not sampled here (the CLI case samples the same trainer and recorder path in Node)',
      }),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
