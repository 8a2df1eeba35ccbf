import { describe, expect, it } from 'vitest';
import type { StateEncoder } from '../../src/der/types';
import { LruMap, withEmbeddingCache } from '../../src/encoders/embeddingCache';

/** A deterministic fake encoder that records every batch it is asked to encode. */
function countingEncoder(): StateEncoder & { batches: string[][] } {
  const batches: string[][] = [];
  return {
    name: 'counting',
    dim: 3,
    batches,
    async encode(texts) {
      batches.push([...texts]);
      return texts.map((t) => Float32Array.from([t.length, t.charCodeAt(0) || 0, batches.length]));
    },
  };
}

describe('LruMap', () => {
  it('evicts the least recently used key, where a get counts as a use', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(true);
    expect(lru.has('b')).toBe(false);
    expect(lru.size).toBe(2);
  });

  it('refuses a non-positive size', () => {
    expect(() => new LruMap(0)).toThrow(/positive integer/);
  });
});

describe('withEmbeddingCache', () => {
  it('returns the cached vector for a repeated text without calling the encoder', async () => {
    const inner = countingEncoder();
    const cached = withEmbeddingCache(inner, 10);
    const [first] = await cached.encode(['hello']);
    const [second] = await cached.encode(['hello']);
    expect(inner.batches).toEqual([['hello']]);
    expect(Array.from(second)).toEqual(Array.from(first));
    expect(cached.stats()).toEqual({ hits: 1, misses: 1, size: 1, maxEntries: 10 });
    expect(cached.name).toBe('counting');
    expect(cached.dim).toBe(3);
  });

  it('encodes only the misses of a call, each distinct text once, and keeps the caller order', async () => {
    const inner = countingEncoder();
    const cached = withEmbeddingCache(inner, 10);
    await cached.encode(['b']);
    const out = await cached.encode(['a', 'b', 'a', 'cc']);
    expect(inner.batches).toEqual([['b'], ['a', 'cc']]);
    expect(out.map((v) => v[0])).toEqual([1, 1, 1, 2]);
    expect(out[1][2]).toBe(1); // 'b' came from the first batch
    expect(out[0][2]).toBe(2);
  });

  it('is bounded: the oldest text is evicted and encoded again', async () => {
    const inner = countingEncoder();
    const cached = withEmbeddingCache(inner, 2);
    await cached.encode(['x', 'y', 'z']);
    expect(cached.stats().size).toBe(2);
    await cached.encode(['z']);
    await cached.encode(['x']);
    expect(inner.batches).toEqual([['x', 'y', 'z'], ['x']]);
  });

  it('hands out copies, so writing into a returned vector does not change the cache', async () => {
    const cached = withEmbeddingCache(countingEncoder(), 10);
    const [v] = await cached.encode(['abc']);
    v.fill(-1);
    const [again] = await cached.encode(['abc']);
    expect(again[0]).toBe(3);
  });

  it('reports an encoder that returns the wrong number of vectors', async () => {
    const broken: StateEncoder = { name: 'broken', dim: 1, encode: async () => [] };
    await expect(withEmbeddingCache(broken, 4).encode(['q'])).rejects.toThrow(/broken returned 0 vectors for 1 texts/);
  });
});
