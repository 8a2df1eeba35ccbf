import { expect, test, type Page } from '@playwright/test';

// The experiment lives in the link: change knobs in the panel, open the link in a new page, get the
// same setup back; a lesson link hides the chosen controls; keys never enter the link.
const panel = (page: Page) => page.getByRole('complementary', { name: 'Experiment' });

function configInHash(url: string): string {
  const encoded = new URLSearchParams(new URL(url).hash.slice(1)).get('c') ?? '';
  return Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

test('knobs changed in the panel come back from the copied URL; lesson links hide controls', async ({ page, context }) => {
  await page.goto('/?backend=wasm');
  const side = panel(page);
  const alpha = side.getByRole('textbox', { name: 'α', exact: true });
  const tmax = side.getByRole('textbox', { name: 'Tmax', exact: true });
  await expect(alpha).toHaveValue('0.001');

  // An invalid value is refused next to its control and does not change the config.
  await alpha.fill('-1');
  await expect(side.getByRole('alert').filter({ hasText: 'α (alpha) must be ≥ 0' })).toBeVisible();
  expect(configInHash(page.url())).toContain('"alpha":0.001');

  await alpha.fill('0.0125');
  await expect(side.getByRole('slider', { name: 'α', exact: true })).toHaveValue('0.0125');
  await tmax.fill('8');
  // The slider moves the number too (keyboard operable).
  await side.getByRole('slider', { name: 'Tmax', exact: true }).press('ArrowLeft');
  await expect(tmax).toHaveValue('7');
  await expect(side.getByRole('combobox', { name: 'Preset' })).toHaveValue('custom');

  // A custom pool with an API key: the key stays out of the link.
  await side.locator('[data-section="pool"] > summary').click();
  await side.getByRole('radio', { name: 'Custom' }).check();
  await side.getByRole('combobox', { name: 'New expert kind' }).selectOption('openai');
  await side.getByRole('button', { name: 'Add expert' }).click();
  const added = side.getByRole('listitem', { name: 'local-model' });
  await added.getByRole('textbox', { name: 'API key' }).fill('sk-e2e-SECRET-key-123456');
  await expect(added).toContainText('α·C = 0.100');

  await expect.poll(() => configInHash(page.url())).toContain('"tmax":7');
  const link = page.url();
  const json = configInHash(link);
  expect(json).toContain('"alpha":0.0125');
  expect(json).toContain('"name":"local-model"');
  expect(link).not.toContain('SECRET');
  expect(json).not.toContain('SECRET');

  const second = await context.newPage();
  await second.goto(link);
  const side2 = panel(second);
  await expect(side2.getByRole('textbox', { name: 'α', exact: true })).toHaveValue('0.0125');
  await expect(side2.getByRole('textbox', { name: 'Tmax', exact: true })).toHaveValue('7');
  await expect(side2.getByRole('combobox', { name: 'Preset' })).toHaveValue('custom');
  await side2.locator('[data-section="pool"] > summary').click();
  await expect(side2.getByRole('listitem', { name: 'local-model' })).toBeVisible();
  await side2.locator('[data-section="backend"] > summary').click();
  await expect(side2.getByRole('combobox', { name: 'Compute backend' })).toHaveValue('wasm');
  await second.screenshot({ path: 'test-results/screenshots/experiment-panel.png' });

  // Lesson mode: tick controls to hide, and the link hides them for students.
  await side.locator('[data-section="lesson"] > summary').click();
  const lesson = side.getByRole('group', { name: 'Lesson mode' });
  await lesson.getByRole('checkbox', { name: 'Hide α' }).check();
  await lesson.getByRole('checkbox', { name: 'Hide section “Expert pool”' }).check();
  await expect.poll(() => new URL(page.url()).hash).toContain('hide=alpha,pool');
  const lessonLink = page.url();

  const student = await context.newPage();
  await student.goto(lessonLink);
  const side3 = panel(student);
  await expect(side3.getByRole('textbox', { name: 'β', exact: true })).toBeVisible();
  await expect(side3.getByRole('textbox', { name: 'Tmax', exact: true })).toHaveValue('7');
  await expect(side3.getByRole('textbox', { name: 'α', exact: true })).toHaveCount(0);
  await expect(side3.getByRole('slider', { name: 'α', exact: true })).toHaveCount(0);
  await expect(side3.locator('[data-section="pool"]')).toHaveCount(0);
  await expect(side3.locator('[data-section="reward"]')).toHaveCount(1);
  await student.screenshot({ path: 'test-results/screenshots/lesson-mode.png' });
});

// A dropped CSV: the problem is named, a field mapping fixes it, a reload keeps the file (IndexedDB),
// and its questions reach the worker (one episode runs on them).
test('a dropped CSV dataset is checked, mapped, kept across a reload and used by the worker', async ({ page }) => {
  const rows = Array.from({ length: 10 }, (_, i) => `"What is ${i} plus ${i}?","${i} plus ${i} is ${2 * i}.",arithmetic`);
  const csv = ['prompt,gold,topic', ...rows].join('\n');
  await page.goto('/?backend=wasm');
  const side = panel(page);
  await side.locator('[data-section="dataset"] > summary').click();
  await side.getByLabel('Dataset file').setInputFiles({ name: 'my-questions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const status = side.getByTestId('dataset-status');
  await expect(status).toContainText('my-questions.csv · CSV');
  await expect(status.getByRole('alert')).toContainText('no field "instruction"');
  await side.getByRole('combobox', { name: 'Instruction column' }).selectOption('prompt');
  await side.getByRole('combobox', { name: 'Reference answer column' }).selectOption('gold');
  await side.getByRole('combobox', { name: 'Domain column' }).selectOption('topic');
  await expect(status).toContainText('10 questions · in use');
  expect(configInHash(page.url())).toContain('"source":"my-questions.csv"');

  await page.reload();
  await side.locator('[data-section="dataset"] > summary').click();
  await expect(side.getByTestId('dataset-status')).toContainText('10 questions · in use');
  await expect(side.getByRole('combobox', { name: 'Instruction column' })).toHaveValue('prompt');

  await page.getByRole('button', { name: 'Step one episode' }).click();
  await expect(page.getByTestId('status-episodes')).toHaveText('1', { timeout: 120_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'not loaded' })).toHaveCount(0);
});
