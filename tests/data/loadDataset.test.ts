import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/data/datasetSchema';
import { parseDataset, type ParseDatasetOptions } from '../../src/data/loadDataset';
import { gsm8kFinalNumber } from '../../src/data/rowsToQuestions';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Runs parseDataset and returns the DatasetError it must throw. */
function failure(input: string | Uint8Array, options: Partial<ParseDatasetOptions> = {}): DatasetError {
  try {
    parseDataset(input, { name: 'test', ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    return err as DatasetError;
  }
  throw new Error('parseDataset accepted input it should have refused');
}

const mixRow = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    instruction: 'Fix this',
    input: ' sentense',
    output: 'sentence',
    candidates: [
      { model: 'a', text: 'sentence', scores: { bleu: 1 } },
      { model: 'b', text: '' },
    ],
    ...extra,
  });

describe('parseDataset: formats and row layouts', () => {
  it('reads MixInstruct-shaped JSONL and keeps the candidates (model, text only)', () => {
    const { questions, format, shape, warnings } = parseDataset(`${mixRow('m1')}\n${mixRow('m2')}\n`, { name: 'mix' });
    expect(format).toBe('jsonl');
    expect(shape).toBe('mixinstruct');
    expect(questions[1]).toEqual({
      id: 'm2',
      instruction: 'Fix this',
      input: ' sentense',
      output: 'sentence',
      candidates: [
        { model: 'a', text: 'sentence' },
        { model: 'b', text: '' },
      ],
    });
    expect(warnings.join(' ')).toMatch(/Empty recorded candidate texts: b 2/);
  });

  it('reads GSM8K rows: question → instruction, answer → output, generated ids, optional domain', () => {
    const text = '{"question": "2+3?", "answer": "2+3=5\\n#### 5"}\n{"question": "Half of 10?", "answer": "#### 5"}\n';
    const { questions, shape } = parseDataset(text, { name: 'gsm8k', domain: 'math' });
    expect(shape).toBe('gsm8k');
    expect(questions[0]).toEqual({ id: 'gsm8k-0', instruction: '2+3?', input: '', output: '2+3=5\n#### 5', domain: 'math' });
    expect(questions[1].id).toBe('gsm8k-1');
  });

  it('extracts the final GSM8K number after ####, without thousands separators', () => {
    expect(gsm8kFinalNumber('so 18\n#### 18')).toBe('18');
    expect(gsm8kFinalNumber('#### 1,250')).toBe('1250');
    expect(gsm8kFinalNumber('#### -3.5')).toBe('-3.5');
    expect(gsm8kFinalNumber('the answer is 4')).toBeUndefined();
  });

  it('reads a JSON array and a {data: [...]} object, from bytes', () => {
    const rows = [
      { instruction: 'a', output: 'x', domain: 'd1' },
      { instruction: 'b', output: 'y' },
    ];
    const fromArray = parseDataset(utf8(JSON.stringify(rows, null, 2)), { name: 'j' });
    const fromData = parseDataset(JSON.stringify({ data: rows }), { name: 'j' });
    expect(fromArray.format).toBe('json');
    expect(fromData.format).toBe('json');
    expect(fromArray.questions).toEqual(fromData.questions);
    expect(fromArray.questions).toEqual([
      { id: 'j-0', instruction: 'a', input: '', output: 'x', domain: 'd1' },
      { id: 'j-1', instruction: 'b', input: '', output: 'y' },
    ]);
  });

  it('maps user column names in a CSV and treats empty optional cells as absent', () => {
    const csv = 'Question,Best Answer,Category,Key\n"What, exactly?",This,Science,q1\nWhy?,,,q2\n';
    const { questions, format, warnings } = parseDataset(csv, {
      name: 'tqa',
      mapping: { instruction: 'Question', output: 'Best Answer', domain: 'Category', id: 'Key' },
    });
    expect(format).toBe('csv');
    expect(questions).toEqual([
      { id: 'q1', instruction: 'What, exactly?', input: '', output: 'This', domain: 'Science' },
      { id: 'q2', instruction: 'Why?', input: '' },
    ]);
    expect(warnings.join(' ')).toMatch(/1 row\(s\) have no reference answer/);
  });

  it('honours the file name extension and an explicit format', () => {
    expect(parseDataset('instruction\tinput\nA\tB\n', { name: 't', fileName: 'x.TSV' }).questions[0]).toMatchObject({ instruction: 'A', input: 'B' });
    expect(parseDataset('[{"instruction":"a"}]', { name: 't', format: 'json', fileName: 'x.csv' }).format).toBe('json');
  });

  it('turns numeric ids and numeric answers into text', () => {
    const { questions } = parseDataset('{"id": 81, "instruction": "1+1", "output": 2}\n', { name: 'n' });
    expect(questions[0]).toMatchObject({ id: '81', output: '2' });
  });

  it('strips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('instruction,output\nhi,there\n')]);
    expect(parseDataset(bytes, { name: 'bom' }).questions[0].instruction).toBe('hi');
  });
});

