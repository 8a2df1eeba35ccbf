import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/der/types';
import { splitDataset, testSize } from '../../src/data/split';

function questions(counts: Record<string, number>): Question[] {
  const out: Question[] = [];
  for (const [domain, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) out.push({ id: `${domain}-${i}`, instruction: `q${i}`, input: '', output: 'a', ...(domain === '-' ? {} : { domain }) });
  }
  return out;
}

const ids = (qs: Question[]) => qs.map((q) => q.id);

describe('splitDataset', () => {
  it('is deterministic for a seed, and a different seed gives a different test set', () => {
    const qs = questions({ '-': 100 });
    const a = splitDataset(qs, 0.2, 7);
    expect(ids(splitDataset(qs, 0.2, 7).test)).toEqual(ids(a.test));
    expect(ids(splitDataset(qs, 0.2, 8).test)).not.toEqual(ids(a.test));
  });

  it('partitions the questions: disjoint, complete, input order kept on both sides', () => {
    const qs = questions({ a: 37, b: 11, '-': 5 });
    const { train, test } = splitDataset(qs, 0.3, 1);
    expect(train.length + test.length).toBe(qs.length);
    expect(new Set([...ids(train), ...ids(test)]).size).toBe(qs.length);
    const position = new Map(qs.map((q, i) => [q.id, i]));
    for (const side of [train, test]) {
      const order = side.map((q) => position.get(q.id) as number);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    expect(test).toHaveLength(Math.round(53 * 0.3));
  });

  it('stratifies by domain: each domain gets its share of the test set', () => {
    const { test } = splitDataset(questions({ math: 60, code: 30, chat: 10 }), 0.2, 3);
    const per = (d: string) => test.filter((q) => q.domain === d).length;
    expect([per('math'), per('code'), per('chat')]).toEqual([12, 6, 2]);
  });

  it('does not reshuffle one domain when another domain grows', () => {
    const small = splitDataset(questions({ math: 50, code: 20 }), 0.2, 5).test.filter((q) => q.domain === 'code');
    const grown = splitDataset(questions({ math: 80, code: 20 }), 0.2, 5).test.filter((q) => q.domain === 'code');
    expect(ids(grown)).toEqual(ids(small));
  });

  it('handles the edges: fraction 0 and 1, tiny sets, invalid fractions', () => {
    const qs = questions({ '-': 10 });
    expect(splitDataset(qs, 0, 1).test).toEqual([]);
    expect(splitDataset(qs, 1, 1).train).toEqual([]);
    expect(testSize(10, 0.01)).toBe(1);
    expect(testSize(10, 0.99)).toBe(9);
    expect(testSize(1, 0.2)).toBe(0);
    expect(splitDataset([], 0.2, 1)).toEqual({ train: [], test: [] });
    expect(() => splitDataset(qs, 1.5, 1)).toThrow(/between 0 and 1/);
    expect(() => splitDataset(qs, Number.NaN, 1)).toThrow(/between 0 and 1/);
  });
});
