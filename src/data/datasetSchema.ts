// What a dataset row may look like, and how a problem with one is reported: every issue names the
// place in the file (JSONL line, CSV row and line, JSON index) and the field, so a user can fix it.
import { z } from 'zod';

export type DatasetFormat = 'jsonl' | 'json' | 'csv' | 'tsv';

/** Which row layout the questions were read from. */
export type RowShape = 'mixinstruct' | 'gsm8k' | 'generic';

/** Where a record sits in its file. `line` is the 1-based physical line where it starts, when known. */
export type RecordLocation = { kind: 'line'; line: number } | { kind: 'row'; row: number; line: number } | { kind: 'index'; index: number };

export function describeLocation(location: RecordLocation): string {
  switch (location.kind) {
    case 'line':
      return `line ${location.line}`;
    case 'row':
      return `row ${location.row} (line ${location.line})`;
    case 'index':
      return `index ${location.index}`;
  }
}

export interface DatasetIssue {
  /** Absent for problems of the whole file (empty, too large, bad encoding). */
  location?: RecordLocation;
  /** The field in the user's file, e.g. "instruction", "candidates[2].text", or a mapped column name. */
  field?: string;
  message: string;
}

export function describeIssue(issue: DatasetIssue): string {
  const where = [issue.location ? describeLocation(issue.location) : undefined, issue.field ? `field "${issue.field}"` : undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** How many issues a DatasetError's message lists before "… and N more". */
const ISSUES_IN_MESSAGE = 10;

/** A dataset that cannot be used. `issues` holds every problem found (up to a cap), in file order. */
export class DatasetError extends Error {
  constructor(
    readonly datasetName: string,
    readonly issues: readonly DatasetIssue[],
  ) {
    const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `  - ${describeIssue(i)}`);
    const more = issues.length > ISSUES_IN_MESSAGE ? [`  … and ${issues.length - ISSUES_IN_MESSAGE} more`] : [];
    super([`Dataset "${datasetName}" cannot be used:`, ...shown, ...more].join('\n'));
    this.name = 'DatasetError';
  }
}

/** The fields a user maps from their own column names. */
export interface FieldMapping {
  instruction?: string;
  input?: string;
  output?: string;
  domain?: string;
  id?: string;
}

export const DEFAULT_FIELD_MAPPING: Required<FieldMapping> = {
  instruction: 'instruction',
  input: 'input',
  output: 'output',
  domain: 'domain',
  id: 'id',
};

const text = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `${what} is missing` : `${what} must be text, got ${typeName(iss.input)}`) });

/** Ids may be numbers in the source (MT-bench `question_id`); they become strings. */
const idValue = z.union([z.string().min(1, 'id must not be empty'), z.number().int()], {
  error: (iss) => `id must be text or a whole number, got ${typeName(iss.input)}`,
});

/** Numeric answers are common in QA files; a number becomes its decimal text. */
const answerValue = z.union([z.string(), z.number().finite()], {
  error: (iss) => `reference answer must be text or a number, got ${typeName(iss.input)}`,
});

export const CandidateSchema = z.object({
  model: text('candidate model name').min(1, 'candidate model name must not be empty'),
  text: text('candidate text'),
});

export const CandidatesSchema = z.array(CandidateSchema, {
  error: (iss) => `candidates must be a list of {model, text}, got ${typeName(iss.input)}`,
});

/** MixInstruct / self-instruct multi-model rows; extra fields (scores, decoding_method, motivation_app) are allowed. */
export const MixInstructRowSchema = z.object({
  id: idValue.optional(),
  // May be empty when the input holds the question (some MixInstruct rows); rowsToQuestions checks both.
  instruction: text('instruction'),
  input: text('input').optional(),
  output: answerValue.optional(),
  domain: text('domain').optional(),
  candidates: CandidatesSchema,
});

export const Gsm8kRowSchema = z.object({
  id: idValue.optional(),
  question: text('question').min(1, 'question must not be empty'),
  answer: text('answer'),
});

/** A row after field mapping: the canonical names, before ids and defaults are filled in. */
export const GenericRowSchema = z.object({
  id: idValue.optional(),
  // May be empty when the input holds the question (some MixInstruct rows); rowsToQuestions checks both.
  instruction: text('instruction'),
  input: text('input').optional(),
  output: answerValue.optional(),
  domain: text('domain').optional(),
  candidates: CandidatesSchema.optional(),
});

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

/** "candidates[2].text" from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}
