// Node-only: save/load agent weights as a JSON file (the browser stores the same JSON in IndexedDB).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AgentTrainingState } from './trainingState';
import { deserializeWeights, serializeWeights, type SavedWeights, type WeightEntry } from './weightsIO';

export interface WeightsHolder {
  getWeights(): WeightEntry[];
  setWeights(entries: readonly WeightEntry[]): void;
  /** PpoAgent's optimizer and random-stream state, for files that resume training exactly. */
  getTrainingState?(): AgentTrainingState;
  setTrainingState?(state: unknown): void;
}

export interface SaveWeightsOptions {
  /** Also save the training state (Adam moments, RNG states; ~3× the size): to resume, not just to act. */
  withTrainingState?: boolean;
}

export async function saveWeightsFile(file: string, agent: WeightsHolder, meta: Record<string, unknown> = {}, options: SaveWeightsOptions = {}): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const training = options.withTrainingState ? agent.getTrainingState?.() : undefined;
  await writeFile(file, serializeWeights(agent.getWeights(), meta, training), 'utf8');
}

/** Load weights, and the training state when the file has one (older files: weights only). */
export async function loadWeightsFile(file: string, agent: WeightsHolder): Promise<SavedWeights> {
  const saved = deserializeWeights(await readFile(file, 'utf8'));
  agent.setWeights(saved.weights);
  if (saved.training && agent.setTrainingState) agent.setTrainingState(saved.training);
  return saved;
}
