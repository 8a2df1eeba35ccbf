// CSV after RFC 4180, read by Papa Parse: fields separated by a delimiter, records by CRLF or LF
// (a lone CR too); a field in double quotes may hold delimiters, line breaks and doubled quotes
// (""). The first record is the header. Problems name the data row (1-based, header excluded)
// and the line, which Papa does not report: they come from its record offsets.
import Papa from 'papaparse';
import type { DatasetIssue } from './datasetSchema';

export interface CsvRecord {
  /** Column name → cell text. */
  values: Record<string, string>;
  /** 1-based data row (the header is row 0). */
  row: number;
  /** 1-based physical line where the record starts (a quoted cell may span lines). */
  line: number;
}

export interface ParsedCsv {
  header: string[];
  records: CsvRecord[];
  issues: DatasetIssue[];
  warnings: string[];
}

interface RawRecord {
  fields: string[];
  line: number;
}

/** 1-based line of each offset, by binary search over the line-break offsets. */
function lineFinder(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/**
 * Quotes inside unquoted cells of one record's raw text (Papa keeps them as text and says
 * nothing): walk the cells, skipping quoted ones by their raw length (2 + value + doubled quotes).
 */
function strayQuotesIn(raw: string, fields: readonly string[], delimiter: string): number {
  if (!raw.includes('"')) return 0;
  let stray = 0;
  let at = 0;
  for (const value of fields) {
    const quotes = value.split('"').length - 1;
    if (raw[at] === '"') at += 2 + value.length + quotes;
    else {
      stray += quotes;
      at += value.length;
    }
    at += delimiter.length;
  }
  return stray;
}

/**
 * Splits CSV text into raw records of fields with Papa Parse. Records may end in CRLF, LF or a
 * lone CR (hand-edited files mix them, and Papa takes one line-end style per file), so line ends
 * are made LF first: a line break inside a quoted cell comes back as LF.
 */
export function tokenizeCsv(text: string, delimiter = ','): { records: RawRecord[]; issues: DatasetIssue[]; strayQuotes: number } {
  const normalized = text.replace(/\r\n?/g, '\n');
  const lineAt = lineFinder(normalized);
  const records: RawRecord[] = [];
  const issues: DatasetIssue[] = [];
  let strayQuotes = 0;
  let start = 0;
  Papa.parse<string[]>(normalized, {
    delimiter,
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      const fields = result.data;
      // A blank line yields no record.
      if (!(fields.length === 1 && fields[0] === '' && !normalized.slice(start, end).includes('"'))) records.push({ fields, line: lineAt(start) });
      const malformed = result.errors.find((e) => e.code === 'InvalidQuotes');
      const unclosed = result.errors.find((e) => e.code === 'MissingQuotes');
      if (malformed) {
        issues.push({
          location: { kind: 'line', line: lineAt(malformed.index ?? start) },
          message: 'unexpected text after a closing quote; inside a quoted cell write a quote as ""',
        });
      } else if (unclosed) {
        // Papa's index is just past the opening quote.
        issues.push({
          location: { kind: 'line', line: lineAt(Math.max((unclosed.index ?? start) - 1, start)) },
          message: 'a quoted field opened here is never closed (a missing " at the end of the cell?)',
        });
      } else strayQuotes += strayQuotesIn(normalized.slice(start, end), fields, delimiter);
      start = end;
    },
  });
  return { records, issues, strayQuotes };
}

export function parseCsv(text: string, delimiter = ',', maxIssues = 50): ParsedCsv {
  const { records: raw, issues, strayQuotes } = tokenizeCsv(text, delimiter);
  const warnings: string[] = [];
  if (strayQuotes > 0) warnings.push(`${strayQuotes} quote character(s) inside unquoted cells were kept as text.`);
  if (raw.length === 0) return { header: [], records: [], issues, warnings };

  const header = raw[0].fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  header.forEach((name, column) => {
    if (name === '') {
      issues.push({ location: { kind: 'line', line: raw[0].line }, message: `header column ${column + 1} has no name` });
    } else if (seen.has(name)) {
      issues.push({
        location: { kind: 'line', line: raw[0].line },
        field: name,
        message: `header names column "${name}" twice (columns ${(seen.get(name) as number) + 1} and ${column + 1})`,
      });
    } else {
      seen.set(name, column);
    }
  });

  const records: CsvRecord[] = [];
  for (let r = 1; r < raw.length; r++) {
    const { fields, line } = raw[r];
    if (fields.length !== header.length) {
      if (issues.length < maxIssues) {
        issues.push({
          location: { kind: 'row', row: r, line },
          message: `has ${fields.length} cell(s) but the header has ${header.length}; quote cells that contain "${delimiter}" or line breaks`,
        });
      }
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, column) => {
      values[name] = fields[column];
    });
    records.push({ values, row: r, line });
  }
  return { header, records, issues, warnings };
}
