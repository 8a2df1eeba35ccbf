// The numbers of a backend measurement and the rules on them, without tfjs (the page imports
// this; the measurement itself, backendMeasure.ts, runs in the worker): agreement with the cpu
// reference, the choice (fastest that agrees), and a line of words per backend.
import type { BackendName } from './backend';
import type { ProbeOutput, ProbeShape } from './backendProbe';

/**
 * Agreement with cpu: the relative L2 difference of the weights' change in one Adam step, and the
 * largest relative difference of the update statistics (policy loss, value loss, entropy,
 * gradient norm) and of the policy's outputs (probabilities, values) before the step.
 * float32 backends agree to ~1e-5 here; 1e-2 leaves room for reduced-precision GPUs.
 */
export const AGREEMENT_TOLERANCE = 1e-2;

/** Time cap per GPU backend (start + shader compilation + first step + timed steps); cpu and wasm have none. */
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
  /** The device behind a GPU backend, e.g. "google swiftshader (fallback adapter)": software is judged like hardware. */
  adapter?: string;
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
  for (const [what, values] of [
    ['update statistics', out.stats],
    ['weights after one step', out.weightDelta],
    ['policy outputs', out.policyOut],
  ] as const) {
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

/** One line per backend, for the status line and the picker's title. */
export function describeTiming(t: BackendTiming): string {
  const text = describeResult(t);
  return t.adapter ? `${text} [${t.adapter}]` : text;
}

function describeResult(t: BackendTiming): string {
  if (t.status === 'agrees') {
    const enc = t.encoderMs !== undefined ? ` + encoder ${t.encoderMs.toFixed(0)} ms` : '';
    return `${t.name}: step ${t.stepMs!.toFixed(0)} ms + act ${t.actMs!.toFixed(1)} ms${enc} (first step ${t.warmupMs!.toFixed(0)} ms)`;
  }
  const what = t.status === 'disagrees' ? 'computes wrongly' : t.status === 'timeout' ? 'not measured' : 'did not start';
  return `${t.name}: ${what}: ${t.reason ?? ''}`;
}
