// The CLI's response cache: a JSON Lines file (`--cache <file>`), one entry per line, appended as
// answers arrive so that a crash loses at most the line being written. A corrupt line (a torn write,
// a hand edit) is reported and skipped, never fatal; a later line for the same key wins.
// Node only (node:fs): the browser uses cacheIdbStore.ts.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCacheLine, type CacheEntry, type CacheLineProblem, type CacheStore } from './responseCache';
import { errorMessage } from '../der/errorMessage';

export interface FileCacheStoreOptions {
  /** Called once per corrupt line found while opening (default: collected in `problems` only). */
  onCorruptLine?: (problem: CacheLineProblem, path: string) => void;
}

export class FileCacheStore implements CacheStore {
  private readonly map = new Map<string, CacheEntry>();
  /** Corrupt lines found when the file was opened. */
  readonly problems: CacheLineProblem[] = [];
  // Appends are chained so that concurrent sets never interleave inside a line.
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  /** Open (or start) the cache file at `path`. */
  static async open(path: string, options: FileCacheStoreOptions = {}): Promise<FileCacheStore> {
    const store = new FileCacheStore(path);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read the cache file ${path}: ${errorMessage(error)}`, { cause: error });
    }
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      try {
        const entry = await parseCacheLine(lines[i]);
        store.map.set(entry.key, entry);
      } catch (error) {
        const problem = { line: i + 1, message: errorMessage(error) };
        store.problems.push(problem);
        options.onCorruptLine?.(problem, path);
      }
    }
    return store;
  }

  async get(key: string) {
    return this.map.get(key);
  }

  async set(entry: CacheEntry) {
    this.map.set(entry.key, entry);
    const line = JSON.stringify(entry) + '\n';
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, line, 'utf8');
    });
    await this.writing;
  }

  async entries() {
    return [...this.map.values()];
  }

  async size() {
    return this.map.size;
  }

  /** Empty the cache and the file (written to a temporary file first, then renamed over it). */
  async clear() {
    this.map.clear();
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp-${process.pid}`;
      await writeFile(tmp, '', 'utf8');
      await rename(tmp, this.path);
    });
    await this.writing;
  }
}
