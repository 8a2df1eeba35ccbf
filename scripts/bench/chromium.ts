// Headless Chromium for the browser cases: Debian's /usr/bin/chromium driven by Playwright, and a
// Vite dev server for the bench page (scripts/bench/page/), which lives outside the product bundle.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/chromiumLaunch';

export { CHROMIUM_PATH };

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE_ROOT = fileURLToPath(new URL('./page/', import.meta.url));

export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('@playwright/test');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the product (production, the repo's vite.config.ts) into `outDir` and serves it with
 * `vite preview` on a free loopback port: the page a user gets from `npm run build`.
 */
export async function serveProductionBuild(outDir: string, options: { sourcemap?: 'hidden' } = {}): Promise<PageServer> {
  const vite = await import('vite');
  const configFile = `${REPO_ROOT}vite.config.ts`;
  await vite.build({ root: REPO_ROOT, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true, ...options } });
  const server = await vite.preview({
    root: REPO_ROOT,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview reported no URL');
  return { url, close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())) };
}

/** Serves scripts/bench/page/ with Vite (dev mode, no config file: the product's config is not involved). */
export async function startBenchPageServer(): Promise<PageServer> {
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: false,
    root: PAGE_ROOT,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [REPO_ROOT] }, hmr: false },
    optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the bench page server did not report a port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
