// A bounded LRU cache in front of any StateEncoder. Episodes re-encode the same question texts
// every epoch, and encoding is the slow part of a rollout, so repeated texts skip the model.
import type { StateEncoder } from '../der/types';

export interface EmbeddingCacheStats {
  hits: number;
  misses: number;
  size: number;
  maxEntries: number;
}

export interface CachedStateEncoder extends StateEncoder {
  readonly inner: StateEncoder;
  stats(): EmbeddingCacheStats;
  clear(): void;
}

/** Least-recently-used map: Map keeps insertion order, so re-inserting on access moves a key to the end. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new Error(`LRU cache size must be a positive integer, got ${maxEntries}.`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Wraps an encoder with a per-text cache of at most `maxEntries` vectors. Misses in one call are
 * encoded together in one batch (each distinct text once, in first-seen order). Returned arrays
 * are copies, so a caller that writes into a state vector cannot corrupt the cache.
 */
export function withEmbeddingCache(encoder: StateEncoder, maxEntries = 10_000): CachedStateEncoder {
  const cache = new LruMap<string, Float32Array>(maxEntries);
  let hits = 0;
  let misses = 0;

  async function encode(texts: readonly string[]): Promise<Float32Array[]> {
    const found = new Map<string, Float32Array>();
    const missingSet = new Set<string>();
    for (const text of texts) {
      if (found.has(text) || missingSet.has(text)) continue;
      const cached = cache.get(text);
      if (cached !== undefined) found.set(text, cached);
      else missingSet.add(text);
    }
    const missing = [...missingSet];
    if (missing.length > 0) {
      const vectors = await encoder.encode(missing);
      if (vectors.length !== missing.length) {
        throw new Error(`Encoder ${encoder.name} returned ${vectors.length} vectors for ${missing.length} texts.`);
      }
      missing.forEach((text, i) => {
        found.set(text, vectors[i]);
        cache.set(text, vectors[i]);
      });
    }
    return texts.map((text) => {
      if (missingSet.has(text)) misses++;
      else hits++;
      return (found.get(text) as Float32Array).slice();
    });
  }

  return {
    name: encoder.name,
    dim: encoder.dim,
    inner: encoder,
    encode,
    stats: () => ({ hits, misses, size: cache.size, maxEntries }),
    clear: () => cache.clear(),
  };
}
