import { expect, test } from '@playwright/test';

// The default path as a new user meets it: no ?backend, Start. `auto` measures the backends this
// browser has (here: SwiftShader WebGPU, SwiftShader WebGL, wasm, cpu), checks each against cpu,
// and trains on the fastest that agrees; no update may be skipped (issue 10: webgl gave NaN).
test('no ?backend: auto measures, shows its timings and choice, and trains five iterations with no skipped update', async ({ page }) => {
  const skipped: string[] = [];
  const watch = (text: string) => {
    if (/PPO update skipped|gradient norm is NaN/.test(text)) skipped.push(text);
  };
  page.on('console', (m) => watch(m.text()));
  page.on('worker', (w) => w.on('console', (m) => watch(m.text())));
  await page.goto('/');
  const started = Date.now();
  await page.getByRole('button', { name: 'Start training' }).click();
  // The measurement happens once, at this first Start, and the status line says so.
  await expect(page.getByTestId('status-backend-how')).toContainText('measured now', { timeout: 120_000 });
  await page.locator('details[data-section="backend"] > summary').click();
  const timings = page.getByTestId('backend-timings');
  await expect(timings).toBeVisible();
  console.log(await timings.innerText());
  await page.locator('details[data-section="backend"]').screenshot({ path: 'test-results/screenshots/backend-picker.png' });
  for (const name of ['cpu', 'wasm', 'webgl', 'webgpu']) await expect(timings.locator(`tr[data-backend="${name}"]`)).toHaveCount(1);
  const chosen = (await page.getByTestId('status-backend').textContent())!.trim();
  // The chosen backend agrees with cpu, and its row is marked.
  await expect(timings.locator(`tr[data-backend="${chosen}"]`)).toHaveAttribute('data-status', 'agrees');
  await expect(timings.locator('tr.chosen')).toHaveAttribute('data-backend', chosen);
  // Software adapters are judged like hardware, and named: this browser's WebGPU is SwiftShader.
  await expect(timings.locator('tr[data-backend="webgpu"]')).toContainText(/swiftshader|fallback adapter|no WebGPU/i);
  // Fixed by backendWebgl.ts: webgl is not rejected for computing wrongly (it may be over the time cap here).
  await expect(timings.locator('tr[data-backend="webgl"]')).not.toHaveAttribute('data-status', 'disagrees');
  // Training runs: five iterations, none with a skipped update. The time from Start (measurement
  // included) is reported, not asserted (issue 10's goal: 5 iterations in ≤ 150 s on 2 cores).
  // The status line is throttled and a fast backend finishes several iterations between two
  // repaints, so the counter is read as a number (it may jump from 4 to 6), and every skipped
  // update is caught by the console watch above as well as by the page's warning.
  await expect
    .poll(async () => Number(await page.getByTestId('status-iteration').textContent()), { timeout: 150_000, intervals: [250] })
    .toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('training-warning').filter({ hasText: 'skipped' })).toHaveCount(0);
  const seconds = (Date.now() - started) / 1000;
  test.info().annotations.push({ type: 'timing', description: `Start → 5 iterations on ${chosen}: ${seconds.toFixed(1)} s (measurement included)` });
  console.log(`Start → 5 iterations on ${chosen}: ${seconds.toFixed(1)} s`);
  expect(skipped).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/backend-auto.png', fullPage: true });
  // A second Start uses the cached measurement (no new measurement).
  await page.reload();
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('status-backend-how')).toContainText('measured earlier', { timeout: 60_000 });
  await expect(page.getByTestId('status-backend')).toHaveText(chosen);
});
