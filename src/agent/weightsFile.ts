// Node-only: save/load agent weights as a JSON file (the browser stores the same JSON in IndexedDB).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deserializeWeights, serializeWeights, type SavedWeights, type WeightEntry } from './weightsIO';

export interface WeightsHolder {
  getWeights(): WeightEntry[];
  setWeights(entries: readonly WeightEntry[]): void;
}

export async function saveWeightsFile(file: string, agent: WeightsHolder, meta: Record<string, unknown> = {}): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, serializeWeights(agent.getWeights(), meta), 'utf8');
}

export async function loadWeightsFile(file: string, agent: WeightsHolder): Promise<SavedWeights> {
  const saved = deserializeWeights(await readFile(file, 'utf8'));
  agent.setWeights(saved.weights);
  return saved;
}
