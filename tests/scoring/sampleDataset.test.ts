import { describe, expect, it } from 'vitest';
import { loadSampleQuestions, parseSampleJsonl } from '../../src/data/sampleNode';
import { questionText } from '../../src/der/types';

describe('bundled sample dataset (public/data/sample.jsonl)', () => {
  const questions = loadSampleQuestions();

  it('has at least 160 rows with all fields', () => {
    expect(questions.length).toBeGreaterThanOrEqual(160);
    for (const q of questions) {
      for (const field of ['id', 'instruction', 'input', 'output', 'domain'] as const) expect(typeof q[field]).toBe('string');
      expect(q.instruction.trim()).not.toBe('');
    }
  });

  it('has unique ids', () => {
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });

  it('covers at least 5 domains, including the five required ones, with at least 30 questions each', () => {
    const counts = new Map<string, number>();
    for (const q of questions) counts.set(q.domain!, (counts.get(q.domain!) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(5);
    for (const domain of ['arithmetic', 'science', 'programming', 'health', 'writing']) {
      expect(counts.get(domain) ?? 0, domain).toBeGreaterThanOrEqual(30);
    }
  });

  it('has reference answers with substance and questions that read well when joined without a separator', () => {
    for (const q of questions) {
      expect(q.output!.split(/\s+/).length, q.id).toBeGreaterThanOrEqual(12);
      if (q.input !== '') expect(q.input, q.id).toMatch(/^\s/);
      expect(questionText(q)).toBe(q.instruction + q.input);
    }
  });

  it('the parser names the line of a bad row', () => {
    const good = JSON.stringify({ id: 'a', instruction: 'Q?', input: '', output: 'A.', domain: 'x' });
    expect(() => parseSampleJsonl(`${good}\n${good}`)).toThrow(/line 2: duplicate id "a"/);
    expect(() => parseSampleJsonl('{"id":"a"}')).toThrow(/line 1: field "instruction"/);
    expect(() => parseSampleJsonl('not json')).toThrow(/line 1: not valid JSON/);
  });
});
