import { describe, expect, it } from 'vitest';
import { greedyMatch, normalizeRows, type TokenEmbeddings } from '../../src/scoring/greedyMatch';

function tokens(rows: number[][], extra: Partial<TokenEmbeddings> = {}): TokenEmbeddings {
  const dim = rows[0]?.length ?? 2;
  return { vectors: Float32Array.from(rows.flat()), count: rows.length, dim, ...extra };
}

// Candidate c1 = (1,0), c2 = (0,1). Reference r1 = (1,0), r2 = (3,3) (unit: (1,1)/√2), r3 = (0,-2).
// Cosines: c1·r = [1, √½, 0]; c2·r = [0, √½, -1].
const candidate = tokens([
  [1, 0],
  [0, 1],
]);
const reference = tokens([
  [1, 0],
  [3, 3],
  [0, -2],
]);
const h = Math.SQRT1_2;

describe('greedyMatch (BERTScore matching on given embeddings)', () => {
  it('computes P, R and F1 by greedy cosine matching, normalising unnormalised rows', () => {
    const p = (1 + h) / 2; // best of c1 = 1, best of c2 = √½
    const r = (1 + h + 0) / 3; // best of r1 = 1, r2 = √½, r3 = max(0, -1) = 0
    const score = greedyMatch(candidate, reference);
    expect(score.precision).toBeCloseTo(p, 6);
    expect(score.recall).toBeCloseTo(r, 6);
    expect(score.f1).toBeCloseTo((2 * p * r) / (p + r), 6);
  });

  it('swapping candidate and reference swaps P and R', () => {
    const a = greedyMatch(candidate, reference);
    const b = greedyMatch(reference, candidate);
    expect(b.precision).toBeCloseTo(a.recall, 6);
    expect(b.recall).toBeCloseTo(a.precision, 6);
    expect(b.f1).toBeCloseTo(a.f1, 6);
  });

  it('uses weighted means when idf weights are given', () => {
    const c = { ...candidate, weights: [2, 1] };
    const r = { ...reference, weights: [1, 1, 2] };
    const p = (2 * 1 + 1 * h) / 3;
    const rec = (1 * 1 + 1 * h + 2 * 0) / 4;
    const score = greedyMatch(c, r);
    expect(score.precision).toBeCloseTo(p, 6);
    expect(score.recall).toBeCloseTo(rec, 6);
    expect(score.f1).toBeCloseTo((2 * p * rec) / (p + rec), 6);
    expect(greedyMatch(c, r, { useWeights: false }).precision).toBeCloseTo((1 + h) / 2, 6);
  });

  it('gives the same result on pre-normalised rows with normalized: true', () => {
    const pre = { ...reference, vectors: normalizeRows(reference.vectors, 2) };
    const a = greedyMatch(candidate, reference);
    const b = greedyMatch(candidate, pre, { normalized: true });
    expect(b.f1).toBeCloseTo(a.f1, 6);
    // Without normalisation the raw dot of c1 with (3,3) is 3; the flag must really skip the work.
    expect(greedyMatch(candidate, reference, { normalized: true }).precision).toBeGreaterThan(1);
  });

  it('uses precomputed inverse norms instead of computing them', () => {
    // (3,3) with inverse norm 1/(3√2) is the unit vector (1,1)/√2; a wrong norm must change the result.
    const withNorms = { ...reference, inverseNorms: Float64Array.from([1, 1 / (3 * Math.SQRT2), 0.5]) };
    expect(greedyMatch(candidate, withNorms).f1).toBeCloseTo(greedyMatch(candidate, reference).f1, 12);
    const wrong = { ...reference, inverseNorms: Float64Array.from([1, 1, 0.5]) };
    expect(greedyMatch(candidate, wrong).precision).toBeGreaterThan(1);
  });

  it('identical token sets score 1', () => {
    const s = greedyMatch(reference, reference);
    expect(s.precision).toBeCloseTo(1, 6);
    expect(s.recall).toBeCloseTo(1, 6);
    expect(s.f1).toBeCloseTo(1, 6);
  });

  it('exact-match ids: a token without a vector matches only the same id', () => {
    const c = tokens(
      [
        [1, 0],
        [0, 0],
      ],
      { exactMatchIds: Int32Array.from([-1, 7]) },
    );
    const same = tokens(
      [
        [1, 0],
        [0, 0],
      ],
      { exactMatchIds: Int32Array.from([-1, 7]) },
    );
    const other = tokens(
      [
        [1, 0],
        [0, 0],
      ],
      { exactMatchIds: Int32Array.from([-1, 8]) },
    );
    expect(greedyMatch(c, same).f1).toBeCloseTo(1, 6);
    const s = greedyMatch(c, other);
    expect(s.precision).toBeCloseTo(0.5, 6); // (1 + 0) / 2
    expect(s.recall).toBeCloseTo(0.5, 6);
  });

  it('empty candidate or reference gives P = R = F1 = 0', () => {
    const empty = tokens([], { dim: 2, vectors: new Float32Array(0), count: 0 });
    expect(greedyMatch(empty, reference)).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(greedyMatch(candidate, empty)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('zero vectors have cosine 0 and different dims are rejected', () => {
    const zero = tokens([[0, 0]]);
    expect(greedyMatch(zero, candidate).f1).toBe(0);
    expect(() => greedyMatch(candidate, tokens([[1, 0, 0]]))).toThrow(/dim/);
  });
});
