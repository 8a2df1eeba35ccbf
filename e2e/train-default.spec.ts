import { expect, test } from '@playwright/test';

// The embedded default: press Start on the simulated pool and watch the reward number appear and change.
test('Start training on the simulated pool shows a live reward', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('note')).toContainText('Simulated expert pool');
  await page.getByRole('button', { name: 'Start training' }).click();
  const meanReturn = page.getByTestId('mean-return');
  await expect(meanReturn).not.toHaveText('—', { timeout: 120_000 });
  const first = await meanReturn.textContent();
  expect(Number(first)).not.toBeNaN();
  // A second iteration completes and the status line counts it.
  await expect(page.getByTestId('status')).toContainText(/iteration [2-9]/, { timeout: 120_000 });
  await expect(page.getByTestId('status')).toContainText('backend wasm');
  await page.screenshot({ path: 'test-results/screenshots/minimal-training.png' });
});
