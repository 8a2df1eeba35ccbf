// A dropped dataset file, checked in the page before a run: format and row layout detected, columns
// listed for field mapping, every problem named by line. What reaches the worker is the validated
// questions as canonical JSONL, so the worker needs neither the mapping nor the original format.
import type { Question } from '../der/types';
import { DatasetError, describeIssue, type DatasetFormat, type FieldMapping, type RowShape } from '../data/datasetSchema';
import { detectFormat, detectRowShape } from '../data/detectFormat';
import { parseCsv } from '../data/parseCsv';
import { parseJsonl } from '../data/parseJsonl';
import { parseDataset } from '../data/loadDataset';
import { errorMessage } from '../der/errorMessage';

export const FORMAT_LABELS: Record<DatasetFormat, string> = { jsonl: 'JSON Lines', json: 'JSON', csv: 'CSV', tsv: 'TSV' };
export const SHAPE_LABELS: Record<RowShape, string> = {
  mixinstruct: 'MixInstruct (instruction + candidates)',
  gsm8k: 'GSM8K (question + answer)',
  generic: 'generic columns (field mapping)',
};

export type DatasetInspection =
  | {
      ok: true;
      format: DatasetFormat;
      shape: RowShape;
      columns: string[];
      questions: number;
      warnings: string[];
      /** The questions as canonical JSONL rows {id, instruction, input, output, domain, candidates}. */
      canonicalJsonl: string;
    }
  | { ok: false; format: DatasetFormat | null; shape: RowShape | null; columns: string[]; issues: string[] };

function firstRecord(text: string, format: DatasetFormat): unknown {
  if (format === 'jsonl') {
    const firstLine = text.split('\n').find((line) => line.trim() !== '');
    try {
      return firstLine === undefined ? undefined : JSON.parse(firstLine);
    } catch {
      return parseJsonl(text, 1).records[0]?.value;
    }
  }
  if (format === 'json') {
    try {
      const doc = JSON.parse(text) as unknown;
      const rows = Array.isArray(doc) ? doc : (doc as { data?: unknown } | null)?.data;
      return Array.isArray(rows) ? rows[0] : undefined;
    } catch {
      return undefined;
    }
  }
  // The header and the first data row are enough for the columns.
  const head = text.split(/\r?\n/).slice(0, 50).join('\n');
  return parseCsv(head, format === 'tsv' ? '\t' : ',', 1).records[0]?.values;
}

/** The field names of the first row (for the mapping selects). */
export function datasetColumns(text: string, format: DatasetFormat): string[] {
  const row = firstRecord(text, format);
  return row !== null && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [];
}

export function questionsToJsonl(questions: readonly Question[]): string {
  return questions
    .map((q) => {
      const row: Record<string, unknown> = { id: q.id, instruction: q.instruction, input: q.input };
      if (q.output !== undefined) row.output = q.output;
      if (q.domain !== undefined) row.domain = q.domain;
      if (q.candidates !== undefined) row.candidates = q.candidates;
      return JSON.stringify(row);
    })
    .join('\n');
}

/** Mapping entries left empty mean "use the default column". */
function usableMapping(mapping: FieldMapping | undefined): FieldMapping | undefined {
  if (!mapping) return undefined;
  const entries = Object.entries(mapping).filter(([, column]) => typeof column === 'string' && column !== '');
  return entries.length > 0 ? (Object.fromEntries(entries) as FieldMapping) : undefined;
}

/** Check a file's text (already decoded) with an optional field mapping. Never throws. */
export function inspectDataset(text: string, fileName: string, mapping?: FieldMapping): DatasetInspection {
  let format: DatasetFormat | null = null;
  let columns: string[] = [];
  let shape: RowShape | null = null;
  try {
    format = detectFormat(text, fileName);
    columns = datasetColumns(text, format);
    const chosen = usableMapping(mapping);
    shape = chosen ? 'generic' : detectRowShape(firstRecord(text, format));
    const parsed = parseDataset(text, { name: fileName, fileName, mapping: chosen });
    return {
      ok: true,
      format: parsed.format,
      shape: parsed.shape,
      columns,
      questions: parsed.questions.length,
      warnings: parsed.warnings,
      canonicalJsonl: questionsToJsonl(parsed.questions),
    };
  } catch (error) {
    const issues = error instanceof DatasetError ? error.issues.map(describeIssue) : [errorMessage(error)];
    return { ok: false, format, shape, columns, issues };
  }
}
