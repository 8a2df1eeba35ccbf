// The browser's response cache in IndexedDB (via `idb`), so answers survive a reload. Kept thin:
// the logic (keys, validation, import/export) lives in responseCache.ts and is tested there.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CacheEntry, CacheStore } from './responseCache';

interface CacheDb extends DBSchema {
  responses: { key: string; value: CacheEntry };
}

export const CACHE_DB_NAME = 'der-workbench-response-cache';

export class IdbCacheStore implements CacheStore {
  private constructor(private readonly db: IDBPDatabase<CacheDb>) {}

  static async open(name: string = CACHE_DB_NAME): Promise<IdbCacheStore> {
    const db = await openDB<CacheDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore('responses', { keyPath: 'key' });
      },
    });
    return new IdbCacheStore(db);
  }

  async get(key: string) {
    return this.db.get('responses', key);
  }
  async set(entry: CacheEntry) {
    await this.db.put('responses', entry);
  }
  async entries() {
    return this.db.getAll('responses');
  }
  async size() {
    return this.db.count('responses');
  }
  async clear() {
    await this.db.clear('responses');
  }
  close(): void {
    this.db.close();
  }
}
