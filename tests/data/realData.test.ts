// Real datasets from ../shared/data (outside the repo; never copied in). Skipped, with the reason
// in the test name, where that folder is absent (e.g. a clean CI clone).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/data/loadDataset';
import { gsm8kFinalNumber } from '../../src/data/rowsToQuestions';
import { splitDataset } from '../../src/data/split';

const SHARED = path.resolve(__dirname, '../../../shared/data');
const GSM8K = path.join(SHARED, 'gsm8k/test.jsonl');
const SELF_INSTRUCT = path.join(SHARED, 'self-instruct-user-oriented/user_oriented_multi_model.jsonl');
const TRUTHFULQA = path.join(SHARED, 'truthfulqa/TruthfulQA.csv');

const countLines = (bytes: Buffer) =>
  bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;

describe.skipIf(!existsSync(GSM8K))(`GSM8K test set (skipped when ${GSM8K} is absent)`, () => {
  it('reads every row as a GSM8K question whose answer ends in a final number', () => {
    const bytes = readFileSync(GSM8K);
    const { questions, shape, format, warnings } = parseDataset(bytes, { name: 'gsm8k', fileName: 'test.jsonl', domain: 'math' });
    expect(format).toBe('jsonl');
    expect(shape).toBe('gsm8k');
    expect(questions).toHaveLength(countLines(bytes));
    expect(warnings).toEqual([]);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    for (const q of questions) {
      expect(q.input).toBe('');
      expect(q.domain).toBe('math');
      expect(q.instruction.length).toBeGreaterThan(0);
      expect(gsm8kFinalNumber(q.output as string)).toMatch(/^-?\d+(\.\d+)?$/);
    }
    const first = JSON.parse(bytes.toString('utf8').split('\n')[0]);
    expect(questions[0].instruction).toBe(first.question);
    expect(questions[0].output).toBe(first.answer);
  });
});

describe.skipIf(!existsSync(SELF_INSTRUCT))(`self-instruct multi-model set (skipped when ${SELF_INSTRUCT} is absent)`, () => {
  it('reads MixInstruct-shaped rows with 8 recorded candidates each', () => {
    const bytes = readFileSync(SELF_INSTRUCT);
    const { questions, shape, warnings } = parseDataset(bytes, { name: 'self-instruct' });
    expect(shape).toBe('mixinstruct');
    expect(questions).toHaveLength(countLines(bytes));
    const models = questions[0].candidates?.map((c) => c.model);
    expect(models).toHaveLength(8);
    for (const q of questions) {
      expect(q.candidates?.map((c) => c.model)).toEqual(models);
      expect(q.id).toMatch(/^user_oriented_task_\d+$/);
    }
    // The folder's README counts the empty candidate texts per model; the warning must list them.
    expect(warnings.join(' ')).toMatch(/Empty recorded candidate texts: .*davinci-t0-ft 48/);
    const split = splitDataset(questions, 0.2, 42);
    expect(split.test.length).toBe(Math.round(questions.length * 0.2));
  });
});

describe.skipIf(!existsSync(TRUTHFULQA))(`TruthfulQA CSV with a field mapping (skipped when ${TRUTHFULQA} is absent)`, () => {
  it('maps Question/Best Answer/Category and stratifies the split by Category', () => {
    const { questions, format } = parseDataset(readFileSync(TRUTHFULQA), {
      name: 'truthfulqa',
      fileName: 'TruthfulQA.csv',
      mapping: { instruction: 'Question', output: 'Best Answer', domain: 'Category' },
    });
    expect(format).toBe('csv');
    expect(questions.length).toBeGreaterThan(800);
    expect(questions.every((q) => q.instruction.length > 0 && q.domain)).toBe(true);
    const { test } = splitDataset(questions, 0.25, 1);
    const domains = new Set(questions.map((q) => q.domain));
    const bigDomains = [...domains].filter((d) => questions.filter((q) => q.domain === d).length >= 8);
    for (const d of bigDomains) expect(test.some((q) => q.domain === d)).toBe(true);
  });
});
