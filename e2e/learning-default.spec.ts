import { expect, test } from '@playwright/test';

// Issue 9, "learning you can watch": the default path a new user takes — the page with no URL
// flags (backend chosen automatically), the default config, Start training — shows an agent that
// has learned: over the last iterations its mean return is above the random-policy line drawn on
// the Reward chart, and its policy entropy is lower than at the start. How long this takes is
// measured by the benchmark (`npm run bench -- learning`), not asserted here.
const ITERATIONS_TO_WATCH = 60;

test('default config on the default page: reward above the random line, entropy falling', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await page.goto('/');
  await expect(page.getByRole('note')).toContainText('Simulated expert pool');
  await page.getByRole('button', { name: 'Start training' }).click();
  const iteration = page.getByTestId('status-iteration');
  await expect
    .poll(async () => Number(await iteration.textContent()), { timeout: 14 * 60_000, intervals: [2_000] })
    .toBeGreaterThanOrEqual(ITERATIONS_TO_WATCH);

  const check = page.getByTestId('learning-check');
  await expect(check).toBeVisible();
  await expect(check).toContainText('Random policy');
  const read = async (name: string) => Number(await check.getAttribute(name));
  const chance = await read('data-chance');
  const recentReturn = await read('data-recent-return');
  const firstEntropy = await read('data-first-entropy');
  const recentEntropy = await read('data-recent-entropy');
  for (const v of [chance, recentReturn, firstEntropy, recentEntropy]) expect(Number.isFinite(v)).toBe(true);
  expect(recentReturn).toBeGreaterThan(chance);
  expect(recentEntropy).toBeLessThan(firstEntropy);
  // The verdict the page shows agrees: above the line by more than 2 sd over the random policy's seeds.
  expect(await check.getAttribute('data-above')).toBe('true');
  expect(await check.getAttribute('data-entropy-falling')).toBe('true');
  await expect(check).toContainText('clearly above the line');
  await page.getByTestId('reward-chart').screenshot({ path: 'test-results/screenshots/learning-default.png' });
});
