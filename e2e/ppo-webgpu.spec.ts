import { build } from 'esbuild';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// The webgpu device path of PpoAgent (deviceStep.ts: fused WebGPU Adam, statistics and the NaN
// guard on the device) against the cpu (lean) path, in Chromium's WebGPU (SwiftShader here, a
// software adapter: the numbers and the dispatch counts are what this shows, not speed).
const ROOT = path.resolve(import.meta.dirname, '..');
// localhost: a secure context, which WebGPU requires; page.route serves it, no server runs.
const ORIGIN = 'http://localhost:9';

type Api = {
  compare(config: 'tuned' | 'overflow'): Promise<{
    paths: string[];
    deviation: number;
    worst: string;
    syncMismatches: number;
    readsInUpdates: number;
    adapter: string;
    tapePerStep: { dispatches: number; submits: number; reads: number };
    cpu: { skipped: boolean; reason: string | null; steps: number; valueLoss: number; gradNorm: number }[];
    gpu: { skipped: boolean; reason: string | null; steps: number; valueLoss: number; gradNorm: number }[];
    perStep: { dispatches: number; submits: number; reads: number; steps: number };
  }>;
  resume(): Promise<{ path: string; restoredDiff: number; controlDiff: number }>;
};

test.describe('PPO on webgpu, device path', () => {
  test.beforeEach(async ({ page }) => {
    const js = (
      await build({
        entryPoints: [path.join(ROOT, 'e2e/pages/ppoDevice.entry.ts')],
        bundle: true,
        format: 'iife',
        write: false,
        logLevel: 'error',
        define: { 'process.env.NODE_ENV': '"production"' },
      })
    ).outputFiles[0].text;
    await page.route(`${ORIGIN}/**`, (route) => {
      const { pathname } = new URL(route.request().url());
      if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>ppo</title><script src="/ppo.js"></script>' });
      if (pathname === '/ppo.js') return route.fulfill({ contentType: 'text/javascript', body: js });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => document.title === 'ppo device ready', undefined, { timeout: 60_000 });
    const hasGpu = await page.evaluate(async () =>
      Boolean(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()),
    );
    test.skip(!hasGpu, 'this browser exposes no WebGPU adapter');
  });

  test('three updates give the weights of the cpu (lean) path, with no read inside an update', async ({ page }) => {
    test.setTimeout(240_000);
    const r = await page.evaluate(() => (window as unknown as { ppoDevice: Api }).ppoDevice.compare('tuned'));
    console.log(
      `webgpu device path (${r.adapter}): max |Δw| ${r.deviation.toExponential(2)} (${r.worst}), getWeights() differs from data() in ${r.syncMismatches} variables; per gradient step ${r.perStep.dispatches.toFixed(1)} dispatches, ${r.perStep.submits.toFixed(1)} submits, ${r.perStep.reads.toFixed(2)} reads (${r.perStep.steps} steps); tape path on webgpu: ${r.tapePerStep.dispatches.toFixed(1)} dispatches, ${r.tapePerStep.submits.toFixed(1)} submits, ${r.tapePerStep.reads.toFixed(2)} reads`,
    );
    expect(r.paths).toEqual(['lean', 'device']);
    expect(r.gpu.map((m) => m.steps)).toEqual(r.cpu.map((m) => m.steps));
    r.gpu.forEach((m, k) => {
      expect(m.skipped).toBe(false);
      expect(m.valueLoss).toBeCloseTo(r.cpu[k].valueLoss, 3);
      expect(m.gradNorm).toBeCloseTo(r.cpu[k].gradNorm, 3);
    });
    expect(r.deviation).toBeLessThan(1e-4);
    // One read per update (the accumulator at its end), none per gradient step: 3 updates, 48 steps.
    expect(r.readsInUpdates).toBe(3);
    // Issue 10's goals, counted (they do not depend on the machine): ≤ 40 dispatches and ≤ 2 submits per gradient step.
    expect(r.perStep.dispatches).toBeLessThanOrEqual(40);
    expect(r.perStep.submits).toBeLessThanOrEqual(2);
  });

  test('resume on the device path: restored moments give the same weights bit for bit, fresh moments do not', async ({ page }) => {
    test.setTimeout(240_000);
    const r = await page.evaluate(() => (window as unknown as { ppoDevice: Api }).ppoDevice.resume());
    expect(r.path).toBe('device');
    expect(r.restoredDiff).toBe(0);
    expect(r.controlDiff).toBeGreaterThan(1e-6);
  });

  test('a step with an infinite value loss is not applied, on the device as on the cpu', async ({ page }) => {
    test.setTimeout(240_000);
    const r = await page.evaluate(() => (window as unknown as { ppoDevice: Api }).ppoDevice.compare('overflow'));
    expect(r.cpu[1].skipped).toBe(true);
    expect(r.cpu[1].steps).toBe(0);
    expect(r.gpu[1].skipped).toBe(true);
    expect(r.gpu[1].steps).toBe(0);
    expect(r.gpu[1].reason).toMatch(/not finite; gradients not applied/);
    expect(r.deviation).toBeLessThan(1e-4);
  });
});
