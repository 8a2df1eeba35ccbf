// @vitest-environment jsdom
// The backend picker and the status line's backend: the measured timings in the options and the
// table, the choice marked, a hand-picked backend that failed the numerical check saying why, and
// "Measure again" forgetting the measurement.
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendPicker } from '../../src/ui/panel/BackendPicker';
import { BackendStatus } from '../../src/ui/controls/BackendStatus';
import { useBackendMeasurement } from '../../src/store/backendMeasurementStore';
import { useTrainingStore } from '../../src/store/trainingStore';
import { chooseBackend, compareToReference, type BackendMeasurement, type BackendTiming } from '../../src/agent/backendTiming';
import { DEFAULT_PROBE_SHAPE, type ProbeOutput } from '../../src/agent/backendProbe';
import type { SessionInfo } from '../../src/worker/protocol';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let container: HTMLDivElement;
afterEach(() => container?.remove());

const probe = (delta: number[]): ProbeOutput => ({
  warmupMs: 1,
  stepMs: 1,
  actMs: 1,
  stats: [0.1, 0.5, 2.3, 0.4],
  weightDelta: Float32Array.from(delta),
  policyOut: Float32Array.from([0.5, 0.5, 0.1]),
});

function measurement(): BackendMeasurement {
  const ref = probe([1e-3, -1e-3, 1e-3]);
  // webgl's step produced a NaN weight: the check's own words are the reason.
  const webglCheck = compareToReference(probe([1e-3, Number.NaN, 1e-3]), ref);
  const results: BackendTiming[] = [
    { name: 'cpu', status: 'agrees', warmupMs: 900, stepMs: 300, actMs: 30, deviation: 0, scoreMs: 330 },
    { name: 'wasm', status: 'agrees', warmupMs: 300, stepMs: 30, actMs: 1.5, deviation: 2e-6, scoreMs: 31.5 },
    { name: 'webgl', status: 'disagrees', warmupMs: 800, stepMs: 5, actMs: 1, deviation: webglCheck.deviation, scoreMs: 6, reason: webglCheck.reason },
    { name: 'webgpu', status: 'timeout', reason: 'over the 4 s cap (start-up and shader compilation count)', adapter: 'google swiftshader (fallback adapter)' },
  ];
  return {
    version: 1,
    measuredAt: '2026-12-04T16:00:00.000Z',
    shape: DEFAULT_PROBE_SHAPE,
    capMs: 4000,
    tolerance: 1e-2,
    results,
    chosen: chooseBackend(results),
    withEncoder: false,
  };
}

async function render(element: ReturnType<typeof createElement>) {
  container = document.createElement('div');
  document.body.appendChild(container);
  await act(async () => createRoot(container).render(element));
}

describe('backend picker', () => {
  it('shows the measured timings, the choice, and why a hand-picked backend is not trusted', async () => {
    const m = measurement();
    expect(m.chosen).toBe('wasm'); // webgl is faster but computes wrongly
    useBackendMeasurement.setState({ measurement: m, cleared: false });
    useTrainingStore.setState({ backendChoice: 'auto' });
    await render(createElement(BackendPicker));
    const options = Array.from(container.querySelectorAll('option')).map((o) => o.textContent);
    expect(options).toEqual(['auto (measured: wasm)', 'webgpu — over the time cap', 'webgl — computes wrongly', 'wasm — 32 ms', 'cpu — 330 ms']);
    expect(container.querySelector('tr.chosen')?.getAttribute('data-backend')).toBe('wasm');
    expect(container.querySelector('tr[data-backend="webgl"]')?.textContent).toContain('computes wrongly: weights after one step hold NaN (index 1)');
    expect(container.querySelector('tr[data-backend="webgpu"]')?.textContent).toContain('[google swiftshader (fallback adapter)]');
    expect(container.querySelector('[data-testid="backend-warning"]')).toBeNull();

    await act(async () => useTrainingStore.setState({ backendChoice: 'webgl' }));
    expect(container.querySelector('[data-testid="backend-warning"]')?.textContent).toBe(
      "webgl failed this browser's numerical check: weights after one step hold NaN (index 1)",
    );

    const button = container.querySelector<HTMLButtonElement>('[data-testid="measure-again"]')!;
    expect(button.textContent).toBe('Measure again');
    await act(async () => button.click());
    expect(useBackendMeasurement.getState().measurement).toBeNull();
    expect(container.querySelector('[data-testid="backend-timings"]')).toBeNull();
    expect(button.textContent).toBe('Measures at the next Start');
  });

  it('the status line says how the backend was chosen, and a hand-picked unsound one says why', async () => {
    const m = measurement();
    const info = { backend: 'wasm', backendMeasurement: m, backendMeasuredNow: true } as unknown as SessionInfo;
    useTrainingStore.setState({ backendChoice: 'auto', info });
    await render(createElement(BackendStatus));
    expect(container.textContent).toBe('backend wasm (auto, measured now: 32 ms/step)');
    await act(async () =>
      useTrainingStore.setState({ backendChoice: 'webgl', info: { ...info, backend: 'webgl', backendNote: 'webgl failed this browser’s numerical check' } }),
    );
    expect(container.querySelector('[data-testid="status-backend-how"]')?.textContent).toBe(' (chosen by hand)');
    expect(container.querySelector('[data-testid="status-backend-note"]')?.textContent).toContain('failed this browser’s numerical check');
  });
});
