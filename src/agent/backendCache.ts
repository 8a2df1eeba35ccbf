// The last backend measurement of this browser (backendMeasure.ts), kept in IndexedDB so that
// `auto` measures once per browser and not at every Start. Shared by the training worker (reads
// it at Start, writes a new measurement) and the page (shows it; "measure again" deletes it).
// A measurement taken by another browser version (user agent) or format is ignored.
import { openDB, type IDBPDatabase } from 'idb';
import type { BackendMeasurement } from './backendTiming';
import { errorMessage } from '../der/errorMessage';

const DB_NAME = 'der-workbench-backends';
const STORE = 'measurement';
const KEY = 'latest';

interface CachedMeasurement {
  userAgent: string;
  measurement: BackendMeasurement;
}

let dbPromise: Promise<IDBPDatabase> | null = null;

function db(): Promise<IDBPDatabase> {
  dbPromise ??= openDB(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  return dbPromise;
}

function userAgent(): string {
  return typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown';
}

/** The cached measurement of this browser, or null (none, another browser version, or no IndexedDB). */
export async function readCachedMeasurement(): Promise<BackendMeasurement | null> {
  if (typeof indexedDB === 'undefined') return null;
  try {
    const entry = (await (await db()).get(STORE, KEY)) as CachedMeasurement | undefined;
    if (!entry || entry.userAgent !== userAgent() || entry.measurement?.version !== 1) return null;
    return entry.measurement;
  } catch {
    return null;
  }
}

/** Keep a new measurement; a failing disk only costs a new measurement next time. */
export async function writeCachedMeasurement(measurement: BackendMeasurement): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  try {
    await (await db()).put(STORE, { userAgent: userAgent(), measurement } satisfies CachedMeasurement, KEY);
  } catch (err) {
    console.warn(`[der-backends] could not cache the backend measurement: ${errorMessage(err)}`);
  }
}

/** Forget the measurement: the next Start with `auto` measures again. */
export async function clearCachedMeasurement(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await (await db()).delete(STORE, KEY);
}
