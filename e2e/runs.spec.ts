import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

// Saved runs: a run is saved as it trains, survives a reload (charts back, "Resume run" continues
// the same run), exports as JSONL and comes back by import; delete asks first.
const iterationCount = async (page: Page) => Number(await page.getByTestId('status-iteration').textContent());
const runRows = (page: Page) => page.getByTestId('run-row');

async function trainUntilIteration(page: Page, n: number) {
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(() => iterationCount(page), { timeout: 150_000, intervals: [500] }).toBeGreaterThanOrEqual(n);
}

test('a reload during training keeps the run with its charts, and Resume run continues it', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await trainUntilIteration(page, 1);
  const episodesBefore = Number(await page.getByTestId('status-episodes').textContent());
  const iterationsBefore = await iterationCount(page);
  await page.reload();

  const banner = page.getByTestId('saved-run-banner');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('saved-run-status')).toHaveText('interrupted');
  // Everything up to the reload is back: at least the finished iterations and the episodes seen then.
  // (The status line is throttled: poll it.)
  await expect.poll(() => iterationCount(page)).toBeGreaterThanOrEqual(iterationsBefore);
  await expect.poll(async () => Number(await page.getByTestId('status-episodes').textContent())).toBeGreaterThanOrEqual(episodesBefore);
  const restored = await iterationCount(page);
  await expect(page.getByTestId('mean-return')).not.toHaveText('—');
  const reward = page.getByTestId('reward-chart');
  await expect(reward).toBeVisible();
  // Restored from storage: the chart draws the saved iterations instead of its empty-state text.
  await expect(reward.getByText('No iteration finished yet', { exact: false })).toHaveCount(0);
  await expect(reward.locator('svg.line-plot').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/runs-restored-after-reload.png' });

  await page.getByRole('button', { name: 'Resume run', exact: true }).click();
  await expect(banner).toBeHidden({ timeout: 60_000 });
  await expect.poll(() => iterationCount(page), { timeout: 150_000, intervals: [500] }).toBeGreaterThan(restored);
  await page.getByRole('button', { name: 'Pause' }).click();

  // The resumed run appended to the same record: one run, with the grown iteration count.
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(runRows(page)).toHaveCount(1);
  await expect
    .poll(async () => Number((await runRows(page).getByTestId('run-iterations').textContent())!.split('/')[0]), { timeout: 20_000 })
    .toBeGreaterThan(restored);

  // The record has no gap and no duplicate: episodes 0..n−1 in order, one line per iteration.
  await expect(page.getByTestId('status')).toContainText('paused', { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), runRows(page).getByRole('button', { name: 'Export JSONL' }).click()]);
  const lines = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; index?: number; iteration?: number });
  const indices = lines.filter((l) => l.type === 'episode').map((l) => l.index);
  expect(indices).toEqual(indices.map((_, i) => i));
  const iterations = lines.filter((l) => l.type === 'iteration').map((l) => l.iteration);
  expect(iterations).toEqual(iterations.map((_, i) => i));
  expect(iterations.length).toBeGreaterThan(restored);
});

test('Start pressed right after a reload, while the saved run is still being read, starts a new run and keeps the old one saved', async ({ page }) => {
  // The newcomer's page (no URL flag), where this was seen: Start right after a reload was undone.
  await page.goto('/');
  // A run long enough that reading it back from IndexedDB takes a moment after the reload.
  await trainUntilIteration(page, 8);
  await page.reload();
  // The click lands before the remembered run is back on screen (the button is there at once).
  await page.getByRole('button', { name: 'Start training' }).click();
  const status = page.getByTestId('status');
  await expect(status).toContainText('training', { timeout: 60_000 });
  await expect.poll(() => iterationCount(page), { timeout: 150_000, intervals: [250] }).toBeGreaterThanOrEqual(1);
  // The saved run, read meanwhile, did not take the screen back nor stop the new worker.
  await page.waitForTimeout(2_000);
  await expect(page.getByTestId('saved-run-banner')).toHaveCount(0);
  await expect(status).toContainText('training');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('paused', { timeout: 60_000 });
  // Both runs are saved: the interrupted one and the new one.
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(runRows(page)).toHaveCount(2);
});

test('export a run as JSONL and import it back as a new run with the same episodes; a corrupt file is refused', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await trainUntilIteration(page, 1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toContainText('paused', { timeout: 60_000 });

  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(runRows(page)).toHaveCount(1);
  const [download] = await Promise.all([page.waitForEvent('download'), runRows(page).getByRole('button', { name: 'Export JSONL' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string });
  expect(lines[0].type).toBe('run');
  const episodeLines = lines.filter((l) => l.type === 'episode').length;
  expect(episodeLines).toBeGreaterThan(0);
  expect(lines.filter((l) => l.type === 'iteration').length).toBeGreaterThanOrEqual(1);
  await expect(runRows(page).getByTestId('run-episodes')).toHaveText(String(episodeLines));

  const [csv] = await Promise.all([page.waitForEvent('download'), runRows(page).getByRole('button', { name: 'Export CSV' }).click()]);
  const csvLines = readFileSync((await csv.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(csvLines[0]).toMatch(/^iteration,/);
  expect(csvLines.length - 1).toBe(lines.filter((l) => l.type === 'iteration').length);

  const importInput = page.getByLabel('Import run (JSONL)');
  await importInput.setInputFiles({ name: 'exported.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await expect(runRows(page)).toHaveCount(2);
  const imported = runRows(page).filter({ hasText: 'imported from exported.jsonl' });
  await expect(imported.getByTestId('run-episodes')).toHaveText(String(episodeLines));

  // Open the imported run: the dashboard shows the same number of episodes.
  await imported.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('status-episodes')).toHaveText(String(episodeLines));

  // A corrupt file: rejected with the line named, nothing added.
  await page.getByRole('tab', { name: 'Runs' }).click();
  const broken = text.split('\n').slice(0, 3).join('\n').slice(0, -20) + '\n';
  await importInput.setInputFiles({ name: 'broken.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(broken) });
  await expect(page.getByRole('alert').filter({ hasText: 'broken.jsonl' })).toContainText(/line 3/);
  await expect(runRows(page)).toHaveCount(2);
  await page
    .getByRole('checkbox', { name: /^Compare / })
    .first()
    .check();
  await page
    .getByRole('checkbox', { name: /^Compare / })
    .nth(1)
    .check();
  await page.getByRole('checkbox', { name: 'Group runs that differ only by seed' }).check();
  // Both runs share config and seed: one group of N = 2.
  await expect(page.getByTestId('group-n')).toHaveText('2');
  await page.screenshot({ path: 'test-results/screenshots/runs-view.png', fullPage: true });
});

test('delete asks for confirmation in a dialog; Cancel keeps the run', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await trainUntilIteration(page, 1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(runRows(page)).toHaveCount(1);

  await runRows(page).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this run?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(runRows(page)).toHaveCount(1);

  await runRows(page).getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(runRows(page)).toHaveCount(1);

  await runRows(page).getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete run' }).click();
  await expect(runRows(page)).toHaveCount(0);
  await expect(page.getByText('No saved runs yet')).toBeVisible();
});
