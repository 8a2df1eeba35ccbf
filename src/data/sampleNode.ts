// Node reader for the bundled sample dataset (public/data/sample.jsonl). Deliberately minimal:
// the general dataset loaders and their validation live elsewhere in src/data/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Question } from '../der/types';
import { errorMessage } from '../der/errorMessage';

export const SAMPLE_DATASET_PATH = fileURLToPath(new URL('../../public/data/sample.jsonl', import.meta.url));

const REQUIRED_STRING_FIELDS = ['id', 'instruction', 'input', 'output', 'domain'] as const;

/** Parses JSONL text into questions; throws naming the line and field at the first bad row. */
export function parseSampleJsonl(text: string, source = 'sample.jsonl'): Question[] {
  const questions: Question[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source} line ${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${errorMessage(error)})`, { cause: error });
    }
    if (typeof row !== 'object' || row === null) throw new Error(`${where}: expected an object`);
    const record = row as Record<string, unknown>;
    for (const field of REQUIRED_STRING_FIELDS) {
      if (typeof record[field] !== 'string') throw new Error(`${where}: field "${field}" must be a string`);
    }
    const q: Question = {
      id: record.id as string,
      instruction: record.instruction as string,
      input: record.input as string,
      output: record.output as string,
      domain: record.domain as string,
    };
    if (q.id === '' || q.instruction.trim() === '' || q.output!.trim() === '') throw new Error(`${where}: id, instruction and output must not be empty`);
    if (seen.has(q.id)) throw new Error(`${where}: duplicate id "${q.id}"`);
    seen.add(q.id);
    questions.push(q);
  });
  return questions;
}

export function loadSampleQuestions(path: string = SAMPLE_DATASET_PATH): Question[] {
  return parseSampleJsonl(readFileSync(path, 'utf8'), path);
}
