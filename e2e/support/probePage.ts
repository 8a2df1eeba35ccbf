// Serves e2e/pages/backendProbe.entry.ts, bundled on the fly with esbuild, to a Playwright page
// (through page.route: no server, nothing written). The tfjs wasm files come from node_modules.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ORIGIN = 'http://probe.test';
let bundle: Promise<string> | null = null;

function bundled(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(ROOT, 'e2e/pages/backendProbe.entry.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then((r) => r.outputFiles[0].text);
  return bundle;
}

/** Open the probe page; window.probe then holds the API of backendProbe.entry.ts. */
export async function openProbePage(page: Page): Promise<void> {
  const js = await bundled();
  const wasmDir = path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  await page.route(`${ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>probe</title><script src="/probe.js"></script>' });
    if (pathname === '/probe.js') return route.fulfill({ contentType: 'text/javascript', body: js });
    if (pathname.startsWith('/wasm/'))
      return route.fulfill({ contentType: 'application/wasm', body: await readFile(path.join(wasmDir, path.basename(pathname))) });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => document.title === 'probe ready', undefined, { timeout: 60_000 });
}
