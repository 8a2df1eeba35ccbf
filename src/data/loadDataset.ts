// One entry point for user datasets: bytes or text in, validated Questions out. It decodes
// strictly, refuses oversized and empty files, picks the format and row layout, and collects every
// problem (with its line/row/index and field) into one DatasetError instead of stopping at the first.
import type { Question } from '../der/types';
import { decodeUtf8 } from './decodeText';
import {
  DatasetError,
  DEFAULT_FIELD_MAPPING,
  describeLocation,
  typeName,
  type DatasetFormat,
  type DatasetIssue,
  type FieldMapping,
  type RowShape,
} from './datasetSchema';
import { detectFormat, detectRowShape } from './detectFormat';
import { parseCsv } from './parseCsv';
import { jsonErrorReason, lineAndColumn, parseJsonl, type LocatedRecord } from './parseJsonl';
import { rowsToQuestions } from './rowsToQuestions';

/** Larger files are refused: parsing happens in memory, in a browser tab. */
export const DEFAULT_MAX_DATASET_BYTES = 200 * 1024 * 1024;

export interface ParseDatasetOptions {
  /** Shown in messages; also the prefix of generated ids (`${name}-${k}`). */
  name: string;
  /** Overrides detection from `fileName` / content. */
  format?: DatasetFormat;
  fileName?: string;
  /** User column names for the canonical fields; implies the generic row layout. */
  mapping?: FieldMapping;
  /** Overrides row-layout detection ('auto' by default). */
  shape?: RowShape | 'auto';
  /** Domain for rows that carry none. */
  domain?: string;
  maxBytes?: number;
  /** Stop collecting issues after this many. */
  maxIssues?: number;
}

export interface ParsedDataset {
  questions: Question[];
  format: DatasetFormat;
  shape: RowShape;
  warnings: string[];
}

function megabytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** A whole-file JSON document: an array of rows, or an object whose `data` is one. */
function parseJsonDocument(text: string): { records: LocatedRecord[]; issues: DatasetIssue[] } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    const where = position ? (({ line, column }) => `line ${line}, column ${column}`)(lineAndColumn(text, Number(position[1]))) : 'unknown position';
    return { records: [], issues: [{ message: `not valid JSON at ${where}: ${jsonErrorReason(err)}` }] };
  }
  const rows = Array.isArray(document) ? document : (document as { data?: unknown } | null)?.data;
  if (!Array.isArray(rows)) {
    const keys = document !== null && typeof document === 'object' ? Object.keys(document).slice(0, 8).join(', ') : '';
    return {
      records: [],
      issues: [
        { message: `a JSON dataset must be a list of rows or an object with a "data" list; found ${typeName(document)}${keys ? ` with keys ${keys}` : ''}` },
      ],
    };
  }
  return { records: rows.map((value, index) => ({ value, location: { kind: 'index', index } })), issues: [] };
}

function readRecords(text: string, format: DatasetFormat, maxIssues: number): { records: LocatedRecord[]; issues: DatasetIssue[]; warnings: string[] } {
  if (format === 'jsonl') return parseJsonl(text, maxIssues);
  if (format === 'json') return { ...parseJsonDocument(text), warnings: [] };
  const csv = parseCsv(text, format === 'tsv' ? '\t' : ',', maxIssues);
  return {
    records: csv.records.map((r) => ({ value: r.values, location: { kind: 'row', row: r.row, line: r.line } })),
    issues: csv.issues,
    warnings: csv.warnings,
  };
}

/** With the generic layout, the mapped instruction field must exist; one clear message beats one per row. */
function checkMappedFields(first: LocatedRecord, mapping: FieldMapping | undefined): DatasetIssue[] {
  const value = first.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const present = Object.keys(value);
  const issues: DatasetIssue[] = [];
  for (const [field, column] of Object.entries({ ...DEFAULT_FIELD_MAPPING, ...stripEmpty(mapping) })) {
    const required = field === 'instruction';
    const chosen = mapping?.[field as keyof FieldMapping];
    if ((required || chosen) && !present.includes(column)) {
      issues.push({
        field: column,
        message: `no field "${column}" for ${field} in the first row (${describeLocation(first.location)}); its fields are: ${present.join(', ') || '(none)'}. Choose the column to use as ${field}.`,
      });
    }
  }
  return issues;
}

function stripEmpty(mapping: FieldMapping | undefined): FieldMapping {
  return Object.fromEntries(Object.entries(mapping ?? {}).filter(([, column]) => column)) as FieldMapping;
}

export function parseDataset(input: string | Uint8Array | ArrayBuffer, options: ParseDatasetOptions): ParsedDataset {
  const { name } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATASET_BYTES;
  const maxIssues = options.maxIssues ?? 50;
  const warnings: string[] = [];

  let text: string;
  if (typeof input === 'string') {
    // UTF-16 length is a lower bound on the UTF-8 size; enough to refuse what is clearly too big.
    if (input.length > maxBytes) {
      throw new DatasetError(name, [
        { message: `the text is ${megabytes(input.length)} or more; the limit is ${megabytes(maxBytes)}. Use a subset of the rows.` },
      ]);
    }
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    const bytes = toBytes(input);
    if (bytes.byteLength > maxBytes) {
      throw new DatasetError(name, [{ message: `the file is ${megabytes(bytes.byteLength)}; the limit is ${megabytes(maxBytes)}. Use a subset of the rows.` }]);
    }
    text = decodeUtf8(bytes, name).text;
  }
  if (text.trim() === '')
    throw new DatasetError(name, [{ message: 'the file is empty; it needs at least one row with an instruction (or question) and a reference answer.' }]);

  const format = options.format ?? detectFormat(text, options.fileName);
  const parsed = readRecords(text, format, maxIssues);
  warnings.push(...parsed.warnings);
  if (parsed.issues.length > 0) throw new DatasetError(name, parsed.issues);
  if (parsed.records.length === 0) throw new DatasetError(name, [{ message: `the ${format.toUpperCase()} file has no data rows.` }]);

  const requested = options.shape ?? 'auto';
  const shape: RowShape = options.mapping ? 'generic' : requested === 'auto' ? detectRowShape(parsed.records[0].value) : requested;
  if (shape === 'generic') {
    const mappingIssues = checkMappedFields(parsed.records[0], options.mapping);
    if (mappingIssues.length > 0) throw new DatasetError(name, mappingIssues);
  }

  const converted = rowsToQuestions(
    parsed.records,
    { shape, mapping: options.mapping, name, domain: options.domain, emptyMeansAbsent: format === 'csv' || format === 'tsv' },
    maxIssues,
  );
  const issues = [...converted.issues];
  const firstSeen = new Map<string, string>();
  for (const { question, location } of converted.rows) {
    const here = describeLocation(location);
    const earlier = firstSeen.get(question.id);
    if (earlier !== undefined) {
      if (issues.length < maxIssues)
        issues.push({
          location,
          field: shape === 'generic' ? options.mapping?.id || 'id' : 'id',
          message: `duplicate id "${question.id}": also used at ${earlier}; ids must be unique.`,
        });
    } else {
      firstSeen.set(question.id, here);
    }
  }
  if (issues.length > 0) throw new DatasetError(name, issues);
  warnings.push(...converted.warnings);
  return { questions: converted.rows.map((r) => r.question), format, shape, warnings };
}
