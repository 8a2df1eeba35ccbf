// `auto` by measurement: run the same PPO step (backendProbe.ts) on every backend that starts,
// check each against the cpu backend on the same inputs, and pick the fastest that agrees.
// A backend that fails the check is never chosen; one that runs past its time cap (shader
// compilation counts) is not either. Software adapters are judged by their measured speed.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backend';
import { DEFAULT_PROBE_SHAPE, probeActiveBackend, ProbeTimeout, type ProbeEncoder, type ProbeOutput, type ProbeShape } from './backendProbe';
import { AGREEMENT_TOLERANCE, DEFAULT_CAP_MS, chooseBackend, compareToReference, type BackendMeasurement, type BackendTiming } from './backendTiming';
import { errorMessage } from '../der/errorMessage';

export * from './backendTiming';

export interface MeasureOptions {
  shape?: ProbeShape;
  capMs?: number;
  tolerance?: number;
  encoder?: ProbeEncoder;
  /** Backends measured without the time cap (default cpu and wasm: no shader compilation, bounded time). */
  uncapped?: readonly BackendName[];
  /** Called before each backend is measured. */
  onProgress?: (name: BackendName, index: number, total: number) => void;
}

function timingFrom(name: BackendName, out: ProbeOutput, ref: ProbeOutput, tolerance: number): BackendTiming {
  const { deviation, reason } = name === 'cpu' ? { deviation: 0, reason: undefined } : compareToReference(out, ref, tolerance);
  const scoreMs = out.stepMs + out.actMs + (out.encoderMs ?? 0);
  const timing: BackendTiming = {
    name,
    status: reason ? 'disagrees' : 'agrees',
    warmupMs: out.warmupMs,
    stepMs: out.stepMs,
    actMs: out.actMs,
    deviation,
    scoreMs,
  };
  if (out.encoderMs !== undefined) timing.encoderMs = out.encoderMs;
  if (reason) timing.reason = reason;
  return timing;
}

/**
 * Measure `candidates` (cpu is added as the reference) and leave the chosen backend active.
 * `prepare(name)` readies a backend (registration, file paths) and may throw.
 */
export async function measureBackends(
  candidates: readonly BackendName[],
  prepare: (name: BackendName) => Promise<void> | void,
  options: MeasureOptions = {},
): Promise<BackendMeasurement> {
  const shape = options.shape ?? DEFAULT_PROBE_SHAPE;
  const capMs = options.capMs ?? DEFAULT_CAP_MS;
  const tolerance = options.tolerance ?? AGREEMENT_TOLERANCE;
  const order: BackendName[] = ['cpu', ...candidates.filter((c) => c !== 'cpu')];
  const results: BackendTiming[] = [];
  let ref: ProbeOutput | null = null;
  for (const [index, name] of order.entries()) {
    options.onProgress?.(name, index, order.length);
    const capped = name !== 'cpu' && !(options.uncapped ?? ['cpu', 'wasm']).includes(name);
    let cancelled = false;
    const deadline = performance.now() + capMs;
    const capMessage = `over the ${capMs / 1000} s cap (start-up and shader compilation count)`;
    // The timer stops the wait on a slow await; the clock also stops probes that never yield (wasm, cpu).
    const checkpoint = () => {
      if (cancelled || (capped && performance.now() > deadline)) throw new ProbeTimeout(capMessage);
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overCap = new Promise<never>((_, reject) => {
      if (capped)
        timer = setTimeout(() => {
          cancelled = true;
          reject(new ProbeTimeout(capMessage));
        }, capMs);
    });
    try {
      const run = (async () => {
        await prepare(name);
        checkpoint();
        if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
        await tf.ready();
        checkpoint();
        return probeActiveBackend(shape, { encoder: options.encoder, checkpoint });
      })();
      run.catch(() => {}); // a probe abandoned at the cap settles later; its error is not news
      const out = await Promise.race([run, overCap]);
      if (name === 'cpu') ref = out;
      results.push(timingFrom(name, out, ref!, tolerance));
    } catch (err) {
      if (name === 'cpu') throw new Error(`The cpu backend, the reference of the measurement, failed: ${errorMessage(err)}`, { cause: err });
      const timeout = err instanceof ProbeTimeout;
      results.push({ name, status: timeout ? 'timeout' : 'failed', reason: errorMessage(err) });
    } finally {
      clearTimeout(timer);
    }
  }
  const chosen = chooseBackend(results);
  await tf.setBackend(chosen);
  await tf.ready();
  return { version: 1, measuredAt: new Date().toISOString(), shape, capMs, tolerance, results, chosen, withEncoder: options.encoder !== undefined };
}
