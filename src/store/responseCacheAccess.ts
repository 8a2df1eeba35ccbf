// The expert response cache (IndexedDB, shared with the worker) as the UI needs it: its size, and
// its export and import as a JSONL file. The UI reaches IndexedDB only through store/ modules.
import { CACHE_DB_NAME, IdbCacheStore } from '../experts/cacheIdbStore';
import { exportCacheJsonl, importCacheJsonl } from '../experts/responseCache';

async function withCache<T>(work: (store: IdbCacheStore) => Promise<T>): Promise<T> {
  const store = await IdbCacheStore.open(CACHE_DB_NAME);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** Number of cached answers. */
export function cachedAnswerCount(): Promise<number> {
  return withCache((s) => s.size());
}

/** The whole cache as JSONL, and how many answers it holds. */
export async function exportResponseCache(): Promise<{ text: string; count: number }> {
  const text = await withCache(exportCacheJsonl);
  return { text, count: text === '' ? 0 : text.trimEnd().split('\n').length };
}

/** Add a cache file's answers; the file is checked line by line first, and a bad file changes nothing (throws). */
export function importResponseCache(text: string): Promise<{ imported: number }> {
  return withCache((s) => importCacheJsonl(s, text));
}
