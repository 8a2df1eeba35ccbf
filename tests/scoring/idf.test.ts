import { describe, expect, it } from 'vitest';
import { buildIdf } from '../../src/scoring/idf';

describe('buildIdf (BERTScore idf with +1 smoothing)', () => {
  // M = 3 documents; "a" is in all three (twice in the last, counted once), "b" in one, "c" in two.
  const idf = buildIdf([
    ['a', 'b', 'c'],
    ['a', 'c'],
    ['a', 'a', 'd'],
  ]);

  it('counts each document once per distinct token', () => {
    expect(idf.documentCount).toBe(3);
    expect(idf.documentFrequency('a')).toBe(3);
    expect(idf.documentFrequency('c')).toBe(2);
    expect(idf.documentFrequency('zzz')).toBe(0);
  });

  it('idf(w) = log((M+1)/(df+1))', () => {
    expect(idf.weight('a')).toBeCloseTo(Math.log(4 / 4), 12); // 0: in every document
    expect(idf.weight('b')).toBeCloseTo(Math.log(4 / 2), 12);
    expect(idf.weight('c')).toBeCloseTo(Math.log(4 / 3), 12);
  });

  it('unseen words get log((M+1)/1), the largest weight', () => {
    expect(idf.weight('unseen')).toBeCloseTo(Math.log(4), 12);
    expect(idf.weight('unseen')).toBeGreaterThan(idf.weight('b'));
  });

  it('an empty corpus gives weight log(1) = 0 to everything', () => {
    expect(buildIdf([]).weight('x')).toBe(0);
  });
});
