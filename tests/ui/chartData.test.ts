import { describe, expect, it } from 'vitest';
import {
  cumulativeHistogram,
  debiasedEma,
  divergingColor,
  downsampleMinMax,
  metricSeries,
  niceScale,
  rewardRows,
  routeLengthRows,
} from '../../src/ui/charts/chartData';

describe('debiasedEma (TensorBoard smoothing)', () => {
  it('matches a hand computation with debiasing', () => {
    // w = 0.5: last_1 = 0.5·1 = 0.5, debias 1 − 0.5 = 0.5 → 1
    //          last_2 = 0.25 + 0.5·3 = 1.75, debias 1 − 0.25 = 0.75 → 2.3333…
    //          last_3 = 0.875 + 0.5·5 = 3.375, debias 1 − 0.125 = 0.875 → 3.857142…
    const s = debiasedEma([1, 3, 5], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(1.75 / 0.75, 12);
    expect(s[2]).toBeCloseTo(3.375 / 0.875, 12);
  });

  it('starts at the first value instead of being pulled towards zero', () => {
    const s = debiasedEma([10, 10, 10, 10], 0.9);
    for (const v of s) expect(v).toBeCloseTo(10, 10);
  });

  it('weight 0 is the identity and non-finite values pass through without updating the average', () => {
    expect(debiasedEma([2, -1, 4], 0)).toEqual([2, -1, 4]);
    const s = debiasedEma([1, Number.NaN, 3], 0.5);
    expect(s[1]).toBeNaN();
    // The NaN did not count: the third value is smoothed as the second finite one.
    expect(s[2]).toBeCloseTo(debiasedEma([1, 3], 0.5)[1], 12);
  });
});

describe('downsampleMinMax', () => {
  const rows = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 37) * (1 + (i % 101 === 0 ? 5 : 0)) }));

  it('returns short series unchanged', () => {
    const short = rows.slice(0, 50);
    expect(downsampleMinMax(short, 100, (r) => r.y)).toBe(short);
  });

  it('keeps the endpoints and the global extremes, in order, within the budget', () => {
    const out = downsampleMinMax(rows, 500, (r) => r.y);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.length).toBeGreaterThan(100);
    expect(out[0]).toBe(rows[0]);
    expect(out[out.length - 1]).toBe(rows[rows.length - 1]);
    const ys = rows.map((r) => r.y);
    const outYs = out.map((r) => r.y);
    expect(Math.max(...outYs)).toBe(Math.max(...ys));
    expect(Math.min(...outYs)).toBe(Math.min(...ys));
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('keeps a single spike that a stride sampler would miss', () => {
    const flat = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: i === 2345 ? 99 : 0 }));
    const out = downsampleMinMax(flat, 200, (r) => r.y);
    expect(out.some((r) => r.x === 2345)).toBe(true);
  });
});

describe('histograms', () => {
  it('sums per-iteration histograms element-wise, shorter ones padded with zeros', () => {
    expect(cumulativeHistogram([[1, 2, 0], [0, 1, 4], [3]])).toEqual([4, 3, 4]);
    expect(cumulativeHistogram([])).toEqual([]);
  });

  it('route-length rows carry counts and shares per k = 1..Tmax', () => {
    const rows = routeLengthRows([2, 0, 2], [6, 3, 1]);
    expect(rows.map((r) => r.length)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.lastShare)).toEqual([0.5, 0, 0.5]);
    expect(rows.map((r) => r.cumulativeShare)).toEqual([0.6, 0.3, 0.1]);
    expect(rows[1].cumulativeCount).toBe(3);
    expect(routeLengthRows([0, 0], [0, 0]).every((r) => r.lastShare === 0)).toBe(true);
  });
});

describe('series helpers', () => {
  it('reward rows smooth the mean return and keep the other means', () => {
    const iterations = [0, 1, 2].map((i) => ({
      iteration: i,
      summary: { meanReturn: i * 2, meanFinalScore: 0.5 + i / 10, meanRouteCost: 20 - i, successRate: 0.1 },
    }));
    const rows = rewardRows(iterations, 0.5);
    expect(rows.map((r) => r.meanReturn)).toEqual([0, 2, 4]);
    expect(rows.map((r) => r.smoothedReturn)).toEqual(debiasedEma([0, 2, 4], 0.5));
    expect(rows[2].meanFinalScore).toBeCloseTo(0.7);
    expect(rows[1].meanRouteCost).toBe(19);
  });

  it('metric series skip iterations without a value', () => {
    const items = [{ iteration: 0, v: 1 }, { iteration: 1 }, { iteration: 2, v: Number.NaN }, { iteration: 3, v: 4 }] as { iteration: number; v?: number }[];
    expect(metricSeries(items, (i) => i.v)).toEqual([
      { iteration: 0, value: 1 },
      { iteration: 3, value: 4 },
    ]);
  });

  it('diverging colours: grey when unseen, blue above zero, red below', () => {
    expect(divergingColor(Number.NaN, 1)).toBe('#eef0f3');
    const [r1, , b1] = divergingColor(0.5, 0.5).match(/\d+/g)!.map(Number);
    expect(b1).toBeGreaterThan(r1);
    const [r2, , b2] = divergingColor(-0.5, 0.5).match(/\d+/g)!.map(Number);
    expect(r2).toBeGreaterThan(b2);
  });
});

describe('niceScale (axis ticks)', () => {
  it('covers the values with evenly spaced, distinct ticks and a domain that ends on ticks', () => {
    const s = niceScale([3.51, 3.6, 3.76])!;
    expect(s.ticks[0]).toBeLessThanOrEqual(3.51);
    expect(s.ticks.at(-1)).toBeGreaterThanOrEqual(3.76);
    expect(s.domain).toEqual([s.ticks[0], s.ticks.at(-1)]);
    const steps = s.ticks.slice(1).map((t, i) => Number((t - s.ticks[i]).toPrecision(6)));
    expect(new Set(steps).size).toBe(1);
    expect(new Set(s.ticks.map((t) => t.toFixed(s.digits))).size).toBe(s.ticks.length);
  });

  it('gives a constant series a band around its value, and ignores NaN', () => {
    const s = niceScale([3.76, 3.76, Number.NaN])!;
    expect(s.ticks.length).toBeGreaterThan(1);
    expect(s.domain[0]).toBeLessThan(3.76);
    expect(s.domain[1]).toBeGreaterThan(3.76);
    expect(niceScale([Number.NaN])).toBeNull();
    expect(niceScale([0, 0])!.ticks.length).toBeGreaterThan(1);
  });

  it('starts at zero when asked, and labels tiny spreads with enough digits', () => {
    expect(niceScale([12, 30], 5, { fromZero: true })!.ticks[0]).toBe(0);
    const tiny = niceScale([3.7612, 3.76125])!;
    expect(new Set(tiny.ticks.map((t) => t.toFixed(tiny.digits))).size).toBe(tiny.ticks.length);
  });
});
