import { expect, test } from '@playwright/test';
import { openProbePage } from './support/probePage';

// What produced "PPO update skipped, weights unchanged: gradient norm is NaN" on webgl (issue 10):
// tfjs-webgl keeps 2-D tensors in packed 2×2 textures, so a minibatch with an odd number of rows
// has a padding row. With packed binary ops (tfjs's default) that row is computed too: logSoftmax's
// log(Σ exp) sees 0 there, so p = exp(log p) is huge in the padding, p·log p overflows to ±Inf, and
// the backward pass's matMul over the batch multiplies it by the other operand's zero padding:
// Inf·0 = NaN in every element of every weight gradient. src/agent/backendWebgl.ts turns packed
// binary ops off; the product is then computed at real coordinates only.
type Probe = {
  paddingNaN(safe: boolean): Promise<{ odd: number; even: number; size: number }>;
  ppoStepAgainstCpu(backend: string, safe: boolean): Promise<{ deviation: number; reason?: string; skipReason: string | null; backend: string }>;
};

test.describe('webgl NaN (packed-texture padding)', () => {
  test('p·log p over an odd number of rows poisons the backward matMul with tfjs defaults, not with the project’s webgl flags', async ({ page }) => {
    await openProbePage(page);
    const unsafe = await page.evaluate(() => (window as unknown as { probe: Probe }).probe.paddingNaN(false));
    test.skip(unsafe.odd === 0, 'this browser’s GL keeps the padding finite: the NaN does not occur here, so there is nothing to show');
    // Every output element is NaN at 15 rows, none at 16: the padding row is the cause.
    expect(unsafe.odd).toBe(unsafe.size);
    expect(unsafe.even).toBe(0);
    const safe = await page.evaluate(() => (window as unknown as { probe: Probe }).probe.paddingNaN(true));
    expect(safe).toEqual({ odd: 0, even: 0, size: unsafe.size });
  });

  test('a PPO step at an odd batch on webgl: skipped for a NaN gradient with tfjs defaults, equal to cpu with the fix', async ({ page }) => {
    await openProbePage(page);
    const broken = await page.evaluate(() => (window as unknown as { probe: Probe }).probe.ppoStepAgainstCpu('webgl', false));
    expect(broken.backend).toBe('webgl');
    if (broken.skipReason === null)
      test.info().annotations.push({ type: 'note', description: 'this GL keeps the padding finite; only the fixed step is checked' });
    else expect(broken.skipReason).toMatch(/gradient norm is NaN/);
    const fixed = await page.evaluate(() => (window as unknown as { probe: Probe }).probe.ppoStepAgainstCpu('webgl', true));
    expect(fixed.skipReason).toBeNull();
    expect(fixed.reason).toBeUndefined();
    expect(fixed.deviation).toBeLessThan(1e-3);
  });
});
