// The compute backend of a browser session. An explicit choice is used as asked (with the reason
// attached when this browser's measurement found it computing wrongly). `auto` uses this
// browser's cached measurement, or measures every backend now (agent/backendMeasure.ts: a real
// PPO step and an encoder call, each checked against cpu) and keeps the fastest that agrees.
// Two phases: start() picks a backend to load models on; settle() measures once the state
// encoder is loaded (its call is part of the measurement) and before the agent is created.
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendName } from '../agent/backend';
import { initBackend, prepareBrowserBackend } from '../agent/backendBrowser';
import { readCachedMeasurement, writeCachedMeasurement } from '../agent/backendCache';
import { DEFAULT_PROBE_SHAPE, type ProbeEncoder } from '../agent/backendProbe';
import { DEFAULT_CAP_MS, measureBackends, type BackendMeasurement } from '../agent/backendMeasure';
import type { StateEncoder } from '../der/types';

export interface SessionBackend {
  backend: string;
  /** The measurement behind `auto` (or the cached one an explicit choice was checked against). */
  measurement?: BackendMeasurement;
  /** True when the measurement was taken now, false when it came from this browser's cache. */
  measuredNow?: boolean;
  /** Said next to the backend: why a hand-picked backend is not trusted. */
  note?: string;
}

export interface BackendStart {
  choice: BackendChoice;
  cached: BackendMeasurement | null;
  /** The backend the models load on. */
  loading: string;
}

/**
 * Measurement candidates after cpu, in the order they are tried: quick to start first, shader
 * compilers last, so that a probe abandoned at its time cap (its last op may still run) cannot
 * slow down the measurement of another backend.
 */
const CANDIDATES: readonly BackendName[] = ['wasm', 'webgl', 'webgpu'];

export async function startSessionBackend(choice: BackendChoice): Promise<BackendStart> {
  const cached = await readCachedMeasurement();
  if (choice !== 'auto') return { choice, cached, loading: await initBackend(choice) };
  // Auto: the cached winner, else wasm (cheap to start) until the measurement decides.
  return { choice, cached, loading: await initBackend(cached?.chosen ?? 'wasm') };
}

function unsoundNote(name: string, m: BackendMeasurement | null): string | undefined {
  const t = m?.results.find((r) => r.name === name);
  if (!t || t.status !== 'disagrees') return undefined;
  return `${name} failed this browser's numerical check (${m!.measuredAt.slice(0, 16).replace('T', ' ')}): ${t.reason}. Training may skip updates or learn nothing; auto would use ${m!.chosen}.`;
}

/** The encoder's model call without its embedding cache (so each backend computes), when it runs on tfjs. */
function tfjsEncoder(encoder: StateEncoder, encoderName: string): ProbeEncoder | undefined {
  if (encoderName !== 'use-lite') return undefined;
  const inner = (encoder as StateEncoder & { inner?: StateEncoder }).inner ?? encoder;
  return { encode: (texts) => inner.encode(texts) };
}

export async function settleSessionBackend(
  start: BackendStart,
  parts: { encoder: StateEncoder; encoderName: string; numActions: number; hiddenSizes: readonly number[] },
  report: (progress: { stage: string; detail?: string; loaded?: number; total?: number }) => void,
): Promise<SessionBackend> {
  if (start.choice !== 'auto') {
    const note = unsoundNote(start.loading, start.cached);
    return { backend: start.loading, ...(start.cached ? { measurement: start.cached } : {}), ...(note ? { note } : {}) };
  }
  if (start.cached && start.loading === start.cached.chosen) return { backend: start.loading, measurement: start.cached, measuredNow: false };
  const shape = { ...DEFAULT_PROBE_SHAPE, stateDim: parts.encoder.dim, numActions: parts.numActions, hiddenSizes: parts.hiddenSizes };
  const candidates = CANDIDATES.filter((c) => c !== 'webgpu' || (typeof navigator !== 'undefined' && 'gpu' in navigator));
  const measurement = await measureBackends(candidates, prepareBrowserBackend, {
    shape,
    encoder: tfjsEncoder(parts.encoder, parts.encoderName),
    onProgress: (name, index, total) =>
      report({
        stage: 'Measuring compute backends',
        detail: `${name} (${index + 1} of ${total}${name === 'webgl' || name === 'webgpu' ? `, at most ${DEFAULT_CAP_MS / 1000} s` : ''})`,
        loaded: index,
        total,
      }),
  });
  if (!('gpu' in (globalThis.navigator ?? {})))
    measurement.results.push({ name: 'webgpu', status: 'failed', reason: 'this browser has no WebGPU (navigator.gpu is missing)' });
  const webgpu = measurement.results.find((r) => r.name === 'webgpu');
  const adapter = webgpu && (await describeWebgpuAdapter());
  if (webgpu && adapter) webgpu.adapter = adapter;
  await writeCachedMeasurement(measurement);
  return { backend: tf.getBackend(), measurement, measuredNow: true };
}

type AdapterInfo = { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };

/** Which device the browser's WebGPU is (SwiftShader, llvmpipe, a real GPU), in a few words; null when unknown. */
async function describeWebgpuAdapter(): Promise<string | null> {
  try {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo; isFallbackAdapter?: boolean } | null> } } | undefined)?.gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info ?? {};
    const words = [info.vendor, info.architecture || info.device || info.description].filter(Boolean).join(' ');
    const fallback = adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false;
    return `${words || 'unknown adapter'}${fallback ? ' (fallback adapter)' : ''}`;
  } catch {
    return null;
  }
}
