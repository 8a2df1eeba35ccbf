// Creates the training worker and wraps it with Comlink; the only place the UI side touches the worker.
import * as Comlink from 'comlink';
import type { TrainingWorkerApi } from '../worker/protocol';

export interface WorkerHandle {
  api: Comlink.Remote<TrainingWorkerApi>;
  terminate(): void;
}

export function createTrainingWorker(onCrash: (message: string) => void): WorkerHandle {
  const worker = new Worker(new URL('../worker/trainingWorker.ts', import.meta.url), { type: 'module', name: 'der-training' });
  worker.addEventListener('error', (e) => onCrash(`The training worker crashed: ${e.message || 'unknown error'}`));
  return { api: Comlink.wrap<TrainingWorkerApi>(worker), terminate: () => worker.terminate() };
}

export const proxy = Comlink.proxy;