describe('parseDataset: errors name the place and the field', () => {
  it('refuses an empty or whitespace-only file', () => {
    expect(failure('').message).toMatch(/file is empty/);
    expect(failure(utf8(' \n\n')).message).toMatch(/file is empty/);
  });

  it('refuses a file over the size limit before parsing it', () => {
    const err = failure(utf8('{"instruction":"a"}\n'.repeat(100)), { maxBytes: 1000 });
    expect(err.message).toMatch(/the file is 0\.0 MB; the limit is 0\.0 MB/);
    expect(failure('x'.repeat(2000), { maxBytes: 1000 }).message).toMatch(/limit/);
  });

  it('reports non-UTF-8 bytes with their byte offset and line', () => {
    // "é" in Latin-1 (0xe9) on line 2, at byte offset 19.
    const bytes = new Uint8Array([...utf8('instruction,output\n'), 0x63, 0x61, 0x66, 0xe9, ...utf8(',x\n')]);
    const err = failure(bytes);
    expect(err.message).toMatch(/not valid UTF-8: first bad byte at byte offset 22 \(line 2, byte 0xe9\)/);
  });

  it('names the JSONL line that is not JSON, and every such line', () => {
    const err = failure('{"instruction":"a"}\n{"instruction": }\n\n{oops\n');
    expect(err.issues.map((i) => i.location)).toEqual([
      { kind: 'line', line: 2 },
      { kind: 'line', line: 4 },
    ]);
    expect(err.message).toMatch(/line 2: not valid JSON/);
  });

  it('names the line and column of a JSON syntax error in a whole-file JSON', () => {
    const err = failure('[\n  {"instruction": "a"},\n  {"instruction": "b",}\n]', { fileName: 'd.json' });
    expect(err.message).toMatch(/not valid JSON at line 3, column \d+/);
  });

  it('refuses JSON that is neither a list nor {data: [...]}', () => {
    expect(failure('{"rows": []}', { format: 'json' }).message).toMatch(/list of rows or an object with a "data" list; found an object with keys rows/);
  });

  it('names the JSONL line and field of a missing or mistyped field', () => {
    const err = failure('{"instruction":"ok","output":"x"}\n{"output":"x"}\n{"instruction":"q","input":5}\n{"instruction":"q","output":{"a":1}}\n', {
      shape: 'generic',
    });
    expect(err.issues).toEqual([
      { location: { kind: 'line', line: 2 }, field: 'instruction', message: 'instruction is missing' },
      { location: { kind: 'line', line: 3 }, field: 'input', message: 'input must be text, got a number' },
      { location: { kind: 'line', line: 4 }, field: 'output', message: 'reference answer must be text or a number, got an object' },
    ]);
  });

  it('names the JSON index and the nested candidate field', () => {
    const rows = [
      { instruction: 'a', candidates: [{ model: 'm', text: 'ok' }] },
      {
        instruction: 'b',
        candidates: [
          { model: 'm', text: 'ok' },
          { model: 'n', text: null },
        ],
      },
    ];
    const err = failure(JSON.stringify(rows), { format: 'json' });
    expect(err.issues).toEqual([{ location: { kind: 'index', index: 1 }, field: 'candidates[1].text', message: 'candidate text must be text, got null' }]);
    expect(err.message).toMatch(/index 1, field "candidates\[1\]\.text"/);
  });

  it('names the CSV row and the user column for a mapped field', () => {
    const err = failure('Q,A\nfine,yes\n,no\n', { mapping: { instruction: 'Q', output: 'A' } });
    expect(err.issues).toEqual([
      { location: { kind: 'row', row: 2, line: 3 }, field: 'Q', message: 'instruction is empty and there is no input: the row has no question' },
    ]);
  });

  it('says which mapped column does not exist and lists the real ones', () => {
    const err = failure('Q,A\nfine,yes\n', { mapping: { instruction: 'Prompt', output: 'A' } });
    expect(err.message).toMatch(/no field "Prompt" for instruction .*its fields are: Q, A/);
  });

  it('accepts an empty instruction when the input holds the question (MixInstruct rows)', () => {
    const row = JSON.stringify({ id: 'a', instruction: '', input: 'What is 2+2?', output: '4', candidates: [] });
    expect(parseDataset(row, { name: 'm' }).questions[0]).toMatchObject({ instruction: '', input: 'What is 2+2?' });
  });

  it('reports a row that is not an object', () => {
    expect(failure('{"instruction":"a"}\n[1,2]\n').issues[0]).toMatchObject({
      location: { kind: 'line', line: 2 },
      message: expect.stringMatching(/got a list/),
    });
  });

  it('reports duplicate ids naming both places', () => {
    const err = failure(`${mixRow('x')}\n${mixRow('y')}\n${mixRow('x')}\n`);
    expect(err.issues).toEqual([{ location: { kind: 'line', line: 3 }, field: 'id', message: 'duplicate id "x": also used at line 1; ids must be unique.' }]);
  });

  it('caps the number of issues and says how many more there are', () => {
    const rows = ['{"instruction":"fine"}', ...Array.from({ length: 30 }, () => '{"output":"x"}')];
    const err = failure(rows.join('\n'), { shape: 'generic', maxIssues: 25 });
    expect(err.issues).toHaveLength(25);
    expect(err.message).toMatch(/… and 15 more/);
  });
});
