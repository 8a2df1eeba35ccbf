// @vitest-environment jsdom
// The dashboard's charts render without a React warning (duplicate keys, …) for the iteration
// series a run produces, including the ones that used to break the axes: a single iteration, a
// constant series, a chance line outside the data, tiny spreads. React prints its warnings only in
// development builds, which this test uses (the e2e console test runs the production build).
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RewardChart } from '../../src/ui/charts/RewardChart';
import type { IterationLike } from '../../src/ui/charts/chartData';

class FakeResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

let errors: unknown[][] = [];
let spy: ReturnType<typeof vi.spyOn>;
let widthDescriptor: PropertyDescriptor | undefined;

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = FakeResizeObserver;
  // jsdom lays nothing out: give the chart frames a width so the plots draw axes and ticks.
  widthDescriptor = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 600 });
  spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
});
afterAll(() => {
  spy.mockRestore();
  if (widthDescriptor) Object.defineProperty(HTMLElement.prototype, 'clientWidth', widthDescriptor);
});

let container: HTMLDivElement;
afterEach(() => container?.remove());

function iteration(i: number, meanReturn: number, extra: Partial<IterationLike> = {}): IterationLike {
  return { iteration: i, summary: { meanReturn, meanFinalScore: 0.7, meanRouteCost: 20, successRate: 0.5 }, update: null, ...extra } as IterationLike;
}

async function renderChart(iterations: IterationLike[]): Promise<HTMLDivElement> {
  errors = [];
  container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(createElement(RewardChart, { iterations, simulated: true })));
  // Staggered charts apply their props through a queue of tasks.
  for (let i = 0; i < 20; i++) await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
  return container;
}

/** Tick labels of each y axis, in order. */
const yAxisLabels = (view: HTMLElement) =>
  [...view.querySelectorAll('.line-plot-y-axis')].map((axis) => [...axis.querySelectorAll('.line-plot-y-tick')].map((t) => t.textContent ?? ''));

describe('reward chart axes', () => {
  const cases: [string, IterationLike[]][] = [
    ['one iteration', [iteration(0, 3.76)]],
    ['a constant series', Array.from({ length: 6 }, (_, i) => iteration(i, 3.76))],
    ['a tiny spread', Array.from({ length: 6 }, (_, i) => iteration(i, 3.7612 + i * 1e-5))],
    ['a spread from 3.51 to 3.76', Array.from({ length: 8 }, (_, i) => iteration(i, 3.51 + (i * 0.25) / 7))],
  ];
  for (const [name, iterations] of cases) {
    it(`draws ${name} with unique, distinct y tick labels and no React warning`, async () => {
      const view = await renderChart(iterations);
      // Three y axes (return; score and cost), each with distinct labels.
      const axes = yAxisLabels(view);
      expect(axes).toHaveLength(3);
      for (const labels of axes) {
        expect(labels.length).toBeGreaterThan(1);
        expect(new Set(labels).size).toBe(labels.length);
      }
      expect(errors.map((e) => String(e[0]))).toEqual([]);
    });
  }
});
