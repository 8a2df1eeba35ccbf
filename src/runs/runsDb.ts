// Saved runs in IndexedDB (via `idb`). Kept thin on purpose: the shapes and conversions live in
// savedRun.ts and are unit-tested there. No React or zustand here, so the training worker (which
// writes runs as training goes) and the page (which lists, opens, imports and deletes them) share it.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedRunMeta, StoredEpisode, StoredIteration, StoredWeights } from './savedRun';
import { upgradeIteration } from '../der/runRecordIO';

export const RUNS_DB_NAME = 'der-workbench-runs';

interface RunsDb extends DBSchema {
  runs: { key: string; value: SavedRunMeta };
  episodes: { key: [string, number]; value: StoredEpisode };
  iterations: { key: [string, number]; value: StoredIteration };
  weights: { key: string; value: StoredWeights };
}

let dbPromise: Promise<IDBPDatabase<RunsDb>> | null = null;

export function runsDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

function db(): Promise<IDBPDatabase<RunsDb>> {
  if (!runsDbAvailable()) return Promise.reject(new Error('This browser has no IndexedDB (private mode?): runs cannot be saved.'));
  dbPromise ??= openDB<RunsDb>(RUNS_DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('runs', { keyPath: 'id' });
      database.createObjectStore('episodes', { keyPath: ['runId', 'seq'] });
      database.createObjectStore('iterations', { keyPath: ['runId', 'iteration'] });
      database.createObjectStore('weights', { keyPath: 'runId' });
    },
    // Another tab upgrading the schema: let it, and reopen next time.
    blocking() {
      void dbPromise?.then((d) => d.close());
      dbPromise = null;
    },
  });
  return dbPromise;
}

/** All keys [runId, n] of one run, n from 0 up. */
function ofRun(runId: string, from = 0): IDBKeyRange {
  return IDBKeyRange.bound([runId, from], [runId, Number.MAX_SAFE_INTEGER]);
}

export interface RunWrite {
  meta: SavedRunMeta;
  episodes?: StoredEpisode[];
  iterations?: StoredIteration[];
  weights?: StoredWeights;
  /** Episodes (by seq) the retention dropped: deleted in the same transaction. */
  deleteEpisodes?: number[];
}

/** One transaction: all of it is saved or none of it (a full disk aborts the batch, earlier batches stay). */
export async function writeRun(write: RunWrite): Promise<void> {
  const tx = (await db()).transaction(['runs', 'episodes', 'iterations', 'weights'], 'readwrite');
  const puts: Promise<unknown>[] = [tx.objectStore('runs').put(write.meta)];
  for (const e of write.episodes ?? []) puts.push(tx.objectStore('episodes').put(e));
  for (const it of write.iterations ?? []) puts.push(tx.objectStore('iterations').put(it));
  if (write.weights) puts.push(tx.objectStore('weights').put(write.weights));
  for (const seq of write.deleteEpisodes ?? []) puts.push(tx.objectStore('episodes').delete([write.meta.id, seq]));
  await Promise.all([...puts, tx.done]);
}

export async function listRuns(): Promise<SavedRunMeta[]> {
  const runs = await (await db()).getAll('runs');
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function getRunMeta(runId: string): Promise<SavedRunMeta | null> {
  return (await (await db()).get('runs', runId)) ?? null;
}

export interface LoadedRun {
  meta: SavedRunMeta;
  episodes: StoredEpisode[];
  iterations: StoredIteration[];
}

export async function loadRun(runId: string): Promise<LoadedRun | null> {
  const d = await db();
  const tx = d.transaction(['runs', 'episodes', 'iterations'], 'readonly');
  const [meta, episodes, iterations] = await Promise.all([
    tx.objectStore('runs').get(runId),
    tx.objectStore('episodes').getAll(ofRun(runId)),
    tx.objectStore('iterations').getAll(ofRun(runId)),
  ]);
  await tx.done;
  return meta ? { meta, episodes, iterations: iterations.map(upgradeStored) } : null;
}

/** Only the iteration records (the reward curve), without the episodes. */
export async function loadIterations(runId: string): Promise<StoredIteration[]> {
  return ((await db()).getAll('iterations', ofRun(runId))).then((list) => list.map(upgradeStored));
}

/** Iterations saved by older versions kept a flat summary: read them as IterationRecords. */
function upgradeStored(stored: StoredIteration): StoredIteration {
  const report = upgradeIteration(stored.report);
  return report === stored.report ? stored : { ...stored, report };
}

export async function loadWeights(runId: string): Promise<StoredWeights | null> {
  return (await (await db()).get('weights', runId)) ?? null;
}

/** Drop the episodes from position `fromSeq` on and save the meta, in one transaction (a resume re-collects them). */
export async function truncateEpisodes(meta: SavedRunMeta, fromSeq: number): Promise<void> {
  const tx = (await db()).transaction(['runs', 'episodes'], 'readwrite');
  await Promise.all([tx.objectStore('episodes').delete(ofRun(meta.id, fromSeq)), tx.objectStore('runs').put(meta), tx.done]);
}

export async function updateRunMeta(runId: string, change: (meta: SavedRunMeta) => SavedRunMeta): Promise<SavedRunMeta | null> {
  const tx = (await db()).transaction('runs', 'readwrite');
  const meta = await tx.store.get(runId);
  const next = meta ? change(meta) : null;
  if (next) await tx.store.put(next);
  await tx.done;
  return next;
}

export async function deleteRun(runId: string): Promise<void> {
  const tx = (await db()).transaction(['runs', 'episodes', 'iterations', 'weights'], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').delete(runId),
    tx.objectStore('episodes').delete(ofRun(runId)),
    tx.objectStore('iterations').delete(ofRun(runId)),
    tx.objectStore('weights').delete(runId),
    tx.done,
  ]);
}

/** A full disk (or a quota the browser set for this site). */
export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export function storageErrorMessage(err: unknown): string {
  if (isQuotaError(err)) return 'Storage full: delete old runs or export them (Runs tab). The run keeps training; what was saved before stays intact, newer episodes are not saved.';
  return `Saving the run failed (${(err as Error)?.message ?? String(err)}). The run keeps training; what was saved before stays intact, newer episodes are not saved.`;
}
