// Case "learning": time to a visibly learned policy in the browser on the default path (issue 9,
// goal ≤ 3 min on 2 cores). Production build in headless Chromium, the page with no URL flags
// (backend chosen automatically), the default config, Start training; the clock starts at the
// click (model and worker loading included, as a user waits for them) and stops at the first
// moment the Reward chart's verdict says the last 5 iterations are above the random-policy line
// (by more than 2 sd over its seeds) and the policy entropy is falling. The e2e test
// (e2e/learning-default.spec.ts) asserts that this happens; only this case times it.
import { fileURLToPath } from 'node:url';
import { atMost, log, result, round, unavailable, type BenchResult } from './harness';
import { chromiumMissing, launchChromium, serveProductionBuild } from './chromium';

const OUT_DIR = fileURLToPath(new URL('../../bench/tmp/learning-dist/', import.meta.url));
const LIMIT_SECONDS = 600;
const GOAL = atMost(180, '≤ 3 min from Start to reward above the random line with falling entropy');

export async function runLearning(opts: { noBrowser: boolean }): Promise<BenchResult[]> {
  const name = 'Time to a learned policy in the browser (default config, no URL flags)';
  const peer = 'none';
  const missing = chromiumMissing();
  if (opts.noBrowser || missing) return [unavailable(name, peer, GOAL, opts.noBrowser ? 'skipped (--no-browser)' : missing!)];

  log('learning: vite build (production) into bench/tmp/learning-dist');
  const server = await serveProductionBuild(OUT_DIR);
  const url = server.url;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByRole('button', { name: 'Start training' }).click();
    const t0 = Date.now();
    const check = page.getByTestId('learning-check');
    let learnedAt: number | null = null;
    let iterationAtLearned = Number.NaN;
    let firstIterationAt: number | null = null;
    let snapshot: Record<string, string | null> = {};
    while ((Date.now() - t0) / 1000 < LIMIT_SECONDS) {
      await page.waitForTimeout(1000);
      const iteration = Number(
        (await page
          .getByTestId('status-iteration')
          .textContent()
          .catch(() => null)) ?? Number.NaN,
      );
      if (firstIterationAt === null && iteration >= 1) firstIterationAt = (Date.now() - t0) / 1000;
      if ((await check.count()) === 0) continue;
      if ((await check.getAttribute('data-above')) === 'true' && (await check.getAttribute('data-entropy-falling')) === 'true') {
        learnedAt = (Date.now() - t0) / 1000;
        iterationAtLearned = iteration;
        snapshot = {
          chance: await check.getAttribute('data-chance'),
          recentReturn: await check.getAttribute('data-recent-return'),
          firstEntropy: await check.getAttribute('data-first-entropy'),
          recentEntropy: await check.getAttribute('data-recent-entropy'),
        };
        break;
      }
    }
    const status =
      (await page
        .getByTestId('status')
        .textContent()
        .catch(() => '')) ?? '';
    const backend = /backend (\w+)/.exec(status)?.[1] ?? 'unknown';
    const measured =
      learnedAt === null
        ? `not learned within ${LIMIT_SECONDS} s (backend ${backend})`
        : `${learnedAt.toFixed(0)} s from Start (iteration ${iterationAtLearned}; first iteration after ${firstIterationAt?.toFixed(0)} s; backend ${backend}): last-5 return ${Number(snapshot.recentReturn).toFixed(3)} vs random ${Number(snapshot.chance).toFixed(3)}, entropy ${Number(snapshot.firstEntropy).toFixed(2)} → ${Number(snapshot.recentEntropy).toFixed(2)}`;
    return [
      result({
        name,
        peer,
        goal: GOAL,
        measured,
        value: learnedAt ?? Number.POSITIVE_INFINITY,
        details: {
          learnedAtSeconds: learnedAt === null ? null : round(learnedAt, 1),
          iterationAtLearned,
          firstIterationSeconds: firstIterationAt,
          backend,
          ...snapshot,
        },
      }),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
