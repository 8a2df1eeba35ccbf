import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/data/loadDataset';
import { inspectDataset } from '../../src/store/datasetFile';
import { formatEncoderName, formatScorerName, parseEncoderName, parseScorerName } from '../../src/der/componentNames';

describe('dataset file inspection', () => {
  it('recognises GSM8K rows and hands the worker canonical JSONL with the same questions', () => {
    const text = ['{"question": "What is 2+3?", "answer": "2+3=5\\n#### 5"}', '{"question": "What is 4*4?", "answer": "#### 16"}'].join('\n');
    const result = inspectDataset(text, 'gsm.jsonl');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.format).toBe('jsonl');
    expect(result.shape).toBe('gsm8k');
    expect(result.questions).toBe(2);
    const direct = parseDataset(text, { name: 'gsm.jsonl', fileName: 'gsm.jsonl' }).questions;
    expect(parseDataset(result.canonicalJsonl, { name: 'gsm.jsonl' }).questions).toEqual(direct);
  });

  it('recognises MixInstruct rows and keeps their candidates', () => {
    const row = { id: 'q1', instruction: 'Say hi', input: '', output: 'hi', candidates: [{ model: 'koala-7B', text: 'hello' }] };
    const result = inspectDataset(JSON.stringify([row]), 'mix.json');
    expect(result.ok && result.shape).toBe('mixinstruct');
    expect(result.ok && parseDataset(result.canonicalJsonl, { name: 'm' }).questions[0].candidates).toEqual(row.candidates);
  });

  it('lists CSV columns, and maps them to fields', () => {
    const csv = 'prompt,gold,topic\n"Capital of France?",Paris,geo\n"2+2?",4,math\n';
    const unmapped = inspectDataset(csv, 'q.csv');
    expect(unmapped.ok).toBe(false);
    expect(unmapped.columns).toEqual(['prompt', 'gold', 'topic']);
    expect(unmapped.ok ? '' : unmapped.issues.join('\n')).toContain('no field "instruction"');
    const mapped = inspectDataset(csv, 'q.csv', { instruction: 'prompt', output: 'gold', domain: 'topic', input: '' });
    expect(mapped.ok).toBe(true);
    const questions = mapped.ok ? parseDataset(mapped.canonicalJsonl, { name: 'q' }).questions : [];
    expect(questions.map((q) => [q.instruction, q.output, q.domain])).toEqual([
      ['Capital of France?', 'Paris', 'geo'],
      ['2+2?', '4', 'math'],
    ]);
  });

  it('names the line of each bad row', () => {
    const text = ['{"instruction": "ok", "output": "fine"}', '{not json', '{"instruction": "", "output": "x"}'].join('\n');
    const result = inspectDataset(text, 'bad.jsonl');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.issues.join('\n')).toMatch(/line 2/);
  });
});

describe('scorer and encoder names', () => {
  it('reads and writes the "+idf" suffix of a BERTScore name', () => {
    const choice = { kind: 'bertscore' as const, model: 'tiny-bert', layer: 2, idf: true };
    expect(formatScorerName(choice)).toBe('bertscore:tiny-bert@2+idf');
    expect(parseScorerName('bertscore:tiny-bert@2+idf')).toEqual(choice);
    expect(parseScorerName('bertscore:tiny-bert@2')).toEqual({ kind: 'bertscore', model: 'tiny-bert', layer: 2 });
  });

  it('round-trip through the config strings', () => {
    for (const choice of [
      { kind: 'glove' as const },
      { kind: 'exact-match' as const },
      { kind: 'bertscore' as const, model: 'Xenova/roberta-base', layer: 10 },
    ]) {
      expect(parseScorerName(formatScorerName(choice))).toEqual(choice);
    }
    expect(parseScorerName('bertscore:Xenova/bert-base-multilingual-cased@9')).toEqual({
      kind: 'bertscore',
      model: 'Xenova/bert-base-multilingual-cased',
      layer: 9,
    });
    expect(parseScorerName('rouge')).toBeNull();
    expect(parseEncoderName(formatEncoderName({ kind: 'minilm', model: 'Xenova/all-MiniLM-L6-v2' }))).toEqual({
      kind: 'minilm',
      model: 'Xenova/all-MiniLM-L6-v2',
    });
    expect(parseEncoderName('use-lite')).toEqual({ kind: 'use-lite' });
  });
});
