// `auto` by measurement: run the same PPO step (backendProbe.ts) on every backend that starts,
// check each against the cpu backend on the same inputs, and pick the fastest that agrees.
// A backend that fails the check is never chosen; one that runs past its time cap (shader
// compilation counts) is not either. Software adapters are judged by their measured speed.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './backend';
import { DEFAULT_PROBE_SHAPE, probeActiveBackend, ProbeTimeout, type ProbeEncoder, type ProbeOutput, type ProbeShape } from './backendProbe';

/**
 * Agreement with cpu: the relative L2 difference of the weights' change in one Adam step, and the
 * largest relative difference of the update statistics (policy loss, value loss, entropy,
 * gradient norm) and of the policy's outputs (probabilities, values) before the step.
 * float32 backends agree to ~1e-5 here; 1e-2 leaves room for reduced-precision GPUs.
 */
export const AGREEMENT_TOLERANCE = 1e-2;

/** Time cap per backend (start + first step + timed steps); cpu, the reference, has none. */
export const DEFAULT_CAP_MS = 4000;

export type TimingStatus = 'agrees' | 'disagrees' | 'failed' | 'timeout';

export interface BackendTiming {
  name: BackendName;
  status: TimingStatus;
  /** Why the backend is not usable (failed to start, NaN, deviation, over the cap). */
  reason?: string;
  warmupMs?: number;
  stepMs?: number;
  actMs?: number;
  encoderMs?: number;
  /** Worst relative difference to cpu (see AGREEMENT_TOLERANCE). */
  deviation?: number;
  /** What the choice minimises: one gradient step + one act + one encoder call, ms. */
  scoreMs?: number;
}

export interface BackendMeasurement {
  version: 1;
  measuredAt: string;
  shape: ProbeShape;
  capMs: number;
  tolerance: number;
  results: BackendTiming[];
  chosen: BackendName;
  /** Whether an encoder call was part of the score. */
  withEncoder: boolean;
}

function relL2(a: Float32Array, ref: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    d += (a[i] - ref[i]) ** 2;
    n += ref[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-12);
}

function maxRel(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(a[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-3));
  return worst;
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Compare one backend's probe with the cpu reference; a reason when they disagree. */
export function compareToReference(out: ProbeOutput, ref: ProbeOutput, tolerance = AGREEMENT_TOLERANCE): { deviation: number; reason?: string } {
  if (out.skipReason) return { deviation: Infinity, reason: `its PPO step was skipped: ${out.skipReason}` };
  for (const [what, values] of [['update statistics', out.stats], ['weights after one step', out.weightDelta], ['policy outputs', out.policyOut]] as const) {
    const i = firstNonFinite(values);
    if (i >= 0) return { deviation: Infinity, reason: `${what} hold ${values[i]} (index ${i})` };
  }
  const parts: [string, number][] = [
    ['weights after one step', relL2(out.weightDelta, ref.weightDelta)],
    ['update statistics', maxRel(out.stats, ref.stats)],
    ['policy outputs', maxRel(out.policyOut, ref.policyOut)],
  ];
  const [worstWhat, deviation] = parts.reduce((w, p) => (p[1] > w[1] ? p : w));
  if (!(deviation <= tolerance)) return { deviation, reason: `its ${worstWhat} differ from cpu by ${deviation.toExponential(1)} (tolerance ${tolerance})` };
  return { deviation };
}

/** The fastest backend that agrees with cpu (cpu itself always does). */
export function chooseBackend(results: readonly BackendTiming[]): BackendName {
  const usable = results.filter((r) => r.status === 'agrees' && r.scoreMs !== undefined);
  if (usable.length === 0) return 'cpu';
  return usable.reduce((best, r) => (r.scoreMs! < best.scoreMs! ? r : best)).name;
}

export interface MeasureOptions {
  shape?: ProbeShape;
  capMs?: number;
  tolerance?: number;
  encoder?: ProbeEncoder;
  /** Called before each backend is measured. */
  onProgress?: (name: BackendName, index: number, total: number) => void;
}

function timingFrom(name: BackendName, out: ProbeOutput, ref: ProbeOutput, tolerance: number): BackendTiming {
  const { deviation, reason } = name === 'cpu' ? { deviation: 0, reason: undefined } : compareToReference(out, ref, tolerance);
  const scoreMs = out.stepMs + out.actMs + (out.encoderMs ?? 0);
  const timing: BackendTiming = { name, status: reason ? 'disagrees' : 'agrees', warmupMs: out.warmupMs, stepMs: out.stepMs, actMs: out.actMs, deviation, scoreMs };
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
    const capped = name !== 'cpu';
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overCap = new Promise<never>((_, reject) => {
      if (capped) timer = setTimeout(() => { cancelled = true; reject(new ProbeTimeout(`over the ${capMs / 1000} s cap (start-up and shader compilation count)`)); }, capMs);
    });
    const checkpoint = () => {
      if (cancelled) throw new ProbeTimeout('cancelled');
    };
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
      if (name === 'cpu') throw new Error(`The cpu backend, the reference of the measurement, failed: ${(err as Error).message}`);
      const timeout = err instanceof ProbeTimeout;
      results.push({ name, status: timeout ? 'timeout' : 'failed', reason: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
  const chosen = chooseBackend(results);
  await tf.setBackend(chosen);
  await tf.ready();
  return { version: 1, measuredAt: new Date().toISOString(), shape, capMs, tolerance, results, chosen, withEncoder: options.encoder !== undefined };
}

/** One line per backend, for the status line and the picker's title. */
export function describeTiming(t: BackendTiming): string {
  if (t.status === 'agrees') {
    const enc = t.encoderMs !== undefined ? ` + encoder ${t.encoderMs.toFixed(0)} ms` : '';
    return `${t.name}: step ${t.stepMs!.toFixed(0)} ms + act ${t.actMs!.toFixed(1)} ms${enc} (first step ${t.warmupMs!.toFixed(0)} ms)`;
  }
  const what = t.status === 'disagrees' ? 'computes wrongly' : t.status === 'timeout' ? 'not measured' : 'did not start';
  return `${t.name}: ${what}: ${t.reason ?? ''}`;
}
