import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

// The dashboard, route inspector and what-if views on the production build, on the default
// (simulated pool, wasm backend). Screenshots go to test-results/screenshots/; `npm run screenshots`
// (DER_DOCS_SCREENSHOTS=1) also copies the best to docs/screenshots/ for the README. `npm test`
// never rewrites the committed ones.

const SHOTS = 'test-results/screenshots';
const DOCS = process.env.DER_DOCS_SCREENSHOTS ? 'docs/screenshots' : null;

/** Record every main-thread long task (> 50 ms) from page start, with its start time. */
async function installLongTaskObserver(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function longTasksSince(page: Page, since: number): Promise<{ start: number; duration: number }[]> {
  return page.evaluate((t) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((e) => e.start >= t), since);
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Top-level tasks of the page's main thread in a Chromium trace, with wall and CPU (thread) time. */
function rendererMainTasks(trace: { traceEvents: TraceEvent[] } | TraceEvent[]): { wallMs: number; cpuMs: number }[] {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const isMain = (e: TraceEvent) => mains.some((m) => m.pid === e.pid && m.tid === e.tid);
  return events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && isMain(e)).map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
}

const numberIn = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());

async function shot(page: Page, name: string, toDocs = false, fullPage = false): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage });
  if (toDocs && DOCS) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(path, `${DOCS}/${name}.png`);
  }
}

