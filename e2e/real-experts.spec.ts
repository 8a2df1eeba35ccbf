import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startOpenAITestServer, type OpenAITestServer } from '../tests/support/openaiTestServer';
import { DEFAULT_CONFIG } from '../src/der/presets';
import { parseConfig, type ExperimentConfig } from '../src/der/config';
import { encodeHash } from '../src/der/urlState';

// Real experts in Chromium, offline: a custom pool of an OpenAI-compatible expert (the loopback
// test server, started here, CORS on) and the in-page tiny GPT-2 (Transformers.js, wasm), scored by
// BERTScore on the tiny BERT, both models from the app's own files (?remoteModels=0). One iteration
// trains; the episodes carry real answers; a second identical run is answered by the response cache
// (zero HTTP requests at the server); the API key typed in the panel is in neither the URL nor the
// exported run; a corrupt cache file is refused with nothing changed.
const API_KEY = 'sk-e2e-loopback-7f3a9c1d2b';
const REMOTE_MODEL = 'loopback-8b';

let server: OpenAITestServer;
test.beforeAll(async () => {
  server = await startOpenAITestServer({ apiKey: API_KEY, cors: true, port: 0 });
});
test.afterAll(async () => {
  await server?.close();
});

function experiment(baseURL: string): ExperimentConfig {
  return {
    ...DEFAULT_CONFIG,
    preset: 'custom',
    seed: 11,
    iterations: 1,
    // p0 = 1: the tiny random BERT rates most answers highly, so a lower bar would end every route at
    // its first call; at 1 routes run to Tmax and the second expert sees the first one's answer (KTP).
    reward: { ...DEFAULT_CONFIG.reward, p0: 1, tmax: 2 },
    ppo: { ...DEFAULT_CONFIG.ppo, episodesPerIteration: 6 },
    pool: {
      kind: 'custom',
      experts: [
        { name: 'remote', kind: 'openai', sizeB: 8, model: REMOTE_MODEL, baseURL, temperature: 0, maxTokens: 24 },
        { name: 'tiny-gpt2', kind: 'browser', sizeB: 0.01, model: 'tiny-gpt2', dtype: 'fp32', maxTokens: 8 },
      ],
    },
    scorer: 'bertscore:tiny-bert@1',
    encoder: 'minilm:tiny-bert',
  };
}

const iterationCount = async (page: Page) => Number(await page.getByTestId('status-iteration').textContent());

async function trainOneIteration(page: Page) {
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect.poll(() => iterationCount(page), { timeout: 90_000, intervals: [500] }).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('status')).toContainText('finished', { timeout: 30_000 });
}

/** The newest run's JSONL, once the Runs list shows `runs` rows (it refreshes after the run's last write). */
async function exportLatestRun(page: Page, runs: number): Promise<string> {
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(runs, { timeout: 20_000 });
  const row = page.getByTestId('run-row').first();
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Export JSONL' }).click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  return text;
}

