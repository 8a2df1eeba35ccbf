import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../src/agent/backendNode';
import { measureBackends } from '../../src/agent/backendMeasure';
import { chooseBackend, compareToReference, describeTiming, type BackendTiming } from '../../src/agent/backendTiming';
import { DEFAULT_PROBE_SHAPE, probeActiveBackend, type ProbeOutput } from '../../src/agent/backendProbe';

// Small networks keep this quick; the probe is the same code the browser runs.
const shape = { ...DEFAULT_PROBE_SHAPE, stateDim: 32, hiddenSizes: [32, 32], batch: 31, actBatch: 8 };

describe('backend measurement (auto by measurement)', () => {
  let ref: ProbeOutput;
  let wasm: ProbeOutput;
  beforeAll(async () => {
    await selectNodeBackend('wasm'); // sets the wasm file paths
    await tf.setBackend('cpu');
    ref = await probeActiveBackend(shape, { timedSteps: 1 });
    await tf.setBackend('wasm');
    wasm = await probeActiveBackend(shape, { timedSteps: 1 });
  });

  it('a PPO step on wasm agrees with cpu on the same inputs, and the step changed the weights', () => {
    expect(ref.skipReason).toBeUndefined();
    expect(Math.max(...Array.from(ref.weightDelta, Math.abs))).toBeGreaterThan(0);
    const { deviation, reason } = compareToReference(wasm, ref);
    expect(reason).toBeUndefined();
    expect(deviation).toBeLessThan(1e-4);
  });

  it('a backend whose step is off, NaN, or skipped disagrees, and says why', () => {
    const off = { ...wasm, weightDelta: wasm.weightDelta.map((x) => x * 1.05) };
    expect(compareToReference(off, ref).reason).toMatch(/weights after one step differ from cpu by 5\.0e-2 \(tolerance 0\.01\)/);
    const nan = { ...wasm, weightDelta: Float32Array.from(wasm.weightDelta, (x, i) => (i === 7 ? NaN : x)) };
    expect(compareToReference(nan, ref).reason).toBe('weights after one step hold NaN (index 7)');
    const skipped = { ...wasm, skipReason: 'gradient norm is NaN; gradients not applied' };
    expect(compareToReference(skipped, ref).reason).toMatch(/PPO step was skipped: gradient norm is NaN/);
  });

  it('auto never chooses a backend that disagrees, however fast; cpu when nothing else agrees', () => {
    const t = (name: BackendTiming['name'], status: BackendTiming['status'], scoreMs?: number): BackendTiming => ({ name, status, scoreMs });
    expect(chooseBackend([t('cpu', 'agrees', 300), t('webgl', 'disagrees', 5), t('wasm', 'agrees', 40)])).toBe('wasm');
    expect(chooseBackend([t('cpu', 'agrees', 300), t('webgl', 'disagrees', 5), t('webgpu', 'timeout')])).toBe('cpu');
    expect(describeTiming({ name: 'webgl', status: 'disagrees', reason: 'its PPO step was skipped: x' })).toBe(
      'webgl: computes wrongly: its PPO step was skipped: x',
    );
  });

  it('measures cpu and wasm for real, leaves the chosen backend active, leaks no tensors; failures and the cap are recorded', async () => {
    const before = tf.memory().numTensors;
    const m = await measureBackends(
      ['wasm', 'webgl'],
      (name) => {
        if (name === 'webgl') throw new Error('webgl is not available to tfjs in Node');
      },
      { shape },
    );
    expect(m.results.map((r) => r.name)).toEqual(['cpu', 'wasm', 'webgl']);
    const [cpu, w, gl] = m.results;
    expect(cpu).toMatchObject({ status: 'agrees', deviation: 0 });
    expect(w.status).toBe('agrees');
    expect(w.stepMs).toBeGreaterThan(0);
    expect(gl).toMatchObject({ status: 'failed', reason: 'webgl is not available to tfjs in Node' });
    // The choice is the agreeing backend with the smaller score (whichever that is on this machine).
    expect(m.chosen).toBe(cpu.scoreMs! <= w.scoreMs! ? 'cpu' : 'wasm');
    expect(tf.getBackend()).toBe(m.chosen);
    expect(tf.memory().numTensors).toBe(before);
    const capped = await measureBackends(['wasm'], () => {}, { shape, capMs: 1, uncapped: ['cpu'] });
    expect(capped.results[1]).toMatchObject({ name: 'wasm', status: 'timeout' });
    expect(capped.results[1].reason).toMatch(/over the 0\.001 s cap/);
    expect(capped.chosen).toBe('cpu');
  });
});

describe('backend measurement with a TF.js state encoder', () => {
  it('times a real USE-lite call on every backend (its weights follow the backend) and still agrees', async () => {
    const { loadUseLiteNode } = await import('../../src/encoders/useLiteNode');
    await selectNodeBackend('wasm');
    const encoder = await loadUseLiteNode();
    const [before] = await encoder.encode(['Which river flows through Vienna?']);
    const m = await measureBackends(['wasm'], () => {}, { shape, encoder, capMs: 60_000 });
    expect(m.withEncoder).toBe(true);
    for (const r of m.results) {
      expect(r.status).toBe('agrees');
      expect(r.encoderMs).toBeGreaterThan(0);
      expect(r.scoreMs).toBeCloseTo(r.stepMs! + r.actMs! + r.encoderMs!, 6);
    }
    // The encoder still works on the chosen backend afterwards, with the same vectors as before.
    const [a] = await encoder.encode(['Which river flows through Vienna?']);
    expect(a).toHaveLength(encoder.dim);
    expect(Math.max(...Array.from(a, (x, i) => Math.abs(x - before[i])))).toBeLessThan(1e-4);
  });
});