// Under the fast default (glove-mean, ~1.5 iterations/s, ~960 episodes in 20 s) the dashboard's charts
// redraw about once per iteration each; the charts updated during training are plain SVG
// (BarPlot, LinePlot, the heatmap and sparklines), because each recharts update ended in a
// synchronous re-render of 40–80 ms of CPU (6 of ~4,000 traced tasks over 50 ms, when recharts drew them).
test('no main-thread task over 50 ms during 20 s of training', async ({ page }) => {
  await installLongTaskObserver(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
  await page.getByRole('button', { name: 'Start training' }).click();
  // Measure once episodes stream in and charts redraw (loading the models happens before, in the worker).
  await expect(page.getByTestId('status-episodes')).not.toHaveText('0', { timeout: 120_000 });
  const from = await page.evaluate(() => performance.now());
  const browser = page.context().browser()!;
  // RunTask (one per main-thread task, with wall and thread time) is in the disabled-by-default category.
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  await page.waitForTimeout(20_000);
  const mainTasks = rendererMainTasks(JSON.parse((await browser.stopTracing()).toString()));
  const episodes = await numberIn(page, 'status-episodes');
  const iterations = await numberIn(page, 'status-iteration');
  const observed = await longTasksSince(page, from);
  const load = loadavg()[0];
  const cores = cpus().length;
  // Wall time (what the PerformanceObserver sees) also counts time the main thread waited for a
  // core, and on an oversubscribed machine (other jobs sharing the cores) even a task's CPU time
  // grows (shared caches, SMT siblings). The training worker itself keeps one core busy, so the
  // PerformanceObserver's wall-time bound is checked strictly only when a core is left over for
  // the page (load average below cores − 0.5); the trace's CPU time must stay under 50 ms whenever
  // the machine is not oversubscribed (load below cores + 1), else under 100 ms. Either still
  // catches the regression this guards against (before the staggered chart updates, redrawing all
  // charts in one task took up to 130 ms of CPU, 500 ms of wall time, here).
  const quiet = load < cores - 0.5;
  const cpuLimit = load < cores + 1 ? 50 : 100;
  const overCpu = mainTasks.filter((t) => t.cpuMs > cpuLimit);
  const summary =
    `20 s of training (${episodes} episodes, ${iterations} iterations, load ${load.toFixed(1)} on ${cores} cores): ` +
    `${observed.length} long tasks by PerformanceObserver (wall time; max ${Math.max(0, ...observed.map((t) => t.duration)).toFixed(0)} ms); ` +
    `${mainTasks.length} main-thread tasks traced, max CPU time ${Math.max(0, ...mainTasks.map((t) => t.cpuMs)).toFixed(0)} ms, ` +
    `${mainTasks.filter((t) => t.cpuMs > 50).length} over 50 ms CPU`;
  console.log(summary);
  test.info().annotations.push({ type: 'long tasks', description: summary });
  expect(iterations, 'training made progress during the measurement').toBeGreaterThanOrEqual(1);
  expect(mainTasks.length, 'the trace recorded the main thread').toBeGreaterThan(50);
  expect(
    overCpu.map((t) => `${t.wallMs.toFixed(0)} ms wall / ${t.cpuMs.toFixed(0)} ms CPU`),
    `main-thread tasks with over ${cpuLimit} ms of CPU time`,
  ).toEqual([]);
  if (quiet) {
    expect(
      observed.map((t) => Math.round(t.duration)),
      'main-thread long tasks (PerformanceObserver) while training',
    ).toEqual([]);
  } else {
    test.info().annotations.push({
      type: 'relaxed check',
      description: `load average ${load.toFixed(1)} on ${cores} cores leaves no spare core: wall-time check skipped, CPU bound ${cpuLimit} ms`,
    });
    console.log(
      `relaxed check: load average ${load.toFixed(1)} on ${cores} cores leaves no spare core besides the training worker; wall-time check skipped, CPU bound ${cpuLimit} ms`,
    );
  }
});

test('train, watch the charts, step through an episode, re-score with what-if α', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('heading', { name: 'Reward' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Route length' })).toBeVisible();
  await page.getByRole('button', { name: 'Start training' }).click();

  // The Reward chart gets points (one per iteration) and the histogram its bars.
  // A few iterations, so the curves in the screenshots have a shape.
  await expect(page.getByTestId('status-iteration')).toHaveText(/^([5-9]|\d{2,})$/, { timeout: 240_000 });
  const reward = page.getByTestId('reward-chart');
  await expect(reward.locator('.line-plot-dot').first()).toBeVisible();
  await expect.poll(() => reward.locator('.line-plot-dot').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('route-length-chart').locator('.bar-plot-bar').first()).toBeVisible();
  await expect(page.getByTestId('reward-chart')).toContainText('SIMULATED');
  await expect(page.getByRole('heading', { name: 'BERTScore increment' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Expert usage' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'PPO diagnostics' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'ΔP by expert transition' })).toBeVisible();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toContainText('paused', { timeout: 60_000 });
  // Paused, every chart shows every episode; let the staggered chart updates land.
  await expect(page.getByTestId('usage-chart').locator('.bar-plot-bar').first()).toBeVisible();
  await page.waitForTimeout(1500);
  await shot(page, 'dashboard', true);
  await shot(page, 'dashboard-full', true, true);
  // Readable on a wide screen too (checked by eye in the artifact).
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(1500);
  await shot(page, 'dashboard-1920');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Route inspector.
  // Tabs are keyboard operable: arrow keys move the selection.
  await page.getByRole('tab', { name: 'Dashboard' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Routes' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Routes' })).toBeFocused();
  // Open recorded routes until the current policy's replay of one takes two or more steps (an easy
  // question can end at its first answer), and step through that one.
  const position = page.getByTestId('step-through-position');
  let total = 0;
  for (const length of ['5', '4', '3', '2']) {
    await page.getByLabel('Route length').selectOption(length);
    const items = page.getByTestId('episode-item');
    for (let i = 0; i < Math.min(4, await items.count()) && total < 2; i++) {
      await items.nth(i).click();
      await expect(page.getByTestId('episode-timeline').getByTestId('step-card')).toHaveCount(Number(length));
      await expect(page.getByTestId('episode-timeline')).toContainText('Episode ended');
      await page.getByRole('button', { name: /^(Step through|Replay again)$/ }).click();
      await expect(position).toHaveText(/^step 1 of \d+$/, { timeout: 60_000 });
      total = Number((await position.textContent())!.match(/of (\d+)/)![1]);
    }
    if (total >= 2) break;
  }
  expect(total, 'a replay with two or more steps to step through').toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('step-through').getByTestId('step-card')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Previous', exact: true })).toBeDisabled();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(position).toHaveText(`step 2 of ${total}`);
  await expect(page.getByTestId('step-through').getByTestId('step-card')).toHaveCount(2);
  await page.getByRole('button', { name: 'Previous', exact: true }).click();
  await expect(position).toHaveText(`step 1 of ${total}`);
  await expect(page.getByTestId('step-through').getByTestId('step-card')).toHaveCount(1);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByTestId('step-through').getByTestId('step-card').first()).toContainText(/same as recording|differs|same expert/);
  await expect(page.getByTestId('route-compare')).toContainText('recorded:');
  await page.getByTestId('step-through').scrollIntoViewIfNeeded();
  await shot(page, 'route-inspector', true);
  await page.getByTestId('episode-timeline').getByTestId('step-card').nth(1).scrollIntoViewIfNeeded();
  await shot(page, 'route-inspector-timeline', true);

  // What-if: raising α lowers the re-scored return; no expert is called.
  await page.getByRole('tab', { name: 'What-if' }).click();
  const calls = await page.getByTestId('status-calls').textContent();
  const before = await numberIn(page, 'whatif-return');
  expect(before).toBeCloseTo(await numberIn(page, 'whatif-recorded-return'), 6);
  const alpha = page.getByLabel('What-if α', { exact: true });
  await alpha.focus();
  await page.keyboard.press('End');
  await expect(page.getByLabel('What-if α value', { exact: true })).toHaveValue('0.05');
  await expect.poll(() => numberIn(page, 'whatif-return')).toBeLessThan(before);
  await expect(page.getByTestId('status-calls')).toHaveText(calls!);
  await page.waitForTimeout(500);
  await shot(page, 'what-if', true, true);
  // A lower Tmax ends some routes earlier (the default learned STOP does not end routes at p0, so Tmax it is).
  await page.getByLabel('What-if Tmax value', { exact: true }).fill('2');
  await expect.poll(() => numberIn(page, 'whatif-earlier')).toBeGreaterThan(0);
  await expect(page.getByTestId('status-calls')).toHaveText(calls!);
  await shot(page, 'what-if-tmax');

  // "Train with these knobs" starts a new run whose config carries them.
  await page.getByRole('button', { name: 'Train with these knobs' }).click();
  await expect(page.getByText('cost per billion parameters called (run: 0.05)')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('maximum expert calls per route (run: 2)')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText(/loading|training/);
});
