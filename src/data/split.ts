// Seeded train/test split. Stratified by domain: each domain gives the test set its share of the
// test size (largest remainders settle rounding), so a mixed dataset keeps its mix on both sides.
import type { Question } from '../der/types';
import { createRng, shuffled } from '../der/rng';

export interface DatasetSplit {
  train: Question[];
  test: Question[];
}

/** Rows without a domain form one group of their own. */
const NO_DOMAIN = '\u0000none';

/** Test-set size: round(n·f), but at least one row on each side when both fractions are non-zero. */
export function testSize(n: number, testFraction: number): number {
  if (n < 2) return testFraction >= 0.5 ? n : 0;
  let k = Math.round(n * testFraction);
  if (testFraction > 0) k = Math.max(k, 1);
  if (testFraction < 1) k = Math.min(k, n - 1);
  return k;
}

/**
 * Deterministic for a given (questions, testFraction, seed); both halves keep the input order.
 * The shuffle inside each domain uses its own stream (seed + domain), so adding rows of one
 * domain does not reshuffle the others.
 */
export function splitDataset(questions: readonly Question[], testFraction: number, seed: number): DatasetSplit {
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new Error(`testFraction must be between 0 and 1, got ${testFraction}.`);
  }
  const groups = new Map<string, number[]>();
  questions.forEach((q, index) => {
    const key = q.domain ?? NO_DOMAIN;
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });
  const keys = [...groups.keys()].sort();
  const total = testSize(questions.length, testFraction);

  // Largest-remainder apportionment of `total` over the domains, ties by domain name.
  const quotas = keys.map((key) => ((groups.get(key) as number[]).length * total) / Math.max(questions.length, 1));
  const counts = quotas.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = keys.map((_, i) => i).sort((a, b) => quotas[b] - counts[b] - (quotas[a] - counts[a]) || a - b);
  for (const i of byRemainder) {
    if (left <= 0) break;
    counts[i]++;
    left--;
  }

  const inTest = new Set<number>();
  keys.forEach((key, i) => {
    const order = shuffled(groups.get(key) as number[], createRng(`${seed}:${key}`));
    for (const index of order.slice(0, counts[i])) inTest.add(index);
  });
  const train: Question[] = [];
  const test: Question[] = [];
  questions.forEach((q, index) => (inTest.has(index) ? test : train).push(q));
  return { train, test };
}
