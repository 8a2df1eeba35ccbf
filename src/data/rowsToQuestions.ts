// Parsed records → Question objects, one row layout at a time (MixInstruct, GSM8K, or generic rows
// read through a field mapping). Validation problems name the record's place and the user's field.
import type { z } from 'zod';
import type { Question } from '../der/types';
import {
  DEFAULT_FIELD_MAPPING,
  fieldPath,
  GenericRowSchema,
  Gsm8kRowSchema,
  MixInstructRowSchema,
  typeName,
  type DatasetIssue,
  type FieldMapping,
  type RecordLocation,
  type RowShape,
} from './datasetSchema';

export interface SourceRecord {
  value: unknown;
  location: RecordLocation;
}

export interface ConvertedRow {
  question: Question;
  location: RecordLocation;
}

export interface ConvertOptions {
  shape: RowShape;
  mapping?: FieldMapping;
  /** Id prefix for rows without one: `${name}-${k}`, k = record number from 0. */
  name: string;
  /** Domain for rows that carry none (e.g. "math" for GSM8K in a multi-domain mix). */
  domain?: string;
  /** CSV cells are always text; an empty optional cell means "absent" there. */
  emptyMeansAbsent: boolean;
}

/** The number after "####" in a GSM8K answer (commas removed), or undefined when there is none. */
export function gsm8kFinalNumber(answer: string): string | undefined {
  const match = answer.match(/####\s*([-+]?[\d,]*\.?\d+)\s*$/);
  return match ? match[1].replace(/,/g, '') : undefined;
}

function nonEmpty(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  return text === '' ? undefined : text;
}

function zodIssues(error: z.ZodError, location: RecordLocation, sourceName: (field: string) => string): DatasetIssue[] {
  return error.issues.map((issue) => {
    const path = fieldPath(issue.path);
    const [head, ...rest] = path.split(/(?=[.[])/);
    return { location, field: path ? sourceName(head) + rest.join('') : undefined, message: issue.message };
  });
}

function pickMapped(row: Record<string, unknown>, mapping: Required<FieldMapping>, emptyMeansAbsent: boolean): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of Object.keys(mapping) as (keyof FieldMapping)[]) {
    const value = row[mapping[field]];
    if (value === undefined || value === null) continue;
    if (emptyMeansAbsent && value === '' && field !== 'instruction') continue;
    picked[field] = value;
  }
  if (row.candidates !== undefined) picked.candidates = row.candidates;
  return picked;
}

export interface ConvertResult {
  rows: ConvertedRow[];
  issues: DatasetIssue[];
  warnings: string[];
}

export function rowsToQuestions(records: readonly SourceRecord[], options: ConvertOptions, maxIssues = 50): ConvertResult {
  const mapping: Required<FieldMapping> = { ...DEFAULT_FIELD_MAPPING };
  for (const [field, column] of Object.entries(options.mapping ?? {})) {
    if (column) mapping[field as keyof FieldMapping] = column;
  }
  const sourceName = (field: string) => (options.shape === 'generic' ? ((mapping as Record<string, string>)[field] ?? field) : field);
  const rows: ConvertedRow[] = [];
  const issues: DatasetIssue[] = [];
  let withoutFinalNumber = 0;
  let withoutReference = 0;
  const emptyCandidates = new Map<string, number>();

  records.forEach(({ value, location }, k) => {
    if (issues.length >= maxIssues) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ location, message: `a row must be an object with named fields, got ${typeName(value)}` });
      return;
    }
    const row = value as Record<string, unknown>;
    let question: Question;
    if (options.shape === 'gsm8k') {
      const parsed = Gsm8kRowSchema.safeParse(row);
      if (!parsed.success) {
        issues.push(...zodIssues(parsed.error, location, sourceName));
        return;
      }
      if (gsm8kFinalNumber(parsed.data.answer) === undefined) withoutFinalNumber++;
      question = { id: nonEmpty(parsed.data.id) ?? '', instruction: parsed.data.question, input: '', output: parsed.data.answer };
    } else {
      const source = options.shape === 'generic' ? pickMapped(row, mapping, options.emptyMeansAbsent) : row;
      const schema = options.shape === 'mixinstruct' ? MixInstructRowSchema : GenericRowSchema;
      const parsed = schema.safeParse(source);
      if (!parsed.success) {
        issues.push(...zodIssues(parsed.error, location, sourceName));
        return;
      }
      const data = parsed.data;
      if ((data.instruction + (data.input ?? '')).trim() === '') {
        issues.push({ location, field: sourceName('instruction'), message: 'instruction is empty and there is no input: the row has no question' });
        return;
      }
      question = {
        id: nonEmpty(data.id) ?? '',
        instruction: data.instruction,
        input: data.input ?? '',
        output: nonEmpty(data.output),
        domain: nonEmpty(data.domain),
      };
      if (data.candidates) {
        question.candidates = data.candidates.map(({ model, text }) => ({ model, text }));
        for (const c of data.candidates) if (c.text.trim() === '') emptyCandidates.set(c.model, (emptyCandidates.get(c.model) ?? 0) + 1);
      }
    }
    if (question.id === '') question.id = `${options.name}-${k}`;
    if (question.output === undefined || question.output === '') {
      delete question.output;
      withoutReference++;
    }
    if (question.domain === undefined) {
      if (options.domain !== undefined) question.domain = options.domain;
      else delete question.domain;
    }
    rows.push({ question, location });
  });

  const warnings: string[] = [];
  if (withoutFinalNumber > 0)
    warnings.push(`${withoutFinalNumber} GSM8K answer(s) have no final number after "####"; exact-match scoring will count them wrong.`);
  if (withoutReference > 0)
    warnings.push(`${withoutReference} row(s) have no reference answer; they can be routed but not scored, and only the learned STOP can end their routes.`);
  if (emptyCandidates.size > 0) {
    const list = [...emptyCandidates].map(([model, count]) => `${model} ${count}`).join(', ');
    warnings.push(`Empty recorded candidate texts: ${list}.`);
  }
  return { rows, issues, warnings };
}
