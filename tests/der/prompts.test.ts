import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KTP_REFERENCE_TEMPLATE, type KtpConfig } from '../../src/der/config';
import { fillTemplate, renderPrompt, stateText } from '../../src/der/prompts';
import type { Question } from '../../src/der/types';

const Q: Question = { id: 'q1', instruction: 'Name a prime number', input: ' greater than 10.', output: '11' };
const REFERENCE: KtpConfig = { template: 'reference', custom: '' };
const REFERENCE_NOTES = resolve(__dirname, '../../../shared/notes/der-reference.md');

describe('renderPrompt', () => {
  it('sends the raw question (instruction + input, no separator) at the first step', () => {
    expect(renderPrompt(Q, null, REFERENCE)).toBe('Name a prime number greater than 10.');
  });

  it('renders the reference KTP exactly, with a space before each newline', () => {
    const expected =
      'Name a prime number greater than 10. \nThese are the answers to the question from other student: \n13 is prime. \n' +
      "Using other student's answers as additional advice, you need to give a more satisfactory answer directly. DO NOT mention other students.";
    expect(renderPrompt(Q, '13 is prime.', REFERENCE)).toBe(expected);
  });

  it.skipIf(!existsSync(REFERENCE_NOTES))('the reference template equals the one quoted in der-reference.md (skipped when ../shared/notes is absent)', () => {
    const notes = readFileSync(REFERENCE_NOTES, 'utf8');
    const quoted = notes
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('{question} \\nThese are'));
    expect(quoted).toBeDefined();
    expect(KTP_REFERENCE_TEMPLATE).toBe((quoted as string).replaceAll('\\n', '\n'));
  });

  it('replaces placeholders literally: $ patterns in answers survive, and are not re-substituted', () => {
    const answer = "costs $5; $& and $1 and $$ and $' and $` stay";
    const prompt = renderPrompt(Q, answer, REFERENCE);
    expect(prompt).toContain(`\n${answer} \n`);
    const tricky: Question = { id: 'q2', instruction: 'What does {previous} mean', input: '?' };
    const custom = renderPrompt(tricky, 'X', { template: 'custom', custom: 'Q: {question} | A: {previous} | again {question}' });
    expect(custom).toBe('Q: What does {previous} mean? | A: X | again What does {previous} mean?');
  });

  it('renders the paper and custom templates', () => {
    expect(renderPrompt(Q, 'A', { template: 'paper', custom: '' })).toBe(
      "Answer the question Name a prime number greater than 10. with reference to another student's answer: A",
    );
    expect(fillTemplate('{previous}/{question}', 'q', 'p')).toBe('p/q');
  });
});

describe('stateText', () => {
  it('is Question:… Answer:… with a single space before the first answer', () => {
    expect(stateText(Q, null)).toBe('Question:Name a prime number greater than 10. Answer: ');
    expect(stateText(Q, '11')).toBe('Question:Name a prime number greater than 10. Answer:11');
  });
});
