import { expect, test, type Page } from '@playwright/test';
import { startOpenAITestServer, type OpenAITestServer } from '../tests/support/openaiTestServer';
import { DEFAULT_CONFIG } from '../src/der/presets';
import { parseConfig, type ExperimentConfig } from '../src/der/config';
import { encodeHash } from '../src/der/urlState';

// Every expert becomes unreachable mid-run (docs/fault-catalogue.md, issue 12): the page pauses the
// run itself with a banner naming each failing endpoint and its last error, keeps everything it
// had (on screen and in IndexedDB), and Resume finishes the run once the endpoint is back.

let server: OpenAITestServer;
test.beforeAll(async () => {
  server = await startOpenAITestServer();
});
test.afterAll(async () => {
  await server.close();
});

const ITERATIONS = 8;

function config(): ExperimentConfig {
  return parseConfig({
    ...DEFAULT_CONFIG,
    preset: 'custom',
    seed: 9,
    iterations: ITERATIONS,
    reward: { ...DEFAULT_CONFIG.reward, tmax: 2 },
    ppo: { ...DEFAULT_CONFIG.ppo, episodesPerIteration: 8 },
    pool: {
      kind: 'custom',
      experts: [
        { name: 'small', kind: 'openai', sizeB: 1, model: 'outage-small', baseURL: server.url, temperature: 0 },
        { name: 'large', kind: 'openai', sizeB: 7, model: 'outage-large', baseURL: server.url, temperature: 0 },
      ],
    },
  });
}

/** Episodes of the (only) saved run in IndexedDB, counted in the page. */
function savedEpisodes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('der-workbench-runs');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = await new Promise<number>((resolve, reject) => {
      const req = db.transaction('episodes').objectStore('episodes').count();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return count;
  });
}

test('every expert unreachable mid-run: a banner names each endpoint, nothing is lost, and Resume finishes the run once the endpoint is back', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(`/?backend=wasm#${encodeHash(config())}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  // Loopback experts answer fast and the status line is throttled: it may show 2 or 3 before 1,
  // so wait for any finished iteration; the run is long enough that the outage still falls mid-run.
  await expect.poll(async () => Number(await page.getByTestId('status-iteration').textContent()), { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
  await server.refuseConnections(true);
  const startedDown = Date.now();

  const banner = page.getByTestId('outage-banner');
  await expect(banner).toBeVisible({ timeout: 60_000 });
  expect(Date.now() - startedDown).toBeLessThan(30_000);
  await expect(banner).toContainText(`"small" at ${server.url}`);
  await expect(banner).toContainText(`"large" at ${server.url}`);
  await expect(page.getByTestId('status')).toContainText('paused');
  // Everything the page had is still there, and the same episodes are saved.
  await expect(page.getByTestId('status-iteration')).not.toHaveText('0');
  // Episodes of the batch in flight when the outage began may still arrive after the banner: compare
  // the page's count and the saved count once both have settled (read together on each poll).
  await expect
    .poll(
      async () => {
        const shown = Number(await page.getByTestId('status-episodes').textContent());
        const saved = await savedEpisodes(page);
        return shown >= 8 && saved === shown ? 'same' : `${shown} shown, ${saved} saved`;
      },
      { timeout: 15_000 },
    )
    .toBe('same');

  await server.refuseConnections(false);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByTestId('status')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('status-iteration')).toHaveText(String(ITERATIONS));
  await expect(banner).toHaveCount(0);
});
