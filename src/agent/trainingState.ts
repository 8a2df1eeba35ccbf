// What a PpoAgent needs besides its weights to continue training exactly where it stopped: both
// optimizers' step counts and moments, and the agent's two random streams (sampling actions,
// shuffling minibatches). Saved next to the weights (weightsIO.ts `training`), so that a run that
// is paused, reloaded and resumed ends with the same weights as one that never stopped.
// Plain JSON numbers: float32 moments and uint32 states survive JSON exactly.
import type { AdamState } from './flatAdam';

export interface SavedAdamState {
  step: number;
  m: number[];
  v: number[];
}

export interface AgentTrainingState {
  version: 1;
  /** Which gradient path wrote it (the moments are the same quantities on both). */
  gradientPath: 'lean' | 'tape' | 'device';
  optimizers: { actor: SavedAdamState | null; critic: SavedAdamState | null };
  rng: { act: number; update: number };
}

export function toSavedAdam(state: AdamState | null): SavedAdamState | null {
  return state && { step: state.step, m: Array.from(state.m), v: Array.from(state.v) };
}

export function fromSavedAdam(saved: SavedAdamState | null): AdamState | null {
  return saved && { step: saved.step, m: Float32Array.from(saved.m), v: Float32Array.from(saved.v) };
}

const isUint32 = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;

/** Throws with the cause when `value` is not a training state this version can restore. */
export function validateTrainingState(value: unknown): AgentTrainingState {
  const s = value as Partial<AgentTrainingState> | null;
  if (s?.version !== 1 || !['lean', 'tape', 'device'].includes(s.gradientPath as string) || !s.optimizers || !s.rng) {
    throw new Error('Saved training state is malformed (expected version 1 with optimizers and rng).');
  }
  for (const name of ['actor', 'critic'] as const) {
    const o = s.optimizers[name];
    if (o === null) continue;
    if (!o || !Number.isInteger(o.step) || o.step < 1 || !Array.isArray(o.m) || !Array.isArray(o.v) || o.m.length !== o.v.length) {
      throw new Error(`Saved training state: the ${name} optimizer is malformed (step ≥ 1, m and v of equal length).`);
    }
    const bad = [...o.m, ...o.v].findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) throw new Error(`Saved training state: the ${name} optimizer holds a value that is not a finite number.`);
    if (o.v.some((x) => x < 0)) throw new Error(`Saved training state: the ${name} optimizer holds a negative second moment.`);
  }
  if (!isUint32(s.rng.act) || !isUint32(s.rng.update)) throw new Error('Saved training state: the random-stream states must be uint32 numbers.');
  return s as AgentTrainingState;
}
