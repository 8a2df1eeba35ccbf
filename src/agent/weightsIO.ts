// Agent weights as plain JSON, so the same blob can go to a file (Node) or IndexedDB (the UI's store).
// Optionally with the agent's training state (optimizer moments, random streams) for an exact
// resume; files without it (all files before it existed) still load.
import { validateTrainingState, type AgentTrainingState } from './trainingState';

export interface WeightEntry {
  /** Stable name, e.g. "actor/dense0/kernel". */
  name: string;
  shape: number[];
  data: number[];
}

export interface SavedWeights {
  format: 'der-workbench-weights';
  version: 1;
  savedAt: string;
  /** Free-form facts about the network (stateDim, numActions, hiddenSizes...) for the loader's messages. */
  meta: Record<string, unknown>;
  weights: WeightEntry[];
  /** Optimizer moments and random-stream states (PpoAgent.getTrainingState); absent in weights-only files. */
  training?: AgentTrainingState;
}

export function serializeWeights(weights: readonly WeightEntry[], meta: Record<string, unknown> = {}, training?: AgentTrainingState): string {
  const saved: SavedWeights = {
    format: 'der-workbench-weights',
    version: 1,
    savedAt: new Date().toISOString(),
    meta,
    weights: weights.slice(),
    ...(training ? { training } : {}),
  };
  return JSON.stringify(saved);
}

export function deserializeWeights(json: string): SavedWeights {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`Weights file is not valid JSON (${err instanceof Error ? err.message : String(err)}).`, { cause: err });
  }
  const saved = parsed as Partial<SavedWeights>;
  if (saved?.format !== 'der-workbench-weights' || saved.version !== 1 || !Array.isArray(saved.weights)) {
    throw new Error('Not a DER Workbench weights file (expected format "der-workbench-weights", version 1).');
  }
  for (const w of saved.weights) {
    const shapeOk = Array.isArray(w?.shape) && w.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0);
    const size = shapeOk ? w.shape.reduce((a: number, b: number) => a * b, 1) : -1;
    if (typeof w?.name !== 'string' || !Array.isArray(w.data) || w.data.length !== size) {
      throw new Error(`Weights file entry "${String(w?.name)}" is malformed: data length must equal the product of its shape.`);
    }
    // JSON writes NaN/Infinity as null: such a file (or a hand-edited one) would poison the agent.
    const bad = w.data.findIndex((v: unknown) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw new Error(`Weights file entry "${w.name}" has a value that is not a finite number at index ${bad} (${JSON.stringify(w.data[bad])}).`);
  }
  if (saved.training !== undefined) validateTrainingState(saved.training);
  return saved as SavedWeights;
}
