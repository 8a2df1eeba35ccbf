// The dropped dataset file survives a reload: its text and field mapping are kept in IndexedDB
// (one slot: the file the panel shows). A separate database so it never conflicts with saved runs.
import { openDB, type IDBPDatabase } from 'idb';
import type { FieldMapping } from '../data/datasetSchema';

export interface StoredDataset {
  name: string;
  text: string;
  mapping: FieldMapping;
  savedAt: number;
}

const DB_NAME = 'der-workbench-datasets';
const STORE = 'files';
const SLOT = 'current';

let dbPromise: Promise<IDBPDatabase> | null = null;

function db(): Promise<IDBPDatabase> {
  dbPromise ??= openDB(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  return dbPromise;
}

export function indexedDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

export async function saveStoredDataset(dataset: StoredDataset): Promise<void> {
  if (!indexedDbAvailable()) return;
  await (await db()).put(STORE, dataset, SLOT);
}

export async function loadStoredDataset(): Promise<StoredDataset | null> {
  if (!indexedDbAvailable()) return null;
  return ((await (await db()).get(STORE, SLOT)) as StoredDataset | undefined) ?? null;
}

export async function clearStoredDataset(): Promise<void> {
  if (!indexedDbAvailable()) return;
  await (await db()).delete(STORE, SLOT);
}
