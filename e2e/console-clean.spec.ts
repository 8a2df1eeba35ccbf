import { expect, test, type ConsoleMessage } from '@playwright/test';

// A short training run on the default page leaves the console clean: no console error from the
// page or the training worker, and no uncaught exception. (React's key warnings exist only in
// development builds: tests/ui/chartWarnings.test.ts renders the charts in one and fails on them.)
test('a short training run logs no console error', async ({ page }) => {
  const problems: string[] = [];
  const watch = (where: string) => (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(`${where} console.error: ${m.text()}`);
  };
  page.on('console', watch('page'));
  page.on('worker', (w) => w.on('console', watch('worker')));
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));

  await page.goto('/?backend=wasm');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('status')).toContainText(/iteration [3-9]/, { timeout: 150_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // Visit every tab once: each draws its charts from the run.
  for (const tab of await page.getByRole('tab').all()) await tab.click();
  await page.waitForTimeout(1000);
  expect(problems).toEqual([]);
});
