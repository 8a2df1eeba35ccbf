import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOpenAITestServer, type OpenAITestServer } from '../tests/support/openaiTestServer';
import { DEFAULT_CONFIG } from '../src/der/presets';
import { parseConfig, type ExperimentConfig } from '../src/der/config';
import { encodeHash } from '../src/der/urlState';
import { errorMessage } from '../src/der/errorMessage';

// The fault catalogue's browser cases (docs/fault-catalogue.md): the built page's
// Content-Security-Policy, expert answers carrying HTML/script shown inert, a planted API key that
// must appear nowhere, a worker that crashes mid-run (?fault=worker-crash-after=N) and a disk that
// fills up (?fault=quota-after=N). The ?fault= switches exist only for these tests.

const DIST = path.resolve('dist');
const PLANTED_KEY = 'sk-test-PLANTED-123';
const HOSTILE_ANSWER = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b id="hostile-bold">bold?</b> end';

/** A short run on the simulated pool (8 episodes per iteration). */
function small(iterations: number, overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return parseConfig({
    ...DEFAULT_CONFIG,
    preset: 'custom',
    seed: 5,
    iterations,
    ppo: { ...DEFAULT_CONFIG.ppo, episodesPerIteration: 8 },
    ...overrides,
  });
}

/** Collect CSP violations from the first script on. */
async function watchCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: { directive: string; blocked: string }[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI }),
    );
  });
}
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: { directive: string; blocked: string }[] }).__csp);
/** Wait for the run to finish; on failure, say what the page showed (its alerts). */
async function expectFinished(page: Page, timeout = 90_000): Promise<void> {
  try {
    await expect(page.getByTestId('status')).toContainText('finished', { timeout });
  } catch (err) {
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(`${errorMessage(err)}\nalerts on the page: ${JSON.stringify(alerts)}`, { cause: err });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test('the built page has a strict CSP, trains under it with no violation, and a fetch to an origin not allowed is blocked', async ({ page }) => {
  test.setTimeout(120_000);
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  expect(csp, 'dist/index.html must carry the CSP meta (see .env)').toBeDefined();
  const directives = new Map(
    csp!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  expect(directives.get('default-src')).toEqual(["'self'"]);
  expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'http://127.0.0.1:*', 'https://api.openai.com', 'https://huggingface.co']));
  expect(directives.get('connect-src')).not.toContain('*');
  expect(csp).not.toContain("'unsafe-inline'");
  expect(csp).not.toContain("'unsafe-eval'");

  await watchCsp(page);
  await page.goto(`/?backend=wasm#${encodeHash(small(1))}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  await expectFinished(page);
  await expect(page.getByTestId('status-iteration')).toHaveText('1');
  expect(await cspViolations(page)).toEqual([]);

  // 127.0.0.2 is loopback but not in connect-src: the browser refuses before any packet is sent.
  const outcome = await page.evaluate(() =>
    fetch('http://127.0.0.2:9/exfiltrate').then(
      () => 'sent',
      (e: Error) => `refused: ${e.name}`,
    ),
  );
  expect(outcome).toBe('refused: TypeError');
  await expect.poll(() => cspViolations(page)).toEqual([{ directive: 'connect-src', blocked: 'http://127.0.0.2:9/exfiltrate' }]);
});

test.describe('a remote expert with hostile answers and a planted key', () => {
  let server: OpenAITestServer;
  test.beforeAll(async () => {
    server = await startOpenAITestServer({ apiKey: PLANTED_KEY, cors: true });
    server.injectFault({ answer: HOSTILE_ANSWER });
  });
  test.afterAll(async () => {
    await server?.close();
  });

  test('HTML and script in answers are shown as text; the key is in no URL, export, storage, log or bundle', async ({ page }) => {
    test.setTimeout(120_000);
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(e.message));
    await watchCsp(page);
    // Two experts (a pool needs two), both answering with the hostile markup; routes of 1–2 calls.
    const config = small(1, {
      stopRule: 'learned',
      reward: { ...DEFAULT_CONFIG.reward, tmax: 2 },
      ppo: { ...DEFAULT_CONFIG.ppo, episodesPerIteration: 4 },
      pool: {
        kind: 'custom',
        experts: [
          { name: 'hostile', kind: 'openai', sizeB: 7, model: 'hostile-model', baseURL: server.url, temperature: 0 },
          { name: 'hostile-2', kind: 'openai', sizeB: 8, model: 'hostile-model', baseURL: server.url, temperature: 0 },
        ],
      },
    });
    await page.goto(`/?backend=wasm#${encodeHash(config)}`);
    await page.locator('details[data-section="pool"] > summary').click();
    await page.locator('#expert-0-key').fill(PLANTED_KEY);
    await page.locator('#expert-1-key').fill(PLANTED_KEY);
    await page.getByRole('button', { name: 'Start training' }).click();
    await expectFinished(page);
    expect(server.stats.completions).toBeGreaterThan(0);
    expect(server.log.every((r) => r.authorization === `Bearer ${PLANTED_KEY}`)).toBe(true);

    // Inert: the route inspector shows the markup as characters; nothing ran, no element was made.
    await page.getByRole('tab', { name: 'Routes' }).click();
    await page.getByTestId('episode-item').first().click();
    const answer = page.getByTestId('answer-text').first();
    await expect(answer).toContainText('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('#hostile-bold').count()).toBe(0);
    expect(await page.locator('.tab-panel script').count()).toBe(0);
    await page.screenshot({ path: 'test-results/screenshots/faults-inert-answer.png' });

    // Exports: the run file and the response cache.
    await page.getByRole('tab', { name: 'Runs' }).click();
    const [runDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('run-row').first().getByRole('button', { name: 'Export JSONL' }).click(),
    ]);
    const runText = readFileSync((await runDownload.path())!, 'utf8');
    expect(runText).toContain('hostile-model');
    await page.getByText('Budget and cache').click();
    const [cacheDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export cache' }).click()]);
    const cacheText = readFileSync((await cacheDownload.path())!, 'utf8');
    expect(cacheText.length).toBeGreaterThan(0);

    // Everything the page keeps: localStorage, sessionStorage, and every IndexedDB database.
    const stored = await page.evaluate(async () => {
      const dump: string[] = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
      for (const info of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open(info.name!);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        for (const store of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((resolve, reject) => {
            const req = db.transaction(store).objectStore(store).getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
          dump.push(`${info.name}/${store}: ${JSON.stringify(all)}`);
        }
        db.close();
      }
      return dump.join('\n');
    });
    expect(stored).toContain('hostile-model'); // the dump did read the saved run
    const bundle = filesUnder(DIST)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    for (const [where, text] of Object.entries({ url: page.url(), run: runText, cache: cacheText, storage: stored, logs: logs.join('\n'), bundle })) {
      expect(text.includes(PLANTED_KEY), `the key leaked into ${where}`).toBe(false);
    }
    // Nor any key-shaped string in the bundle.
    expect(bundle.match(/\bsk-[A-Za-z0-9_-]{16,}/g) ?? []).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });
});

test('a worker crash mid-run: the page says so, keeps the saved run, and Resume run finishes it', async ({ page }) => {
  test.setTimeout(150_000);
  // Iteration 0 (8 episodes) is saved with its weights; the worker dies 4 episodes into iteration 1.
  await page.goto(`/?backend=wasm&fault=worker-crash-after=12#${encodeHash(small(3))}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The training worker crashed' });
  await expect(alert).toBeVisible({ timeout: 90_000 });
  await expect(alert).toContainText('Injected fault');
  await expect(alert).toContainText('Resume run');
  const banner = page.getByTestId('saved-run-banner');
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('saved-run-status')).toHaveText('interrupted');
  await expect(page.getByTestId('status-iteration')).toHaveText('1');
  const kept = Number(/(\d+) episodes saved/.exec((await banner.textContent())!)![1]);
  await expect(page.getByTestId('status-episodes')).toHaveText(String(kept));
  expect(kept).toBeGreaterThanOrEqual(8);
  expect(kept).toBeLessThanOrEqual(12);
  await page.screenshot({ path: 'test-results/screenshots/faults-worker-crash.png' });

  // Resume (without the fault: it applies to new runs only) continues the same run to the end.
  await banner.getByRole('button', { name: 'Resume run' }).click();
  await expectFinished(page, 120_000);
  // The status line's counters follow a moment after the state (throttled).
  await expect(page.getByTestId('status-iteration')).toHaveText('3');
  await expect(page.getByTestId('status-episodes')).toHaveText('24');
  await expect(alert).toHaveCount(0);
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row').getByTestId('run-episodes')).toHaveText('24');
});

test('a full disk: one clear message, training goes on, and what was saved before survives a reload', async ({ page }) => {
  test.setTimeout(150_000);
  // Three writes succeed (status, first episodes, …); every later one fails with QuotaExceededError.
  await page.goto(`/?backend=wasm&fault=quota-after=3#${encodeHash(small(2))}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  const warning = page.getByTestId('storage-warning');
  await expect(warning).toContainText('Storage full: delete old runs or export them', { timeout: 90_000 });
  await expect(warning).toContainText('what was saved before stays intact');
  // Training is not stopped by it.
  await expectFinished(page);
  await expect(page.getByTestId('status-iteration')).toHaveText('2');
  await expect(page.getByTestId('status-episodes')).toHaveText('16');

  await page.reload();
  const banner = page.getByTestId('saved-run-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  const saved = Number(/(\d+) episodes saved/.exec((await banner.textContent())!)![1]);
  expect(saved).toBeGreaterThanOrEqual(1);
  expect(saved).toBeLessThan(16);
  await expect(page.getByTestId('status-episodes')).toHaveText(String(saved));
  // The run remembers why it stopped being saved.
  await expect(page.getByTestId('storage-warning')).toContainText('Storage full');
});

test('the worker dies just as an update starts (a reload mid-update): nothing is half-saved, and Resume run redoes that iteration', async ({ page }) => {
  test.setTimeout(150_000);
  // Iteration 0 is saved; the 16th episode closes iteration 1's batch and the worker dies before that update is saved.
  await page.goto(`/?backend=wasm&fault=worker-crash-after=16#${encodeHash(small(3))}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The training worker crashed' })).toBeVisible({ timeout: 90_000 });
  const banner = page.getByTestId('saved-run-banner');
  await expect(banner).toContainText('interrupted after 1 of 3 iterations');
  await expect(page.getByTestId('status-iteration')).toHaveText('1');
  const saved = Number(/(\d+) episodes saved/.exec((await banner.textContent())!)![1]);
  expect(saved).toBeGreaterThanOrEqual(8);
  expect(saved).toBeLessThanOrEqual(16);

  await banner.getByRole('button', { name: 'Resume run' }).click();
  await expectFinished(page, 120_000);
  await expect(page.getByTestId('status-iteration')).toHaveText('3');
  // The unfinished iteration's episodes were asked again, not duplicated.
  await expect(page.getByTestId('status-episodes')).toHaveText('24');
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row').getByTestId('run-episodes')).toHaveText('24');
});

test('a worker that dies before anything was saved: the page says so and offers a new run', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/?backend=wasm&fault=worker-crash-after=2#${encodeHash(small(2))}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The training worker crashed' });
  await expect(alert).toBeVisible({ timeout: 90_000 });
  await expect(alert).toContainText(/Nothing of this run had been saved yet|use "Resume run"/);
  await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
});
