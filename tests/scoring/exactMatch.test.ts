// Exact-match accuracy for GSM8K: number parsing, and the scorer on real GSM8K test lines
// (../shared/data/gsm8k/test.jsonl; those cases are skipped when the folder is absent).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createExactMatchScorer, exactMatchScore, lastNumber, numbersIn, referenceFinalNumber } from '../../src/scoring/exactMatch';

const GSM8K = fileURLToPath(new URL('../../../shared/data/gsm8k/test.jsonl', import.meta.url));
const haveGsm8k = existsSync(GSM8K);

describe('number parsing', () => {
  it('handles commas, dollars, negatives and decimals', () => {
    expect(numbersIn('costs $1,234.50 and -3 and -$7.5, then .5')).toEqual([1234.5, -3, -7.5, 0.5]);
    expect(lastNumber('So she makes $18.')).toBe(18);
    expect(lastNumber('The total is 1,450,000 dollars')).toBe(1450000);
    expect(lastNumber('no digits here')).toBeNull();
  });

  it('does not read a hyphen or a subtraction as a minus sign', () => {
    expect(numbersIn('pages 3-5')).toEqual([3, 5]);
    expect(lastNumber('20 - 5 = 15')).toBe(15);
  });

  it('takes the reference number after the last ####', () => {
    expect(referenceFinalNumber('2+1=<<2+1=3>>3 bolts\n#### 3')).toBe(3);
    expect(referenceFinalNumber('… #### -10')).toBe(-10);
    expect(referenceFinalNumber('… #### 1,600')).toBe(1600);
    expect(referenceFinalNumber('plain reference 42')).toBe(42);
  });

  it('scores by value: 18.00 matches 18, 180 does not', () => {
    expect(exactMatchScore('The answer is 18.00', '#### 18')).toBe(1);
    expect(exactMatchScore('The answer is 180', '#### 18')).toBe(0);
    expect(exactMatchScore('I do not know', '#### 18')).toBe(0);
  });
});

describe.skipIf(!haveGsm8k)('exact match on real GSM8K test lines (skipped: ../shared/data/gsm8k absent)', () => {
  const rows: { question: string; answer: string }[] = haveGsm8k
    ? readFileSync(GSM8K, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];

  it('every reference has a final number, and the reference answer itself scores 1', async () => {
    expect(rows.length).toBeGreaterThan(1000);
    const scorer = createExactMatchScorer();
    const scores = await scorer.score(
      rows.map((r) => r.answer),
      rows.map((r) => r.answer),
    );
    expect(rows.every((r) => referenceFinalNumber(r.answer) !== null)).toBe(true);
    expect(scores.every((s) => s === 1)).toBe(true);
  });

  it('reads comma and negative finals correctly and rejects a wrong final number', async () => {
    const withComma = rows.find((r) => /#### \d{1,3},\d{3}/.test(r.answer))!;
    const negative = rows.find((r) => /#### -\d/.test(r.answer))!;
    const finalText = withComma.answer.split('####')[1].trim();
    expect(referenceFinalNumber(withComma.answer)).toBe(Number(finalText.replace(/,/g, '')));
    expect(referenceFinalNumber(negative.answer)).toBeLessThan(0);
    const scorer = createExactMatchScorer();
    const value = referenceFinalNumber(withComma.answer)!;
    const [right, formatted, wrong] = await scorer.score(
      [`So the answer is ${finalText}.`, `Total: $${value.toFixed(2)}`, `So the answer is ${value + 1}.`],
      [withComma.answer, withComma.answer, withComma.answer],
    );
    expect([right, formatted, wrong]).toEqual([1, 1, 0]);
  });
});