test('a custom pool of a remote and an in-page expert trains with BERTScore; the second run costs zero requests', async ({ page }) => {
  test.setTimeout(150_000);
  const config = experiment(server.url);
  parseConfig(config); // the link must be one the app accepts, or it is refused before training
  await page.goto(`/?backend=wasm&remoteModels=0#${encodeHash(config)}`);

  // The key goes into the panel's key field (memory only), never into the config.
  await page.locator('details[data-section="pool"] > summary').click();
  const keyField = page.locator('#expert-0-key');
  await keyField.fill(API_KEY);
  await trainOneIteration(page);

  expect(server.stats.completions).toBeGreaterThan(0);
  expect(server.log.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
  await expect(page.getByTestId('scorer-detail')).toContainText('layer 1');
  await expect(page.getByTestId('pool-status')).toContainText('network calls');
  expect(page.url()).not.toContain(API_KEY);

  // Episodes with real answers: the remote answers are the server's, the in-page ones are text.
  const run = await exportLatestRun(page, 1);
  expect(run).not.toContain(API_KEY);
  const episodes = run
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'episode');
  expect(episodes.length).toBe(6);
  const steps = episodes.flatMap((e) => e.steps).filter((s: { expert: string }) => s.expert !== 'STOP');
  const remoteSteps = steps.filter((s: { expert: string }) => s.expert === 'remote');
  const inPageSteps = steps.filter((s: { expert: string }) => s.expert === 'tiny-gpt2');
  expect(remoteSteps.length + inPageSteps.length).toBe(steps.length);
  expect(remoteSteps.length).toBe(server.stats.completions);
  for (const s of remoteSteps) expect(s.answer).toMatch(new RegExp(`^\\[${REMOTE_MODEL}#[0-9a-f]{8}\\]`));
  for (const s of inPageSteps) expect(typeof s.answer === 'string' && s.answer.length > 0).toBe(true);
  for (const s of steps) expect(Number.isFinite(s.score)).toBe(true);
  // Routes of two calls: the second prompt is the knowledge-transfer prompt carrying the first answer.
  const twoCallRoutes = episodes.filter((e) => e.steps.filter((s: { expert: string }) => s.expert !== 'STOP').length === 2);
  expect(twoCallRoutes.length).toBeGreaterThan(0);
  for (const e of twoCallRoutes) expect(e.steps[1].prompt).toContain(e.steps[0].answer);
  await page.screenshot({ path: 'test-results/screenshots/real-experts-trained.png' });

  // The same experiment again: every remote call is answered by the IndexedDB response cache.
  const firstRunRequests = server.stats.requests;
  expect(firstRunRequests).toBeGreaterThan(0);
  server.resetStats();
  await trainOneIteration(page);
  expect(server.stats.requests).toBe(0);
  expect(server.stats.preflights).toBe(0);
  const second = await exportLatestRun(page, 2);
  expect(second).not.toContain(API_KEY);
  const cachedSteps = second
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'episode')
    .flatMap((e) => e.steps)
    .filter((s: { expert: string }) => s.expert === 'remote');
  expect(cachedSteps.length).toBe(remoteSteps.length);
  expect(cachedSteps.every((s: { cached?: boolean }) => s.cached === true)).toBe(true);
  expect(page.url()).not.toContain(API_KEY);

  // The cache exports as JSONL without the key; a corrupt file is refused and changes nothing.
  await page.getByText('Budget and cache').click();
  const entries = page.getByTestId('cache-entries');
  await expect(entries).toHaveText(String(remoteSteps.length));
  const [cacheDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export cache' }).click()]);
  const cacheText = readFileSync((await cacheDownload.path())!, 'utf8');
  expect(cacheText.trim().split('\n')).toHaveLength(remoteSteps.length);
  expect(cacheText).not.toContain(API_KEY);
  const corrupt = cacheText.split('\n')[0] + '\n{"key": "not a cache line"\n';
  await page.getByTestId('cache-import-input').setInputFiles({ name: 'corrupt.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(corrupt) });
  await expect(page.getByTestId('cache-message')).toContainText('nothing was changed');
  await expect(entries).toHaveText(String(remoteSteps.length));
});

test('reaching the calls budget pauses training with the budget message, never over the limit', async ({ page }) => {
  test.setTimeout(90_000);
  server.resetStats();
  // Another model name: nothing cached for it yet, so every answer needs a request.
  const config = experiment(server.url);
  if (config.pool.kind !== 'custom') throw new Error('custom pool expected');
  config.pool.experts[0] = { ...config.pool.experts[0], model: 'loopback-budget' };
  await page.goto(`/?backend=wasm&remoteModels=0#${encodeHash(config)}`);
  await page.locator('details[data-section="pool"] > summary').click();
  await page.locator('#expert-0-key').fill(API_KEY);
  await page.getByText('Budget and cache').click();
  await page.getByLabel('Max calls').fill('2');

  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('status')).toContainText('paused', { timeout: 60_000 });
  await expect(page.getByRole('alert').first()).toContainText('Budget for calls reached');
  expect(server.stats.completions).toBeLessThanOrEqual(2);
  expect(server.stats.completions).toBeGreaterThan(0);
  await expect(page.getByTestId('pool-status')).toContainText('calls 2/2');
});

test('the default simulated pool with GloVe and USE-lite still loads through the same session wiring', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/?backend=wasm');
  await page.getByRole('button', { name: 'Step one episode' }).click();
  await expect(page.getByTestId('status-episodes')).toHaveText('1', { timeout: 60_000 });
  await expect(page.getByTestId('status-backend')).toHaveText('wasm');
  await expect(page.getByTestId('pool-status')).toHaveCount(0); // no custom pool, no pool counters
});
