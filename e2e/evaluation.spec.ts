import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

// The Evaluation tab: after an iteration of training (paused), the worker evaluates the agent
// greedily and sampled against the baselines (random ones over many draws) on held-out questions;
// the table shows N and marks the best per column, each difference gets its 2-SE verdict in words,
// and the same report files as the CLI download from the page.
test('evaluates the paused agent against the baselines and exports report.md', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect
    .poll(async () => Number(await page.getByTestId('status-iteration').textContent()), { timeout: 150_000, intervals: [500] })
    .toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toContainText('paused', { timeout: 60_000 });

  await page.getByRole('tab', { name: 'Evaluation' }).click();
  await page.getByLabel('Maximum questions').fill('8');
  await page.getByLabel('Random seeds').fill('20');
  await page.getByLabel('Sampled draws').fill('3');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  const table = page.getByTestId('evaluation-table');
  await expect(table).toBeVisible({ timeout: 120_000 });
  // agent greedy and sampled, random pick, random route, 11 single experts, best single, cascade, oracle
  await expect(table.locator('tbody tr')).toHaveCount(18);
  await expect(table.locator('tbody tr').first()).toContainText('DER agent (greedy');
  await expect(table.locator('tbody tr').nth(1)).toContainText('DER agent (sampled');
  await expect(table.locator('tbody tr', { hasText: 'random route' }).locator('td').first()).toHaveText('20');
  await expect(table.locator('tbody tr', { hasText: 'random route' }).locator('td').nth(1)).toContainText('±');
  const verdicts = page.getByRole('table', { name: /DER agent \(greedy.*against each baseline/ });
  await expect(verdicts.locator('tbody tr')).toHaveCount(16);
  await expect(verdicts.locator('td').first()).toHaveText(/^(agent better|baseline better|tie \(within noise\))/);
  await expect(table.locator('strong').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Evaluation results' })).toContainText('SIMULATED');
  await page.screenshot({ path: 'test-results/screenshots/evaluation-tab.png', fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'report.md' }).click()]);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toContain('## Results');
  expect(markdown).toContain('Questions: 8 from the **test** split');
  expect(markdown).toContain('published, not measured here');
  expect(markdown).toContain('A difference counts only when it exceeds 2 standard errors');
});
