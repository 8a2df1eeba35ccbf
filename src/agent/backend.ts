// Choosing the tfjs backend. The order and the fallback logic live here; the environment-specific
// registration (wasm file locations, webgpu import) lives in backendNode.ts / backendBrowser.ts,
// because Node resolves the wasm files from disk and Vite must bundle them with `?url`.
// In the browser `auto` is decided by measurement (backendMeasure.ts, worker/backendChoice.ts);
// the fixed order below is Node's `auto` and the fallback chain of an explicit choice.
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** A fixed order (no measurement): fastest first on typical machines; cpu always works. */
export const AUTO_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendChoice(value: unknown): value is BackendChoice {
  return typeof value === 'string' && (BACKEND_CHOICES as readonly string[]).includes(value);
}

/**
 * The backends to try for a choice, in order. An explicit choice still ends with cpu, so a
 * machine without that backend trains slowly instead of not at all (the active name is reported).
 */
export function backendOrder(choice: BackendChoice, available: readonly BackendName[] = AUTO_BACKEND_ORDER): BackendName[] {
  if (!isBackendChoice(choice)) {
    throw new Error(`Unknown tfjs backend "${String(choice)}": use one of ${BACKEND_CHOICES.join(', ')}.`);
  }
  const wanted: BackendName[] = choice === 'auto' ? available.slice() : [choice];
  if (!wanted.includes('cpu')) wanted.push('cpu');
  return wanted;
}

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  error?: string;
}

export interface BackendSelection {
  active: BackendName;
  attempts: BackendAttempt[];
}

/**
 * Try each backend in order: `prepare(name)` readies it (registers it, sets file paths) and may
 * throw; then tf.setBackend + tf.ready. The first that works becomes active.
 */
export async function selectBackend(order: readonly BackendName[], prepare: (name: BackendName) => Promise<void> | void): Promise<BackendSelection> {
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      await prepare(name);
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
      await tf.ready();
      if (tf.getBackend() !== name) throw new Error(`tfjs reports backend ${tf.getBackend()} after selecting ${name}`);
      attempts.push({ name, ok: true });
      return { active: name, attempts };
    } catch (err) {
      attempts.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`No tfjs backend could be started (tried ${attempts.map((a) => `${a.name}: ${a.error}`).join('; ')}).`);
}

/** The backend tfjs is using now (after initBackend). */
export function activeBackend(): string {
  return tf.getBackend();
}
