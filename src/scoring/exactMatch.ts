// Exact-match accuracy for GSM8K: an answer is right (1) when the LAST number it contains equals
// the reference's final number, the one after `####` (0 otherwise). Numbers may carry thousands
// commas, a dollar sign, a minus sign and decimals ("$1,234.50", "-3", "18."), and are compared as
// values, so "18.00" matches "18". A reference without `####` falls back to its last number.
import type { Scorer } from '../der/types';

const UNSIGNED = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+`;
// A minus sign counts only where it cannot be a hyphen or a subtraction ("3-5" is 3 and 5, not -5).
const NUMBER = new RegExp(String.raw`(?<![\w)])-\$?(?:${UNSIGNED})|\$-?(?:${UNSIGNED})|(?:${UNSIGNED})`, 'g');

function parseNumber(token: string): number {
  const negative = token.includes('-');
  const digits = token.replace(/[-$,\s]/g, '');
  const value = Number(digits);
  return negative ? -value : value;
}

/** Every number in the text, in order of appearance. */
export function numbersIn(text: string): number[] {
  return Array.from(text.matchAll(NUMBER), (m) => parseNumber(m[0])).filter((v) => Number.isFinite(v));
}

/** The last number of a model's answer, or null when it has none. */
export function lastNumber(text: string): number | null {
  const all = numbersIn(text);
  return all.length > 0 ? all[all.length - 1] : null;
}

/** The GSM8K reference's final number: the first number after the last `####` (else its last number). */
export function referenceFinalNumber(reference: string): number | null {
  const marker = reference.lastIndexOf('####');
  if (marker < 0) return lastNumber(reference);
  const after = numbersIn(reference.slice(marker + 4));
  return after.length > 0 ? after[0] : null;
}

export function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** 1 when the answer's last number equals the reference's final number, else 0. */
export function exactMatchScore(answer: string, reference: string): number {
  const expected = referenceFinalNumber(reference);
  const got = lastNumber(answer);
  return expected !== null && got !== null && sameNumber(expected, got) ? 1 : 0;
}

export function createExactMatchScorer(): Scorer {
  return {
    name: 'exact match (GSM8K final number)',
    async score(candidates, references) {
      if (candidates.length !== references.length) {
        throw new Error(`exact match: ${candidates.length} answers but ${references.length} references; pass one reference per answer`);
      }
      return candidates.map((c, i) => exactMatchScore(c, references[i]));
    },
  };
}
