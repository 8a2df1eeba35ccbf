// The Chromium part of the PPO-update case (ppoUpdate.ts): the bench page (page/main.ts) runs the
// same workloads on tfjs wasm and once on WebGPU (SwiftShader on machines without a GPU).
import { chromiumMissing, launchChromium, startBenchPageServer } from './chromium';
import type { PageRun } from './page/main';

export async function chromiumRuns(backends: ('wasm' | 'webgpu')[], repeats: number, only?: string[]): Promise<Map<string, PageRun | string>> {
  const out = new Map<string, PageRun | string>();
  const missing = chromiumMissing();
  if (missing) {
    backends.forEach((b) => out.set(b, missing));
    return out;
  }
  const server = await startBenchPageServer();
  const browser = await launchChromium();
  try {
    for (const backend of backends) {
      const page = await browser.newPage();
      try {
        await page.goto(server.url);
        await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 120_000 });
        const run = await page.evaluate(
          ([b, r, o]) => (window as unknown as { __ppoBench: (b: string, r: number, o?: string[]) => Promise<PageRun> }).__ppoBench(b, r, o),
          [backend, backend === 'webgpu' ? 2 : repeats, backend === 'webgpu' ? only : undefined] as const,
        );
        out.set(backend, run);
      } catch (err) {
        out.set(backend, (err as Error).message.split('\n')[0]);
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}
